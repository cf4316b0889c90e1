/**
 * Unit tests of src/server/auth/ without a server: each module's branches, boundaries and
 * messages against hand-written expectations. They are what mutation testing of the auth code
 * runs (stryker.config.mjs, STRYKER_SCOPE=auth); the HTTP tests (access, session,
 * login-hardening) check the same rules end to end, at tens of seconds a file.
 * Passwords (scrypt, and the policy's zxcvbn dictionaries, ~2 s to load) are in
 * auth-units-passwords.test.ts, so that a mutant elsewhere does not pay for them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CounterDecision, LoginCounter, Repository, Role, User } from '../../src/store/index.ts';
import { authenticate, hasRole, requireRole, requiredRoleOf, SESSION_COOKIE } from '../../src/server/auth/guard.ts';
import { HashPool } from '../../src/server/auth/hash-pool.ts';
import { backoffDecision, backoffSeconds, LoginThrottle, windowDecision, type LoginLimits } from '../../src/server/auth/login-throttle.ts';
import { newSecret, sha256Hex, TOKEN_PREFIX } from '../../src/server/auth/secrets.ts';
import { auditActorName, isValidUsername, normaliseUsername } from '../../src/server/auth/usernames.ts';

const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------------------------------------
// guard.ts

function fakeReply() {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const reply = {
    code(status: number) {
      sent.status = status;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, sent };
}

const userWith = (role: Role): User => ({ id: `u-${role}`, username: role, role, disabled: false, networkAdmin: false }) as User;

async function runGuard(required: Role, caller: Role | null) {
  const { reply, sent } = fakeReply();
  const request = { user: caller ? userWith(caller) : null } as unknown as FastifyRequest;
  const guard = requireRole(required) as unknown as (req: FastifyRequest, rep: FastifyReply) => Promise<unknown>;
  const returned = await guard(request, reply);
  return { sent, returned, reply };
}

describe('guard: roles and the route hook', () => {
  // Written out by hand: viewer < clinician < admin.
  const TABLE: [Role, Role, boolean][] = [
    ['viewer', 'viewer', true],
    ['viewer', 'clinician', false],
    ['viewer', 'admin', false],
    ['clinician', 'viewer', true],
    ['clinician', 'clinician', true],
    ['clinician', 'admin', false],
    ['admin', 'viewer', true],
    ['admin', 'clinician', true],
    ['admin', 'admin', true],
  ];

  it('hasRole: every role × every required role', () => {
    for (const [actual, required, allowed] of TABLE) assert.equal(hasRole(actual, required), allowed, `${actual} for ${required}`);
  });

  it('requireRole: every caller × every required role → pass, 401 or 403 with the exact message', async () => {
    for (const [actual, required, allowed] of TABLE) {
      const { sent, returned } = await runGuard(required, actual);
      if (allowed) {
        assert.deepEqual(sent, { headers: {} }, `${actual} for ${required} passes untouched`);
        assert.equal(returned, undefined);
      } else {
        assert.deepEqual(
          sent,
          { status: 403, headers: {}, body: { errors: [{ path: '', message: `this needs the ${required} role; you are ${actual}` }] } },
          `${actual} for ${required}`,
        );
      }
    }
    for (const required of ['viewer', 'clinician', 'admin'] as const) {
      const { sent, returned, reply } = await runGuard(required, null);
      assert.deepEqual(sent, {
        status: 401,
        headers: { 'www-authenticate': 'Bearer realm="retroplan"' },
        body: { errors: [{ path: '', message: 'authentication required: log in (POST /api/session) or send Authorization: Bearer <token>' }] },
      });
      assert.equal(returned, reply, 'the hook returns the reply it sent');
    }
    const { returned, reply } = await runGuard('admin', 'viewer');
    assert.equal(returned, reply);
  });

  it('requiredRoleOf: finds the guard among a route’s hooks, under the registered symbol', () => {
    const admin = requireRole('admin');
    const other = async () => undefined;
    assert.equal(requiredRoleOf(admin), 'admin');
    assert.equal(requiredRoleOf([admin]), 'admin');
    assert.equal(requiredRoleOf([other, requireRole('clinician')]), 'clinician');
    assert.equal(requiredRoleOf([other]), undefined);
    assert.equal(requiredRoleOf(other), undefined);
    assert.equal(requiredRoleOf([]), undefined);
    assert.equal(requiredRoleOf(undefined), undefined);
    assert.equal(requiredRoleOf(null), undefined);
    // A global symbol, so a second copy of this module (another bundle) still recognises the guard.
    assert.equal((requireRole('viewer') as unknown as Record<symbol, unknown>)[Symbol.for('retroplan.requiredRole')], 'viewer');
  });

  it('the session cookie is named retroplan_session', () => {
    assert.equal(SESSION_COOKIE, 'retroplan_session');
  });
});

describe('guard: authenticate', () => {
  // sha256 of "abc" and of "" (FIPS 180-2 test vectors).
  const SHA_ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
  const alice = userWith('clinician');
  const bob = userWith('viewer');

  function fakeRequest(headers: Record<string, string>, cookies: Record<string, string> | undefined) {
    const lookups: string[] = [];
    const repo = {
      async principalForToken(hash: string) {
        lookups.push(`token ${hash}`);
        return hash === SHA_ABC ? { user: alice, scope: { userId: alice.id, organisationIds: [], network: false } } : undefined;
      },
      async principalForSession(hash: string, now: string) {
        lookups.push(`session ${hash} ${now}`);
        return hash === SHA_ABC ? { user: bob, scope: { userId: bob.id, organisationIds: [], network: false } } : undefined;
      },
    };
    // Left over from an earlier hook: authenticate must reset it.
    const request = { headers, cookies, server: { repo }, user: userWith('admin'), authVia: 'token' } as unknown as FastifyRequest;
    return { request, lookups };
  }

  async function caller(headers: Record<string, string>, cookies?: Record<string, string>) {
    const { request, lookups } = fakeRequest(headers, cookies);
    const before = Date.now();
    await authenticate(request);
    const after = Date.now();
    return { who: request.user?.username ?? null, via: request.authVia, lookups, before, after };
  }

  it('a Bearer token is looked up by its SHA-256, and a token caller never falls back to the cookie', async () => {
    const known = await caller({ authorization: 'Bearer abc' }, { [SESSION_COOKIE]: 'abc' });
    assert.deepEqual([known.who, known.via, known.lookups], ['clinician', 'token', [`token ${SHA_ABC}`]]);
    const unknown = await caller({ authorization: 'Bearer abd' }, { [SESSION_COOKIE]: 'abc' });
    assert.deepEqual([unknown.who, unknown.via, unknown.lookups.length], [null, null, 1]);
    assert.match(unknown.lookups[0]!, /^token [0-9a-f]{64}$/);
  });

  it('the Authorization header: scheme in any case, spaces around, 1–512 token characters from the allowed set', async () => {
    const token = (header: string) => caller({ authorization: header }).then((c) => c.lookups.map((l) => l.split(' ')[0]));
    const accepted = ['Bearer abc', 'bearer abc', 'BEARER abc', 'Bearer   abc', 'Bearer\tabc', 'Bearer abc  ', `Bearer ${'a'.repeat(512)}`, 'Bearer AZaz09._~+/=-'];
    for (const header of accepted) assert.deepEqual(await token(header), ['token'], header);
    const refused = ['Bearer', 'Bearer ', 'Bearerabc', 'Basic abc', ' Bearer abc', 'xBearer abc', 'Bearer abc def', `Bearer ${'a'.repeat(513)}`, 'Bearer ab!c', 'Bearer ab,c', 'Bearer abc;'];
    for (const header of refused) assert.deepEqual(await token(header), [], header);
    // A malformed header is no token: the session cookie, if there is one, decides.
    const fallback = await caller({ authorization: 'Basic abc' }, { [SESSION_COOKIE]: 'abc' });
    assert.deepEqual([fallback.who, fallback.via], ['viewer', 'session']);
    // The exact token is what is hashed (no surrounding space, no scheme).
    const c = await caller({ authorization: 'bearer   abc   ' });
    assert.deepEqual([c.who, c.via], ['clinician', 'token']);
  });

  it('the session cookie is looked up by its SHA-256 at the current time; at most 512 characters', async () => {
    const c = await caller({}, { [SESSION_COOKIE]: 'abc' });
    assert.deepEqual([c.who, c.via], ['viewer', 'session']);
    assert.equal(c.lookups.length, 1);
    const [kind, hash, now] = c.lookups[0]!.split(' ');
    assert.deepEqual([kind, hash], ['session', SHA_ABC]);
    assert.match(now!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(Date.parse(now!) >= c.before && Date.parse(now!) <= c.after, 'now is the current time');

    const wrong = await caller({}, { [SESSION_COOKIE]: 'abd' });
    assert.deepEqual([wrong.who, wrong.via, wrong.lookups.length], [null, null, 1]);
    assert.equal((await caller({}, { [SESSION_COOKIE]: 'a'.repeat(512) })).lookups.length, 1);
    assert.equal((await caller({}, { [SESSION_COOKIE]: 'a'.repeat(513) })).lookups.length, 0);
    assert.equal((await caller({}, { [SESSION_COOKIE]: '' })).lookups.length, 0);
    assert.equal((await caller({}, { other_cookie: 'abc' })).lookups.length, 0);
  });

  it('no credentials: anonymous, whatever an earlier hook left', async () => {
    for (const c of [await caller({}), await caller({}, {}), await caller({ authorization: '' })]) {
      assert.deepEqual([c.who, c.via, c.lookups], [null, null, []]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// hash-pool.ts

function deferred<T = string>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('hash pool', () => {
  it('refuses impossible sizes with the reason', () => {
    const message = { message: 'HashPool needs concurrency ≥ 1 and queueLength ≥ 0' };
    assert.throws(() => new HashPool(0, 0), message);
    assert.throws(() => new HashPool(1, -1), message);
    assert.throws(() => new HashPool(Number.NaN, 1), message);
    assert.throws(() => new HashPool(1, Number.NaN), message);
    assert.equal(new HashPool(1, 0).concurrency, 1);
    assert.equal(new HashPool(1, 0).queueLength, 0);
  });

  it('runs at most `concurrency` at once, queues `queueLength`, refuses the rest synchronously', async () => {
    const pool = new HashPool(2, 1);
    const started: number[] = [];
    const jobs = [0, 1, 2, 3, 4].map(() => deferred());
    const results = jobs.map((job, i) => pool.tryRun(() => (started.push(i), job.promise)));
    assert.deepEqual(
      results.map((r) => r !== undefined),
      [true, true, true, false, false],
      'two run, one waits, two are refused at once',
    );
    await settle();
    assert.deepEqual(started, [0, 1]);

    jobs[1]!.resolve('one');
    assert.equal(await results[1], 'one', 'the result is passed through');
    await settle();
    assert.deepEqual(started, [0, 1, 2], 'the queued job takes the freed slot');
    // Two running again, queue empty: one more may wait, the next is refused.
    const queued = pool.tryRun(async () => (started.push(5), 'five'));
    assert.notEqual(queued, undefined);
    assert.equal(
      pool.tryRun(async () => 'six'),
      undefined,
    );
    await settle();
    assert.deepEqual(started, [0, 1, 2]);

    jobs[0]!.reject(new Error('scrypt failed'));
    await assert.rejects(results[0]!, { message: 'scrypt failed' });
    await settle();
    assert.deepEqual(started, [0, 1, 2, 5], 'a failed job frees its slot too');
    assert.equal(await queued, 'five');
    jobs[2]!.resolve('two');
    assert.equal(await results[2], 'two');

    // All done: the pool is empty again, so two start at once and one waits.
    const later = [0, 1, 2, 3].map(() => deferred());
    const startedLater: number[] = [];
    const again = later.map((job, i) => pool.tryRun(() => (startedLater.push(i), job.promise)));
    assert.deepEqual(
      again.map((r) => r !== undefined),
      [true, true, true, false],
    );
    await settle();
    assert.deepEqual(startedLater, [0, 1]);
    for (const job of later) job.resolve('done');
    await Promise.all(again.filter((r) => r !== undefined));
    assert.deepEqual(startedLater, [0, 1, 2]);
  });

  it('queue length 0: only the running slots, nothing waits', async () => {
    const pool = new HashPool(1, 0);
    const job = deferred();
    const first = pool.tryRun(() => job.promise);
    assert.notEqual(first, undefined);
    assert.equal(
      pool.tryRun(async () => 'x'),
      undefined,
    );
    job.resolve('ok');
    assert.equal(await first, 'ok');
    assert.equal(await pool.tryRun(async () => 'next'), 'next');
  });
});

// ---------------------------------------------------------------------------------------------
// login-throttle.ts: the counter rules (more in login-throttle.test.ts), then the throttle itself

describe('login throttle: counter rules at their boundaries', () => {
  const T = Date.parse('2026-03-01T12:00:00.000Z');
  const DAY = 86_400_000;

  it('back-off: 0 below the threshold, base·2^k from it, 900 s at most', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => backoffSeconds(n, 3)), [0, 0, 0, 1, 2, 4]);
    assert.deepEqual([5, 6, 7, 8].map((n) => backoffSeconds(n, 5, 100)), [100, 200, 400, 800]);
    assert.equal(backoffSeconds(9, 5, 100), 900);
    assert.equal(backoffSeconds(12, 3), 512);
    assert.equal(backoffSeconds(13, 3), 900);
  });

  it('a per-user count is forgotten after more than a day, not at exactly a day', () => {
    const counter = (windowStart: number): LoginCounter => ({ count: 1, windowStart: iso(windowStart), blockedUntil: null });
    assert.deepEqual(backoffDecision(counter(T - DAY), T, 3), { next: { count: 2, windowStart: iso(T - DAY), blockedUntil: null } });
    assert.deepEqual(backoffDecision(counter(T - DAY - 1), T, 3), { next: { count: 1, windowStart: iso(T), blockedUntil: null } });
  });

  it('a block is counted in whole seconds, at least 1; a past or absent block lets the attempt count', () => {
    const blockedUntil = (ms: number): LoginCounter => ({ count: 4, windowStart: iso(T - 60_000), blockedUntil: iso(ms) });
    const wait = (ms: number) => backoffDecision(blockedUntil(T + ms), T, 3, 10);
    assert.deepEqual([1, 999, 1000, 1001, 1500, 9000].map((ms) => wait(ms)), [1, 1, 1, 2, 2, 9].map((s) => ({ refuse: { retryAfterSeconds: s } })));
    // Blocked until exactly now: no longer blocked; the fifth failure waits base·2^2 = 40 s.
    assert.deepEqual(wait(0), { next: { count: 5, windowStart: iso(T - 60_000), blockedUntil: iso(T + 40_000) } });
    // No block recorded although past the threshold (e.g. counted before a limit change): counted, blocked anew.
    assert.deepEqual(backoffDecision({ count: 5, windowStart: iso(T - 60_000), blockedUntil: null }, T, 3, 10), {
      next: { count: 6, windowStart: iso(T - 60_000), blockedUntil: iso(T + 80_000) },
    });
    // Below the threshold: counted, not blocked; the default base is 1 s.
    assert.deepEqual(backoffDecision({ count: 1, windowStart: iso(T - 60_000), blockedUntil: null }, T, 3), {
      next: { count: 2, windowStart: iso(T - 60_000), blockedUntil: null },
    });
    assert.deepEqual(backoffDecision({ count: 2, windowStart: iso(T - 60_000), blockedUntil: null }, T, 3), {
      next: { count: 3, windowStart: iso(T - 60_000), blockedUntil: iso(T + 1000) },
    });
  });

  it('per-address window: a new window at exactly windowMs; refused from `max` on, for the whole seconds left', () => {
    const at = (count: number, start: number): LoginCounter => ({ count, windowStart: iso(start), blockedUntil: null });
    assert.deepEqual(windowDecision(undefined, T, 3, 60_000), { next: { count: 1, windowStart: iso(T), blockedUntil: null } });
    assert.deepEqual(windowDecision(at(3, T - 60_000), T, 3, 60_000), { next: { count: 1, windowStart: iso(T), blockedUntil: null } });
    assert.deepEqual(windowDecision(at(3, T - 59_999), T, 3, 60_000), { refuse: { retryAfterSeconds: 1 } });
    assert.deepEqual(windowDecision(at(3, T - 1), T, 3, 60_000), { refuse: { retryAfterSeconds: 60 } });
    assert.deepEqual(windowDecision(at(3, T - 1500), T, 3, 60_000), { refuse: { retryAfterSeconds: 59 } });
    assert.deepEqual(windowDecision(at(4, T - 1000), T, 3, 60_000), { refuse: { retryAfterSeconds: 59 } });
    assert.deepEqual(windowDecision(at(2, T - 1000), T, 3, 60_000), { next: { count: 3, windowStart: iso(T - 1000), blockedUntil: null } });
  });
});

/** The five store calls the throttle makes, over a Map, deciding as src/store/security.ts does (its SQL is tested with the store). */
class FakeCounterStore {
  readonly counters = new Map<string, LoginCounter>();
  readonly successes = new Map<string, string>();
  readonly purges: string[] = [];
  readonly sinceAsked: string[] = [];
  readonly counterTimes: string[] = [];

  async updateLoginCounter(key: string, now: string, decide: (c: LoginCounter | undefined) => CounterDecision) {
    this.counterTimes.push(now);
    const decision = decide(this.counters.get(key));
    if ('refuse' in decision) return decision;
    // As the store does: anything but a refusal must carry the next state.
    const { count, windowStart, blockedUntil } = decision.next;
    this.counters.set(key, { count, windowStart, blockedUntil });
    return decision;
  }
  async clearLoginCounter(key: string) {
    this.counters.delete(key);
  }
  async purgeLoginCounters(before: string) {
    this.purges.push(before);
  }
  async recordLoginSuccess(username: string, address: string, now: string) {
    this.successes.set(`${username}|${address}`, now);
  }
  async hasLoginSuccessSince(username: string, address: string, since: string) {
    this.sinceAsked.push(since);
    const at = this.successes.get(`${username}|${address}`);
    return at !== undefined && at >= since;
  }
}

describe('login throttle: admission, success, cancellation', () => {
  const LIMITS: LoginLimits = { failuresBeforeBackoff: 3, backoffBaseSeconds: 10, addressMax: 5, addressWindowMs: 60_000, knownAddressDays: 30 };
  // The throttle stamps successes with the real clock, so these tests run near it.
  const T = Math.floor(Date.now() / 1000) * 1000;

  function setup(limits: LoginLimits = LIMITS) {
    const store = new FakeCounterStore();
    return { store, throttle: new LoginThrottle(store as unknown as Repository, limits) };
  }

  it('counts against the address and the user; three failures block the user for 10 s, the address keeps counting', async () => {
    const { store, throttle } = setup();
    for (const ms of [0, 1, 2]) assert.equal((await throttle.admit('jane', '10.0.0.1', T + ms)).ok, true);
    assert.deepEqual(store.counters.get('addr:10.0.0.1'), { count: 3, windowStart: iso(T), blockedUntil: null });
    assert.deepEqual(store.counters.get('user:jane'), { count: 3, windowStart: iso(T), blockedUntil: iso(T + 2 + 10_000) });
    assert.deepEqual(await throttle.admit('jane', '10.0.0.2', T + 3), { ok: false, scope: 'user', retryAfterSeconds: 10 });
    assert.deepEqual(store.counters.get('addr:10.0.0.2'), { count: 1, windowStart: iso(T + 3), blockedUntil: null }, 'counted against the address first');
    assert.deepEqual(store.counters.get('user:jane'), { count: 3, windowStart: iso(T), blockedUntil: iso(T + 2 + 10_000) }, 'a refusal is not a failure');
  });

  it('the address limit refuses before the user is looked at, for the rest of the window', async () => {
    const { store, throttle } = setup();
    for (let i = 0; i < 5; i++) assert.equal((await throttle.admit(`user${i}`, '10.0.0.9', T + i * 1000)).ok, true);
    assert.deepEqual(await throttle.admit('user5', '10.0.0.9', T + 5000), { ok: false, scope: 'address', retryAfterSeconds: 55 });
    assert.equal(store.counters.has('user:user5'), false);
    assert.deepEqual(store.sinceAsked.length, 5, 'no known-address lookup for the refused attempt');
    assert.equal((await throttle.admit('user5', '10.0.0.9', T + 60_000)).ok, true, 'a new window');
  });

  it('success clears the user’s count, gives the address its attempt back and remembers the address', async () => {
    const { store, throttle } = setup();
    await throttle.admit('jane', '10.0.0.1', T);
    await throttle.admit('jane', '10.0.0.1', T + 1);
    const third = await throttle.admit('jane', '10.0.0.1', T + 2);
    assert.ok(third.ok);
    const before = Date.now();
    await third.attempt.succeeded();
    const after = Date.now();
    assert.equal(store.counters.has('user:jane'), false);
    assert.deepEqual(store.counters.get('addr:10.0.0.1'), { count: 2, windowStart: iso(T), blockedUntil: null });
    const at = Date.parse(store.successes.get('jane|10.0.0.1')!);
    assert.ok(at >= before && at <= after, 'stamped with the current time');
    const refundTime = Date.parse(store.counterTimes.at(-1)!);
    assert.ok(refundTime >= before && refundTime <= after);
    assert.deepEqual([...store.successes.keys()], ['jane|10.0.0.1']);
  });

  it('an address with a success in the last 30 days has its own counter for the user', async () => {
    const { store, throttle } = setup();
    // Seen from 10.0.0.1 exactly 30 days before the attempt at T + 3, from 10.0.0.7 1 ms earlier.
    store.successes.set('jane|10.0.0.1', iso(T + 3 - 2_592_000_000));
    store.successes.set('jane|10.0.0.7', iso(T + 3 - 2_592_000_001));
    // Someone elsewhere fails three times: jane is blocked everywhere except her known address.
    for (const ms of [0, 1, 2]) await throttle.admit('jane', '192.0.2.66', T + ms);
    assert.deepEqual(await throttle.userKey('jane', '10.0.0.1', T + 3), 'user:jane|from:10.0.0.1');
    assert.deepEqual(await throttle.userKey('jane', '10.0.0.7', T + 3), 'user:jane', 'a success 30 days and 1 ms ago is too old');
    assert.equal(store.sinceAsked.at(-1), iso(T + 3 - 2_592_000_000));
    const known = await throttle.admit('jane', '10.0.0.1', T + 3);
    assert.equal(known.ok, true);
    assert.deepEqual(store.counters.get('user:jane|from:10.0.0.1'), { count: 1, windowStart: iso(T + 3), blockedUntil: null });
    assert.deepEqual(await throttle.admit('jane', '10.0.0.7', T + 3), { ok: false, scope: 'user', retryAfterSeconds: 10 });
    assert.equal(throttle.addressKey('10.0.0.1'), 'addr:10.0.0.1');
  });

  it('a cancelled attempt is given back to both counters; a block stays only while the count is at the threshold', async () => {
    const { store, throttle } = setup();
    for (const ms of [0, 1, 2]) await throttle.admit('jane', '10.0.0.1', T + ms);
    const fourth = await throttle.admit('jane', '10.0.0.1', T + 10_002);
    assert.ok(fourth.ok);
    assert.deepEqual(store.counters.get('user:jane'), { count: 4, windowStart: iso(T), blockedUntil: iso(T + 10_002 + 20_000) });
    await fourth.attempt.cancelled();
    assert.deepEqual(store.counters.get('user:jane'), { count: 3, windowStart: iso(T), blockedUntil: iso(T + 10_002 + 20_000) });
    assert.deepEqual(store.counters.get('addr:10.0.0.1'), { count: 3, windowStart: iso(T), blockedUntil: null });
    await fourth.attempt.cancelled();
    assert.deepEqual(store.counters.get('user:jane'), { count: 2, windowStart: iso(T), blockedUntil: null }, 'below the threshold: unblocked');
    assert.deepEqual(store.counters.get('addr:10.0.0.1'), { count: 2, windowStart: iso(T), blockedUntil: null });
  });

  it('a give-back never goes below zero, and never creates a counter', async () => {
    const { store, throttle } = setup();
    const first = await throttle.admit('jane', '10.0.0.1', T);
    assert.ok(first.ok);
    await first.attempt.cancelled();
    assert.deepEqual(store.counters.get('user:jane'), { count: 0, windowStart: iso(T), blockedUntil: null });
    assert.deepEqual(store.counters.get('addr:10.0.0.1'), { count: 0, windowStart: iso(T), blockedUntil: null });
    await first.attempt.cancelled();
    assert.deepEqual(store.counters.get('user:jane'), { count: 0, windowStart: iso(T), blockedUntil: null });
    assert.deepEqual(store.counters.get('addr:10.0.0.1'), { count: 0, windowStart: iso(T), blockedUntil: null });
    store.counters.clear();
    await first.attempt.cancelled();
    assert.equal(store.counters.size, 0);
  });

  it('stale counters are purged every 500th attempt, those untouched for two days', async () => {
    const { store, throttle } = setup({ ...LIMITS, addressMax: 10_000 });
    for (let i = 1; i <= 499; i++) await throttle.admit(`u${i}`, '10.0.0.1', T + i);
    assert.deepEqual(store.purges, []);
    await throttle.admit('u500', '10.0.0.1', T + 500);
    assert.deepEqual(store.purges, [iso(T + 500 - 172_800_000)]);
    for (let i = 501; i <= 1000; i++) await throttle.admit(`u${i}`, '10.0.0.1', T + i);
    assert.deepEqual(store.purges, [iso(T + 500 - 172_800_000), iso(T + 1000 - 172_800_000)]);
  });
});

// ---------------------------------------------------------------------------------------------
// secrets.ts

describe('secrets', () => {
  it('sha256Hex: SHA-256 of the UTF-8 bytes, lower-case hex', () => {
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(sha256Hex('é'), '4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
  });

  it('newSecret: 32 random bytes as 43 URL-safe characters after the prefix', () => {
    const plain = newSecret();
    assert.match(plain, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(plain, 'base64url').length, 32);
    assert.match(newSecret(TOKEN_PREFIX), /^rp_[A-Za-z0-9_-]{43}$/);
    assert.equal(TOKEN_PREFIX, 'rp_');
    assert.notEqual(newSecret(), newSecret());
  });
});

// ---------------------------------------------------------------------------------------------
// usernames.ts

describe('usernames', () => {
  it('normaliseUsername: NFKC, trimmed, lower case', () => {
    const TABLE: [string, string][] = [
      ['Jane.Doe', 'jane.doe'],
      ['  jane \t', 'jane'],
      ['\uff2a\uff41\uff4e\uff45', 'jane'], // full-width ＪａＮｅ
      ['\ufb01ona', 'fiona'], // the ﬁ ligature
      ['JANE@Example.ORG', 'jane@example.org'],
    ];
    for (const [raw, expected] of TABLE) assert.equal(normaliseUsername(raw), expected, raw);
  });

  it('isValidUsername: 1–64 of a-z 0-9 . _ @ -, starting with a letter or digit', () => {
    const TABLE: [string, boolean][] = [
      ['a', true],
      ['jane.doe_1@clinic-one.org', true],
      ['7', true],
      ['a'.repeat(64), true],
      ['a'.repeat(65), false],
      ['', false],
      ['.jane', false],
      ['Jane', false],
      ['jane doe', false],
      ['jane\n', false],
      ['jané', false],
    ];
    for (const [name, valid] of TABLE) assert.equal(isValidUsername(name), valid, JSON.stringify(name));
  });

  it('auditActorName: control, format and separator characters and the backslash escaped', () => {
    const TABLE: [string, string][] = [
      ['jane', 'jane'],
      ['jane\nadmin logged in', 'jane\\u{a}admin logged in'],
      ['a\rb\tc\u0000d\u007fe', 'a\\u{d}b\\u{9}c\\u{0}d\\u{7f}e'],
      ['\u001b[31mred', '\\u{1b}[31mred'],
      ['evil\u202Etxt.exe', 'evil\\u{202e}txt.exe'], // bidi override (Cf)
      ['zero\u200Bwidth', 'zero\\u{200b}width'], // Cf
      ['line\u2028sep', 'line\\u{2028}sep'], // Zl
      ['para\u2029sep', 'para\\u{2029}sep'], // Zp
      ['back\\slash', 'back\\\\slash'],
      ['\\u{a}', '\\\\u{a}'], // a typed escape cannot pass for a real one
      ['café ünïcode', 'café ünïcode'],
      ['a b', 'a b'],
    ];
    for (const [raw, expected] of TABLE) assert.equal(auditActorName(raw), expected, JSON.stringify(raw));
  });

  it('auditActorName: at most 100 characters, the cut marked with …', () => {
    assert.equal(auditActorName('a'.repeat(100)), 'a'.repeat(100));
    assert.equal(auditActorName('a'.repeat(101)), `${'a'.repeat(99)}…`);
    assert.equal(auditActorName('a'.repeat(5000)), `${'a'.repeat(99)}…`);
    assert.equal(auditActorName(`${'a'.repeat(60)}\n${'b'.repeat(60)}`), `${'a'.repeat(60)}\\u{a}${'b'.repeat(34)}…`);
    assert.equal(auditActorName('\n'.repeat(20)), '\\u{a}'.repeat(20), 'escapes count toward the bound: 100 exactly');
    assert.equal(auditActorName('\n'.repeat(21)), `${'\\u{a}'.repeat(19)}\\u{a…`);
  });
});
