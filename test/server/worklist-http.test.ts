import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';

describe('GET /api/cases: cursor paging and capped total over HTTP', () => {
  let s: TestServer;
  const ids: string[] = [];
  const tag = `cursor${Date.now()}`;

  before(async () => {
    s = await startTestServer();
    for (let i = 0; i < 5; i++) {
      const r = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: `${tag} ${i}`, case: { tumor: { sizeCm: 5 + i } } } });
      assert.equal(r.status, 201);
      ids.unshift(r.body.id as string);
    }
  });
  after(async () => s.close());

  it('walks every page with nextCursor, newest change first, and reports the total with totalCapped', async () => {
    const seen: string[] = [];
    let path = `/api/cases?q=${tag}&limit=2`;
    for (let i = 0; i < 5; i++) {
      const r = await s.request('GET', path, { token: s.tokens.viewer });
      assert.equal(r.status, 200);
      assert.equal(r.body.total, 5);
      assert.equal(r.body.totalCapped, false);
      seen.push(...(r.body.items as { id: string }[]).map((c) => c.id));
      if (r.body.nextCursor === null) break;
      path = `/api/cases?q=${tag}&limit=2&cursor=${encodeURIComponent(r.body.nextCursor as string)}`;
    }
    assert.deepEqual(seen, ids);
  });

  it('refuses a cursor it did not hand out, naming the parameter', async () => {
    for (const cursor of ['not a cursor', 'eyJub3QiOiJhbiBhcnJheSJ9', 'x'.repeat(900)]) {
      const r = await s.request('GET', `/api/cases?cursor=${encodeURIComponent(cursor)}`, { token: s.tokens.viewer });
      assert.equal(r.status, 400, cursor);
      assert.match(r.body.errors[0].path, /cursor/);
    }
  });
});
