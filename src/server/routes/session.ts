import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordAudit } from '../audit.ts';
import { requireRole, SESSION_COOKIE } from '../auth/guard.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { newSecret, sha256Hex } from '../auth/secrets.ts';
import { errorBody } from '../errors.ts';
import { ErrorsSchema, LoginBody, WhoAmISchema } from '../schemas.ts';
import { backoffSeconds, type ServerSettings } from '../settings.ts';

export const sessionRoutes: FastifyPluginAsyncZod<{ settings: ServerSettings }> = async (app, { settings }) => {
  // Verifying against a real hash when the username is unknown keeps the
  // response time the same, so timing does not reveal which usernames exist.
  const dummyHash = await hashPassword(newSecret(), settings.scryptLog2N);

  app.post(
    '/session',
    {
      config: {
        public: true,
        rateLimit: { max: settings.loginRateLimit.max, timeWindow: settings.loginRateLimit.timeWindowMs },
      },
      schema: {
        summary: 'Log in: sets an httpOnly, SameSite=Strict session cookie',
        tags: ['session'],
        body: LoginBody,
        response: { 200: WhoAmISchema, 400: ErrorsSchema, 401: ErrorsSchema, 429: ErrorsSchema },
      },
    },
    async (request, reply) => {
      const username = request.body.username.trim().toLowerCase();
      const throttleKey = `user:${username}`;
      const throttle = await app.repo.loginThrottle(throttleKey);
      const now = new Date();
      if (throttle?.blockedUntil && Date.parse(throttle.blockedUntil) > now.getTime()) {
        const wait = Math.ceil((Date.parse(throttle.blockedUntil) - now.getTime()) / 1000);
        await recordAudit(request, { action: 'session.login', actor: username, outcome: 'denied', statusCode: 429, detail: 'back-off after failed logins' });
        return reply
          .code(429)
          .header('retry-after', String(wait))
          .send(errorBody(`too many failed logins for this user; try again in ${wait} s`));
      }
      const user = await app.repo.findUserByUsername(username);
      const passwordOk = await verifyPassword(request.body.password, user?.passwordHash ?? dummyHash);
      if (!user || !passwordOk || user.disabled) {
        await app.repo.recordLoginFailure(throttleKey, now.toISOString(), (n) => backoffSeconds(n, settings.loginFailuresBeforeBackoff));
        await recordAudit(request, {
          action: 'session.login',
          actor: username.slice(0, 100),
          outcome: 'failure',
          statusCode: 401,
          detail: !user ? 'unknown user' : user.disabled ? 'user disabled' : 'wrong password',
        });
        return reply.code(401).send(errorBody('wrong username or password'));
      }
      await app.repo.clearLoginFailures(throttleKey);
      const sessionId = newSecret();
      const expiresAt = new Date(now.getTime() + settings.sessionTtlMinutes * 60_000).toISOString();
      await app.repo.createSession({ idHash: sha256Hex(sessionId), userId: user.id, expiresAt }, now.toISOString());
      await recordAudit(request, { action: 'session.login', actor: user.username, outcome: 'success', statusCode: 200, objectType: 'user', objectId: user.id });
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
