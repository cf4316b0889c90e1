/**
 * The CDS Hooks card's link into Retroplan (issue 11): a new-case link names the patient AND the
 * FHIR server it belongs to; an EHR registered for SMART launch gets a `smart` link to the
 * launch URL the web app serves (/smart/launch, opened by the EHR with iss and launch).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startFhirStub, serverResources, type FhirStub } from './fhir-stub.ts';
import { readFixture } from './support.ts';

const PUBLIC_URL = 'https://retroplan.test';
const SERVICE = '/cds-services/retroplan-patient-view';
const PATIENT_ID = 'rps-ddlps-1';
const resources = serverResources(readFixture('rps-ddlps-bundle.json') as { entry: { fullUrl?: string; resource: Record<string, unknown> }[] });

describe('CDS Hooks card link into the web app', () => {
  let s: TestServer;
  let stub: FhirStub;
  const saved: Record<string, string | undefined> = {};
  before(async () => {
    stub = await startFhirStub(resources);
    const env = { RETROPLAN_PUBLIC_URL: PUBLIC_URL, RETROPLAN_CDS_ALLOW_UNSIGNED: 'true', RETROPLAN_CDS_FHIR_SERVERS: stub.base };
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    s = await startTestServer();
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    await s?.close();
    await stub?.close();
  });

  const hook = () => ({ hook: 'patient-view', hookInstance: crypto.randomUUID(), fhirServer: `${stub.base}/fhir/`, context: { userId: 'Practitioner/example', patientId: PATIENT_ID } });

  it('names the FHIR server beside the patient id; a SMART-registered EHR gets a smart link to /smart/launch', async () => {
    const plain = await s.request('POST', SERVICE, { body: hook() });
    assert.equal(plain.status, 200, plain.text);
    assert.equal(plain.body.cards[0].links[0].url, `${PUBLIC_URL}/#/cases/new?fhirPatient=${PATIENT_ID}&iss=${encodeURIComponent(`${stub.base}/fhir`)}`);
    assert.equal(plain.body.cards[0].links[0].type, 'absolute');

    const put = await s.request('PUT', '/api/admin/smart-clients', { token: s.tokens.admin, body: { clients: [{ iss: `${stub.base}/fhir`, name: 'Stub EHR', clientId: 'retroplan' }] } });
    assert.equal(put.status, 200, put.text);
    const smart = await s.request('POST', SERVICE, { body: hook() });
    const link = smart.body.cards[0].links[0];
    assert.deepEqual(link, { label: 'Open Retroplan (SMART launch with this patient)', url: `${PUBLIC_URL}/smart/launch`, type: 'smart', appContext: JSON.stringify({ patient: PATIENT_ID }) });
  });
});
