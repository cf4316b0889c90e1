import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { evaluate, PRIORITIES } from '../../src/engine/index.ts';
import { SEED_CASE, startTestServer, type TestServer } from '../support/server.ts';

/** The engine's next step for a case: the label of its first strategy priority. */
function nextStepOf(c: unknown): string {
  const r = evaluate(c);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value.strategy.priorities[0]!.label;
}

describe('cases over HTTP', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => s?.close());

  async function create(title = 'Left RPS, 22 cm', c: object = SEED_CASE, status?: string) {
    const r = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title, case: c, ...(status ? { status } : {}) } });
    assert.equal(r.status, 201, r.text);
    return r;
  }

  it('POST creates version 1 with the engine’s stage group and histology; GET returns it', async () => {
    const r = await create();
    assert.equal(r.body.version, 1);
    assert.equal(r.body.status, 'workup');
    assert.equal(r.body.stageGroup, 'IIIB');
    assert.equal(r.body.histology, '8858/3');
    assert.equal(r.body.createdBy, 'clinician');
    assert.equal(r.headers.get('etag'), '"1"');
    assert.equal(r.headers.get('location'), `/api/cases/${r.body.id}`);

    const got = await s.request('GET', `/api/cases/${r.body.id}`, { token: s.tokens.viewer });
    assert.equal(got.status, 200);
    assert.deepEqual(Object.keys(got.body).sort(), ['archived', 'case', 'createdAt', 'createdBy', 'histology', 'id', 'nextStep', 'organisationId', 'stageGroup', 'status', 'title', 'updatedAt', 'updatedBy', 'version'].sort());
    assert.equal(got.body.case.tumor.sizeCm, 22);
    assert.equal(got.body.updatedBy, 'clinician');
  });

  it('invalid case → 400 with the engine’s field paths and messages; nothing stored', async () => {
    const before = (await s.request('GET', '/api/cases?limit=100', { token: s.tokens.viewer })).body.total;
    const r = await s.request('POST', '/api/cases', {
      token: s.tokens.clinician,
      body: { title: '', status: 'lost', case: { tumor: { sizeCm: 0, contacts: ['nope'] }, extra: 1 } },
    });
    assert.equal(r.status, 400);
    const byPath = Object.fromEntries(r.body.errors.map((e: { path: string; message: string }) => [e.path, e.message]));
    assert.match(byPath['title'], /must not be empty/);
    assert.match(byPath['status'], /must be one of/);
    assert.match(byPath['case.tumor.sizeCm'], /must be a positive number ≤ 100/);
    assert.match(byPath['case.tumor.contacts[0]'], /unknown organ id "nope"/);
    assert.equal(byPath['case.extra'], 'is not a recognised field');
    assert.equal((await s.request('GET', '/api/cases?limit=100', { token: s.tokens.viewer })).body.total, before);
  });

  it('PUT with If-Match makes a new version; a stale If-Match → 409; no If-Match → 428', async () => {
    const { body: c } = await create('Versioned');
    const changed = { ...SEED_CASE, tumor: { ...SEED_CASE.tumor, sizeCm: 4 } };
    const put = await s.request('PUT', `/api/cases/${c.id}`, { token: s.tokens.clinician, headers: { 'if-match': '"1"' }, body: { title: 'Versioned', case: changed } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.version, 2);
    assert.equal(put.body.stageGroup, 'II', 'T1 N0 M0 G3 → II: the stage group follows the engine on every write');
    assert.equal(put.headers.get('etag'), '"2"');

    const stale = await s.request('PUT', `/api/cases/${c.id}`, { token: s.tokens.clinician, headers: { 'if-match': '"1"' }, body: { title: 'Lost', case: SEED_CASE } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.errors[0].path, 'headers.if-match');
    assert.equal(stale.headers.get('etag'), '"2"');

    const missing = await s.request('PUT', `/api/cases/${c.id}`, { token: s.tokens.clinician, body: { title: 'x', case: SEED_CASE } });
    assert.equal(missing.status, 428);
    const bad = await s.request('PUT', `/api/cases/${c.id}`, { token: s.tokens.clinician, headers: { 'if-match': 'yesterday' }, body: { title: 'x', case: SEED_CASE } });
    assert.equal(bad.status, 400);
    const absent = await s.request('PUT', '/api/cases/00000000-0000-0000-0000-000000000000', { token: s.tokens.clinician, headers: { 'if-match': '1' }, body: { title: 'x', case: SEED_CASE } });
    assert.equal(absent.status, 404);

    const now = await s.request('GET', `/api/cases/${c.id}`, { token: s.tokens.viewer });
    assert.equal(now.body.title, 'Versioned');
    assert.equal(now.body.status, 'workup', 'status left out of PUT stays as it was');
    assert.equal(now.body.case.tumor.sizeCm, 4);
  });

  it('versions list author, time and changed fields; each version is retrievable as written', async () => {
    const { body: c } = await create('History');
    await s.request('PUT', `/api/cases/${c.id}`, {
      token: s.tokens.admin,
      headers: { 'if-match': '1' },
      body: { title: 'History (renamed)', status: 'tumour_board', case: { ...SEED_CASE, surgery: { margin: 'R1' } } },
    });
    const list = await s.request('GET', `/api/cases/${c.id}/versions`, { token: s.tokens.viewer });
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.items.map((v: { version: number; author: string; action: string }) => [v.version, v.author, v.action]),
      [
        [1, 'clinician', 'create'],
        [2, 'admin', 'update'],
      ],
    );
    assert.deepEqual(list.body.items[1].changedFields, ['title', 'status', 'case.surgery']);
    assert.ok(!Number.isNaN(Date.parse(list.body.items[1].createdAt)));

    const v1 = await s.request('GET', `/api/cases/${c.id}/versions/1`, { token: s.tokens.viewer });
    assert.equal(v1.status, 200);
    assert.equal(v1.body.title, 'History');
    assert.equal(v1.body.case.surgery, undefined);
    const v2 = await s.request('GET', `/api/cases/${c.id}/versions/2`, { token: s.tokens.viewer });
    assert.equal(v2.body.case.surgery.margin, 'R1');
    assert.equal((await s.request('GET', `/api/cases/${c.id}/versions/3`, { token: s.tokens.viewer })).status, 404);
    assert.equal((await s.request('GET', `/api/cases/${c.id}/versions/zero`, { token: s.tokens.viewer })).status, 400);
    assert.equal((await s.request('GET', '/api/cases/nope/versions', { token: s.tokens.viewer })).status, 404);
  });

  it('GET /evaluation is the engine’s evaluation of the current version', async () => {
    const { body: c } = await create('Evaluated');
    const r = await s.request('GET', `/api/cases/${c.id}/evaluation`, { token: s.tokens.viewer });
    assert.equal(r.status, 200);
    assert.equal(r.body.id, c.id);
    assert.equal(r.body.version, 1);
    assert.equal(r.body.evaluation.stage.group, 'IIIB');
    assert.equal(r.body.evaluation.stage.t, 'T4');
    assert.ok(Array.isArray(r.body.evaluation.stage.reasons) && r.body.evaluation.stage.reasons.length > 0);
    assert.equal((await s.request('GET', '/api/cases/nope/evaluation', { token: s.tokens.viewer })).status, 404);
  });

  it('POST /api/evaluate evaluates without storing', async () => {
    const before = (await s.request('GET', '/api/cases?limit=1', { token: s.tokens.viewer })).body.total;
    const r = await s.request('POST', '/api/evaluate', { token: s.tokens.viewer, body: { tumor: { sizeCm: 4 }, pathology: { grade: 'G1' } } });
    assert.equal(r.status, 200);
    assert.equal(r.body.stage.group, 'IA');
    const bad = await s.request('POST', '/api/evaluate', { token: s.tokens.viewer, body: { tumor: { sizeCm: 'big' } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors[0].path, 'tumor.sizeCm');
    assert.equal((await s.request('GET', '/api/cases?limit=1', { token: s.tokens.viewer })).body.total, before);
  });

  it('lists with paging and filters by status, stage group, histology and title words', async () => {
    const tag = `zeta${Date.now()}`;
    const a = (await create(`${tag} alpha`, SEED_CASE, 'treatment')).body;
    const b = (await create(`${tag} beta`, { tumor: { sizeCm: 4 }, pathology: { histology: '8850/3', grade: 'G1' } })).body;
    const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((i) => i.id);
    const list = (q: string) => s.request('GET', `/api/cases?q=${tag}${q}`, { token: s.tokens.viewer });

    assert.deepEqual(ids(await list('')), [b.id, a.id]);
    assert.deepEqual(ids(await list('&status=treatment')), [a.id]);
    assert.deepEqual(ids(await list('&stageGroup=IA')), [b.id]);
    assert.deepEqual(ids(await list('&histology=8858%2F3')), [a.id]);
    const page = await list('&limit=1&offset=1');
    assert.equal(page.body.total, 2);
    assert.equal(page.body.limit, 1);
    assert.deepEqual(ids(page), [a.id]);
    assert.equal((await list('&limit=0')).status, 400);
    assert.equal((await list('&status=unknown')).status, 400);
    assert.equal((await s.request('GET', `/api/cases?q=${encodeURIComponent("' OR 1=1 --")}`, { token: s.tokens.viewer })).body.total, 0);
  });

  it('list items carry the engine’s next step, which follows the strategy on every write', async () => {
    const tag = `nextstep${Date.now()}`;
    const small = { tumor: { sizeCm: 4 }, pathology: { histology: '8850/3', grade: 'G1' } };
    const a = (await create(`${tag} seed`)).body;
    const b = (await create(`${tag} small`, small)).body;
    const list = async () => (await s.request('GET', `/api/cases?q=${tag}`, { token: s.tokens.viewer })).body.items as { id: string; nextStep: string | null }[];
    assert.deepEqual(
      (await list()).map((i) => [i.id, i.nextStep]),
      [
        [b.id, nextStepOf(small)],
        [a.id, nextStepOf(SEED_CASE)],
      ],
    );
    assert.equal(a.nextStep, PRIORITIES['en-bloc-resection'].label);

    const lymphoma = JSON.parse(readFileSync(new URL('../../examples/lymphoma.json', import.meta.url), 'utf8')) as unknown;
    const put = await s.request('PUT', `/api/cases/${a.id}`, { token: s.tokens.clinician, headers: { 'if-match': '"1"' }, body: { title: `${tag} seed`, case: lymphoma } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.nextStep, PRIORITIES['no-resection'].label);
    const after = await list();
    assert.equal(after.find((i) => i.id === a.id)?.nextStep, PRIORITIES['no-resection'].label, 'a lymphoma is not resected: the list follows');
  });

  it('DELETE archives (soft) as a new version; archived cases refuse writes; an admin restores', async () => {
    const { body: c } = await create('Archive me');
    const bare = await s.request('DELETE', `/api/cases/${c.id}`, { token: s.tokens.clinician });
    assert.equal(bare.status, 428, 'DELETE, like PUT, names the version it acts on');
    assert.deepEqual(bare.body.errors.map((e: { path: string }) => e.path), ['headers.if-match']);
    assert.equal((await s.request('GET', `/api/cases/${c.id}`, { token: s.tokens.viewer })).body.archived, false, 'a refused DELETE archives nothing');
    const del = await s.request('DELETE', `/api/cases/${c.id}`, { token: s.tokens.clinician, headers: { 'if-match': '"1"' } });
    assert.equal(del.status, 200);
    assert.equal(del.body.archived, true);
    assert.equal(del.body.version, 2);

    const got = await s.request('GET', `/api/cases/${c.id}`, { token: s.tokens.viewer });
    assert.equal(got.status, 200, 'an archived case is still readable: nothing is lost');
    assert.equal(got.body.archived, true);
    const listed = await s.request('GET', '/api/cases?q=Archive%20me', { token: s.tokens.viewer });
    assert.equal(listed.body.total, 0);
    const archivedList = await s.request('GET', '/api/cases?q=Archive%20me&archived=true', { token: s.tokens.viewer });
    assert.deepEqual(archivedList.body.items.map((i: { id: string }) => i.id), [c.id]);

    assert.equal((await s.request('PUT', `/api/cases/${c.id}`, { token: s.tokens.clinician, headers: { 'if-match': '2' }, body: { title: 'x', case: SEED_CASE } })).status, 409);
    assert.equal((await s.request('DELETE', `/api/cases/${c.id}`, { token: s.tokens.clinician, headers: { 'if-match': '2' } })).status, 409);
    assert.equal((await s.request('POST', `/api/cases/${c.id}/restore`, { token: s.tokens.clinician })).status, 403);

    const restored = await s.request('POST', `/api/cases/${c.id}/restore`, { token: s.tokens.admin });
    assert.equal(restored.status, 200);
    assert.equal(restored.body.archived, false);
    assert.equal(restored.body.version, 3);
    assert.equal((await s.request('POST', `/api/cases/${c.id}/restore`, { token: s.tokens.admin })).status, 409);
    const versions = await s.request('GET', `/api/cases/${c.id}/versions`, { token: s.tokens.viewer });
    assert.deepEqual(versions.body.items.map((v: { action: string }) => v.action), ['create', 'archive', 'restore']);
    assert.equal((await s.request('DELETE', `/api/cases/${c.id}`, { token: s.tokens.clinician, headers: { 'if-match': '1' } })).status, 409);
    const stale = await s.request('DELETE', `/api/cases/${c.id}`, { token: s.tokens.clinician, headers: { 'if-match': '1' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.headers.get('etag'), '"3"');
    assert.equal((await s.request('GET', `/api/cases/${c.id}`, { token: s.tokens.viewer })).body.version, 3, 'a stale DELETE changes nothing');
    assert.equal((await s.request('DELETE', '/api/cases/nope', { token: s.tokens.clinician, headers: { 'if-match': '1' } })).status, 404);
  });

  it('tumour-board decisions: validated (strategyIds are strings), kept with the case version, listed', async () => {
    const { body: c } = await create('Board');
    const decision = { date: '2026-02-03', attendees: ['sarcoma surgeon', 'radiologist', 'pathologist'], decision: 'Resect en bloc with the left kidney', strategyIds: ['surgery-first'] };
    const r = await s.request('POST', `/api/cases/${c.id}/decisions`, { token: s.tokens.clinician, body: decision });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.caseVersion, 1);
    assert.equal(r.body.author, 'clinician');

    const bad = await s.request('POST', `/api/cases/${c.id}/decisions`, { token: s.tokens.clinician, body: { ...decision, date: '2026-02-30', strategyIds: [1, null] } });
    assert.equal(bad.status, 400);
    const paths = bad.body.errors.map((e: { path: string }) => e.path).sort();
    assert.deepEqual(paths, ['date', 'strategyIds[0]', 'strategyIds[1]']);

    const list = await s.request('GET', `/api/cases/${c.id}/decisions`, { token: s.tokens.viewer });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items, [r.body]);
    assert.equal((await s.request('POST', '/api/cases/nope/decisions', { token: s.tokens.clinician, body: decision })).status, 404);
    assert.equal((await s.request('GET', '/api/cases/nope/decisions', { token: s.tokens.viewer })).status, 404);
  });
});
