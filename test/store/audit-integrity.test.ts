/**
 * The audit log's guarantees, tried against both dialects:
 * - append-only in the database itself: raw UPDATE / DELETE (and TRUNCATE on
 *   PostgreSQL) are refused and the rows stay as written;
 * - a write and its audit row commit together: when the audit row cannot be
 *   inserted, the write is rolled back (nothing half-done to find afterwards);
 * - actors and details are stored as one line (control characters escaped).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../../src/store/database.ts';
import { openRepository, type AuditInput, type Repository } from '../../src/store/index.ts';
import type { Database } from '../../src/store/schema.ts';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';

const NOW = '2026-02-01T09:00:00.000Z';
const CASE = { title: 'Audit integrity', status: 'workup' as const, case: { patient: {}, presentation: 'primary', tumor: { sizeCm: 12 }, pathology: {} } };

const audit = (action: string, over: Partial<AuditInput> = {}): AuditInput => ({ at: NOW, actor: 'ada', action, objectType: 'case', outcome: 'success', statusCode: 200, clientAddress: '127.0.0.1', ...over });
/** An audit entry the database itself refuses (outcome is NOT NULL): the insert fails inside the write's transaction. */
const broken = (action: string): AuditInput => audit(action, { outcome: null as never });

async function auditRows(db: Kysely<Database>): Promise<unknown[]> {
  return db.selectFrom('audit').selectAll().orderBy('id').execute();
}

function integritySuite(name: string, makeDatabase: () => Promise<TestDatabase>): void {
  describe(`audit integrity on ${name}`, () => {
    let database: TestDatabase;
    let repo: Repository;
    let raw: Kysely<Database>;

    before(async () => {
      database = await makeDatabase();
      repo = await openRepository(database.config);
      raw = (await openDatabase(database.config)).db;
    });
    after(async () => {
      await raw?.destroy();
      await repo?.close();
      await database?.drop();
    });

    it('refuses UPDATE and DELETE of audit rows (and TRUNCATE on PostgreSQL), by raw SQL', async () => {
      await repo.appendAudit(audit('case.read', { objectId: 'c1' }));
      await repo.appendAudit(audit('case.read', { objectId: 'c2' }));
      const before = await auditRows(raw);
      assert.equal(before.length >= 2, true);
      await assert.rejects(sql`update audit set actor = 'mallory'`.execute(raw), /append-only/);
      await assert.rejects(sql`update audit set detail = null where object_id = 'c1'`.execute(raw), /append-only/);
      await assert.rejects(sql`delete from audit`.execute(raw), /append-only/);
      await assert.rejects(sql`delete from audit where object_id = 'c2'`.execute(raw), /append-only/);
      if (database.config.kind === 'postgres') await assert.rejects(sql`truncate audit`.execute(raw), /append-only/);
      assert.deepEqual(await auditRows(raw), before, 'every row is as it was written');
      // Appending still works.
      await sql`insert into audit (at, actor, action, outcome) values (${NOW}, 'raw', 'probe', 'success')`.execute(raw);
      assert.equal((await auditRows(raw)).length, before.length + 1);
    });

    it('createCase: a failing audit insert rolls the case back; a good one commits both', async () => {
      const casesBefore = (await repo.listCases({ limit: 1000, offset: 0 })).total;
      await assert.rejects(repo.createCase(CASE, 'ada', NOW, broken('case.create')));
      assert.equal((await repo.listCases({ limit: 1000, offset: 0 })).total, casesBefore, 'no case without its audit row');
      const versions = await raw.selectFrom('case_versions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();

      const created = await repo.createCase(CASE, 'ada', NOW, audit('case.create', { statusCode: 201 }));
      const rows = await repo.listAudit({ objectId: created.id, limit: 10 });
      assert.deepEqual(rows.map((r) => [r.action, r.statusCode]), [['case.create', 201]], 'the audit row names the new case');
      const versionsAfter = await raw.selectFrom('case_versions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(versionsAfter.n), Number(versions.n) + 1);
    });

    it('updateCase, setArchived, addDecision: the write is rolled back with its audit row', async () => {
      const c = await repo.createCase(CASE, 'ada', NOW, audit('case.create'));
      await assert.rejects(repo.updateCase(c.id, 1, { ...CASE, title: 'Changed' }, 'ada', NOW, broken('case.update')));
      await assert.rejects(repo.setArchived(c.id, true, 1, 'ada', NOW, broken('case.archive')));
      await assert.rejects(repo.addDecision(c.id, { date: '2026-02-01', attendees: ['a'], decision: 'resect', strategyIds: [] }, 'ada', NOW, broken('case.decision.create')));
      const stored = await repo.getCase(c.id);
      assert.equal(stored?.version, 1);
      assert.equal(stored?.title, CASE.title);
      assert.equal(stored?.archived, false);
      assert.deepEqual((await repo.listVersions(c.id))?.map((v) => v.version), [1]);
      assert.deepEqual(await repo.listDecisions(c.id), []);
      assert.deepEqual((await repo.listAudit({ objectId: c.id, limit: 10 })).map((r) => r.action), ['case.create']);

      const updated = await repo.updateCase(c.id, 1, { ...CASE, title: 'Changed' }, 'ada', NOW, audit('case.update', { objectId: c.id }));
      assert.equal(updated.ok, true);
      const stale = await repo.updateCase(c.id, 1, { ...CASE, title: 'Stale' }, 'ada', NOW, audit('case.update', { objectId: c.id, detail: 'must not appear' }));
      assert.deepEqual(stale, { ok: false, reason: 'conflict', currentVersion: 2 });
      const decided = await repo.addDecision(c.id, { date: '2026-02-01', attendees: ['a'], decision: 'resect', strategyIds: [] }, 'ada', NOW, audit('case.decision.create', { objectId: c.id }));
      assert.equal(decided.ok, true);
      assert.deepEqual(
        (await repo.listAudit({ objectId: c.id, limit: 10, order: 'oldest' })).map((r) => r.action),
        ['case.create', 'case.update', 'case.decision.create'],
        'a refused write (stale version) commits no success row',
      );
    });

    it('user and token changes: rolled back with a failing audit row', async () => {
      await assert.rejects(repo.createUser({ username: 'rolled-back', role: 'viewer', passwordHash: 'h' }, NOW, broken('user.create')));
      assert.equal(await repo.findUserByUsername('rolled-back'), undefined);
      const user = await repo.createUser({ username: 'kept', role: 'viewer', passwordHash: 'h' }, NOW, audit('user.create', { objectType: 'user' }));
      assert.equal((await repo.listAudit({ objectId: user.id, limit: 5 })).length, 1, 'the audit row names the new user');

      await assert.rejects(repo.updateUser(user.id, { role: 'admin' }, NOW, broken('user.update')));
      assert.equal((await repo.getUser(user.id))?.role, 'viewer');

      await assert.rejects(repo.createToken({ userId: user.id, name: 'ci', tokenHash: 'hash-1', createdBy: 'ada' }, NOW, broken('token.create')));
      assert.deepEqual(await repo.listTokens(user.id), []);
      const token = await repo.createToken({ userId: user.id, name: 'ci', tokenHash: 'hash-2', createdBy: 'ada' }, NOW, audit('token.create', { objectId: user.id }));
      await assert.rejects(repo.revokeToken(token.id, NOW, broken('token.revoke')));
      assert.equal((await repo.getToken(token.id))?.revokedAt, null, 'the token still works: its revocation was not audited, so it did not happen');
    });

    it('a batch of audit rows commits whole or not at all', async () => {
      // listAudit first: on SQLite the rows of a batch wait in the audit queue until an audit query.
      const count = async () => (await repo.listAudit({ limit: 1 }), (await auditRows(raw)).length);
      const before = await count();
      await assert.rejects(repo.appendAuditBatch([audit('case.read'), broken('case.read'), audit('case.read')]));
      assert.equal(await count(), before);
      await repo.appendAuditBatch([audit('case.read'), audit('case.list')]);
      assert.equal(await count(), before + 2);
    });

    it('stores actors and details as one line: control characters escaped, length bounded', async () => {
      await repo.appendAudit(audit('session.login', { actor: 'eve\nadmin case.read success\u0000\u001b[31m', detail: 'line one\r\nline two', objectId: 'x'.repeat(5000) }));
      const [row] = await repo.listAudit({ action: 'session.login', limit: 1 });
      assert.equal(row?.actor, 'eve\\nadmin case.read success\\u0000\\u001b[31m');
      assert.equal(row?.detail, 'line one\\r\\nline two');
      assert.equal(row?.objectId?.length, 200);
    });
  });
}

integritySuite('SQLite', async () => tempSqlite());
integritySuite('PostgreSQL', freshPostgres);
