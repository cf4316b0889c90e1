/**
 * Named prepared statements on PostgreSQL (store/postgres-prepared.ts): which texts are prepared
 * and when, that a prepared statement answers exactly as an unnamed one, and that a plan made
 * stale by a table change (another instance's migration) is answered, not failed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { preparedStatementPolicy, preparingPool } from '../../src/store/postgres-prepared.ts';
import { freshPostgres, type TestDatabase } from '../support/databases.ts';

describe('prepared statement policy', () => {
  it('prepares a read once its text has been seen three times, under a name that depends only on the text', () => {
    const policy = preparedStatementPolicy();
    const text = 'select id from cases where id = $1';
    assert.deepEqual([policy.nameFor(text, 0), policy.nameFor(text, 0), policy.nameFor(text, 0)], [null, null, null]);
    const name = policy.nameFor(text, 0);
    assert.match(name ?? '', /^rp_[A-Za-z0-9_-]{32}$/);
    assert.equal(policy.nameFor(text, 5), name);
    assert.notEqual(preparedStatementPolicy().nameFor(' with x as (select 1) select * from x', 0), undefined);
  });

  it('never prepares writes, transaction control, text searches or past the per-connection limit; a retired text stays unnamed', () => {
    const policy = preparedStatementPolicy();
    const seenFourTimes = (text: string, onConnection = 0) => [1, 2, 3, 4].map(() => policy.nameFor(text, onConnection))[3];
    for (const text of ['insert into audit (at) values ($1)', 'update cases set title = $1', 'begin', 'commit', "select id from case_search_text where title_lower like $1 escape '\\'", 'WITH h AS (SELECT 1 WHERE x LIKE $1) SELECT * FROM h']) {
      assert.equal(seenFourTimes(text), null, text);
    }
    assert.match(seenFourTimes('SELECT 1') ?? '', /^rp_/, 'case does not matter');
    assert.match(seenFourTimes('select 2', 99) ?? '', /^rp_/, 'the 100th statement of a connection is prepared');
    assert.equal(seenFourTimes('select 3', 100), null, 'a connection holds at most 100');
    const stale = 'select * from users';
    assert.match(seenFourTimes(stale) ?? '', /^rp_/);
    policy.retire(stale);
    assert.equal(policy.nameFor(stale, 0), null);
  });
});

describe('prepared statements on PostgreSQL', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Kysely<Record<string, never>>;
  before(async () => {
    database = await freshPostgres();
    if (database.config.kind !== 'postgres') throw new Error('PostgreSQL only');
    // One connection, so pg_prepared_statements (per session) shows what this connection prepared.
    pool = new pg.Pool({ connectionString: database.config.url, max: 1 });
    db = new Kysely({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
    await sql`create table prepared_probe (a int)`.execute(db);
    await sql`insert into prepared_probe values (1), (2)`.execute(db);
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('answers as an unnamed query would, prepared from the fourth time on', async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await sql<{ a: number; b: string }>`select a, ${'x' + i}::text as b from prepared_probe where a >= ${1} order by a`.execute(db)).rows);
    answers.forEach((rows, i) => assert.deepEqual(rows, [{ a: 1, b: `x${i}` }, { a: 2, b: `x${i}` }]));
    const names = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements where statement like 'select a, %'`.execute(db);
    assert.equal(names.rows.length, 1);
    assert.match(names.rows[0]!.name, /^rp_/);
  });

  it('answers a statement whose table changed since it was prepared (stale plan), and stops preparing it', async () => {
    const read = async () => (await sql<Record<string, unknown>>`select * from prepared_probe order by a`.execute(db)).rows;
    for (let i = 0; i < 5; i++) assert.deepEqual(await read(), [{ a: 1 }, { a: 2 }]);
    const other = new pg.Client({ connectionString: database.config.kind === 'postgres' ? database.config.url : '' });
    await other.connect();
    await other.query('alter table prepared_probe add column b text');
    await other.end();
    assert.deepEqual(await read(), [{ a: 1, b: null }, { a: 2, b: null }]);
    assert.deepEqual(await read(), [{ a: 1, b: null }, { a: 2, b: null }]);
  });
});
