/**
 * The worklist query at scale (store/worklist.ts), on both dialects: text search over title and
 * next step, every search strategy giving the same answer, the capped total and keyset paging.
 * Thresholds are lowered (tuning) so every path runs with a few dozen rows. Expectations are
 * computed here from the rows the test wrote, with plain string and array operations.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { openDatabase } from '../../src/store/database.ts';
import { openRepository, type CaseListFilter, type CaseStatus, type Repository } from '../../src/store/index.ts';
import type { Database } from '../../src/store/schema.ts';
import { listWorklist, type WorklistTuning } from '../../src/store/worklist.ts';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';

const T0 = Date.parse('2026-03-01T08:00:00.000Z');
const DDLPS = { tumor: { sizeCm: 22, side: 'left' }, pathology: { histology: '8858/3', grade: 'G3' } };
const LYMPHOMA = { tumor: { sizeCm: 9 }, pathology: { histology: '9590/3' } };
const WORDS = ['Kowalski', 'Nowak', 'de Vries', 'Müller', '100% fat', 'r_b', 'Smith-Jones'];
const STATUSES: CaseStatus[] = ['workup', 'tumour_board', 'treatment'];

interface Written {
  readonly id: string;
  readonly title: string;
  readonly nextStep: string | null;
  readonly status: CaseStatus;
  readonly updatedAt: string;
  readonly archived: boolean;
}

function worklistSuite(name: string, makeDatabase: () => Promise<TestDatabase>): void {
  describe(`worklist on ${name}`, () => {
    let database: TestDatabase;
    let repo: Repository;
    let db: Kysely<Database>;
    let kind: 'sqlite' | 'postgres';
    const written: Written[] = [];

    before(async () => {
      database = await makeDatabase();
      repo = await openRepository(database.config);
      const open = await openDatabase(database.config);
      db = open.db;
      kind = open.kind;
      // 42 cases; several share a change time so the id tie-break matters.
      for (let i = 0; i < 42; i++) {
        const title = `Case ${i} ${WORDS[i % WORDS.length]}`;
        const status = STATUSES[i % STATUSES.length]!;
        const now = new Date(T0 + Math.floor(i / 3) * 60_000).toISOString();
        const record = await repo.createCase({ title, status, case: i % 5 === 0 ? LYMPHOMA : DDLPS }, 'ada', now);
        let archived = false;
        if (i % 11 === 0) {
          const r = await repo.setArchived(record.id, true, 1, 'ada', now);
          assert.ok(r.ok);
          archived = true;
        }
        written.push({ id: record.id, title, nextStep: record.nextStep, status, updatedAt: now, archived });
      }
      assert.ok(written.some((w) => w.nextStep?.includes('En bloc')) && written.some((w) => w.nextStep !== null && !w.nextStep.includes('En bloc')));
    });
    after(async () => {
      await db?.destroy();
      await repo?.close();
      await database?.drop();
    });

    const expected = (filter: { q?: string; status?: CaseStatus; archived?: boolean }) =>
      written
        .filter((w) => w.archived === (filter.archived ?? false))
        .filter((w) => !filter.status || w.status === filter.status)
        .filter((w) => !filter.q || w.title.toLowerCase().includes(filter.q.toLowerCase()) || (w.nextStep ?? '').toLowerCase().includes(filter.q.toLowerCase()))
        .sort((a, b) => (a.updatedAt === b.updatedAt ? (a.id < b.id ? -1 : 1) : a.updatedAt < b.updatedAt ? 1 : -1))
        .map((w) => w.id);

    const list = async (filter: Partial<CaseListFilter>, tuning?: WorklistTuning) =>
      listWorklist(db, kind, { limit: 100, offset: 0, ...filter }, tuning);

    it('finds text in the title or in the next step, case-insensitively, with LIKE wildcards literal', async () => {
      const nextStepWords = 'CONTIGUOUS organs';
      assert.ok(written.every((w) => !w.title.toLowerCase().includes('contiguous')), 'the text is in no title');
      const byNextStep = await repo.listCases({ q: nextStepWords, limit: 100, offset: 0 });
      assert.deepEqual(byNextStep.items.map((i) => i.id), expected({ q: nextStepWords }));
      assert.ok(byNextStep.items.length > 10);
      assert.deepEqual((await repo.listCases({ q: 'kowalski', limit: 100, offset: 0 })).items.map((i) => i.id), expected({ q: 'kowalski' }));
      assert.deepEqual((await repo.listCases({ q: '100%', limit: 100, offset: 0 })).items.map((i) => i.id), expected({ q: '100%' }));
      assert.deepEqual((await repo.listCases({ q: 'r_b', limit: 100, offset: 0 })).items.map((i) => i.id), expected({ q: 'r_b' }));
      assert.deepEqual((await repo.listCases({ q: '1%', limit: 100, offset: 0 })).items.map((i) => i.id), [], 'a % is not a wildcard (and 2 characters use no trigram)');
      assert.deepEqual((await repo.listCases({ q: '"Smith', limit: 100, offset: 0 })).items.map((i) => i.id), [], 'a quote is text, not query syntax');
    });

    it('gives the same answer by every search path (sorted hits, walk in order, short text)', async () => {
      const queries = ['Kowalski', 'nowak', 'de Vries', 'en bloc', 'CASE 1', 'Smith-Jones', 'Ca', 'no such text', 'müller'];
      for (const q of queries) {
        for (const status of [undefined, 'treatment' as const]) {
          const want = expected({ q, status });
          for (const tuning of [{ countCap: 1000, ftsSortLimit: 1000 }, { countCap: 1000, ftsSortLimit: 0 }, { countCap: 1000, ftsSortLimit: 3 }]) {
            const page = await list({ q, ...(status ? { status } : {}) }, tuning);
            assert.deepEqual(page.rows.map((r) => r.id), want, `${q} ${status ?? ''} ${JSON.stringify(tuning)}`);
            assert.equal(page.total, want.length, `${q} total`);
            assert.equal(page.totalCapped, false);
          }
        }
      }
    });

    it('counts up to the cap and says when there are more', async () => {
      const all = expected({});
      const capped = await list({ limit: 2 }, { countCap: 5, ftsSortLimit: 1000 });
      assert.deepEqual([capped.total, capped.totalCapped], [5, true]);
      assert.deepEqual(capped.rows.map((r) => r.id), all.slice(0, 2));
      const exact = await list({ limit: 2 }, { countCap: all.length, ftsSortLimit: 1000 });
      assert.deepEqual([exact.total, exact.totalCapped], [all.length, false]);
      for (const ftsSortLimit of [1000, 0]) {
        const search = await list({ q: 'case', status: 'workup' }, { countCap: 3, ftsSortLimit });
        assert.deepEqual([search.total, search.totalCapped], [3, true], `search, ftsSortLimit ${ftsSortLimit}`);
        assert.deepEqual(search.rows.map((r) => r.id), expected({ q: 'case', status: 'workup' }));
      }
      const page = await repo.listCases({ limit: 1, offset: 0 });
      assert.deepEqual([page.total, page.totalCapped], [all.length, false], 'the default cap (1,000) is above 42');
    });

    it('pages by cursor through every case once, in order, also with a search and with offsets', async () => {
      for (const filter of [{}, { q: 'case' }, { status: 'tumour_board' as const }, { archived: true }]) {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 20; pages++) {
          const page = await repo.listCases({ ...filter, limit: 4, offset: 0, ...(cursor ? { cursor } : {}) });
          seen.push(...page.items.map((i) => i.id));
          if (page.nextCursor === null) break;
          cursor = page.nextCursor;
        }
        assert.deepEqual(seen, expected(filter), JSON.stringify(filter));
      }
      const first = await repo.listCases({ limit: 5, offset: 0 });
      const second = await repo.listCases({ limit: 5, offset: 5 });
      const byCursor = await repo.listCases({ limit: 5, offset: 0, cursor: first.nextCursor! });
      assert.deepEqual(byCursor.items.map((i) => i.id), second.items.map((i) => i.id), 'cursor and offset agree');
      assert.equal(byCursor.total, first.total, 'the total does not depend on the cursor');
    });

    it('keeps the search index in step with edits and archiving', async () => {
      const c = await repo.createCase({ title: 'Zanzibar mass', status: 'workup', case: DDLPS }, 'ada', new Date(T0 + 3_600_000).toISOString());
      assert.deepEqual((await repo.listCases({ q: 'zanzibar', limit: 10, offset: 0 })).items.map((i) => i.id), [c.id]);
      const renamed = await repo.updateCase(c.id, 1, { title: 'Timbuktu mass', status: 'workup', case: LYMPHOMA }, 'ada', new Date(T0 + 3_700_000).toISOString());
      assert.ok(renamed.ok);
      assert.deepEqual((await repo.listCases({ q: 'zanzibar', limit: 10, offset: 0 })).items, []);
      assert.deepEqual((await repo.listCases({ q: 'timbuktu', limit: 10, offset: 0 })).items.map((i) => i.id), [c.id]);
      assert.deepEqual((await repo.listCases({ q: 'timbuktu', status: 'treatment', limit: 10, offset: 0 })).items, []);
      const archived = await repo.setArchived(c.id, true, 2, 'ada', new Date(T0 + 3_800_000).toISOString());
      assert.ok(archived.ok);
      assert.deepEqual((await repo.listCases({ q: 'timbuktu', limit: 10, offset: 0 })).items, []);
      assert.deepEqual((await repo.listCases({ q: 'timbuktu', archived: true, limit: 10, offset: 0 })).items.map((i) => i.id), [c.id]);
    });

    it('never matches a text that spans the title and the next step', async () => {
      const w = written.find((x) => !x.archived && x.nextStep !== null)!;
      const tail = w.title.slice(-4).toLowerCase();
      const head = w.nextStep!.slice(0, 4).toLowerCase();
      // Each half is found on its own; joined (by the index's separator, a space or nothing) they are not.
      assert.ok((await list({ q: tail })).rows.some((r) => r.id === w.id));
      assert.ok((await list({ q: head })).rows.some((r) => r.id === w.id));
      for (const q of [`${tail}\u001f${head}`, `${tail} ${head}`, `${tail}${head}`]) {
        for (const tuning of [{ countCap: 1000, ftsSortLimit: 1000 }, { countCap: 1000, ftsSortLimit: 0 }]) {
          assert.deepEqual((await list({ q }, tuning)).rows.map((r) => r.id), [], JSON.stringify(q));
        }
      }
    });

    it("scopes every search path to the caller's organisations, from the search copy's own organisation column (migration 0025)", async () => {
      const at = new Date(T0 + 7_200_000).toISOString();
      await repo.organisations.createOrganisation({ id: 'spoke-x', name: 'Spoke X', kind: 'spoke' }, at);
      const mine: { id: string; title: string }[] = [];
      for (let i = 0; i < 6; i++) {
        const title = `Scoped ${i} ${i % 2 === 0 ? 'Kowalski' : 'Nowak'}`;
        const record = await repo.createCase({ title, status: 'workup', case: DDLPS, organisationId: 'spoke-x' }, 'ada', new Date(T0 + 7_200_000 + i * 1000).toISOString());
        mine.unshift({ id: record.id, title });
      }
      const spoke = { userId: 'u-spoke', organisationIds: ['spoke-x'], network: false };
      const home = { userId: 'u-home', organisationIds: ['default'], network: false };
      const tunings = [{ countCap: 1000, ftsSortLimit: 1000 }, { countCap: 1000, ftsSortLimit: 0 }, { countCap: 1000, ftsSortLimit: 2 }];
      for (const q of ['kowalski', 'scoped', 'Ko']) {
        const want = mine.filter((m) => m.title.toLowerCase().includes(q.toLowerCase())).map((m) => m.id);
        for (const tuning of tunings) {
          const page = await listWorklist(db, kind, { q, limit: 100, offset: 0 }, tuning, spoke);
          assert.deepEqual(page.rows.map((r) => r.id), want, `${q} ${JSON.stringify(tuning)}`);
          assert.equal(page.total, want.length);
          const others = await listWorklist(db, kind, { q, limit: 100, offset: 0 }, tuning, home);
          assert.ok(others.rows.every((r) => r.organisation_id === 'default'), `${q}: the home organisation sees none of spoke-x's cases`);
        }
      }
      assert.deepEqual((await listWorklist(db, kind, { q: 'scoped', limit: 100, offset: 0 }, undefined, home)).rows, []);
    });
  });
}

worklistSuite('SQLite', async () => tempSqlite());
worklistSuite('PostgreSQL', freshPostgres);
