import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordAudit } from '../audit.ts';
import { requireRole, SESSION_COOKIE } from '../auth/guard.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { newSecret, sha256Hex } from '../auth/secrets.ts';
import { HashPool } from '../auth/hash-pool.ts';
import { LoginThrottle } from '../auth/login-throttle.ts';
import { auditActorName, isValidUsername, normaliseUsername } from '../auth/usernames.ts';
import { errorBody, type RequestValidationError } from '../errors.ts';
import { ErrorsSchema, LoginBody, WhoAmISchema } from '../schemas.ts';
import type { ServerSettings } from '../settings.ts';

export const sessionRoutes: FastifyPluginAsyncZod<{ settings: ServerSettings }> = async (app, { settings }) => {
  // Verifying against a real hash when the username is unknown keeps the
  // response time the same, so timing does not reveal which usernames exist.
  const dummyHash = await hashPassword(newSecret(), settings.scryptLog2N);
  const pool = new HashPool(settings.hashConcurrency, settings.hashQueueLength);
  const throttle = new LoginThrottle(app.repo, {
    failuresBeforeBackoff: settings.loginFailuresBeforeBackoff,
    backoffBaseSeconds: settings.loginBackoffBaseSeconds,
    addressMax: settings.loginRateLimit.max,
    addressWindowMs: settings.loginRateLimit.timeWindowMs,
    knownAddressDays: settings.loginKnownAddressDays,
  });

  app.post(
    '/session',
    {
      config: { public: true },
      // Malformed logins reach the handler, so they are audited like every other outcome.
      attachValidation: true,
      schema: {
        summary: 'Log in: sets an httpOnly, SameSite=Strict session cookie',
        description:
          'Every attempt counts as a failure until its password proves right, per client address and per user, in the database ' +
          '(shared by all instances): past the limits the answer is 429 with Retry-After. When too many password checks are ' +
          'already running the answer is 503 with Retry-After. Every outcome is in the audit log.',
        tags: ['session'],
        body: LoginBody,
        response: { 200: WhoAmISchema, 400: ErrorsSchema, 401: ErrorsSchema, 429: ErrorsSchema, 503: ErrorsSchema },
      },
    },
    async (request, reply) => {
      const rawName = (request.body as { username?: unknown } | undefined)?.username;
      const username = typeof rawName === 'string' ? normaliseUsername(rawName) : '';
      const actor = username === '' ? 'anonymous' : auditActorName(username);
      const audit = (statusCode: number, outcome: 'success' | 'failure' | 'denied' | 'error', detail: string, objectId: string | null = null) =>
        recordAudit(request, { action: 'session.login', actor, outcome, statusCode, detail, objectType: objectId ? 'user' : null, objectId });

      if (request.validationError) {
        const errors = (request.validationError as Partial<RequestValidationError>).errors ?? [{ path: '', message: 'invalid login request' }];
        await audit(400, 'failure', 'malformed login request');
        return reply.code(400).send({ errors });
      }
      if (!isValidUsername(username)) {
        await audit(400, 'failure', 'malformed username');
        return reply.code(400).send(errorBody('is not a valid username (lower-case letters, digits, . _ @ -)', 'username'));
      }

      const admission = await throttle.admit(username, request.ip);
      if (!admission.ok) {
        await audit(429, 'denied', admission.scope === 'address' ? 'too many login attempts from this address' : 'back-off after failed logins');
        const message =
          admission.scope === 'address'
            ? `too many login attempts from this address; try again in ${admission.retryAfterSeconds} s`
            : `too many failed logins for this user; try again in ${admission.retryAfterSeconds} s`;
        return reply.code(429).header('retry-after', String(admission.retryAfterSeconds)).send(errorBody(message));
      }

      const user = await app.repo.findUserByUsername(username);
      const verdict = pool.tryRun(() => verifyPassword(request.body.password, user?.passwordHash ?? dummyHash));
      if (!verdict) {
        await admission.attempt.cancelled();
        await audit(503, 'error', 'password checks busy');
        return reply.code(503).header('retry-after', '1').send(errorBody('the server is busy checking other logins; try again in 1 s'));
      }
      const passwordOk = await verdict;
      if (!user || !passwordOk || user.disabled) {
        await audit(401, 'failure', !user ? 'unknown user' : user.disabled ? 'user disabled' : 'wrong password');
        return reply.code(401).send(errorBody('wrong username or password'));
      }
      await admission.attempt.succeeded();
      const now = new Date();
      const sessionId = newSecret();
      const expiresAt = new Date(now.getTime() + settings.sessionTtlMinutes * 60_000).toISOString();
      await app.repo.createSession({ idHash: sha256Hex(sessionId), userId: user.id, expiresAt }, now.toISOString());
      await audit(200, 'success', 'logged in', user.id);
      reply.setCookie(SESSION_COOKIE, sessionId, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        // request.protocol honours X-Forwarded-Proto only when trustProxy is configured.
        secure: request.protocol === 'https',
        maxAge: settings.sessionTtlMinutes * 60,
      });
      return { user: { id: user.id, username: user.username, role: user.role }, via: 'session' as const, expiresAt };
    },
  );

  app.get(
    '/session',
    {
      onRequest: requireRole('viewer'),
      schema: { summary: 'Who am I: the logged-in user and role', tags: ['session'], response: { 200: WhoAmISchema, 401: ErrorsSchema } },
    },
    async (request) => {
      const user = request.user!;
      return { user: { id: user.id, username: user.username, role: user.role }, via: request.authVia ?? 'session' };
    },
  );

  app.delete(
    '/session',
    {
      config: { public: true },
      schema: { summary: 'Log out: ends the session and clears its cookie (204)', tags: ['session'] },
    },
    async (request, reply) => {
      const sessionId = request.cookies[SESSION_COOKIE];
      if (sessionId) {
        await app.repo.deleteSession(sha256Hex(sessionId));
        if (request.user) await recordAudit(request, { action: 'session.logout', outcome: 'success', statusCode: 204, objectType: 'user', objectId: request.user.id });
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
      return reply.code(204).send();
    },
  );
};
