/**
 * Repository.caseBodies (the centre audit's read), on both dialects: every unarchived case with its
 * body, in pages of the size asked, in id order, each page one keyset query. Expectations from the
 * cases this test writes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openRepository, type Repository } from '../../src/store/index.ts';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';

function suite(name: string, makeDatabase: () => Promise<TestDatabase>): void {
  describe(`caseBodies on ${name}`, () => {
    let database: TestDatabase;
    let repo: Repository;
    const live: { id: string; title: string; size: number }[] = [];

    before(async () => {
      database = await makeDatabase();
      repo = await openRepository(database.config);
      const now = new Date().toISOString();
      for (let i = 0; i < 8; i++) {
        const r = await repo.createCase({ title: `Case ${i}`, status: 'workup', case: { patient: {}, presentation: 'primary', tumor: { sizeCm: 10 + i }, pathology: {} } }, 'u', now);
        if (i === 3) await repo.setArchived(r.id, true, r.version, 'u', now);
        else live.push({ id: r.id, title: `Case ${i}`, size: 10 + i });
      }
      live.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    });
    after(async () => {
      await repo?.close();
      await database?.drop();
    });

    it('pages of 3: 3 + 3 + 1 of the 7 unarchived cases, in id order, bodies included', async () => {
      const pages: { id: string; title: string; size: number }[][] = [];
      for await (const page of repo.caseBodies(3)) pages.push(page.map((c) => ({ id: c.id, title: c.title, size: (c.case as { tumor: { sizeCm: number } }).tumor.sizeCm })));
      assert.deepEqual(pages.map((p) => p.length), [3, 3, 1]);
      assert.deepEqual(pages.flat(), live);
    });

    it('a page size that divides the count exactly ends without an empty page; a bad size is refused', async () => {
      const sizes: number[] = [];
      for await (const page of repo.caseBodies(7)) sizes.push(page.length);
      assert.deepEqual(sizes, [7]);
      await assert.rejects(async () => {
        for await (const page of repo.caseBodies(0)) void page;
      }, RangeError);
    });
  });
}

suite('SQLite', async () => tempSqlite());
suite('PostgreSQL', freshPostgres);
