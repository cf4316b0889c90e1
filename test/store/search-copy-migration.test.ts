/**
 * Migration 0025 on both dialects: cases stored before it are found by a search scoped to their
 * organisation (the narrow search copy's organisation column is filled from the cases), and on
 * PostgreSQL one trigram index over title and next step replaces the two of migration 0024.
 * Migration 0027 on PostgreSQL: that index keeps no pending list.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { migrationProvider } from '../../src/store/migrations.ts';
import { openDatabase } from '../../src/store/database.ts';
import { listWorklist } from '../../src/store/worklist.ts';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';

const CASE = { patient: { ageYears: 60 }, presentation: 'primary', tumor: { sizeCm: 22 }, pathology: { histology: '8858/3', grade: 'G3' }, schemaVersion: 2 };
const NOW = '2025-06-01T00:00:00.000Z';

function suite(name: string, make: () => Promise<TestDatabase>): void {
  describe(`search copies across migration 0025 on ${name}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await make();
      const db = new Kysely<unknown>({
        dialect:
          database.config.kind === 'sqlite'
            ? new SqliteDialect({ database: new BetterSqlite3(database.config.path) })
            : new PostgresDialect({ pool: new pg.Pool({ connectionString: database.config.url }) }),
      });
      const { error } = await new Migrator({ db, provider: migrationProvider(database.config.kind) }).migrateTo('0024_postgres_case_search_text');
      assert.equal(error, undefined);
      await sql`insert into organisations (id, name, kind, created_at) values ('spoke-x', 'Spoke X', 'spoke', ${NOW})`.execute(db);
      for (const [id, title, org] of [['c1', 'Kowalski — left mass', 'spoke-x'], ['c2', 'Kowalski — right mass', 'default'], ['c3', 'Nowak — pelvic mass', 'spoke-x']] as const) {
        await sql`insert into cases (id, version, title, status, case_json, archived, created_at, created_by, updated_at, updated_by, organisation_id)
          values (${id}, 1, ${title}, 'workup', ${JSON.stringify(CASE)}, 0, ${NOW}, 'u', ${NOW}, 'u', ${org})`.execute(db);
      }
      await db.destroy();
    });
    after(async () => database?.drop());

    it("a case stored before is found by a search scoped to its organisation, and only there", async () => {
      const { db, kind } = await openDatabase(database.config);
      try {
        const search = async (q: string, organisationId: string) =>
          (await listWorklist(db, kind, { q, limit: 10, offset: 0 }, undefined, { userId: 'u', organisationIds: [organisationId], network: false })).rows.map((r) => r.id).sort();
        assert.deepEqual(await search('kowalski', 'spoke-x'), ['c1']);
        assert.deepEqual(await search('kowalski', 'default'), ['c2']);
        assert.deepEqual(await search('mass', 'spoke-x'), ['c1', 'c3']);
        if (kind === 'postgres') {
          const indexes = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'case_search_text' and indexname like '%trgm' order by 1`.execute(db);
          assert.deepEqual(indexes.rows.map((r) => r.indexname), ['case_search_text_trgm']);
        }
      } finally {
        await db.destroy();
      }
    });
  });
}

suite('SQLite', async () => tempSqlite());
suite('PostgreSQL', freshPostgres);

describe('migration 0027 on PostgreSQL: the trigram index keeps no pending list', () => {
  let database: TestDatabase;
  after(async () => database?.drop());

  it('an index made before 0027, with writes waiting in its pending list, takes writes directly afterwards and its list is empty', async () => {
    database = await freshPostgres();
    if (database.config.kind !== 'postgres') throw new Error('PostgreSQL only');
    const pool = new pg.Pool({ connectionString: database.config.url });
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    try {
      const { error } = await new Migrator({ db, provider: migrationProvider('postgres') }).migrateTo('0026_sqlite_audit_queue');
      assert.equal(error, undefined);
      // As an index made before 0027 was: GIN's default, writes queued in a pending list.
      await sql`alter index case_search_text_trgm set (fastupdate = on)`.execute(db);
      for (const id of ['p1', 'p2', 'p3']) {
        await sql`insert into cases (id, version, title, status, case_json, archived, created_at, created_by, updated_at, updated_by, organisation_id)
          values (${id}, 1, ${`Kowalski ${id}`}, 'workup', ${JSON.stringify(CASE)}, 0, ${NOW}, 'u', ${NOW}, 'u', 'default')`.execute(db);
      }
    } finally {
      await db.destroy();
    }
    const { db: migrated } = await openDatabase(database.config);
    try {
      const options = await sql<{ reloptions: string[] | null }>`select reloptions from pg_class where relname = 'case_search_text_trgm'`.execute(migrated);
      assert.deepEqual(options.rows[0]?.reloptions, ['fastupdate=off']);
      const cleaned = await sql<{ pages: number }>`select gin_clean_pending_list('case_search_text_trgm')::int as pages`.execute(migrated);
      assert.equal(cleaned.rows[0]?.pages, 0, 'the migration emptied the pending list');
      const found = await listWorklist(migrated, 'postgres', { q: 'kowalski', limit: 10, offset: 0 });
      assert.deepEqual(found.rows.map((r) => r.id).sort(), ['p1', 'p2', 'p3']);
    } finally {
      await migrated.destroy();
    }
  });
});
