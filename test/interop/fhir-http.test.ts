import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../support/server.ts';
import { r4Issues, readFixture, readExample } from './support.ts';

describe('FHIR over HTTP: POST /api/fhir/import, GET /api/cases/:id/fhir', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => s?.close());

  it('a clinician creates a case from a Bundle (application/fhir+json); it stages IIIB; the report comes back', async () => {
    const r = await s.request('POST', '/api/fhir/import?title=RPS%20from%20EHR&asOf=2025-01-01', {
      token: s.tokens.clinician,
      rawBody: JSON.stringify(readFixture('rps-ddlps-bundle.json')),
      headers: { 'content-type': 'application/fhir+json' },
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.record.stageGroup, 'IIIB');
    assert.equal(r.body.record.title, 'RPS from EHR');
    assert.equal(r.body.record.case.patient.ageYears, 58);
    assert.equal(r.body.report.ignored.length, 8);
    assert.equal(r.headers.get('location'), `/api/cases/${r.body.record.id}`);

    const exported = await s.request('GET', `/api/cases/${r.body.record.id}/fhir`, { token: s.tokens.viewer });
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get('content-type') ?? '', /application\/fhir\+json/);
    assert.equal(exported.body.resourceType, 'Bundle');
    assert.deepEqual(r4Issues(exported.body), []);
    const group = exported.body.entry.find((e: { resource: { meta?: { profile?: string[] } } }) => e.resource.meta?.profile?.[0]?.endsWith('mcode-tnm-stage-group'));
    assert.equal(group.resource.valueCodeableConcept.coding[0].code, '3B');

    const audit = await s.repo.listAudit({ objectId: r.body.record.id, limit: 10 });
    assert.deepEqual(audit.map((a) => a.action).sort(), ['case.create', 'case.export.fhir']);
    assert.ok(audit.every((a) => a.outcome === 'success'));
  });

  it('needs authentication and the right role', async () => {
    const body = readFixture('rps-ddlps-bundle.json');
    assert.equal((await s.request('POST', '/api/fhir/import', { body })).status, 401);
    assert.equal((await s.request('POST', '/api/fhir/import', { body, token: s.tokens.viewer })).status, 403);
    assert.equal((await s.request('GET', '/api/cases/x/fhir')).status, 401);
    assert.equal((await s.request('GET', '/api/cases/does-not-exist/fhir', { token: s.tokens.viewer })).status, 404);
  });

  it('not FHIR → 400 with a path; a bundle with no retroperitoneal tumour → 422 and nothing stored', async () => {
    const before = (await s.request('GET', '/api/cases?limit=100', { token: s.tokens.viewer })).body.total;
    const notFhir = await s.request('POST', '/api/fhir/import', { token: s.tokens.clinician, body: { hello: 'world' } });
    assert.equal(notFhir.status, 400);
    assert.deepEqual(notFhir.body.errors, [{ path: 'body.resourceType', message: 'is required: this is not a FHIR resource' }]);
    const breast = await s.request('POST', '/api/fhir/import', { token: s.tokens.clinician, body: readExample('mcode-examples', 'primary-cancer-condition.json') });
    assert.equal(breast.status, 422);
    assert.match(breast.body.report.ignored[0].reason, /not the retroperitoneum/);
    assert.equal((await s.request('POST', '/api/fhir/import', { token: s.tokens.clinician, rawBody: '{"resourceType":' })).status, 400);
    assert.equal((await s.request('GET', '/api/cases?limit=100', { token: s.tokens.viewer })).body.total, before);
  });

  it('a thigh sarcoma → 422 saying what was found; two subjects without a Patient → 422; nothing stored', async () => {
    const before = (await s.request('GET', '/api/cases?limit=100', { token: s.tokens.viewer })).body.total;
    const thigh = await s.request('POST', '/api/fhir/import', { token: s.tokens.clinician, body: readFixture('defects/thigh-snomed.json') });
    assert.equal(thigh.status, 422);
    assert.match(thigh.body.errors[0].message, /SNOMED CT Thigh/);
    assert.match(thigh.body.rejection.found[0], /68367000/);
    const two = await s.request('POST', '/api/fhir/import', { token: s.tokens.clinician, body: readFixture('defects/two-subjects-no-patient.json') });
    assert.equal(two.status, 422);
    assert.match(two.body.errors[0].message, /exactly one is required/);
    assert.equal((await s.request('GET', '/api/cases?limit=100', { token: s.tokens.viewer })).body.total, before);
  });

  it('re-import of the same patient (same MRN) updates that case as a new version and lists the changes', async () => {
    const bundle = readFixture('defects/tnf-alpha-lab.json') as { entry: { resource: Record<string, unknown> }[] };
    const first = await s.request('POST', '/api/fhir/import?asOf=2025-01-01', { token: s.tokens.clinician, body: bundle });
    assert.equal(first.status, 201, first.text);
    const later = structuredClone(bundle);
    const size = later.entry.find((e) => e.resource.id === 's1')!.resource as { component: { valueQuantity: { value: number } }[]; effectiveDateTime: string };
    size.component[0]!.valueQuantity.value = 24;
    size.effectiveDateTime = '2024-06-01';
    // A different server's fullUrls: matched by the MRN, not by the FHIR id.
    const text = JSON.stringify(later).replaceAll('https://ehr.example/fhir', 'https://other-ehr.example/fhir');
    const second = await s.request('POST', '/api/fhir/import?asOf=2025-01-01', { token: s.tokens.clinician, rawBody: text, headers: { 'content-type': 'application/fhir+json' } });
    assert.equal(second.status, 200, second.text);
    assert.equal(second.body.updated, true);
    assert.equal(second.body.record.id, first.body.record.id);
    assert.equal(second.body.record.version, 2);
    assert.ok(second.body.changes.includes('tumor.sizeCm'));
    assert.ok(second.body.changes.includes('patient.identifiers'), 'the second server’s FHIR id is added');
    assert.equal(second.body.record.case.tumor.sizeCm, 24);
  });

  it('bodies larger than the old 1 MiB limit are accepted (RETROPLAN_FHIR_MAX_MB, default 64)', async () => {
    const bundle = readFixture('defects/tnf-alpha-lab.json') as { entry: unknown[] };
    const padding = Array.from({ length: 6000 }, (_, i) => ({ resource: { resourceType: 'Observation', id: `pad-${i}`, status: 'final', subject: { reference: 'Patient/p1' }, code: { coding: [{ system: 'http://loinc.org', code: '718-7' }] }, valueQuantity: { value: 13.1, unit: 'g/dL', system: 'http://unitsofmeasure.org', code: 'g/dL' }, note: [{ text: 'x'.repeat(200) }] } }));
    const big = JSON.stringify({ ...bundle, entry: [...bundle.entry, ...padding] });
    assert.ok(big.length > 2 * 1024 * 1024);
    const r = await s.request('POST', '/api/fhir/import?asOf=2025-01-01', { token: s.tokens.clinician, rawBody: big, headers: { 'content-type': 'application/fhir+json' } });
    assert.ok(r.status === 201 || r.status === 200, `${r.status} ${r.text.slice(0, 200)}`);
    // Streamed (application/fhir+json): what Retroplan does not read is counted per kind.
    assert.ok(r.body.report.ignored.some((i: { resource: string; reason: string }) => /^6000 resource\(s\)/.test(i.resource) && /code Retroplan does not read/.test(i.reason)), JSON.stringify(r.body.report.ignored.slice(0, 5)));
    process.env.RETROPLAN_FHIR_MAX_MB = '1';
    try {
      const refused = await s.request('POST', '/api/fhir/import?asOf=2025-01-01', { token: s.tokens.clinician, rawBody: big, headers: { 'content-type': 'application/fhir+json' } });
      assert.equal(refused.status, 413, refused.text.slice(0, 200));
    } finally {
      delete process.env.RETROPLAN_FHIR_MAX_MB;
    }
  });

  it('hostile and random bodies never cause a 5xx (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.jsonValue().map((v) => ({ resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Observation', code: v, valueQuantity: v } }, v] }))), async (body) => {
        const r = await s.request('POST', '/api/fhir/import', { token: s.tokens.clinician, rawBody: JSON.stringify(body) ?? 'null' });
        assert.ok(r.status < 500, `${r.status} ${r.text}`);
      }),
      { numRuns: 60 },
    );
  });
});
