import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordAudit } from '../audit.ts';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/passwords.ts';
import { newSecret, sha256Hex } from '../auth/secrets.ts';
import { errorBody } from '../errors.ts';
import { ErrorsSchema, UsernameSchema } from '../schemas.ts';
import type { ServerSettings } from '../settings.ts';

/**
 * First run in the browser. On an empty database the server makes one random
 * setup token; `retroplan serve` prints the link with it on the console (never
 * logged). The link opens "create the first administrator"; the token works
 * once, and only while no user exists. `retroplan user add` stays for scripts.
 */
const TOKENS = new WeakMap<object, { hash: string; token: string; used: boolean }>();

/** The one-time setup path (`#/setup/<token>`) while no user exists, else null. Shown only on the console. */
export async function setupPath(app: FastifyInstance): Promise<string | null> {
  const entry = TOKENS.get(app.server);
  if (!entry || entry.used || (await app.repo.countUsers()) > 0) return null;
  return `/#/setup/${entry.token}`;
}

export const PASSWORD_POLICY = `At least ${MIN_PASSWORD_LENGTH} characters (at most ${MAX_PASSWORD_LENGTH}); a passphrase of several unrelated words is easiest to remember.`;

const SetupBody = z.strictObject({
  token: z.string({ error: 'must be the setup token from the server console' }).min(1).max(200),
  username: UsernameSchema,
  password: z
    .string({ error: 'must be a string' })
    .min(MIN_PASSWORD_LENGTH, { error: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
    .max(MAX_PASSWORD_LENGTH, { error: `must be at most ${MAX_PASSWORD_LENGTH} characters` }),
});

const StateSchema = z.object({
  setupRequired: z.boolean(),
  passwordPolicy: z.string(),
  user: z.object({ id: z.string(), username: z.string(), role: z.string() }).nullable(),
});

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(sha256Hex(a), 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export const setupRoutes: FastifyPluginAsyncZod<{ settings: ServerSettings }> = async (app, { settings }) => {
  if ((await app.repo.countUsers()) === 0) {
    const token = newSecret();
    // Keyed by the HTTP server, which every encapsulated instance shares, so `retroplan serve` can print the link.
    TOKENS.set(app.server, { hash: sha256Hex(token), token, used: false });
  }

  // The web app's first call: who is signed in (or nobody) and whether setup is open — 200 either way,
  // so a page load never logs a 401 in the browser console.
  app.get(
    '/setup',
    { config: { public: true }, schema: { summary: 'First-run state: is setup open, and who is signed in (null when nobody)', tags: ['session'], response: { 200: StateSchema } } },
    async (request) => {
      const u = request.user;
      const entry = TOKENS.get(app.server);
      const setupRequired = entry !== undefined && !entry.used && (await app.repo.countUsers()) === 0;
      return { setupRequired, passwordPolicy: PASSWORD_POLICY, user: u ? { id: u.id, username: u.username, role: u.role } : null };
    },
  );

  app.post(
    '/setup',
    {
      config: { public: true, rateLimit: { max: settings.loginRateLimit.max, timeWindow: settings.loginRateLimit.timeWindowMs } },
      schema: {
        summary: 'Create the first administrator with the one-time setup token (only while no user exists)',
        tags: ['session'],
        body: SetupBody,
        response: { 201: z.object({ id: z.string(), username: z.string(), role: z.string() }), 400: ErrorsSchema, 403: ErrorsSchema, 409: ErrorsSchema, 429: ErrorsSchema },
      },
    },
    async (request, reply) => {
      const entry = TOKENS.get(app.server);
      const done = async () => {
        await recordAudit(request, { action: 'setup.first-admin', outcome: 'denied', statusCode: 409, objectType: 'user', detail: 'setup already done' });
        return reply.code(409).send(errorBody('setup is already done: sign in, or ask an administrator for an account'));
      };
      if (!entry || entry.used || (await app.repo.countUsers()) > 0) return done();
      if (!sameSecret(request.body.token, entry.hash)) {
        await recordAudit(request, { action: 'setup.first-admin', outcome: 'denied', statusCode: 403, objectType: 'user', detail: 'wrong setup token' });
        return reply.code(403).send(errorBody('this setup link is not valid: copy the link printed on the server console', 'token'));
      }
      // Checked and spent with no await in between, so a second request with the same token cannot interleave.
      if (entry.used) return done();
      entry.used = true;
      const username = request.body.username.trim().toLowerCase();
      const user = await app.repo.createUser({ username, role: 'admin', passwordHash: await hashPassword(request.body.password, settings.scryptLog2N) }, new Date().toISOString());
      await recordAudit(request, { actor: username, action: 'setup.first-admin', outcome: 'success', statusCode: 201, objectType: 'user', objectId: user.id, detail: 'role admin' });
      return reply.code(201).send({ id: user.id, username: user.username, role: user.role });
    },
  );
};
