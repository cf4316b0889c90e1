/**
 * Random and hostile bodies against every writing route: never a 5xx, always
 * a 4xx with field errors, and the stored data is exactly as before.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SEED_CASE, startTestServer, type TestServer } from '../support/server.ts';

const HOSTILE_STRINGS = [
  "'; DROP TABLE cases; --",
  '" OR 1=1 --',
  'Robert\'); DELETE FROM audit; --',
  '\u0000',
  '<script>alert(1)</script>',
  '${process.exit(1)}',
  '💥'.repeat(1000),
  'x'.repeat(200_000),
];
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', "title'; --", 'case\u0000', 'toString'];

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 50 }));
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  hostileString,
  fc.constantFrom(null, true, -1, 1e308, -0, [], {}),
);

/** An object that cannot be valid: one hostile extra key, or one field of the wrong type. */
function invalidVariant(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const withHostileKey = fc.tuple(fc.constantFrom(...HOSTILE_KEYS), anyValue).map(([k, v]) => {
    const copy: Record<string, unknown> = JSON.parse(JSON.stringify(valid));
    Object.defineProperty(copy, k, { value: v, enumerable: true, configurable: true, writable: true });
    return copy;
  });
  const wrongType = fc.tuple(fc.constantFrom(...Object.keys(valid)), fc.oneof(fc.integer(), fc.boolean(), fc.constant(null))).map(([k, v]) => ({
    ...valid,
    [k]: v,
  }));
  const notAnObject = fc.oneof(fc.jsonValue({ maxDepth: 2 }).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)), hostileString);
  return fc.oneof(withHostileKey, wrongType, notAnObject);
}

/** Text that is not JSON at all, or is truncated JSON. */
const brokenText = fc.oneof(
  fc.constantFrom('{', '{"title":', '[1,2', 'undefined', "{'a':1}", '{"a":1}}', 'NaN', '\u0000'),
  fc.string({ maxLength: 30 }).map((t) => `{"title": "${t}`),
);

describe('fuzzed request bodies', () => {
  let s: TestServer;
  let caseId: string;
  let snapshot: () => Promise<string>;

  before(async () => {
    s = await startTestServer();
    caseId = (await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'Fuzz target', case: SEED_CASE } })).body.id;
    snapshot = async () =>
      JSON.stringify([
        await s.repo.listCases({ limit: 100, offset: 0 }),
        await s.repo.listCases({ limit: 100, offset: 0, archived: true }),
        await s.repo.getCase(caseId),
        await s.repo.listVersions(caseId),
        await s.repo.listDecisions(caseId),
        await s.repo.listUsers(),
        await s.repo.listIntraopEvents(caseId),
        await s.repo.listPracticeAttempts(s.userIds.viewer),
      ]);
  });
  after(async () => s?.close());

  const targets = () => [
    { method: 'POST', path: '/api/cases', token: s.tokens.clinician, valid: { title: 'T', case: SEED_CASE } },
    { method: 'PUT', path: `/api/cases/${caseId}`, token: s.tokens.clinician, valid: { title: 'T', case: SEED_CASE }, headers: { 'if-match': '1' } },
    { method: 'POST', path: '/api/evaluate', token: s.tokens.viewer, valid: SEED_CASE },
    { method: 'POST', path: `/api/cases/${caseId}/decisions`, token: s.tokens.clinician, valid: { date: '2026-01-01', attendees: ['a'], decision: 'd', strategyIds: ['s'] } },
    { method: 'POST', path: '/api/users', token: s.tokens.admin, valid: { username: 'fuzzed', password: 'a long enough password', role: 'viewer' } },
    { method: 'PATCH', path: `/api/users/${s.userIds.viewer}`, token: s.tokens.admin, valid: { role: 'viewer' } },
    { method: 'POST', path: `/api/users/${s.userIds.viewer}/tokens`, token: s.tokens.admin, valid: { name: 'n' } },
    { method: 'POST', path: '/api/session', valid: { username: 'viewer', password: 'wrong but well-formed' } },
    { method: 'POST', path: `/api/cases/${caseId}/intraop`, token: s.tokens.clinician, valid: { findings: [{ type: 'bleeding' }] } },
    { method: 'POST', path: '/api/practice/cases/29-margin-sampling/attempts', token: s.tokens.viewer, valid: { answers: { 'model/blocks-95': 299 } } },
  ];

  it('invalid objects (hostile keys, wrong types, non-objects) → 4xx with errors, data unchanged', async () => {
    const before = await snapshot();
    for (const target of targets()) {
      await fc.assert(
        fc.asyncProperty(invalidVariant(target.valid as Record<string, unknown>), async (body) => {
          const r = await s.request(target.method, target.path, { token: target.token, headers: target.headers, rawBody: JSON.stringify(body) ?? 'null' });
          assert.ok(r.status >= 400 && r.status < 500, `${target.method} ${target.path} ${JSON.stringify(body)?.slice(0, 200)} → ${r.status} ${r.text.slice(0, 200)}`);
          if (target.path !== '/api/session' || r.status === 400) assert.ok(Array.isArray(r.body?.errors), r.text.slice(0, 200));
        }),
        { numRuns: 40, seed: 20261127 },
      );
    }
    assert.equal(await snapshot(), before);
  });

  it('broken JSON and hostile raw bytes → 4xx, data unchanged', async () => {
    const before = await snapshot();
    for (const target of targets()) {
      await fc.assert(
        fc.asyncProperty(brokenText, async (text) => {
          const r = await s.request(target.method, target.path, { token: target.token, headers: target.headers, rawBody: text });
          assert.ok(r.status >= 400 && r.status < 500, `${target.path} ${JSON.stringify(text)} → ${r.status}`);
        }),
        { numRuns: 15, seed: 7 },
      );
    }
    assert.equal(await snapshot(), before);
  });

  it('hostile query strings → never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ status: hostileString, stageGroup: hostileString, histology: hostileString, q: hostileString, limit: fc.oneof(hostileString, fc.integer()), offset: fc.oneof(hostileString, fc.integer()) }, { requiredKeys: [] }),
        async (query) => {
          const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v).slice(0, 2000)])).toString();
          const r = await s.request('GET', `/api/cases?${qs}`, { token: s.tokens.viewer });
          assert.ok(r.status === 200 || (r.status >= 400 && r.status < 500), `${qs.slice(0, 200)} → ${r.status}`);
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });
});
