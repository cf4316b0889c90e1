import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Role } from '../../store/index.ts';
import { sha256Hex } from './secrets.ts';

export const SESSION_COOKIE = 'retroplan_session';

const RANK: Record<Role, number> = { viewer: 1, clinician: 2, admin: 3 };

/** viewer reads; clinician also writes cases; admin also manages users and tokens and reads the audit log. */
export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}

const REQUIRED_ROLE = Symbol.for('retroplan.requiredRole');
type Guard = onRequestHookHandler & { [REQUIRED_ROLE]: Role };

function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ errors: [{ path: '', message }] });
}

/**
 * The access rule of a route: use as its `onRequest` hook (before the body is
 * read, so no unauthenticated request is parsed or validated).
 * 401 without credentials, 403 with a role below `role`.
 */
export function requireRole(role: Role): onRequestHookHandler {
  const guard = async function (request: FastifyRequest, reply: FastifyReply) {
    if (!request.user) {
      reply.header('www-authenticate', 'Bearer realm="retroplan"');
      return sendError(reply, 401, 'authentication required: log in (POST /api/session) or send Authorization: Bearer <token>');
    }
    if (!hasRole(request.user.role, role)) return sendError(reply, 403, `this needs the ${role} role; you are ${request.user.role}`);
  } as unknown as Guard;
  guard[REQUIRED_ROLE] = role;
  return guard;
}

const NETWORK_ADMIN = Symbol.for('retroplan.networkAdmin');

/**
 * The access rule of the network's administration (organisations and memberships, issue 13): the
 * admin role and the network administrator flag (`retroplan org network-admin`). An admin of one
 * organisation manages the install's accounts but not the network's shape: 403 without the flag.
 * Runs after the caller's scope is loaded (server/access-scope.ts, a global onRequest hook).
 */
export function requireNetworkAdmin(): onRequestHookHandler {
  const byRole = requireRole('admin') as unknown as (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
  const guard = async function (request: FastifyRequest, reply: FastifyReply) {
    const refused = await byRole(request, reply);
    if (refused) return refused;
    if (request.accessScope?.network !== true) return sendError(reply, 403, 'this needs a network administrator (retroplan org network-admin <username>)');
  } as unknown as Guard & { [NETWORK_ADMIN]: true };
  guard[REQUIRED_ROLE] = 'admin';
  guard[NETWORK_ADMIN] = true;
  return guard;
}

/** Whether a route's hooks include the network administrator guard. */
export function requiresNetworkAdmin(hooks: unknown): boolean {
  const list = Array.isArray(hooks) ? hooks : hooks ? [hooks] : [];
  return list.some((hook) => (hook as { [NETWORK_ADMIN]?: true })[NETWORK_ADMIN] === true);
}

/** The role a route's hooks require, if any of them is a `requireRole` guard. */
export function requiredRoleOf(hooks: unknown): Role | undefined {
  const list = Array.isArray(hooks) ? hooks : hooks ? [hooks] : [];
  for (const hook of list) {
    const role = (hook as Partial<Guard>)[REQUIRED_ROLE];
    if (role) return role;
  }
  return undefined;
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,512})\s*$/i.exec(header);
  return match?.[1];
}

/** Resolves the caller from a Bearer token or the session cookie; never rejects by itself. */
export async function authenticate(request: FastifyRequest): Promise<void> {
  request.user = null;
  request.accessScope = null;
  request.authVia = null;
  const repo = request.server.repo;
  const token = bearerToken(request.headers.authorization);
  // The caller's organisations come in the same statement as the caller (Principal), so the
  // access scope (access-scope.ts) costs no query of its own.
  if (token) {
    const found = await repo.principalForToken(sha256Hex(token));
    if (found) {
      request.user = found.user;
      request.accessScope = found.scope;
      request.authVia = 'token';
    }
    return;
  }
  const sessionId = request.cookies?.[SESSION_COOKIE];
  if (sessionId && sessionId.length <= 512) {
    const found = await repo.principalForSession(sha256Hex(sessionId), new Date().toISOString());
    if (found) {
      request.user = found.user;
      request.accessScope = found.scope;
      request.authVia = 'session';
    }
  }
}
