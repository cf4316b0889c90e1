import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../../src/server/app.ts';
import { setupPath } from '../../src/server/routes/setup.ts';
import { tempSqlite } from '../support/databases.ts';
import { PASSWORD, request, TEST_SCRYPT_COST } from '../support/server.ts';

/** First run over HTTP: the one-time token creates the first administrator once, and only while no user exists. */
describe('first-run setup (empty database)', () => {
  const db = tempSqlite();
  let app: FastifyInstance;
  let base = '';
  before(async () => {
    app = await createServer({ database: db.config, logger: false, webRoot: null, scryptCost: TEST_SCRYPT_COST });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  it('is open while no user exists, refuses a wrong token and a weak password, accepts the right token once', async () => {
    const path = await setupPath(app);
    assert.match(path ?? '', /^\/#\/setup\/[A-Za-z0-9_-]{43}$/);
    const token = path!.split('/').pop()!;
    const state = await request(base, 'GET', '/api/setup');
    assert.deepEqual([state.status, state.body.setupRequired, state.body.user], [200, true, null]);
    assert.match(state.body.passwordPolicy, /At least 12 characters/);

    const wrong = await request(base, 'POST', '/api/setup', { body: { token: 'not-the-token', username: 'chief', password: PASSWORD } });
    assert.equal(wrong.status, 403);
    const weak = await request(base, 'POST', '/api/setup', { body: { token, username: 'chief', password: 'short' } });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.errors[0].path, 'password');

    const ok = await request(base, 'POST', '/api/setup', { body: { token, username: 'chief', password: PASSWORD } });
    assert.equal(ok.status, 201);
    assert.deepEqual([ok.body.username, ok.body.role], ['chief', 'admin']);
    const again = await request(base, 'POST', '/api/setup', { body: { token, username: 'second', password: PASSWORD } });
    assert.equal(again.status, 409);
    assert.equal(await setupPath(app), null);
    assert.equal((await request(base, 'POST', '/api/session', { body: { username: 'chief', password: PASSWORD } })).status, 200);

    const audit = await app.repo.listAudit({ action: 'setup.first-admin', limit: 10 });
    assert.deepEqual(audit.map((a) => a.outcome).sort(), ['denied', 'denied', 'success']);
    assert.ok(audit.every((a) => !String(a.detail ?? '').includes(token)), 'the token is never written to the audit log');
  });
});
