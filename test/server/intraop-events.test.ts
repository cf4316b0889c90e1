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

  it('a client id sent twice, also at once, is stored once (unique index on PostgreSQL)', async () => {
    const created = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'PG offline', case: SEED_CASE } });
    const id = created.body.id;
    const body = { kind: 'note', note: 'Specimen inked and oriented', clientId: 'pg-client-0001', takenOnVersion: 1 };
    const sends = await Promise.all([1, 2, 3].map(() => s.request('POST', `/api/cases/${id}/intraop`, { token: s.tokens.clinician, body })));
    assert.deepEqual(sends.map((r) => r.status).sort(), [200, 200, 201]);
    const list = await s.request('GET', `/api/cases/${id}/intraop`, { token: s.tokens.viewer });
    assert.deepEqual(list.body.items.map((e: { clientId: string; kind: string; note: string }) => [e.clientId, e.kind, e.note]), [['pg-client-0001', 'note', 'Specimen inked and oriented']]);
  });
});

describe('the offline theatre log: client ids, the version seen, decisions and notes', () => {
  let s: TestServer;
  let caseId: string;
  const list = async () => (await s.request('GET', `/api/cases/${caseId}/intraop`, { token: s.tokens.viewer })).body.items as { id: number; kind: string; clientId: string | null; note: string | null; takenOnVersion: number | null; caseVersion: number; recordedAt: string | null }[];

  before(async () => {
    s = await startTestServer();
    const created = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'Offline theatre', case: SEED_CASE } });
    assert.equal(created.status, 201, created.text);
    caseId = created.body.id;
  });
  after(async () => s?.close());

  it('the same client id sent twice is stored once: 201, then 200 with the stored event', async () => {
    const body = { findings: [{ type: 'bleeding' }], clientId: 'a1b2c3d4-0001', takenOnVersion: 1, recordedAt: '2026-12-01T09:15:00.000Z' };
    const first = await s.request('POST', `/api/cases/${caseId}/intraop`, { token: s.tokens.clinician, body });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.duplicate, false);
    assert.equal(first.body.caseChanged, false);
    assert.equal(first.body.clientId, 'a1b2c3d4-0001');
    assert.equal(first.body.recordedAt, '2026-12-01T09:15:00.000Z');
    assert.equal(first.body.kind, 'finding');
    const again = await s.request('POST', `/api/cases/${caseId}/intraop`, { token: s.tokens.clinician, body });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.duplicate, true);
    assert.equal(again.body.id, first.body.id);
    // Two sends at once (a retry racing the first): still one row.
    const both = await Promise.all([1, 2].map(() => s.request('POST', `/api/cases/${caseId}/intraop`, { token: s.tokens.clinician, body: { ...body, clientId: 'a1b2c3d4-0002' } })));
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 201]);
    const items = await list();
    assert.deepEqual(items.map((e) => e.clientId), ['a1b2c3d4-0002', 'a1b2c3d4-0001']);
  });

  it('an entry taken on an older version is stored, flagged caseChanged, decided on the current version', async () => {
    const current = await s.request('GET', `/api/cases/${caseId}`, { token: s.tokens.viewer });
    const put = await s.request('PUT', `/api/cases/${caseId}`, { token: s.tokens.clinician, headers: { 'if-match': current.headers.get('etag')! }, body: { title: 'Offline theatre', case: { ...SEED_CASE, patient: { ageYears: 61, sex: 'male' } } } });
    assert.equal(put.status, 200, put.text);
    const r = await s.request('POST', `/api/cases/${caseId}/intraop`, { token: s.tokens.clinician, body: { findings: [{ type: 'rupture', extent: 'focal_capsular_breach' }], clientId: 'a1b2c3d4-0003', takenOnVersion: 1 } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.caseChanged, true);
    assert.equal(r.body.takenOnVersion, 1);
    assert.equal(r.body.caseVersion, 2);
    assert.equal(r.body.decision.decisions[0].recommended.id, 'continue-and-document-rupture');
  });

  it('a decision and a note: stored with their text, no engine decision; each needs its text', async () => {
    const decision = await s.request('POST', `/api/cases/${caseId}/intraop`, { token: s.tokens.clinician, body: { kind: 'decision', note: 'Left colon taken en bloc', clientId: 'a1b2c3d4-0004', takenOnVersion: 2 } });
    assert.equal(decision.status, 201, decision.text);
    assert.equal(decision.body.kind, 'decision');
    assert.equal(decision.body.note, 'Left colon taken en bloc');
    assert.equal(decision.body.decision, null);
    assert.deepEqual(decision.body.findings, []);
    const note = await s.request('POST', `/api/cases/${caseId}/intraop`, { token: s.tokens.clinician, body: { kind: 'note', note: 'Clips on the psoas margin' } });
    assert.equal(note.status, 201, note.text);
    const before = (await list()).length;
    const cases: [unknown, { path: string; message: string }[]][] = [
      [{ kind: 'note' }, [{ path: 'note', message: 'is required' }]],
      [{ kind: 'note', note: '   ' }, [{ path: 'note', message: 'must not be empty' }]],
      [{ kind: 'decision', note: 'x', findings: [{ type: 'bleeding' }] }, [{ path: 'findings', message: 'only a finding entry lists findings' }]],
      [{ kind: 'remark', note: 'x' }, [{ path: 'kind', message: 'must be one of finding, decision, note' }]],
      [{ findings: [{ type: 'bleeding' }], clientId: 'no spaces allowed' }, [{ path: 'clientId', message: 'must be 8 to 64 letters, digits or hyphens' }]],
      [{ findings: [{ type: 'bleeding' }], takenOnVersion: 0 }, [{ path: 'takenOnVersion', message: 'must be at least 1' }]],
      [{ findings: [{ type: 'bleeding' }], recordedAt: 'yesterday' }, [{ path: 'recordedAt', message: 'must be an ISO 8601 date-time' }]],
    ];
    for (const [body, errors] of cases) {
      const r = await s.request('POST', `/api/cases/${caseId}/intraop`, { token: s.tokens.clinician, body });
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.text}`);
      assert.deepEqual(r.body.errors, errors, JSON.stringify(body));
    }
    assert.equal((await list()).length, before);
  });
});
