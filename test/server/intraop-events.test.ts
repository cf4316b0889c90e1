/**
 * POST/GET /api/cases/:id/intraop against a listening server. Expected decisions come
 * from REFERENCE-2 §1 by hand: a criterion of unresectability found in theatre means
 * only an R2 resection is possible, so the operation stops for re-planning (§1.1);
 * a rupture is documented and the resection goes on (§1.3).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshPostgres, type TestDatabase } from '../support/databases.ts';
import { SEED_CASE, startTestServer, type TestServer } from '../support/server.ts';

describe('intra-operative events API', () => {
  let s: TestServer;
  let caseId: string;

  before(async () => {
    s = await startTestServer();
    const created = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'Theatre', case: SEED_CASE } });
    assert.equal(created.status, 201, created.text);
    caseId = created.body.id;
  });
  after(async () => s?.close());

  it('a criterion of unresectability: 201, stop and re-plan, R2 expected, stored with version, author and findings', async () => {
    const findings = [{ type: 'unresectable', criterion: 'peritoneal_deposits' }];
    const r = await s.request('POST', `/api/cases/${caseId}/intraop`, { token: s.tokens.clinician, body: { findings } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.caseId, caseId);
    assert.equal(r.body.caseVersion, 1);
    assert.equal(r.body.author, 'clinician');
    assert.deepEqual(r.body.findings, findings);
    assert.equal(r.body.decision.intent, 'stop-and-replan');
    assert.equal(r.body.decision.expectedMargin.status, 'gross-residual-expected');
    assert.equal(r.body.decision.decisions[0].recommended.id, 'stop-expected-r2');
    assert.ok(r.body.decision.sources.length > 0, 'the decision names its sources');
    assert.ok(Math.abs(Date.parse(r.body.createdAt) - Date.now()) < 60_000);
  });

  it('a rupture on a later version: the resection continues, the rupture is documented; listed newest first', async () => {
    const current = await s.request('GET', `/api/cases/${caseId}`, { token: s.tokens.viewer });
    const put = await s.request('PUT', `/api/cases/${caseId}`, {
      token: s.tokens.clinician,
      headers: { 'if-match': current.headers.get('etag')! },
      body: { title: 'Theatre', case: { ...SEED_CASE, patient: { ageYears: 59, sex: 'male' } } },
    });
    assert.equal(put.status, 200, put.text);
    const r = await s.request('POST', `/api/cases/${caseId}/intraop`, { token: s.tokens.admin, body: { findings: [{ type: 'rupture', extent: 'gross_spillage' }] } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.caseVersion, 2);
    assert.equal(r.body.author, 'admin');
    assert.equal(r.body.decision.intent, 'continue-curative');
    assert.equal(r.body.decision.decisions[0].recommended.id, 'continue-and-document-rupture');
    assert.ok(r.body.decision.documentation.some((d: { id: string }) => d.id === 'rupture-record'));

    const list = await s.request('GET', `/api/cases/${caseId}/intraop`, { token: s.tokens.viewer });
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(
      list.body.items.map((e: { caseVersion: number; author: string; findings: unknown; decision: { intent: string } }) => [e.caseVersion, e.author, e.findings, e.decision.intent]),
      [
        [2, 'admin', [{ type: 'rupture', extent: 'gross_spillage' }], 'continue-curative'],
        [1, 'clinician', [{ type: 'unresectable', criterion: 'peritoneal_deposits' }], 'stop-and-replan'],
      ],
    );
    assert.ok(list.body.items[0].id > list.body.items[1].id);
  });

  it('invalid findings: 400 naming the field; nothing stored', async () => {
    const before = (await s.request('GET', `/api/cases/${caseId}/intraop`, { token: s.tokens.viewer })).body.items.length;
    const bad = await s.request('POST', `/api/cases/${caseId}/intraop`, { token: s.tokens.clinician, body: { findings: [{ type: 'infiltration', structure: 'not_an_organ' }] } });
    assert.equal(bad.status, 400, bad.text);
    assert.deepEqual(bad.body.errors.map((e: { path: string }) => e.path), ['findings[0].structure']);
    const empty = await s.request('POST', `/api/cases/${caseId}/intraop`, { token: s.tokens.clinician, body: { findings: [] } });
    assert.equal(empty.status, 400);
    assert.deepEqual(empty.body.errors, [{ path: 'findings', message: 'must list at least one finding' }]);
    const missing = await s.request('POST', `/api/cases/${caseId}/intraop`, { token: s.tokens.clinician, body: {} });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.errors, [{ path: 'findings', message: 'is required' }]);
    const after = (await s.request('GET', `/api/cases/${caseId}/intraop`, { token: s.tokens.viewer })).body.items.length;
    assert.equal(after, before);
  });

  it('unknown case: 404 on both routes', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const post = await s.request('POST', `/api/cases/${id}/intraop`, { token: s.tokens.clinician, body: { findings: [{ type: 'bleeding' }] } });
    assert.equal(post.status, 404);
    assert.deepEqual(post.body, { errors: [{ path: '', message: 'no such case' }] });
    assert.equal((await s.request('GET', `/api/cases/${id}/intraop`, { token: s.tokens.viewer })).status, 404);
  });

  it('roles: a viewer may read but not record; anonymous neither', async () => {
    const body = { findings: [{ type: 'bleeding' }] };
    assert.equal((await s.request('POST', `/api/cases/${caseId}/intraop`, { token: s.tokens.viewer, body })).status, 403);
    assert.equal((await s.request('POST', `/api/cases/${caseId}/intraop`, { body })).status, 401);
    assert.equal((await s.request('GET', `/api/cases/${caseId}/intraop`)).status, 401);
    assert.equal((await s.request('GET', `/api/cases/${caseId}/intraop`, { token: s.tokens.viewer })).status, 200);
  });

  it('every call is audited: success, failure and denial, with the case id', async () => {
    const entries = await s.repo.listAudit({ action: 'case.intraop.create', limit: 50 });
    const outcomes = entries.filter((e) => e.objectId === caseId).map((e) => [e.actor, e.outcome, e.statusCode]);
    assert.deepEqual(outcomes.reverse(), [
      ['clinician', 'success', 201],
      ['admin', 'success', 201],
      ['clinician', 'failure', 400],
      ['clinician', 'failure', 400],
      ['clinician', 'failure', 400],
      ['viewer', 'denied', 403],
    ]); // calls without credentials are counted in aggregate (request.unauthenticated), not one row each
    const reads = await s.repo.listAudit({ action: 'case.intraop.list', objectId: caseId, limit: 50 });
    assert.ok(reads.some((e) => e.actor === 'viewer' && e.outcome === 'success'));
  });

  it('an archived case refuses new events (409) and still lists its old ones', async () => {
    const current = await s.request('GET', `/api/cases/${caseId}`, { token: s.tokens.viewer });
    const del = await s.request('DELETE', `/api/cases/${caseId}`, { token: s.tokens.clinician, headers: { 'if-match': String(current.body.version) } });
    assert.equal(del.status, 200, del.text);
    const r = await s.request('POST', `/api/cases/${caseId}/intraop`, { token: s.tokens.clinician, body: { findings: [{ type: 'bleeding' }] } });
    assert.equal(r.status, 409);
    assert.deepEqual(r.body, { errors: [{ path: '', message: 'the case is archived; an admin can restore it' }] });
    const list = await s.request('GET', `/api/cases/${caseId}/intraop`, { token: s.tokens.viewer });
    assert.equal(list.body.items.length, 2);
  });
});

describe('intra-operative events and practice attempts on PostgreSQL', () => {
  let db: TestDatabase;
  let s: TestServer;

  before(async () => {
    db = await freshPostgres();
    s = await startTestServer({ testDatabase: db });
  });
  after(async () => {
    await s?.close();
    await db?.drop();
  });

  it('stores and reads back both kinds of event', async () => {
    const created = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'PG theatre', case: SEED_CASE } });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id;
    for (const findings of [[{ type: 'bleeding' }], [{ type: 'unresectable', criterion: 'distant_metastasis' }]]) {
      const r = await s.request('POST', `/api/cases/${id}/intraop`, { token: s.tokens.clinician, body: { findings } });
      assert.equal(r.status, 201, r.text);
    }
    const list = await s.request('GET', `/api/cases/${id}/intraop`, { token: s.tokens.viewer });
    assert.deepEqual(list.body.items.map((e: { caseVersion: number; findings: { type: string }[] }) => [e.caseVersion, e.findings[0]!.type]), [[1, 'unresectable'], [1, 'bleeding']]);
    assert.equal(typeof list.body.items[0].id, 'number');

    // 80 blocks against 69 (p = 0.01, 50 %): 16 % off → half credit; 0.5 survives as a double.
    const attempt = await s.request('POST', '/api/practice/cases/29-margin-sampling/attempts', { token: s.tokens.viewer, body: { answers: { 'model/blocks-50': 80 } } });
    assert.equal(attempt.status, 201, attempt.text);
    const own = await s.request('GET', '/api/practice/attempts', { token: s.tokens.viewer });
    assert.deepEqual(own.body.items.map((a: { caseId: string; score: number; max: number }) => [a.caseId, a.score, a.max]), [['29-margin-sampling', 0.5, 2]]);
  });
});
