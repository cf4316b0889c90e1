/** The HTTP API on PostgreSQL (a fresh database on 127.0.0.1:5432; unreachable → this fails). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshPostgres, type TestDatabase } from '../support/databases.ts';
import { SEED_CASE, startTestServer, type TestServer } from '../support/server.ts';

describe('HTTP API on PostgreSQL', () => {
  let db: TestDatabase;
  let s: TestServer;
  before(async () => {
    db = await freshPostgres();
    s = await startTestServer({ testDatabase: db });
  });
  after(async () => {
    await s?.close();
    await db?.drop();
  });

  it('reports postgres in /api/health and runs the case life cycle', async () => {
    assert.equal((await s.request('GET', '/api/health')).body.database, 'postgres');
    const c = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'PG case', case: SEED_CASE } });
    assert.equal(c.status, 201);
    const put = await s.request('PUT', `/api/cases/${c.body.id}`, { token: s.tokens.clinician, headers: { 'if-match': '1' }, body: { title: 'PG case 2', case: SEED_CASE } });
    assert.equal(put.body.version, 2);
    assert.equal((await s.request('PUT', `/api/cases/${c.body.id}`, { token: s.tokens.clinician, headers: { 'if-match': '1' }, body: { title: 'x', case: SEED_CASE } })).status, 409);
    const list = await s.request('GET', '/api/cases?q=pg%20CASE&stageGroup=IIIB', { token: s.tokens.viewer });
    assert.equal(list.body.total, 1);
    const audit = await s.request('GET', `/api/audit?objectId=${c.body.id}`, { token: s.tokens.admin });
    assert.deepEqual(audit.body.items.map((e: { action: string; outcome: string }) => `${e.action} ${e.outcome}`).reverse(), ['case.create success', 'case.update success', 'case.update failure']);
  });
});
