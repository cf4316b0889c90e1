/**
 * Migrations 0017–0018 (tumour boards) on a database with decisions recorded before them, on
 * both dialects: the old decisions stay readable — in the default organisation, unsigned, without
 * a concordance — and the sign-off trigger leaves unsigned rows alone.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { migrationProvider } from '../../src/store/migrations.ts';
import { openRepository, type Repository } from '../../src/store/index.ts';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';
import { SEED_CASE } from '../support/server.ts';

const NOW = '2026-06-01T00:00:00.000Z';

function connect(database: TestDatabase): Kysely<unknown> {
  return new Kysely<unknown>({
    dialect:
      database.config.kind === 'sqlite'
        ? new SqliteDialect({ database: new BetterSqlite3(database.config.path) })
        : new PostgresDialect({ pool: new pg.Pool({ connectionString: database.config.url }) }),
  });
}

for (const [name, make] of [['SQLite', async () => tempSqlite()], ['PostgreSQL', freshPostgres]] as const) {
  describe(`tumour-board migrations over older decisions on ${name}`, () => {
    let database: TestDatabase;
    let repo: Repository;
    before(async () => {
      database = await make();
      const db = connect(database);
      const { error } = await new Migrator({ db, provider: migrationProvider(database.config.kind) }).migrateTo('0010_case_index_rules');
      assert.equal(error, undefined);
      await sql`insert into cases (id, version, title, status, case_json, archived, created_at, created_by, updated_at, updated_by)
        values ('c1', 1, 'Old case', 'workup', ${JSON.stringify(SEED_CASE)}, 0, ${NOW}, 'u', ${NOW}, 'u')`.execute(db);
      await sql`insert into case_versions (case_id, version, action, title, status, case_json, archived, changed_fields, author, created_at)
        values ('c1', 1, 'create', 'Old case', 'workup', ${JSON.stringify(SEED_CASE)}, 0, '[]', 'u', ${NOW})`.execute(db);
      await sql`insert into decisions (id, case_id, case_version, date, attendees_json, decision, strategy_ids_json, author, created_at)
        values ('d1', 'c1', 1, '2026-05-30', '["surgeon"]', 'Resect en bloc', '["en-bloc-resection"]', 'u', ${NOW})`.execute(db);
      await db.destroy();
      repo = await openRepository(database.config);
    });
    after(async () => {
      await repo?.close();
      await database?.drop();
    });

    it('an older decision reads as unsigned, in the default organisation, without concordance; unsigned rows stay writable', async () => {
      const list = await repo.boards.listCaseDecisions({ organisationIds: ['default'] }, 'c1');
      assert.equal(list?.length, 1);
      const d = list![0]!;
      assert.equal(d.organisationId, 'default');
      assert.equal(d.decision, 'Resect en bloc');
      assert.deepEqual(d.strategyIds, ['en-bloc-resection']);
      assert.equal(d.signedAt, null);
      assert.equal(d.concordance, null);
      assert.equal(d.meetingId, null);
      assert.deepEqual(await repo.boards.listCaseDecisions({ organisationIds: ['another'] }, 'c1'), [], 'another organisation sees none');
      assert.deepEqual(await repo.boards.qualityRows({ organisationIds: ['default'] }), [], 'unsigned decisions are not counted');
      const db = connect(database);
      try {
        await sql`update decisions set decision = 'Resect en bloc with the left kidney' where id = 'd1'`.execute(db);
      } finally {
        await db.destroy();
      }
      assert.equal((await repo.boards.getDecision({ organisationIds: ['default'] }, 'd1'))?.decision, 'Resect en bloc with the left kidney');
    });
  });
}
