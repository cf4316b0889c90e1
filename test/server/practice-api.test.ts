/**
 * Practice cases and attempts over HTTP. Expected numbers by hand:
 * - margin sampling (seed chapter): the smallest n with 1 − (1 − p)^n ≥ target; p = 0.01:
 *   95 % → ln 0.05 / ln 0.99 = 298.07 → 299 blocks; 50 % → ln 0.5 / ln 0.99 = 68.97 → 69.
 *   An answer within 5 % scores 1, within 20 % 0.5 (80 vs 69 is 16 % off → 0.5).
 * - pseudocapsule model: P = 1 − (1 − e^(−c/ℓ))(1 − φ); c = 1, ℓ = 3, φ = 0 → e^(−1/3) = 0.717 ≈ 0.72.
 * - a large fatty left retroperitoneal mass: well-differentiated liposarcoma (8851/3), a sarcoma;
 *   en bloc with the descending colon, left kidney and left psoas — two of the three named
 *   scores the overlap 2/3.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysOf(v, into);
    }
  }
  return into;
}

describe('practice API', () => {
  let s: TestServer;

  before(async () => {
    s = await startTestServer();
  });
  after(async () => s?.close());

  it('lists the practice cases with title, topics and stage count', async () => {
    const r = await s.request('GET', '/api/practice/cases', { token: s.tokens.viewer });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.items.length >= 30, `${r.body.items.length} cases`);
    assert.deepEqual(
      r.body.items.find((c: { id: string }) => c.id === '01-left-fatty-mass-wdlps'),
      { id: '01-left-fatty-mass-wdlps', title: 'A large, slow-growing fatty mass in the left retroperitoneum', topics: ['diagnosis', 'staging', 'planning', 'surveillance'], stages: 4 },
    );
    assert.deepEqual(r.body.items.find((c: { id: string }) => c.id === '29-margin-sampling'), { id: '29-margin-sampling', title: 'How many blocks find a focally positive margin?', topics: ['margins'], stages: 1 });
  });

  it('a case is served with its questions (prompt, mode, options) and never its expected answers', async () => {
    const r = await s.request('GET', '/api/practice/cases/01-left-fatty-mass-wdlps', { token: s.tokens.viewer });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.stages.map((st: { id: string; questions: unknown[] }) => [st.id, st.questions.length]), [['presentation', 3], ['biopsy', 3], ['plan', 3], ['follow-up', 1]]);
    const q = r.body.stages[0].questions[0];
    assert.equal(q.id, 'diagnosis');
    assert.equal(q.prompt, 'What is the leading diagnosis now?');
    assert.equal(q.mode, 'single');
    assert.ok(q.options.some((o: { value: string }) => o.value === '8851/3'));
    assert.ok(typeof r.body.stages[0].story === 'string' && r.body.stages[0].case.tumor);
    const keys = keysOf(r.body);
    for (const forbidden of ['expected', 'expectedLabel', 'explanation', 'otherOptions', 'score']) assert.ok(!keys.has(forbidden), `${forbidden} must not be served before an attempt`);
    for (const id of ['28-pseudocapsule-model', '29-margin-sampling']) {
      const view = await s.request('GET', `/api/practice/cases/${id}`, { token: s.tokens.viewer });
      assert.ok(!keysOf(view.body).has('expected'));
      assert.ok(!/"(299|69|0\.72|0\.76)"|:(299|69|0\.72|0\.76)[,}]/.test(view.text), 'the numeric answers are not in the view');
    }
    assert.equal((await s.request('GET', '/api/practice/cases/no-such-case', { token: s.tokens.viewer })).status, 404);
  });

  it("the numeric exercises' parameters are served (the web app marks a stage with them), not their answers", async () => {
    const r = await s.request('GET', '/api/practice/cases/29-margin-sampling', { token: s.tokens.viewer });
    assert.equal(r.status, 200, r.text);
    // The case file: p = 0.01 at 95 % and at 50 % detection.
    assert.deepEqual(
      r.body.stages[0].questions.map((q: { id: string; mode: string; parameters?: unknown }) => [q.id, q.mode, q.parameters]),
      [
        ['blocks-95', 'number', { involvedFraction: 0.01, detection: 0.95 }],
        ['blocks-50', 'number', { involvedFraction: 0.01, detection: 0.5 }],
      ],
    );
    const single = await s.request('GET', '/api/practice/cases/31-grading-arithmetic', { token: s.tokens.viewer });
    assert.ok(single.body.stages[0].questions.every((q: object) => !('parameters' in q)), 'questions without parameters carry none');
  });

  it('an attempt is marked, stored and returned with the answers and explanations', async () => {
    const r = await s.request('POST', '/api/practice/cases/29-margin-sampling/attempts', {
      token: s.tokens.viewer,
      body: { answers: { 'model/blocks-95': 299, 'model/blocks-50': 80 } },
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.caseId, '29-margin-sampling');
    assert.equal(r.body.userId, s.userIds.viewer);
    assert.equal(r.body.username, 'viewer');
    assert.equal(r.body.score, 1.5);
    assert.equal(r.body.max, 2);
    assert.deepEqual(r.body.marks.map((m: { stage: string; question: string; score: number; given: unknown; expected: unknown }) => [m.stage, m.question, m.score, m.given, m.expected]), [
      ['model', 'blocks-95', 1, 299, 299],
      ['model', 'blocks-50', 0.5, 80, 69],
    ]);
    assert.ok(r.body.marks[0].explanation.length > 0 && r.body.marks[0].sources.includes('SEED'));

    const wdlps = await s.request('POST', '/api/practice/cases/01-left-fatty-mass-wdlps/attempts', {
      token: s.tokens.viewer,
      body: { answers: { 'presentation/diagnosis': '8851/3', 'presentation/sarcoma': 'not-yet-known', 'plan/en-bloc': ['colon_descending', 'kidney_left'] } },
    });
    assert.equal(wdlps.status, 201, wdlps.text);
    assert.equal(wdlps.body.max, 10);
    assert.equal(wdlps.body.score, 2.6667);
    const byQuestion = Object.fromEntries(wdlps.body.marks.map((m: { stage: string; question: string; score: number }) => [`${m.stage}/${m.question}`, m.score]));
    assert.equal(byQuestion['presentation/diagnosis'], 1);
    assert.equal(byQuestion['presentation/sarcoma'], 1);
    assert.ok(Math.abs(byQuestion['plan/en-bloc'] - 2 / 3) < 1e-9);
    assert.equal(byQuestion['follow-up/interval'], 0, 'unanswered scores 0');

    const clinician = await s.request('POST', '/api/practice/cases/28-pseudocapsule-model/attempts', { token: s.tokens.clinician, body: { answers: { 'model/capsule-1mm': 0.72 } } });
    assert.equal(clinician.status, 201, clinician.text);
    assert.equal(clinician.body.score, 1);
    assert.equal(clinician.body.max, 2);
  });

  it('bad attempts: 400 naming the field; unknown case 404', async () => {
    const unknown = await s.request('POST', '/api/practice/cases/29-margin-sampling/attempts', { token: s.tokens.viewer, body: { answers: { 'model/nope': 1 } } });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body.errors.map((e: { path: string }) => e.path), ['answers.model/nope']);
    const wrongType = await s.request('POST', '/api/practice/cases/29-margin-sampling/attempts', { token: s.tokens.viewer, body: { answers: { 'model/blocks-95': { n: 1 } } } });
    assert.equal(wrongType.status, 400);
    assert.ok(wrongType.body.errors.every((e: { path: string }) => e.path.startsWith('answers')), wrongType.text);
    const missing = await s.request('POST', '/api/practice/cases/29-margin-sampling/attempts', { token: s.tokens.viewer, body: {} });
    assert.deepEqual(missing.body, { errors: [{ path: 'answers', message: 'is required' }] });
    assert.equal((await s.request('POST', '/api/practice/cases/no-such-case/attempts', { token: s.tokens.viewer, body: { answers: {} } })).status, 404);
  });

  it('attempts read back: your own, newest first; another user needs admin', async () => {
    const own = await s.request('GET', '/api/practice/attempts', { token: s.tokens.viewer });
    assert.equal(own.status, 200, own.text);
    assert.deepEqual(own.body.items.map((a: { caseId: string; score: number; max: number }) => [a.caseId, a.score, a.max]), [
      ['01-left-fatty-mass-wdlps', 2.6667, 10],
      ['29-margin-sampling', 1.5, 2],
    ]);
    assert.equal(own.body.items[1].marks[1].expected, 69);
    const explicit = await s.request('GET', `/api/practice/attempts?user=${s.userIds.viewer}`, { token: s.tokens.viewer });
    assert.deepEqual(explicit.body, own.body);

    const other = await s.request('GET', `/api/practice/attempts?user=${s.userIds.clinician}`, { token: s.tokens.viewer });
    assert.equal(other.status, 403);
    assert.deepEqual(other.body.errors.map((e: { path: string }) => e.path), ['query.user']);
    assert.equal((await s.request('GET', `/api/practice/attempts?user=${s.userIds.admin}`, { token: s.tokens.clinician })).status, 403);
    assert.equal((await s.request('GET', `/api/practice/attempts.csv?user=${s.userIds.viewer}`, { token: s.tokens.clinician })).status, 403);

    const supervisor = await s.request('GET', `/api/practice/attempts?user=${s.userIds.clinician}`, { token: s.tokens.admin });
    assert.equal(supervisor.status, 200);
    assert.deepEqual(supervisor.body.items.map((a: { caseId: string; username: string; score: number }) => [a.caseId, a.username, a.score]), [['28-pseudocapsule-model', 'clinician', 1]]);
    assert.equal((await s.request('GET', '/api/practice/attempts?user=00000000-0000-4000-8000-000000000000', { token: s.tokens.admin })).status, 404);
    assert.deepEqual((await s.request('GET', '/api/practice/attempts', { token: s.tokens.admin })).body, { items: [] });
  });

  it("a trainee's record as CSV, one row per marked question", async () => {
    const r = await s.request('GET', `/api/practice/attempts.csv?user=${s.userIds.viewer}`, { token: s.tokens.admin });
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type')!, /^text\/csv/);
    const lines = r.text.trim().split('\n');
    assert.equal(lines[0], 'attempt,at,user,case,attempt_score,attempt_max,stage,question,score,given,expected');
    assert.equal(lines.length, 1 + 10 + 2);
    const rows = lines.slice(1).map((l) => l.split(','));
    const sampling = rows.filter((row) => row[3] === '29-margin-sampling').map((row) => [row[2], row[4], row[5], row[6], row[7], row[8], row[9], row[10]]);
    assert.deepEqual(sampling, [
      ['viewer', '1.5', '2', 'model', 'blocks-95', '1', '299', '299'],
      ['viewer', '1.5', '2', 'model', 'blocks-50', '0.5', '80', '69'],
    ]);
    const own = await s.request('GET', '/api/practice/attempts.csv', { token: s.tokens.viewer });
    assert.equal(own.text, r.text);
  });

  it('anonymous callers are refused everywhere (401)', async () => {
    for (const [method, path] of [
      ['GET', '/api/practice/cases'],
      ['GET', '/api/practice/cases/29-margin-sampling'],
      ['POST', '/api/practice/cases/29-margin-sampling/attempts'],
      ['GET', '/api/practice/attempts'],
      ['GET', '/api/practice/attempts.csv'],
    ] as const) {
      const r = await s.request(method, path, method === 'POST' ? { body: { answers: {} } } : {});
      assert.equal(r.status, 401, `${method} ${path}`);
    }
  });

  it('audited: attempts with their score, refusals as denied', async () => {
    const created = (await s.repo.listAudit({ action: 'practice.attempt.create', outcome: 'success', limit: 50 })).reverse();
    assert.deepEqual(created.map((e) => [e.actor, e.objectId, e.detail?.replace(/^attempt \d+: /, '')]), [
      ['viewer', '29-margin-sampling', '1.5 of 2'],
      ['viewer', '01-left-fatty-mass-wdlps', '2.6667 of 10'],
      ['clinician', '28-pseudocapsule-model', '1 of 2'],
    ]);
    const denied = await s.repo.listAudit({ action: 'practice.attempts.list', outcome: 'denied', limit: 50 });
    assert.deepEqual(denied.map((e) => [e.actor, e.statusCode]).reverse(), [['viewer', 403], ['clinician', 403]]); // without credentials: counted in aggregate
  });
});
