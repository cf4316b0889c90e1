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
      const list = await repo.boards.listCaseDecisions('c1');
      assert.equal(list?.length, 1);
      const d = list![0]!;
      assert.equal(d.organisationId, 'default');
      assert.equal(d.decision, 'Resect en bloc');
      assert.deepEqual(d.strategyIds, ['en-bloc-resection']);
      assert.equal(d.signedAt, null);
      assert.equal(d.concordance, null);
      assert.equal(d.meetingId, null);
      assert.equal(await repo.boards.getDecision({ organisationIds: ['another'] }, 'd1'), undefined, 'another organisation reads none');
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

describe('tumour boards are scoped by organisation in the store (SQLite)', () => {
  let database: TestDatabase;
  let repo: Repository;
  before(async () => {
    database = tempSqlite();
    repo = await openRepository(database.config);
  });
  after(async () => {
    await repo?.close();
    await database?.drop();
  });

  it("a meeting of another organisation is not found: not listed, read, changed, planned on or signed", async () => {
    const chair = await repo.createUser({ username: 'chair', role: 'clinician', passwordHash: 'x' }, NOW);
    const c = await repo.createCase({ title: 'Case', status: 'workup', case: SEED_CASE }, 'u', NOW);
    const other = { organisationIds: ['hub-b'] };
    const mine = { organisationIds: ['default'] };
    const input = { title: 'Hub B MDT', date: '2099-01-01', startTime: '08:00', durationMinutes: 60, minutesPerItem: 10, chairUserId: chair.id, expectedAttendees: [] };
    const m = await repo.boards.createMeeting(other, 'hub-b', input, 'u', NOW);
    const item = await repo.boards.addAgendaItem(other, m.id, { caseId: c.id }, 'u', NOW);
    assert.equal(item.ok, true);
    assert.deepEqual(await repo.boards.listMeetings(mine, 'upcoming', '2026-01-01'), []);
    assert.equal((await repo.boards.listMeetings(other, 'upcoming', '2026-01-01')).length, 1);
    assert.equal(await repo.boards.getMeeting(mine, m.id), undefined);
    assert.equal(await repo.boards.getMeeting({ organisationIds: [] }, m.id), undefined, 'no organisation: nothing');
    assert.deepEqual(await repo.boards.addAgendaItem(mine, m.id, { caseId: c.id }, 'u', NOW), { ok: false, reason: 'not_found', what: 'no such meeting' });
    assert.deepEqual(await repo.boards.setAttendance(mine, m.id, [], NOW), { ok: false, reason: 'not_found', what: 'no such meeting' });
    const engine = () => ({ engineVersion: 't', rulesVersion: 't', priorityIds: ['en-bloc-resection'], evaluated: true });
    const judge = () => ({ ok: true as const, concordance: 'concordant' as const });
    const content = { decision: 'd', strategyIds: ['en-bloc-resection'], attendees: ['a'], agendaItemId: item.ok ? item.value.id : '' };
    const refused = await repo.boards.recordDecision(mine, c.id, content, engine, judge, 'u', NOW);
    assert.deepEqual(refused, { ok: false, reason: 'invalid', path: 'agendaItemId', message: 'no such agenda item' });
    const taken = await repo.boards.recordDecision(other, c.id, content, engine, judge, 'u', NOW);
    assert.ok(taken.ok);
    assert.equal(taken.value.organisationId, 'hub-b');
    assert.equal(await repo.boards.getDecision(mine, taken.value.id), undefined);
    assert.deepEqual(await repo.boards.signDecision(mine, taken.value.id, { id: chair.id, username: 'chair' }, NOW), { ok: false, reason: 'not_found', what: 'no such decision' });
    assert.equal((await repo.boards.signDecision(other, taken.value.id, { id: chair.id, username: 'chair' }, NOW)).ok, true);
    assert.deepEqual(await repo.boards.qualityRows(mine), []);
    assert.deepEqual(await repo.boards.qualityRows(other), [{ concordance: 'concordant', deviationReason: null }]);
  });
});
