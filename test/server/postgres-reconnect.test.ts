import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { freshPostgres, POSTGRES_ADMIN_URL, type TestDatabase } from '../support/databases.ts';
import { SEED_CASE, startTestServer, type TestServer } from '../support/server.ts';

/**
 * PostgreSQL may end the server's idle connections at any time (a restart, a failover, an
 * administrator's pg_terminate_backend). The server must not die of it: the next request is
 * answered on a new connection, and nothing stored is lost.
 */
describe('PostgreSQL ends the idle connections of a running server', () => {
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

  it('the server keeps answering and the stored case is still there', async () => {
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
    assert.equal(list.body.items.length, 1);
  });
});
