/**
 * Migration 0003 upgrades cases stored under case model v1, on both dialects:
 * a database is brought to 0002, v1 rows are written as v1 wrote them, then
 * the store opens (all migrations) and every reader sees the v2 model.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { CASE_SCHEMA_VERSION, RULES_VERSION } from '../../src/engine/index.ts';
import { migrationProvider } from '../../src/store/migrations.ts';
import { openRepository } from '../../src/store/index.ts';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';

const V1 = { patient: { ageYears: 60 }, presentation: 'primary', tumor: { sizeCm: 22 }, pathology: { histology: '8858/3', grade: 'G3' } };
const NOW = '2025-06-01T00:00:00.000Z';

function suite(name: string, make: () => Promise<TestDatabase>): void {
  describe(`case model v1 → v2 migration on ${name}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await make();
      const db = new Kysely<unknown>({
        dialect: database.config.kind === 'sqlite'
          ? new SqliteDialect({ database: new BetterSqlite3(database.config.path) })
          : new PostgresDialect({ pool: new pg.Pool({ connectionString: database.config.url }) }),
      });
      const migrator = new Migrator({ db, provider: migrationProvider(database.config.kind) });
      const { error } = await migrator.migrateTo('0002_cases_next_step');
      assert.equal(error, undefined);
      for (const id of ['c1', 'c2']) {
        await sql`insert into cases (id, version, title, status, case_json, archived, created_at, created_by, updated_at, updated_by)
          values (${id}, 1, ${'Case ' + id}, 'workup', ${JSON.stringify(V1)}, 0, ${NOW}, 'u', ${NOW}, 'u')`.execute(db);
        await sql`insert into case_versions (case_id, version, action, title, status, case_json, archived, changed_fields, author, created_at)
          values (${id}, 1, 'create', ${'Case ' + id}, 'workup', ${JSON.stringify(V1)}, 0, '[]', 'u', ${NOW})`.execute(db);
      }
      await db.destroy();
    });
    after(async () => database?.drop());

    it('stored cases and their versions are rewritten in the current model, content unchanged', async () => {
      const repo = await openRepository(database.config);
      try {
        const stored = await repo.getCase('c1');
        assert.ok(stored);
        assert.deepEqual(stored.case, { ...V1, schemaVersion: CASE_SCHEMA_VERSION });
        const version = await repo.getVersion('c2', 1);
        assert.deepEqual(version?.case, { ...V1, schemaVersion: CASE_SCHEMA_VERSION });
      } finally {
        await repo.close();
      }
    });

    it('worklist columns derived by other clinical rules are re-derived when the store opens; current ones are left alone', async () => {
      let repo = await openRepository(database.config);
      // A solid mass without tissue: the current rules list no stage for a suspected diagnosis.
      const suspected = await repo.createCase({ title: 'No tissue yet', status: 'workup', case: { tumor: { sizeCm: 12, side: 'left', imaging: { solidComponent: true, macroscopicFat: true } } } }, 'u', NOW);
      const current = await repo.createCase({ title: 'Current', status: 'workup', case: V1 }, 'u', NOW);
      await repo.close();
      const db = new Kysely<unknown>({
        dialect: database.config.kind === 'sqlite'
          ? new SqliteDialect({ database: new BetterSqlite3(database.config.path) })
          : new PostgresDialect({ pool: new pg.Pool({ connectionString: database.config.url }) }),
      });
      // As an older release left them: a stage listed for the suspected diagnosis.
      await sql`update cases set stage_group = 'IB', index_rules = ${'2020.01-1'} where id = ${suspected.id}`.execute(db);
      await sql`update cases set stage_group = 'X' where id = ${current.id}`.execute(db);
      await db.destroy();
      repo = await openRepository(database.config);
      try {
        const rows = (await repo.listCases({ limit: 10, offset: 0 })).items;
        assert.equal(rows.find((r) => r.id === suspected.id)?.stageGroup, null);
        assert.equal(rows.find((r) => r.id === current.id)?.stageGroup, 'X', 'a row derived by this release is not re-derived');
      } finally {
        await repo.close();
      }
      assert.ok(RULES_VERSION.length > 0);
    });
  });
}

suite('SQLite', async () => tempSqlite());
suite('PostgreSQL', freshPostgres);
