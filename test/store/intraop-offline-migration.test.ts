/**
 * Migration 0020 (the offline theatre log) on both dialects: an intra-operative event stored
 * before it reads back unchanged, as a finding without client id, version seen or time taken;
 * after it, a case × client id is stored once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { migrationProvider } from '../../src/store/migrations.ts';
import { openRepository } from '../../src/store/index.ts';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';

const CASE = { patient: { ageYears: 60 }, presentation: 'primary', tumor: { sizeCm: 22 }, pathology: { histology: '8858/3', grade: 'G3' }, schemaVersion: 2 };
const NOW = '2025-06-01T00:00:00.000Z';
const OLD_DECISION = { intent: 'continue-curative' };

function suite(name: string, make: () => Promise<TestDatabase>): void {
  describe(`intra-operative events across migration 0020 on ${name}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await make();
      const db = new Kysely<unknown>({
        dialect: database.config.kind === 'sqlite'
          ? new SqliteDialect({ database: new BetterSqlite3(database.config.path) })
          : new PostgresDialect({ pool: new pg.Pool({ connectionString: database.config.url }) }),
      });
      const { error } = await new Migrator({ db, provider: migrationProvider(database.config.kind) }).migrateTo('0010_case_index_rules');
      assert.equal(error, undefined);
      await sql`insert into cases (id, version, title, status, case_json, archived, created_at, created_by, updated_at, updated_by)
        values ('c1', 1, 'Case', 'workup', ${JSON.stringify(CASE)}, 0, ${NOW}, 'u', ${NOW}, 'u')`.execute(db);
      await sql`insert into intraop_events (case_id, case_version, findings_json, decision_json, author, created_at)
        values ('c1', 1, ${JSON.stringify([{ type: 'bleeding' }])}, ${JSON.stringify(OLD_DECISION)}, 'dr.old', ${NOW})`.execute(db);
      await db.destroy();
    });
    after(async () => database?.drop());

    it('an event stored before reads back unchanged: a finding, no client id, no version seen, no time taken', async () => {
      const repo = await openRepository(database.config);
      try {
        const events = await repo.listIntraopEvents('c1');
        assert.deepEqual(events?.map((e) => ({ ...e, id: 0 })), [
          { id: 0, caseId: 'c1', caseVersion: 1, kind: 'finding', findings: [{ type: 'bleeding' }], decision: OLD_DECISION, note: null, author: 'dr.old', createdAt: NOW, clientId: null, takenOnVersion: null, recordedAt: null },
        ]);
      } finally {
        await repo.close();
      }
    });

    it('after it: an entry with a client id is stored once, and older rows without one are not taken for repeats', async () => {
      const repo = await openRepository(database.config);
      try {
        const entry = { kind: 'note' as const, findings: [], note: 'Specimen oriented', clientId: 'mig-client-01', takenOnVersion: 1, recordedAt: NOW };
        const first = await repo.addIntraopEvent('c1', entry, () => ({ ok: true, decision: null }), 'dr.new', NOW);
        const again = await repo.addIntraopEvent('c1', entry, () => ({ ok: true, decision: null }), 'dr.new', NOW);
        assert.ok(first.ok && again.ok);
        assert.deepEqual([first.duplicate, again.duplicate, again.value.id === first.value.id], [false, true, true]);
        const plain = await repo.addIntraopEvent('c1', { kind: 'note', findings: [], note: 'No id' }, () => ({ ok: true, decision: null }), 'dr.new', NOW);
        assert.ok(plain.ok && !plain.duplicate);
        assert.equal((await repo.listIntraopEvents('c1'))?.length, 3);
      } finally {
        await repo.close();
      }
    });
  });
}

suite('SQLite', async () => tempSqlite());
suite('PostgreSQL', async () => freshPostgres());
