/**
 * One storage suite, run against both dialects: SQLite (a temp file) and
 * PostgreSQL (a fresh database on 127.0.0.1:5432, dropped afterwards). If
 * PostgreSQL is unreachable its half fails — it is never skipped.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PRIORITIES } from '../../src/engine/index.ts';
import { openDatabase } from '../../src/store/database.ts';
import { openRepository, type CaseContent, type Repository } from '../../src/store/index.ts';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';

const T0 = '2026-01-01T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function content(over: Partial<CaseContent> = {}): CaseContent {
  return {
    title: 'Left retroperitoneal mass',
    status: 'workup',
    case: { patient: {}, presentation: 'primary', tumor: { sizeCm: 22 }, pathology: { histology: '8858/3', grade: 'G3' } },
    ...over,
  };
}

function storageSuite(name: string, makeDatabase: () => Promise<TestDatabase>): void {
  describe(`repository on ${name}`, () => {
    let database: TestDatabase;
    let repo: Repository;

    before(async () => {
      database = await makeDatabase();
      repo = await openRepository(database.config);
    });
    after(async () => {
      await repo?.close();
      await database?.drop();
    });

    it('reports its dialect and re-running migrations on an up-to-date schema changes nothing', async () => {
      assert.equal(repo.kind, database.config.kind);
      const again = await openRepository(database.config);
      assert.equal(await again.countUsers(), await repo.countUsers());
      await again.close();
    });

    it('creates, finds, lists, updates and disables users', async () => {
      assert.equal(await repo.countUsers(), 0);
      const u = await repo.createUser({ username: 'ada', role: 'clinician', passwordHash: 'h1' }, T0);
      assert.equal(await repo.countUsers(), 1);
      assert.deepEqual(await repo.getUser(u.id), u);
      assert.equal((await repo.findUserByUsername('ada'))?.passwordHash, 'h1');
      assert.equal(await repo.findUserByUsername('ADA'), undefined);
      await assert.rejects(repo.createUser({ username: 'ada', role: 'viewer', passwordHash: 'x' }, T0));
      const changed = await repo.updateUser(u.id, { role: 'admin', disabled: true }, at(1));
      assert.equal(changed?.role, 'admin');
      assert.equal(changed?.disabled, true);
      assert.equal(await repo.updateUser('missing', { role: 'viewer' }, at(1)), undefined);
      await repo.updateUser(u.id, { disabled: false, role: 'clinician' }, at(2));
      assert.deepEqual((await repo.listUsers()).map((x) => x.username), ['ada']);
    });

    it('resolves tokens by hash until revoked or the user is disabled', async () => {
      const u = await repo.createUser({ username: 'tok', role: 'viewer', passwordHash: 'h' }, T0);
      const t = await repo.createToken({ userId: u.id, name: 'ci', tokenHash: 'abc', createdBy: 'cli:root' }, T0);
      assert.equal((await repo.userForToken('abc'))?.username, 'tok');
      assert.equal(await repo.userForToken('abd'), undefined);
      await repo.updateUser(u.id, { disabled: true }, at(1));
      assert.equal(await repo.userForToken('abc'), undefined);
      await repo.updateUser(u.id, { disabled: false }, at(2));
      const revoked = await repo.revokeToken(t.id, at(3));
      assert.equal(revoked?.revokedAt, at(3));
      assert.equal(await repo.userForToken('abc'), undefined);
      assert.equal((await repo.listTokens(u.id)).length, 1);
      assert.equal(await repo.revokeToken('nope', at(3)), undefined);
    });

    it("a token's or session's principal carries the caller's scope, the same as scopeOf, as memberships and the network flag change", async () => {
      const u = await repo.createUser({ username: 'principal', role: 'clinician', passwordHash: 'h' }, T0);
      await repo.createToken({ userId: u.id, name: 'ci', tokenHash: 'p-token', createdBy: 'cli:root' }, T0);
      await repo.createSession({ idHash: 'p-session', userId: u.id, expiresAt: at(60) }, T0);
      await repo.organisations.createOrganisation({ id: 'zeta-spoke', name: 'Zeta', kind: 'spoke' }, T0);
      await repo.organisations.createOrganisation({ id: 'alpha-hub', name: 'Alpha', kind: 'hub' }, T0);
      const same = async (label: string) => {
        const expected = await repo.organisations.scopeOf(u.id);
        assert.deepEqual((await repo.principalForToken('p-token'))?.scope, expected, `${label}: token`);
        assert.deepEqual((await repo.principalForSession('p-session', at(1)))?.scope, expected, `${label}: session`);
        assert.equal((await repo.principalForToken('p-token'))?.user.username, 'principal');
        return expected;
      };
      assert.deepEqual((await same('new user')).organisationIds, ['default']);
      await repo.organisations.setMembership(u.id, 'zeta-spoke', 'clinician', T0);
      await repo.organisations.setMembership(u.id, 'alpha-hub', 'coordinator', T0);
      assert.deepEqual((await same('two more memberships')).organisationIds, ['alpha-hub', 'default', 'zeta-spoke']);
      await repo.organisations.setNetworkAdmin(u.id, true);
      assert.equal((await same('network administrator')).network, true);
      await repo.organisations.removeMembership(u.id, 'zeta-spoke');
      await repo.organisations.removeMembership(u.id, 'default');
      assert.deepEqual((await same('one left')).organisationIds, ['alpha-hub']);
      await repo.organisations.removeMembership(u.id, 'alpha-hub');
      assert.deepEqual((await same('none')).organisationIds, []);
      assert.equal(await repo.principalForToken('p-other'), undefined);
    });

    it('resolves sessions until they expire or are deleted', async () => {
      const u = await repo.createUser({ username: 'sess', role: 'viewer', passwordHash: 'h' }, T0);
      await repo.createSession({ idHash: 's1', userId: u.id, expiresAt: at(60) }, T0);
      await repo.createSession({ idHash: 's2', userId: u.id, expiresAt: at(60) }, T0);
      assert.equal((await repo.userForSession('s1', at(59)))?.id, u.id);
      assert.equal(await repo.userForSession('s1', at(61)), undefined);
      await repo.deleteSession('s1');
      assert.equal(await repo.userForSession('s1', at(1)), undefined);
      await repo.deleteSessionsOfUser(u.id);
      assert.equal(await repo.userForSession('s2', at(1)), undefined);
    });

    it('a login counter changes only by compare-and-set; a refusal stores nothing; clearing removes it', async () => {
      const bump = (c: { count: number } | undefined) => ({ next: { count: (c?.count ?? 0) + 1, windowStart: T0, blockedUntil: null } });
      assert.equal(await repo.loginCounter('k'), undefined);
      const results = await Promise.all(Array.from({ length: 8 }, () => repo.updateLoginCounter('k', T0, bump)));
      assert.deepEqual(results.map((r) => ('next' in r ? r.next.count : 0)).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8]);
      assert.deepEqual(await repo.updateLoginCounter('k', T0, () => ({ refuse: { retryAfterSeconds: 5 } })), { refuse: { retryAfterSeconds: 5 } });
      assert.deepEqual(await repo.loginCounter('k'), { count: 8, windowStart: T0, blockedUntil: null });
      await repo.clearLoginCounter('k');
      assert.equal(await repo.loginCounter('k'), undefined);
    });

    it('creates a case as version 1 and keeps every version immutable', async () => {
      const created = await repo.createCase(content(), 'ada', T0);
      assert.equal(created.version, 1);
      assert.deepEqual(await repo.getCase(created.id), created);

      const v2 = await repo.updateCase(created.id, 1, content({ title: 'Renamed', case: { ...(content().case as object), tumor: { sizeCm: 9 } } }), 'bob', at(1));
      assert.ok(v2.ok);
      assert.equal(v2.value.version, 2);
      assert.equal(v2.value.updatedBy, 'bob');

      const stale = await repo.updateCase(created.id, 1, content({ title: 'Lost update' }), 'eve', at(2));
      assert.deepEqual(stale, { ok: false, reason: 'conflict', currentVersion: 2 });
      assert.equal((await repo.getCase(created.id))?.title, 'Renamed');

      const versions = await repo.listVersions(created.id);
      assert.deepEqual(
        versions?.map((v) => [v.version, v.action, v.author, v.changedFields]),
        [
          [1, 'create', 'ada', ['title', 'status', 'case.pathology', 'case.patient', 'case.presentation', 'case.tumor']],
          [2, 'update', 'bob', ['title', 'case.tumor']],
        ],
      );
      const first = await repo.getVersion(created.id, 1);
      assert.equal(first?.title, 'Left retroperitoneal mass');
      assert.deepEqual(first?.case, content().case);
      assert.equal(await repo.getVersion(created.id, 3), undefined);
      assert.equal(await repo.listVersions('missing'), undefined);
      assert.deepEqual(await repo.updateCase('missing', 1, content(), 'x', T0), { ok: false, reason: 'not_found' });
    });

    it('keeps the engine’s next step with each write: en bloc resection for the DD-LPS, none once it is a lymphoma', async () => {
      const created = await repo.createCase(content({ title: 'Next step' }), 'ada', T0);
      assert.equal(created.nextStep, PRIORITIES['en-bloc-resection'].label);
      const listed = await repo.listCases({ q: 'Next step', limit: 10, offset: 0 });
      assert.deepEqual(listed.items.map((i) => i.nextStep), [PRIORITIES['en-bloc-resection'].label]);

      const lymphoma = JSON.parse(readFileSync(new URL('../../examples/lymphoma.json', import.meta.url), 'utf8')) as unknown;
      const updated = await repo.updateCase(created.id, 1, content({ title: 'Next step', case: lymphoma }), 'bob', at(1));
      assert.ok(updated.ok);
      assert.equal(updated.value.nextStep, PRIORITIES['no-resection'].label);
      assert.equal((await repo.getCase(created.id))?.nextStep, PRIORITIES['no-resection'].label);
      assert.deepEqual((await repo.listCases({ q: 'Next step', limit: 10, offset: 0 })).items.map((i) => i.nextStep), [PRIORITIES['no-resection'].label]);

      const archived = await repo.setArchived(created.id, true, 2, 'ada', at(2));
      assert.ok(archived.ok);
      assert.equal(archived.value.nextStep, PRIORITIES['no-resection'].label, 'archiving keeps the next step of the unchanged case');

      const invalid = await repo.createCase(content({ title: 'Next step invalid', case: { tumor: { sizeCm: -3 } } }), 'ada', at(3));
      assert.equal(invalid.nextStep, null, 'a case the engine cannot evaluate has no next step, not a guess');
    });

    it('fills the next step of rows written before the columns existed when the store opens', async () => {
      const old = await repo.createCase(content({ title: 'Backfill old row' }), 'ada', T0);
      const invalid = await repo.createCase(content({ title: 'Backfill invalid row', case: { tumor: { sizeCm: -3 } } }), 'ada', T0);
      // Simulate rows from before migrations 0002 and 0010: the columns are there but empty.
      const raw = await openDatabase(database.config);
      await raw.db.updateTable('cases').set({ next_step: null, index_rules: null }).where('id', 'in', [old.id, invalid.id]).execute();
      await raw.db.destroy();
      assert.equal((await repo.getCase(old.id))?.nextStep, null);

      const reopened = await openRepository(database.config);
      try {
        const items = (await reopened.listCases({ q: 'Backfill', limit: 10, offset: 0 })).items;
        assert.deepEqual(
          items.map((i) => [i.title, i.nextStep, i.version]).sort(),
          [
            ['Backfill invalid row', null, 1],
            ['Backfill old row', PRIORITIES['en-bloc-resection'].label, 1],
          ],
          'filled from the engine without a new version; an invalid case stays null',
        );
        assert.equal((await reopened.listVersions(old.id))?.length, 1);
      } finally {
        await reopened.close();
      }
    });

    it('archives (soft) and restores, each as a new version; archived cases refuse writes', async () => {
      const c = await repo.createCase(content({ title: 'To archive' }), 'ada', T0);
      const archived = await repo.setArchived(c.id, true, undefined, 'ada', at(1));
      assert.ok(archived.ok && archived.value.archived && archived.value.version === 2);
      assert.deepEqual(await repo.setArchived(c.id, true, undefined, 'ada', at(1)), { ok: false, reason: 'archived' });
      assert.deepEqual(await repo.updateCase(c.id, 2, content(), 'ada', at(2)), { ok: false, reason: 'archived' });
      const d = await repo.addDecision(c.id, { date: '2026-01-02', attendees: ['a'], decision: 'x', strategyIds: [] }, 'ada', at(2));
      assert.deepEqual(d, { ok: false, reason: 'archived' });
      const restored = await repo.setArchived(c.id, false, 2, 'root', at(3));
      assert.ok(restored.ok && !restored.value.archived && restored.value.version === 3);
      assert.deepEqual(await repo.setArchived(c.id, false, undefined, 'root', at(3)), { ok: false, reason: 'not_archived' });
      assert.deepEqual((await repo.listVersions(c.id))?.map((v) => v.action), ['create', 'archive', 'restore']);
    });

    it('lists with filters, title search (LIKE wildcards literal), paging and archived separation', async () => {
      const a = await repo.createCase(content({ title: 'Filter 100% Alpha', status: 'treatment', case: { tumor: { sizeCm: 8 }, pathology: { histology: '8850/3', grade: 'G1' } } }), 'ada', at(10));
      const b = await repo.createCase(content({ title: 'filter_beta', status: 'treatment' }), 'ada', at(11));
      const c = await repo.createCase(content({ title: 'Filter gamma', status: 'closed', case: { tumor: {}, pathology: {} } }), 'ada', at(12));
      const ids = (r: { items: { id: string }[] }) => r.items.map((i) => i.id);

      assert.deepEqual(ids(await repo.listCases({ q: 'FILTER', limit: 10, offset: 0 })), [c.id, b.id, a.id]);
      assert.deepEqual(ids(await repo.listCases({ q: '100%', limit: 10, offset: 0 })), [a.id]);
      assert.deepEqual(ids(await repo.listCases({ q: 'r_b', limit: 10, offset: 0 })), [b.id]);
      assert.deepEqual(ids(await repo.listCases({ q: "'; drop table cases; --", limit: 10, offset: 0 })), []);
      assert.deepEqual(ids(await repo.listCases({ q: 'filter', status: 'treatment', limit: 10, offset: 0 })), [b.id, a.id]);
      assert.deepEqual(ids(await repo.listCases({ q: 'filter', stageGroup: 'IB', limit: 10, offset: 0 })), [a.id]);
      assert.deepEqual(ids(await repo.listCases({ q: 'filter', histology: '8858/3', limit: 10, offset: 0 })), [b.id]);

      const page = await repo.listCases({ q: 'filter', limit: 2, offset: 1 });
      assert.equal(page.total, 3);
      assert.deepEqual(ids(page), [b.id, a.id]);

      await repo.setArchived(c.id, true, undefined, 'ada', at(13));
      assert.deepEqual(ids(await repo.listCases({ q: 'filter', limit: 10, offset: 0 })), [b.id, a.id]);
      assert.deepEqual(ids(await repo.listCases({ q: 'filter', archived: true, limit: 10, offset: 0 })), [c.id]);
    });

    it('keeps tumour-board decisions with the case version they were taken on', async () => {
      const c = await repo.createCase(content({ title: 'Board' }), 'ada', T0);
      await repo.updateCase(c.id, 1, content({ title: 'Board', status: 'tumour_board' }), 'ada', at(1));
      const d = await repo.addDecision(c.id, { date: '2026-01-05', attendees: ['surgeon', 'radiologist'], decision: 'Resect en bloc', strategyIds: ['surgery-first'] }, 'bob', at(2));
      assert.ok(d.ok);
      assert.equal(d.value.caseVersion, 2);
      const list = await repo.listDecisions(c.id);
      assert.deepEqual(list, [d.value]);
      assert.equal(await repo.listDecisions('missing'), undefined);
      assert.deepEqual(await repo.addDecision('missing', { date: '2026-01-05', attendees: [], decision: 'x', strategyIds: [] }, 'bob', at(2)), {
        ok: false,
        reason: 'not_found',
      });
    });

    it('serialises concurrent writers: exactly one of two updates from the same version wins', async () => {
      const c = await repo.createCase(content({ title: 'Race' }), 'ada', T0);
      const results = await Promise.all([
        repo.updateCase(c.id, 1, content({ title: 'Race A' }), 'a', at(1)),
        repo.updateCase(c.id, 1, content({ title: 'Race B' }), 'b', at(1)),
      ]);
      assert.equal(results.filter((r) => r.ok).length, 1);
      assert.equal(results.filter((r) => !r.ok && r.reason === 'conflict').length, 1);
      assert.equal((await repo.listVersions(c.id))?.length, 2);
    });

    it('appends audit entries and filters them; newest first or oldest first', async () => {
      for (let i = 0; i < 5; i++) {
        await repo.appendAudit({ at: at(i), actor: i % 2 ? 'ada' : 'bob', action: 'case.read', objectType: 'case', objectId: `c${i}`, outcome: 'success', clientAddress: '127.0.0.1' });
      }
      await repo.appendAudit({ at: at(6), actor: 'anonymous', action: 'session.login', outcome: 'failure', statusCode: 401 });
      const newest = await repo.listAudit({ limit: 100 });
      assert.equal(newest.length, 6);
      assert.equal(newest[0]?.action, 'session.login');
      assert.equal(newest[0]?.objectId, null);
      assert.deepEqual((await repo.listAudit({ actor: 'ada', limit: 100 })).map((e) => e.objectId), ['c3', 'c1']);
      assert.deepEqual((await repo.listAudit({ outcome: 'failure', limit: 100 })).map((e) => e.statusCode), [401]);
      assert.deepEqual((await repo.listAudit({ from: at(1), to: at(3), limit: 100 })).map((e) => e.objectId), ['c2', 'c1']);
      const oldest = await repo.listAudit({ limit: 2, order: 'oldest' });
      assert.deepEqual(oldest.map((e) => e.objectId), ['c0', 'c1']);
      assert.deepEqual((await repo.listAudit({ limit: 2, order: 'oldest', after: oldest[1]!.id })).map((e) => e.objectId), ['c2', 'c3']);
      assert.deepEqual((await repo.listAudit({ limit: 1, before: newest[0]!.id })).map((e) => e.objectId), ['c4']);
    });

    it('exposes no way to change or delete audit entries or versions', () => {
      const methods = Object.keys(repo);
      assert.deepEqual(methods.filter((m) => /audit/i.test(m)).sort(), ['appendAudit', 'appendAuditBatch', 'listAudit']);
      assert.deepEqual(methods.filter((m) => /version/i.test(m)).sort(), ['getVersion', 'listVersions']);
    });
  });
}

storageSuite('SQLite', async () => tempSqlite());
storageSuite('PostgreSQL', freshPostgres);
