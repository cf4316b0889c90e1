/**
 * The SQLite reader threads (store/sqlite-read-pool.ts): the worklist's queries run on
 * connections of their own, see every committed write at once, can never write, run no
 * transactions, report SQLite's errors as errors, and stop with the repository.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, type OpenDatabase } from '../../src/store/database.ts';
import { openRepository, type Repository } from '../../src/store/index.ts';
import { SqliteReadPool } from '../../src/store/sqlite-read-pool.ts';
import { listWorklist } from '../../src/store/worklist.ts';
import { tempSqlite, type TestDatabase } from '../support/databases.ts';

const CASE = { tumor: { sizeCm: 22, side: 'left' }, pathology: { histology: '8858/3', grade: 'G3' } };

describe('SQLite reader threads', () => {
  let database: TestDatabase;
  let repo: Repository;
  let open: OpenDatabase;
  before(async () => {
    database = tempSqlite();
    repo = await openRepository(database.config);
    open = await openDatabase(database.config);
  });
  after(async () => {
    await open?.readDb.destroy();
    await open?.db.destroy();
    await repo?.close();
    await database?.drop();
  });

  it('reads on its own connection, and sees each write as soon as it is committed', async () => {
    assert.notEqual(open.readDb, open.db, 'a SQLite file gets reader threads');
    for (let i = 0; i < 25; i++) {
      const record = await repo.createCase({ title: `Pool ${i}`, status: 'workup', case: CASE }, 'ada', new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString());
      const page = await repo.listCases({ limit: 1, offset: 0 });
      assert.equal(page.items[0]?.id, record.id, `write ${i} is seen by the next list`);
      assert.equal(page.total, i + 1);
    }
  });

  it('answers many queries at once, each the same as on the main connection', async () => {
    const filters = [{}, { q: 'pool 1' }, { q: 'Pool' }, { status: 'workup' as const }, { q: 'nothing like it' }];
    const want = await Promise.all(filters.map((f) => listWorklist(open.db, 'sqlite', { limit: 10, offset: 0, ...f })));
    const got = await Promise.all(Array.from({ length: 40 }, (_, i) => listWorklist(open.readDb, 'sqlite', { limit: 10, offset: 0, ...filters[i % filters.length] })));
    got.forEach((page, i) => assert.deepEqual(page, want[i % filters.length]));
  });

  it('never writes: an insert, an update and a pragma that writes are refused, and nothing changes', async () => {
    const before = await open.db.selectFrom('cases').select(['id', 'title']).orderBy('id').execute();
    await assert.rejects(
      open.readDb.insertInto('organisations').values({ id: 'x', name: 'X', kind: 'hub', created_at: '2026-01-01' }).execute(),
      /only queries that return rows/,
    );
    await assert.rejects(open.readDb.updateTable('cases').set({ title: 'changed' }).execute(), /only queries that return rows/);
    await assert.rejects(sql`update cases set title = 'changed' returning id`.execute(open.readDb), /readonly|read-only|query_only|attempt to write/i);
    await assert.rejects(open.readDb.transaction().execute(async () => undefined), /no transactions/);
    assert.deepEqual(await open.db.selectFrom('cases').select(['id', 'title']).orderBy('id').execute(), before);
    assert.equal((await open.db.selectFrom('organisations').select('id').where('id', '=', 'x').execute()).length, 0);
  });

  it("reports SQLite's error for a bad query, and goes on answering", async () => {
    await assert.rejects(sql`select * from no_such_table`.execute(open.readDb), /no such table: no_such_table/);
    assert.equal((await sql<{ n: number }>`select 1 as n`.execute(open.readDb)).rows[0]?.n, 1);
  });

  it('stops its threads when closed, and then refuses queries', async () => {
    const pool = new SqliteReadPool(database.config.kind === 'sqlite' ? database.config.path : '', 2);
    assert.deepEqual(await Promise.all([pool.query('select 1 as n', []), pool.query('select 2 as n', [])]), [[{ n: 1 }], [{ n: 2 }]]);
    await pool.close();
    await assert.rejects(pool.query('select 1', []), /closed/);
  });

  it('RETROPLAN_SQLITE_READERS=0 reads on the main connection; a value out of range is refused by name', async () => {
    const saved = process.env.RETROPLAN_SQLITE_READERS;
    try {
      process.env.RETROPLAN_SQLITE_READERS = '0';
      const plain = await openDatabase(database.config);
      assert.equal(plain.readDb, plain.db);
      await plain.db.destroy();
      process.env.RETROPLAN_SQLITE_READERS = '12';
      await assert.rejects(openDatabase(database.config), /RETROPLAN_SQLITE_READERS must be a whole number from 0 to 8, got "12"/);
    } finally {
      if (saved === undefined) delete process.env.RETROPLAN_SQLITE_READERS;
      else process.env.RETROPLAN_SQLITE_READERS = saved;
    }
  });
});
