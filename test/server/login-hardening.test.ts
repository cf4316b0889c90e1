/**
 * Logins under attack (issue 9, item 3): attempts are counted in the database before
 * the password is checked, so parallel guesses cannot slip past the back-off — on
 * SQLite and PostgreSQL, and across two server instances on one database.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../../src/server/app.ts';
import { hashPassword } from '../../src/server/auth/passwords.ts';
import type { ServerSettings } from '../../src/server/settings.ts';
import type { DatabaseConfig } from '../../src/store/index.ts';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';
import { PASSWORD, request, startTestServer, TEST_SCRYPT_COST, type Response, type TestServer } from '../support/server.ts';

type Settings = Partial<Omit<ServerSettings, 'scryptLog2N'>>;
const THRESHOLD = 3;
// A first wait of a minute: however slowly the parallel requests reach the server, the block holds.
const SETTINGS: Settings = { loginFailuresBeforeBackoff: THRESHOLD, loginBackoffBaseSeconds: 60, loginRateLimit: { max: 1000, timeWindowMs: 60_000 } };

/** Another server on the same database (no users seeded: they are in the database already). */
async function anotherInstance(database: DatabaseConfig, settings: Settings, extra: { trustProxy?: string } = {}) {
  const app: FastifyInstance = await createServer({ database, logger: false, webRoot: null, scryptCost: TEST_SCRYPT_COST, settings, ...extra });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { app, base, close: () => app.close() };
}

const login = (base: string, username: string, password: string, headers: Record<string, string> = {}) =>
  request(base, 'POST', '/api/session', { body: { username, password }, headers });

function tally(responses: (Response | { status: number | null })[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status ?? 0] = (counts[r.status ?? 0] ?? 0) + 1;
  return counts;
}

async function addUser(s: TestServer, username: string): Promise<void> {
  await s.repo.createUser({ username, role: 'viewer', passwordHash: await hashPassword(PASSWORD, TEST_SCRYPT_COST) }, new Date().toISOString());
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`parallel wrong passwords on ${kind}`, () => {
    let db: TestDatabase;
    let s: TestServer;
    let other: Awaited<ReturnType<typeof anotherInstance>>;
    before(async () => {
      db = kind === 'sqlite' ? tempSqlite() : await freshPostgres();
      s = await startTestServer({ testDatabase: db, settings: SETTINGS });
      other = await anotherInstance(db.config, SETTINGS);
    });
    after(async () => {
      await other?.close();
      await s?.close();
      await db?.drop();
    });

    it(`19 wrong passwords at once for one user → ${THRESHOLD} × 401, the rest 429 with Retry-After; every attempt audited`, async () => {
      await addUser(s, 'target1');
      const responses = await Promise.all(Array.from({ length: 19 }, (_, i) => login(s.base, 'target1', `wrong guess number ${i}`)));
      assert.deepEqual(tally(responses), { 401: THRESHOLD, 429: 19 - THRESHOLD });
      for (const r of responses.filter((x) => x.status === 429)) assert.ok(Number(r.headers.get('retry-after')) >= 1);
      const audited = await s.repo.listAudit({ action: 'session.login', actor: 'target1', limit: 100 });
      assert.deepEqual(tally(audited.map((e) => ({ status: e.statusCode }))), { 401: THRESHOLD, 429: 19 - THRESHOLD });
      // The right password is refused too while the back-off lasts.
      assert.equal((await login(s.base, 'target1', PASSWORD)).status, 429);
    });

    it(`the same across two instances on one database: 10 + 9 at once → ${THRESHOLD} × 401 in total`, async () => {
      await addUser(s, 'target2');
      const responses = await Promise.all(
        Array.from({ length: 19 }, (_, i) => login(i % 2 === 0 ? s.base : other.base, 'target2', `wrong guess number ${i}`)),
      );
      assert.deepEqual(tally(responses), { 401: THRESHOLD, 429: 19 - THRESHOLD });
    });

    it('the per-address limit is counted in the database: two instances share it', async () => {
      const strict: Settings = { ...SETTINGS, loginRateLimit: { max: 4, timeWindowMs: 60_000 } };
      const a = await anotherInstance(db.config, strict);
      const b = await anotherInstance(db.config, strict);
      try {
        await s.repo.clearLoginCounter('addr:127.0.0.1');
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) statuses.push((await login(i % 2 === 0 ? a.base : b.base, `nobody${i}`, 'wrong password here')).status);
        assert.deepEqual(statuses, [401, 401, 401, 401, 429, 429]);
        const denied = await s.repo.listAudit({ action: 'session.login', outcome: 'denied', limit: 2 });
        assert.deepEqual(
          denied.map((e) => e.detail),
          ['too many login attempts from this address', 'too many login attempts from this address'],
        );
      } finally {
        await a.close();
        await b.close();
        await s.repo.clearLoginCounter('addr:127.0.0.1');
      }
    });
  });
}

describe('a user is not locked out from an address they logged in from before', () => {
  let s: TestServer;
  before(async () => {
    // Behind a proxy on loopback the client address comes from X-Forwarded-For.
    s = await startTestServer({ settings: SETTINGS, trustProxy: '127.0.0.1' });
  });
  after(async () => s?.close());
  const from = (address: string) => ({ 'x-forwarded-for': address });

  it('failures from elsewhere block new addresses, never the known one', async () => {
    await addUser(s, 'nurse');
    assert.equal((await login(s.base, 'nurse', PASSWORD, from('192.0.2.10'))).status, 200);
    const attack = [];
    for (let i = 0; i < 6; i++) attack.push((await login(s.base, 'nurse', `guess ${i} of an attacker`, from('203.0.113.9'))).status);
    assert.deepEqual(attack, [401, 401, 401, 429, 429, 429]);
    assert.equal((await login(s.base, 'nurse', PASSWORD, from('198.51.100.7'))).status, 429, 'a new address waits out the back-off');
    assert.equal((await login(s.base, 'nurse', PASSWORD, from('192.0.2.10'))).status, 200, 'the known address still logs in');
  });

  it('failures from the known address itself still back off', async () => {
    await addUser(s, 'porter');
    assert.equal((await login(s.base, 'porter', PASSWORD, from('192.0.2.20'))).status, 200);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(s.base, 'porter', `guess ${i} here`, from('192.0.2.20'))).status);
    assert.deepEqual(statuses, [401, 401, 401, 429]);
  });
});

describe('password hashing is bounded', () => {
  it('excess logins get 503 with Retry-After at once; health and token calls answer meanwhile', async () => {
    // A slow hash (2^16) and one slot with one queue place make the pool's limit visible.
    const s = await startTestServer({ scryptCost: 16, settings: { ...SETTINGS, hashConcurrency: 1, hashQueueLength: 1 } });
    try {
      let loginsDone = 0;
      const logins = Array.from({ length: 6 }, (_, i) =>
        login(s.base, `someone${i}`, 'not a real password').then((r) => {
          loginsDone += 1;
          return r;
        }),
      );
      const health = await s.request('GET', '/api/health');
      const withToken = await s.request('GET', '/api/cases', { token: s.tokens.viewer });
      const healthAnsweredDuringLogins = loginsDone < logins.length;
      const responses = await Promise.all(logins);
      assert.equal(health.status, 200);
      assert.equal(withToken.status, 200);
      assert.ok(healthAnsweredDuringLogins, 'health and the token call did not wait for the password checks');
      const counts = tally(responses);
      assert.deepEqual(Object.keys(counts).sort(), ['401', '503'], JSON.stringify(counts));
      assert.equal(counts[401], 2, 'one running, one queued');
      for (const r of responses.filter((x) => x.status === 503)) {
        assert.equal(r.headers.get('retry-after'), '1');
        assert.match(r.body.errors[0].message, /busy/);
      }
      // An attempt refused as busy is not held against the user or the address.
      for (const [i, r] of responses.entries()) if (r.status === 503) assert.equal((await s.repo.loginCounter(`user:someone${i}`))?.count, 0);
      assert.equal((await s.repo.loginCounter('addr:127.0.0.1'))?.count, 2);
      const busy = await s.repo.listAudit({ action: 'session.login', outcome: 'error', limit: 10 });
      assert.equal(busy.length, counts[503]);
    } finally {
      await s.close();
    }
  });
});

describe('every login outcome is audited; usernames are normalised', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ settings: SETTINGS });
  });
  after(async () => s?.close());

  it('a malformed login (400) is audited', async () => {
    const r = await s.request('POST', '/api/session', { body: { username: 'viewer' } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body.errors.map((e: { path: string }) => e.path), ['password']);
    const [entry] = await s.repo.listAudit({ action: 'session.login', limit: 1 });
    assert.deepEqual([entry?.actor, entry?.statusCode, entry?.outcome, entry?.detail], ['viewer', 400, 'failure', 'malformed login request']);
  });

  it('a username with control characters is refused (400) and stored escaped, never raw', async () => {
    const r = await s.request('POST', '/api/session', { body: { username: 'admin\nlogin ok for root\u202e', password: 'whatever it is' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.errors[0].path, 'username');
    const [entry] = await s.repo.listAudit({ action: 'session.login', limit: 1 });
    assert.equal(entry?.actor, 'admin\\u{a}login ok for root\\u{202e}');
    assert.doesNotMatch(entry!.actor, /[\n\u202e]/);
  });

  it('a username is matched in its normal form (case, width, spaces)', async () => {
    const r = await s.request('POST', '/api/session', { body: { username: '  ＣＬＩＮＩＣＩＡＮ ', password: PASSWORD } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.user.username, 'clinician');
  });
});

describe('password policy and credential revocation', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ settings: SETTINGS });
  });
  after(async () => s?.close());

  it('POST /api/users refuses short, common, repetitive and username-derived passwords with the field named', async () => {
    const weak = ['short pw', '            ', 'aaaaaaaaaaaa', 'password1234', 'qwertyuiop12', 'theatrenurse', 'TheatreNurse-2026'];
    for (const password of weak) {
      const r = await s.request('POST', '/api/users', { token: s.tokens.admin, body: { username: 'theatre.nurse', password, role: 'viewer' } });
      assert.equal(r.status, 400, `${password}: ${r.text}`);
      assert.equal(r.body.errors[0].path, 'password', password);
      assert.ok(r.body.errors[0].message.length > 20, r.body.errors[0].message);
    }
    const ok = await s.request('POST', '/api/users', { token: s.tokens.admin, body: { username: 'theatre.nurse', password: 'violet kettle under a quiet harbour', role: 'viewer' } });
    assert.equal(ok.status, 201, ok.text);
  });

  it('PATCH password applies the same policy, with the target’s username', async () => {
    const r = await s.request('PATCH', `/api/users/${s.userIds.viewer}`, { token: s.tokens.admin, body: { password: 'viewer-viewer-1' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.errors[0].path, 'password');
    assert.match(r.body.errors[0].message, /username/);
  });

  it('a password reset revokes the user’s API tokens and ends their sessions', async () => {
    const created = await s.request('POST', '/api/users', { token: s.tokens.admin, body: { username: 'locum', password: PASSWORD, role: 'clinician' } });
    const token = (await s.request('POST', `/api/users/${created.body.id}/tokens`, { token: s.tokens.admin, body: { name: 'laptop' } })).body.token;
    const cookie = /retroplan_session=[^;]+/.exec((await login(s.base, 'locum', PASSWORD)).headers.get('set-cookie') ?? '')![0];
    assert.equal((await s.request('GET', '/api/cases', { token })).status, 200);
    assert.equal((await s.request('GET', '/api/cases', { cookie })).status, 200);

    const reset = await s.request('PATCH', `/api/users/${created.body.id}`, { token: s.tokens.admin, body: { password: 'granite lantern over misty fields' } });
    assert.equal(reset.status, 200, reset.text);
    assert.equal((await s.request('GET', '/api/cases', { token })).status, 401, 'the token is revoked');
    assert.equal((await s.request('GET', '/api/cases', { cookie })).status, 401, 'the session is ended');
    const tokens = await s.request('GET', `/api/users/${created.body.id}/tokens`, { token: s.tokens.admin });
    assert.ok(tokens.body.items.every((t: { revokedAt: string | null }) => t.revokedAt !== null));
    assert.equal((await login(s.base, 'locum', 'granite lantern over misty fields')).status, 200);
  });
});
