/** The HTTP API on PostgreSQL (a fresh database on 127.0.0.1:5432; unreachable → this fails). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { freshPostgres, POSTGRES_ADMIN_URL, type TestDatabase } from '../support/databases.ts';
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

  it('PostgreSQL ends the idle connections of the running server (a restart, a failover): it keeps answering, and the stored case is still there', async () => {
    const created = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'Before the restart', case: SEED_CASE } });
    assert.equal(created.status, 201, created.text);
    const name = new URL(db.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    let ended: number;
    try {
      const r = await admin.query('select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
      ended = (r.rows[0] as { n: number }).n;
    } finally {
      await admin.end();
    }
    assert.ok(ended >= 1, 'the server had open connections to end');
    // The pool reports the ended connections asynchronously; give it a moment, then use the server again.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const read = await s.request('GET', `/api/cases/${created.body.id}`, { token: s.tokens.clinician });
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.title, 'Before the restart');
    const list = await s.request('GET', '/api/cases', { token: s.tokens.viewer });
    assert.equal(list.status, 200, list.text);
    assert.ok(list.body.items.some((c: { id: string }) => c.id === created.body.id));
  });
});
