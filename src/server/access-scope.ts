import type { FastifyRequest } from 'fastify';
import type { Capability, ScopedCases } from '../store/index.ts';
import { roleAllows } from '../store/index.ts';

/**
 * Whose patient data a request may touch (issue 13): the caller's organisations and whether they
 * are a network administrator. Read once per request, with the caller at authentication
 * (`loadAccessScope`); the store applies it to every case query (store/scoped-cases.ts).
 */
export interface AccessScope {
  userId: string;
  organisationIds: readonly string[];
  network: boolean;
}

/** The scope of an authenticated request. Throws on an unauthenticated one: only guarded routes may ask. */
export function accessScopeOf(request: FastifyRequest): AccessScope {
  const scope = request.accessScope;
  if (!request.user || !scope || scope.userId !== request.user.id) {
    throw new Error(`${request.method} ${request.routeOptions.url ?? request.url}: no access scope (is the route guarded by requireRole?)`);
  }
  return scope;
}

/**
 * onRequest hook after `authenticate`: the caller's memberships and network flag. Authentication
 * reads them with the caller (repository Principal); they are looked up here only when it did not.
 * A route that reads no patient data (`accessScope: false`) gets none.
 */
export async function loadAccessScope(request: FastifyRequest): Promise<void> {
  const user = request.routeOptions.config?.accessScope === false ? null : request.user;
  if (!user) request.accessScope = null;
  else if (request.accessScope?.userId !== user.id) request.accessScope = await request.server.repo.organisations.scopeOf(user.id);
}

/** The case store as this request's caller sees it. */
export function casesOf(request: FastifyRequest): ScopedCases {
  return request.server.repo.scoped(accessScopeOf(request));
}

/**
 * The organisation a new case of this caller goes to: the one named (the caller must be allowed
 * to write there), or — when none is named — the only organisation where the caller may write.
 */
export async function homeOrganisation(
  request: FastifyRequest,
  named: string | undefined,
  path: string,
  capability: Capability = 'case.write',
): Promise<{ ok: true; organisationId: string } | { ok: false; status: 400 | 403; path: string; message: string }> {
  const scope = accessScopeOf(request);
  const memberships = await request.server.repo.organisations.membershipsOf(scope.userId);
  const writable = memberships.filter((m) => roleAllows(m.role, capability)).map((m) => m.organisationId);
  if (named !== undefined) {
    if (writable.includes(named)) return { ok: true, organisationId: named };
    return { ok: false, status: 403, path, message: `you may not create cases in organisation ${named}; yours: ${writable.join(', ') || 'none'}` };
  }
  if (writable.length === 1) return { ok: true, organisationId: writable[0]! };
  if (writable.length === 0) return { ok: false, status: 403, path, message: 'none of your organisation roles allows creating cases' };
  return { ok: false, status: 400, path, message: `name the organisation: one of ${writable.join(', ')}` };
}
