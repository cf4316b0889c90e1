/**
 * The patient identifier index (case_identifiers, migration 0007) is kept by every case write
 * through the cases API, not only by the FHIR import: a case created with an MRN is the case a
 * later import of that MRN updates; an MRN changed or removed by PUT no longer finds it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';
import { SEED_CASE, startTestServer, type TestServer } from '../support/server.ts';
import { readFixture } from '../interop/support.ts';

const HOSPITAL = 'urn:oid:2.16.840.1.113883.19.5';

/** The fixture bundle with the patient's MRN (HL7 v2 table 0203 type MR). */
function bundleWithMrn(mrn: string): unknown {
  const bundle = readFixture('rps-ddlps-bundle.json') as { entry: { resource: Record<string, unknown> }[] };
  const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource;
  patient.identifier = [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: HOSPITAL, value: mrn }];
  return bundle;
}

const caseWith = (identifiers: { kind: string; system?: string; value: string }[]) => ({ ...SEED_CASE, patient: { ...SEED_CASE.patient, identifiers } });

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`case identifier index kept by POST/PUT /api/cases (${kind})`, () => {
    let db: TestDatabase;
    let s: TestServer;
    before(async () => {
      db = kind === 'sqlite' ? tempSqlite() : await freshPostgres();
      s = await startTestServer({ testDatabase: db });
    });
    after(async () => {
      await s?.close();
      await db?.drop();
    });

    it('a case created with an MRN is updated by the import of that MRN; after a PUT changes the MRN the old one no longer matches', async () => {
      const created = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'Entered by hand', case: caseWith([{ kind: 'mrn', system: HOSPITAL, value: 'MRN-77' }]) } });
      assert.equal(created.status, 201, created.text);
      const id = created.body.id as string;

      const imported = await s.request('POST', '/api/fhir/import', { token: s.tokens.clinician, body: bundleWithMrn('MRN-77') });
      assert.equal(imported.status, 200, imported.text);
      assert.equal(imported.body.updated, true);
      assert.equal(imported.body.record.id, id);
      assert.equal(imported.body.record.version, 2);

      // The MRN changed by hand (and the FHIR id the import added dropped): the index follows.
      const put = await s.request('PUT', `/api/cases/${id}`, { token: s.tokens.clinician, headers: { 'if-match': '2' }, body: { title: 'Entered by hand', case: caseWith([{ kind: 'mrn', system: HOSPITAL, value: 'MRN-78' }]) } });
      assert.equal(put.status, 200, put.text);
      const old = await s.request('POST', '/api/fhir/import', { token: s.tokens.clinician, body: bundleWithMrn('MRN-77') });
      assert.equal(old.status, 201, 'the old MRN finds no case: a new one is created');
      assert.notEqual(old.body.record.id, id);
      assert.deepEqual(await s.repo.interop.findCaseByIdentifiers([{ kind: 'mrn', system: HOSPITAL, value: 'MRN-78' }]), id);
      assert.deepEqual(await s.repo.interop.findCaseByIdentifiers([{ kind: 'mrn', system: HOSPITAL, value: 'MRN-77' }]), old.body.record.id);
    });

    it('identifiers removed by PUT leave the index; a refused PUT (stale version) changes nothing', async () => {
      const created = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'Two ids', case: caseWith([{ kind: 'national', system: 'urn:oid:2.16.840.1.113883.2.1.4.1', value: '943 476 5919' }, { kind: 'mrn', system: HOSPITAL, value: 'MRN-90' }]) } });
      assert.equal(created.status, 201);
      const id = created.body.id as string;
      assert.equal(await s.repo.interop.findCaseByIdentifiers([{ kind: 'national', system: 'urn:oid:2.16.840.1.113883.2.1.4.1', value: '943 476 5919' }]), id);

      const stale = await s.request('PUT', `/api/cases/${id}`, { token: s.tokens.clinician, headers: { 'if-match': '7' }, body: { title: 'Two ids', case: caseWith([]) } });
      assert.equal(stale.status, 409);
      assert.equal(await s.repo.interop.findCaseByIdentifiers([{ kind: 'mrn', system: HOSPITAL, value: 'MRN-90' }]), id);

      const removed = await s.request('PUT', `/api/cases/${id}`, { token: s.tokens.clinician, headers: { 'if-match': '1' }, body: { title: 'Two ids', case: caseWith([{ kind: 'mrn', system: HOSPITAL, value: 'MRN-90' }]) } });
      assert.equal(removed.status, 200);
      assert.equal(await s.repo.interop.findCaseByIdentifiers([{ kind: 'national', system: 'urn:oid:2.16.840.1.113883.2.1.4.1', value: '943 476 5919' }]), undefined);
      assert.equal(await s.repo.interop.findCaseByIdentifiers([{ kind: 'mrn', system: HOSPITAL, value: 'MRN-90' }]), id);

      const none = await s.request('PUT', `/api/cases/${id}`, { token: s.tokens.clinician, headers: { 'if-match': '2' }, body: { title: 'Two ids', case: SEED_CASE } });
      assert.equal(none.status, 200);
      assert.equal(await s.repo.interop.findCaseByIdentifiers([{ kind: 'mrn', system: HOSPITAL, value: 'MRN-90' }]), undefined);
    });
  });
}
