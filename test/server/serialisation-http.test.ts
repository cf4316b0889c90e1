/**
 * The hot routes' compiled serialisers over HTTP (issue 9): POST /api/evaluate answers with
 * exactly the engine's output for many generated cases, and GET /api/cases with every field of
 * every stored case summary (compared with the repository's own listing) and the error shape.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCase, validateCase } from '../../src/engine/index.ts';
import { syntheticCaseGenerator } from '../../src/store/synthetic-cases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describe('compiled response serialisation over HTTP', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => s.close());

  it('POST /api/evaluate sends the engine output, byte for byte, for 40 generated cases', async () => {
    const next = syntheticCaseGenerator(90_210);
    for (let i = 0; i < 40; i++) {
      const input = next().case;
      const r = await s.request('POST', '/api/evaluate', { token: s.tokens.viewer, body: input });
      assert.equal(r.status, 200);
      const checked = validateCase(JSON.parse(JSON.stringify(input)));
      assert.ok(checked.ok);
      const expected = JSON.stringify(evaluateCase(checked.value));
      assert.equal(r.text, expected);
      assert.deepEqual(r.body, JSON.parse(expected));
    }
  });

  it('GET /api/cases sends every field of every summary, as the store lists them', async () => {
    const next = syntheticCaseGenerator(4_242);
    for (let i = 0; i < 6; i++) {
      const drawn = next();
      const r = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: `Serialised ${i}`, case: drawn.case } });
      assert.equal(r.status, 201);
    }
    const r = await s.request('GET', '/api/cases?q=Serialised&limit=4', { token: s.tokens.viewer });
    assert.equal(r.status, 200);
    const stored = await s.repo.scoped(await s.repo.organisations.scopeOf(s.userIds.viewer)).listCases({ q: 'Serialised', limit: 4, offset: 0 });
    assert.deepEqual(r.body, { ...JSON.parse(JSON.stringify(stored)), limit: 4, offset: 0 });
    assert.equal(r.body.items.length, 4);
    assert.deepEqual(Object.keys(r.body.items[0]).sort(), [
      'archived',
      'createdAt',
      'createdBy',
      'histology',
      'id',
      'nextMeeting',
      'nextStep',
      'openNavigation',
      'organisationId',
      'referralStatus',
      'stageGroup',
      'status',
      'title',
      'updatedAt',
      'updatedBy',
      'version',
    ]);
    const bad = await s.request('GET', '/api/cases?limit=0', { token: s.tokens.viewer });
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(bad.body), ['errors']);
    assert.equal(bad.body.errors[0].path, 'query.limit');
  });
});
