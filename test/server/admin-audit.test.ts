import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, SEED_CASE, startTestServer, type TestServer } from '../support/server.ts';

describe('users and tokens (admin)', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => s?.close());

  it('lists, creates (validated, unique) and changes users', async () => {
    const list = await s.request('GET', '/api/users', { token: s.tokens.admin });
    assert.deepEqual(list.body.items.map((u: { username: string }) => u.username), ['admin', 'clinician', 'viewer']);
    assert.ok(!list.text.includes('scrypt$'), 'no password hashes leave the server');

    const created = await s.request('POST', '/api/users', { token: s.tokens.admin, body: { username: 'dr.roe', password: PASSWORD, role: 'viewer' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.role, 'viewer');
    assert.equal((await s.request('POST', '/api/users', { token: s.tokens.admin, body: { username: 'dr.roe', password: PASSWORD, role: 'viewer' } })).status, 409);
    const bad = await s.request('POST', '/api/users', { token: s.tokens.admin, body: { username: 'Dr Roe', password: 'short', role: 'god' } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e: { path: string }) => e.path).sort(), ['password', 'role', 'username']);

    const promoted = await s.request('PATCH', `/api/users/${created.body.id}`, { token: s.tokens.admin, body: { role: 'clinician' } });
    assert.equal(promoted.body.role, 'clinician');
    assert.equal((await s.request('PATCH', `/api/users/${created.body.id}`, { token: s.tokens.admin, body: {} })).status, 400);
    assert.equal((await s.request('PATCH', '/api/users/nope', { token: s.tokens.admin, body: { role: 'viewer' } })).status, 404);

    const newPassword = 'another long passphrase';
    assert.equal((await s.request('PATCH', `/api/users/${created.body.id}`, { token: s.tokens.admin, body: { password: newPassword } })).status, 200);
    assert.equal((await s.request('POST', '/api/session', { body: { username: 'dr.roe', password: newPassword } })).status, 200);
  });

  it('refuses to disable or demote the last enabled admin', async () => {
    const r = await s.request('PATCH', `/api/users/${s.userIds.admin}`, { token: s.tokens.admin, body: { disabled: true } });
    assert.equal(r.status, 409);
    assert.equal((await s.request('PATCH', `/api/users/${s.userIds.admin}`, { token: s.tokens.admin, body: { role: 'viewer' } })).status, 409);
  });

  it('creates a token shown once (stored hashed), lists tokens without secrets, revokes', async () => {
    const created = await s.request('POST', `/api/users/${s.userIds.viewer}/tokens`, { token: s.tokens.admin, body: { name: 'reporting' } });
    assert.equal(created.status, 201);
    assert.match(created.body.token, /^rp_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.headers.get('cache-control'), 'no-store');
    assert.equal((await s.request('GET', '/api/session', { token: created.body.token })).body.user.username, 'viewer');

    const list = await s.request('GET', `/api/users/${s.userIds.viewer}/tokens`, { token: s.tokens.admin });
    assert.equal(list.status, 200);
    assert.ok(list.body.items.some((t: { id: string; name: string }) => t.id === created.body.id && t.name === 'reporting'));
    assert.ok(!list.text.includes(created.body.token));

    const revoked = await s.request('DELETE', `/api/tokens/${created.body.id}`, { token: s.tokens.admin });
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.revokedAt);
    assert.equal((await s.request('GET', '/api/session', { token: created.body.token })).status, 401);
    assert.equal((await s.request('DELETE', '/api/tokens/nope', { token: s.tokens.admin })).status, 404);
    assert.equal((await s.request('POST', '/api/users/nope/tokens', { token: s.tokens.admin, body: { name: 'x' } })).status, 404);
    assert.equal((await s.request('GET', '/api/users/nope/tokens', { token: s.tokens.admin })).status, 404);
  });
});

describe('audit trail', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => s?.close());

  it('records every case read and write with actor, time, action, object, outcome and client address', async () => {
    const created = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'Audited', case: SEED_CASE } });
    const id = created.body.id;
    await s.request('GET', `/api/cases/${id}`, { token: s.tokens.viewer });
    await s.request('PUT', `/api/cases/${id}`, { token: s.tokens.clinician, headers: { 'if-match': '1' }, body: { title: 'Audited', case: SEED_CASE } });
    await s.request('PUT', `/api/cases/${id}`, { token: s.tokens.clinician, headers: { 'if-match': '1' }, body: { title: 'Audited', case: SEED_CASE } });
    await s.request('GET', `/api/cases/${id}/versions`, { token: s.tokens.viewer });
    await s.request('GET', `/api/cases/${id}/versions/1`, { token: s.tokens.viewer });
    await s.request('GET', `/api/cases/${id}/evaluation`, { token: s.tokens.viewer });
    await s.request('POST', `/api/cases/${id}/decisions`, { token: s.tokens.clinician, body: { date: '2026-03-01', attendees: ['a'], decision: 'observe', strategyIds: [] } });
    await s.request('GET', `/api/cases/${id}/decisions`, { token: s.tokens.viewer });
    await s.request('DELETE', `/api/cases/${id}`, { token: s.tokens.viewer });
    await s.request('DELETE', `/api/cases/${id}`, { token: s.tokens.clinician, headers: { 'if-match': '2' } });
    await s.request('POST', `/api/cases/${id}/restore`, { token: s.tokens.admin });
    await s.request('GET', `/api/cases/${id}`);

    const r = await s.request('GET', `/api/audit?objectId=${id}&limit=500`, { token: s.tokens.admin });
    assert.equal(r.status, 200);
    const trail = r.body.items
      .reverse()
      .map((e: { actor: string; action: string; outcome: string; statusCode: number }) => `${e.actor} ${e.action} ${e.outcome} ${e.statusCode}`);
    assert.deepEqual(trail, [
      'clinician case.create success 201',
      'viewer case.read success 200',
      'clinician case.update success 200',
      'clinician case.update failure 409',
      'viewer case.versions.list success 200',
      'viewer case.version.read success 200',
      'viewer case.evaluation.read success 200',
      'clinician case.decision.create success 201',
      'viewer case.decisions.list success 200',
      'viewer case.archive denied 403',
      'clinician case.archive success 200',
      'admin case.restore success 200',
    ]);
    // The anonymous read is not a row of its own: refusals without credentials are counted per address and minute.
    await s.app.refusedCalls.flush(true);
    const [refused] = await s.repo.listAudit({ action: 'request.unauthenticated', limit: 1 });
    assert.match(refused?.detail ?? '', /^\d+ calls? refused without credentials in this minute: .*case\.read/);
    for (const e of r.body.items) {
      assert.equal(e.clientAddress, '127.0.0.1');
      assert.equal(e.objectType, 'case');
      assert.ok(!Number.isNaN(Date.parse(e.at)));
    }
  });

  it('records logins, user and token changes; filters by actor, action, outcome and time; pages', async () => {
    await s.request('POST', '/api/session', { body: { username: 'admin', password: PASSWORD } });
    await s.request('POST', '/api/session', { body: { username: 'admin', password: 'wrong password!' } });
    const u = await s.request('POST', '/api/users', { token: s.tokens.admin, body: { username: 'newbie', password: PASSWORD, role: 'viewer' } });
    const t = await s.request('POST', `/api/users/${u.body.id}/tokens`, { token: s.tokens.admin, body: { name: 'n' } });
    await s.request('DELETE', `/api/tokens/${t.body.id}`, { token: s.tokens.admin });
    await s.request('PATCH', `/api/users/${u.body.id}`, { token: s.tokens.admin, body: { disabled: true } });

    const get = async (q: string) => (await s.request('GET', `/api/audit?${q}`, { token: s.tokens.admin })).body.items as { action: string; outcome: string; actor: string; id: number; detail: string }[];
    const logins = await get('action=session.login');
    assert.deepEqual(logins.map((e) => e.outcome), ['failure', 'success']);
    const adminActions = (await get('actor=admin&limit=500')).map((e) => e.action);
    for (const a of ['user.create', 'token.create', 'token.revoke', 'user.update']) assert.ok(adminActions.includes(a), a);
    assert.equal((await get('action=user.update'))[0]?.detail, 'disabled, tokens revoked, sessions ended');
    assert.ok((await get('outcome=failure')).every((e) => e.outcome === 'failure'));
    assert.equal((await get('from=2999-01-01T00:00:00Z')).length, 0);
    assert.ok((await get('to=2999-01-01')).length > 0);

    const page1 = await s.request('GET', '/api/audit?limit=2', { token: s.tokens.admin });
    assert.equal(page1.body.items.length, 2);
    const page2 = await s.request('GET', `/api/audit?limit=2&before=${page1.body.nextBefore}`, { token: s.tokens.admin });
    assert.ok(page2.body.items[0].id < page1.body.items[1].id);
    assert.equal((await s.request('GET', '/api/audit?from=yesterday', { token: s.tokens.admin })).status, 400);
  });

  it('reading the audit log is itself audited; secrets and patient data stay out of it', async () => {
    const before = await s.repo.listAudit({ action: 'audit.read', limit: 500 });
    await s.request('GET', '/api/audit', { token: s.tokens.admin });
    assert.equal((await s.repo.listAudit({ action: 'audit.read', limit: 500 })).length, before.length + 1);
    const all = JSON.stringify(await s.repo.listAudit({ limit: 10_000 }));
    for (const secret of [PASSWORD, s.tokens.admin, s.tokens.viewer, 'Audited', '8858/3']) assert.ok(!all.includes(secret), `audit log contains ${secret}`);
  });
});
