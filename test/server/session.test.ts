import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, startTestServer, type TestServer } from '../support/server.ts';

function sessionCookie(setCookie: string | null): string {
  const match = /retroplan_session=([^;]+)/.exec(setCookie ?? '');
  assert.ok(match, `a session cookie in ${setCookie}`);
  return `retroplan_session=${match[1]}`;
}

describe('sessions and logins', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ settings: { loginFailuresBeforeBackoff: 3, loginRateLimit: { max: 1000, timeWindowMs: 60_000 } } });
  });
  after(async () => s?.close());

  it('POST /api/session sets an httpOnly, SameSite=Strict cookie (not Secure over plain HTTP) that authenticates', async () => {
    const r = await s.request('POST', '/api/session', { body: { username: 'clinician', password: PASSWORD } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.user.username, 'clinician');
    assert.equal(r.body.user.role, 'clinician');
    const setCookie = r.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Strict/i);
    assert.doesNotMatch(setCookie, /Secure/i);
    const cookie = sessionCookie(setCookie);

    const me = await s.request('GET', '/api/session', { cookie });
    assert.equal(me.status, 200);
    assert.deepEqual(me.body.user, { id: s.userIds.clinician, username: 'clinician', role: 'clinician' });
    assert.equal(me.body.via, 'session');
    assert.equal((await s.request('GET', '/api/cases', { cookie })).status, 200);

    const out = await s.request('DELETE', '/api/session', { cookie });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /retroplan_session=;/);
    assert.equal((await s.request('GET', '/api/session', { cookie })).status, 401, 'the session is gone server-side, not just the cookie');
  });

  it('a token says who it belongs to', async () => {
    const me = await s.request('GET', '/api/session', { token: s.tokens.admin });
    assert.equal(me.body.user.role, 'admin');
    assert.equal(me.body.via, 'token');
  });

  it('the session id is stored only as a hash', async () => {
    const r = await s.request('POST', '/api/session', { body: { username: 'viewer', password: PASSWORD } });
    const id = sessionCookie(r.headers.get('set-cookie')).split('=')[1]!;
    assert.equal(await s.repo.userForSession(id, new Date().toISOString()), undefined);
  });

  it('wrong password and unknown user → the same 401; both audited as failures', async () => {
    const wrong = await s.request('POST', '/api/session', { body: { username: 'admin', password: 'not the password' } });
    const unknown = await s.request('POST', '/api/session', { body: { username: 'nobody', password: 'whatever it is' } });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
    const failures = await s.repo.listAudit({ action: 'session.login', outcome: 'failure', limit: 10 });
    assert.deepEqual(failures.slice(0, 2).map((e) => [e.actor, e.detail, e.clientAddress]), [
      ['nobody', 'unknown user', '127.0.0.1'],
      ['admin', 'wrong password', '127.0.0.1'],
    ]);
    await s.repo.clearLoginCounter('user:admin');
    await s.repo.clearLoginCounter('addr:127.0.0.1');
  });

  it('repeated failures → back-off (429 with Retry-After), even for the right password; success resets', async () => {
    await s.repo.createUser({ username: 'target', role: 'viewer', passwordHash: (await s.repo.findUserByUsername('viewer'))!.passwordHash }, new Date().toISOString());
    for (let i = 0; i < 3; i++) assert.equal((await s.request('POST', '/api/session', { body: { username: 'target', password: 'guess ' + i } })).status, 401);
    const blocked = await s.request('POST', '/api/session', { body: { username: 'target', password: PASSWORD } });
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) >= 1);
    const denied = await s.repo.listAudit({ action: 'session.login', outcome: 'denied', limit: 1 });
    assert.equal(denied[0]?.actor, 'target');

    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await s.request('POST', '/api/session', { body: { username: 'target', password: PASSWORD } })).status, 200);
    assert.equal(await s.repo.loginCounter('user:target'), undefined);
  });

  it('a disabled user cannot log in, and its token and sessions stop working', async () => {
    const created = await s.request('POST', '/api/users', { token: s.tokens.admin, body: { username: 'leaver', password: PASSWORD, role: 'clinician' } });
    assert.equal(created.status, 201);
    const login = await s.request('POST', '/api/session', { body: { username: 'leaver', password: PASSWORD } });
    const cookie = sessionCookie(login.headers.get('set-cookie'));
    const token = (await s.request('POST', `/api/users/${created.body.id}/tokens`, { token: s.tokens.admin, body: { name: 'x' } })).body.token;
    assert.equal((await s.request('GET', '/api/cases', { token })).status, 200);

    assert.equal((await s.request('PATCH', `/api/users/${created.body.id}`, { token: s.tokens.admin, body: { disabled: true } })).status, 200);
    assert.equal((await s.request('GET', '/api/cases', { token })).status, 401);
    assert.equal((await s.request('GET', '/api/cases', { cookie })).status, 401);
    assert.equal((await s.request('POST', '/api/session', { body: { username: 'leaver', password: PASSWORD } })).status, 401);
  });

  it('login input is validated (400), never 500', async () => {
    const r = await s.request('POST', '/api/session', { body: { username: 7 } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body.errors.map((e: { path: string }) => e.path).sort(), ['password', 'username']);
  });
});

describe('Secure cookie behind a TLS proxy', () => {
  it('sets Secure only when X-Forwarded-Proto is trusted', async () => {
    const trusting = await startTestServer({ trustProxy: '127.0.0.1' });
    const plain = await startTestServer();
    try {
      const body = { username: 'viewer', password: PASSWORD };
      const viaProxy = await trusting.request('POST', '/api/session', { body, headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.1.2.3' } });
      assert.match(viaProxy.headers.get('set-cookie') ?? '', /; Secure/i);
      const audit = await trusting.repo.listAudit({ action: 'session.login', limit: 1 });
      assert.equal(audit[0]?.clientAddress, '10.1.2.3');

      const spoofed = await plain.request('POST', '/api/session', { body, headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.1.2.3' } });
      assert.doesNotMatch(spoofed.headers.get('set-cookie') ?? '', /Secure/i);
      assert.equal((await plain.repo.listAudit({ action: 'session.login', limit: 1 }))[0]?.clientAddress, '127.0.0.1');
    } finally {
      await trusting.close();
      await plain.close();
    }
  });
});

describe('login rate limit per client address', () => {
  it('answers 429 after the configured number of attempts', async () => {
    const s = await startTestServer({ settings: { loginRateLimit: { max: 3, timeWindowMs: 60_000 } } });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await s.request('POST', '/api/session', { body: { username: `u${i}`, password: 'x' } })).status);
      assert.deepEqual(statuses, [401, 401, 401, 429]);
    } finally {
      await s.close();
    }
  });
});
