/**
 * The referral between two separate Retroplan installations (issue 13): the spoke exports the
 * referral as a FHIR Bundle (mCODE case + ServiceRequest + Task), the hub — another server on
 * another database (PostgreSQL) — imports it as a new case of its own organisation, triages and
 * decides, and its decision Task goes back to the spoke (SQLite), whose referral becomes decided.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';
import { SEED_CASE, seedMember, startTestServer, type TestServer } from '../support/server.ts';

describe('FHIR referral bundle: spoke (SQLite) → hub (PostgreSQL) → decision back', () => {
  let spoke: TestServer;
  let hub: TestServer;
  let spokeDb: TestDatabase;
  let hubDb: TestDatabase;
  let spokeToken: string;
  let hubToken: string;
  let spokeReferral: string;
  let hubReferral: string;

  before(async () => {
    spokeDb = tempSqlite();
    hubDb = await freshPostgres();
    spoke = await startTestServer({ testDatabase: spokeDb });
    hub = await startTestServer({ testDatabase: hubDb });
    const now = new Date().toISOString();
    // The spoke knows the hub as an organisation it refers to; the hub is an installation of its own.
    await spoke.repo.organisations.createOrganisation({ id: 'spoke-b', name: 'Spoke B Hospital', kind: 'spoke' }, now);
    await spoke.repo.organisations.createOrganisation({ id: 'hub-x', name: 'Hub X Sarcoma Centre', kind: 'hub' }, now);
    await hub.repo.organisations.createOrganisation({ id: 'hub-x', name: 'Hub X Sarcoma Centre', kind: 'hub' }, now);
    spokeToken = await seedMember(spoke.repo, 'b.clinician', 'clinician', 'spoke-b', 'clinician');
    hubToken = await seedMember(hub.repo, 'x.chair', 'clinician', 'hub-x', 'chair');
  });
  after(async () => {
    await spoke?.close();
    await hub?.close();
    await spokeDb?.drop();
    await hubDb?.drop();
  });

  it('round trip: referral, case, triage and decision arrive intact on each side', async () => {
    const c = await spoke.request('POST', '/api/cases', { token: spokeToken, body: { title: 'Seed patient', case: { ...SEED_CASE, patient: { ...SEED_CASE.patient, identifiers: [{ kind: 'mrn', system: 'urn:spoke-b:mrn', value: 'B-123' }] } } } });
    assert.equal(c.status, 201, c.text);
    const r = await spoke.request('POST', '/api/referrals', {
      token: spokeToken,
      body: {
        caseId: c.body.id,
        toOrganisationId: 'hub-x',
        question: 'Primary plan: resectable en bloc with the left kidney?',
        urgency: 'routine',
        documents: [
          { kind: 'imaging', reference: 'CT-2026-0042', date: '2026-01-20' },
          { kind: 'pathology', reference: 'PATH-99-1' },
        ],
      },
    });
    assert.equal(r.status, 201, r.text);
    spokeReferral = r.body.id;

    const exported = await spoke.request('GET', `/api/referrals/${spokeReferral}/fhir`, { token: spokeToken });
    assert.equal(exported.status, 200, exported.text);
    assert.match(exported.headers.get('content-type') ?? '', /application\/fhir\+json/);
    const types = (exported.body.entry as { resource: { resourceType: string } }[]).map((e) => e.resource.resourceType);
    for (const t of ['Patient', 'Condition', 'ServiceRequest', 'Task']) assert.ok(types.includes(t), `${t} in ${types.join(', ')}`);

    const imported = await hub.request('POST', '/api/referrals/import?organisation=hub-x', { token: hubToken, rawBody: exported.text, headers: { 'content-type': 'application/fhir+json' } });
    assert.equal(imported.status, 201, imported.text);
    hubReferral = imported.body.id;
    assert.deepEqual(
      {
        status: imported.body.status,
        from: imported.body.fromName,
        fromOrganisationId: imported.body.fromOrganisationId,
        to: imported.body.toOrganisationId,
        externalId: imported.body.externalId,
        question: imported.body.question,
        urgency: imported.body.urgency,
        documents: imported.body.documents,
        createdBy: imported.body.createdBy,
      },
      {
        status: 'sent',
        from: 'Spoke B Hospital',
        fromOrganisationId: null,
        to: 'hub-x',
        externalId: spokeReferral,
        question: 'Primary plan: resectable en bloc with the left kidney?',
        urgency: 'routine',
        documents: [
          { kind: 'imaging', reference: 'CT-2026-0042', date: '2026-01-20' },
          { kind: 'pathology', reference: 'PATH-99-1' },
        ],
        createdBy: 'b.clinician',
      },
    );
    // The case arrived in the hub's organisation, with the spoke's clinical findings.
    const hubCase = await hub.request('GET', `/api/cases/${imported.body.caseId}`, { token: hubToken });
    assert.equal(hubCase.status, 200, hubCase.text);
    assert.equal(hubCase.body.organisationId, 'hub-x');
    assert.equal(hubCase.body.case.tumor.sizeCm, 22);
    assert.equal(hubCase.body.case.pathology.histology, '8858/3');
    assert.equal(hubCase.body.case.tumor.side, 'left');

    // The hub triages and decides.
    assert.equal((await hub.request('POST', `/api/referrals/${hubReferral}/triage`, { token: hubToken, body: { action: 'accept' } })).body.status, 'accepted');
    const decided = await hub.request('POST', `/api/referrals/${hubReferral}/decision`, { token: hubToken, body: { decisionRef: 'hub-decision-7', summary: 'Surgery first: en bloc resection with left nephrectomy' } });
    assert.equal(decided.status, 200, decided.text);
    const task = await hub.request('GET', `/api/referrals/${hubReferral}/fhir/decision`, { token: hubToken });
    assert.equal(task.status, 200, task.text);
    assert.equal(task.body.status, 'completed');

    // The decision goes back to the spoke.
    const back = await spoke.request('POST', '/api/referrals/decision-import', { token: spokeToken, rawBody: task.text, headers: { 'content-type': 'application/fhir+json' } });
    assert.equal(back.status, 200, back.text);
    assert.equal(back.body.status, 'decided');
    assert.equal(back.body.decisionRef, 'hub-decision-7');
    assert.equal(back.body.decisionSummary, 'Hub X Sarcoma Centre: Surgery first: en bloc resection with left nephrectomy');
    assert.deepEqual(
      (back.body.events as { action: string }[]).map((e) => e.action),
      ['refer', 'receive_decision'],
    );
    // Sent again: the referral is decided already.
    assert.equal((await spoke.request('POST', '/api/referrals/decision-import', { token: spokeToken, rawBody: task.text, headers: { 'content-type': 'application/fhir+json' } })).status, 409);
  });

  it('a bundle without a referral, and a Task that is not completed, are refused with the field named', async () => {
    const noReferral = await hub.request('POST', '/api/referrals/import', { token: hubToken, body: { resourceType: 'Bundle', type: 'collection', entry: [] } });
    assert.equal(noReferral.status, 400);
    assert.equal(noReferral.body.errors[0].path, 'body.entry');
    const open = await spoke.request('POST', '/api/referrals/decision-import', { token: spokeToken, body: { resourceType: 'Task', status: 'requested', identifier: [], lastModified: '2026-01-01T00:00:00Z', output: [] } });
    assert.equal(open.status, 400);
    assert.ok((open.body.errors as { path: string }[]).some((e) => e.path === 'body.status'), open.text);
  });
});
