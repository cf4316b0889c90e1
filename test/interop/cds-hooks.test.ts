import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startFhirStub, serverResources, type FhirStub } from './fhir-stub.ts';
import { readFixture, readExample } from './support.ts';
import { assertCdsValid, withSchemaChecks } from './cds-schema.ts';

const SPEC = (file: string) => readExample('cds-hooks-spec', file) as Record<string, unknown>;
const PUBLIC_URL = 'https://retroplan.test';
const SERVICE = '/cds-services/retroplan-patient-view';
const PATIENT_ID = 'rps-ddlps-1';
const TOKEN = 'opaque-fhir-access-token-4711';

type Resource = Record<string, unknown>;
const resources = serverResources(readFixture('rps-ddlps-bundle.json') as { entry: { fullUrl?: string; resource: Resource }[] });
const searchset = (type: string) => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.filter((r) => r.resourceType === type).map((resource) => ({ resource })) });
const PREFETCH = { patient: resources.find((r) => r.resourceType === 'Patient'), conditions: searchset('Condition'), observations: searchset('Observation') };

function hookRequest(extra: Record<string, unknown> = {}) {
  return { hook: 'patient-view', hookInstance: crypto.randomUUID(), context: { userId: 'Practitioner/example', patientId: PATIENT_ID }, ...extra };
}

async function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

describe('CDS Hooks 2.0 service (sandbox: unsigned calls explicitly allowed)', () => {
  let s: TestServer;
  let stub: FhirStub;
  before(async () => {
    stub = await startFhirStub(resources);
    s = await withEnv({ RETROPLAN_PUBLIC_URL: PUBLIC_URL, RETROPLAN_CDS_ALLOW_UNSIGNED: 'true', RETROPLAN_CDS_FHIR_SERVERS: stub.base }, async () => withSchemaChecks(await startTestServer()));
  });
  after(async () => {
    await s?.close();
    await stub?.close();
  });

  it('discovery lists the patient-view service with prefetch templates, in the spec example’s shape', async () => {
    const r = await s.request('GET', '/cds-services');
    assert.equal(r.status, 200);
    assertCdsValid('DiscoveryResponse', r.body);
    const service = r.body.services[0];
    assert.equal(service.hook, 'patient-view');
    assert.equal(service.id, 'retroplan-patient-view');
    assert.deepEqual(Object.keys(service.prefetch), ['patient', 'conditions', 'observations']);
    assert.equal(service.prefetch.patient, 'Patient/{{context.patientId}}');
    assert.match(service.prefetch.conditions, /^Condition\?patient=\{\{context\.patientId\}\}/);
  });

  it('the DD-LPS patient gets stage, red-flag, caution and referral cards in the spec’s card shape', async () => {
    const r = await s.request('POST', SERVICE, { body: hookRequest({ prefetch: PREFETCH }) });
    assert.equal(r.status, 200, r.text);
    assertCdsValid('CardResponse', r.body);
    for (const card of r.body.cards) {
      assert.equal(card.source.label, 'Retroplan');
      assert.ok(card.uuid, 'every card has the uuid its feedback names');
    }
    const [stage, ...rest] = r.body.cards;
    assert.match(stage.summary, /^Retroperitoneal dedifferentiated liposarcoma: AJCC 8 stage IIIB \(T4 N0 M0, FNCLCC G3\)/);
    assert.equal(stage.links[0].url, `${PUBLIC_URL}/#/cases/new?fhirPatient=${PATIENT_ID}`);
    const referral = rest.find((c: { summary: string }) => /sarcoma centre/.test(c.summary));
    // A histology on record means the patient was biopsied: the wording follows the pathway (engine3, issue 10).
    assert.match(referral.summary, /before any (biopsy or )?surgery/);
    assert.match(referral.detail, /NCDB/);
    assert.ok(rest.some((c: { detail: string }) => /limited meaning/.test(c.detail)), 'the DD-LPS grading caution');
    const redFlag = rest.find((c: { summary: string; detail?: string }) => /shell it out|piecemeal/.test(`${c.summary} ${c.detail ?? ''}`));
    assert.ok(redFlag, 'the red flag against shelling out or piecemeal debulking');
    assert.ok(['warning', 'critical'].includes(redFlag.indicator));
  });

  it('a possible paraganglioma gets a critical card: metanephrines before any biopsy', async () => {
    const condition = {
      resourceType: 'Condition',
      id: 'pgl',
      subject: { reference: `Patient/${PATIENT_ID}` },
      verificationStatus: { coding: [{ code: 'provisional' }] },
      code: { text: 'Retroperitoneal mass' },
      bodySite: [{ coding: [{ system: 'http://snomed.info/sct', code: '82849001', display: 'Retroperitoneum' }] }],
      extension: [{ url: 'http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior', valueCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/icd-o-3', code: '8693/3' }] } }],
    };
    const r = await s.request('POST', SERVICE, { body: hookRequest({ prefetch: { patient: PREFETCH.patient, conditions: { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: condition }] }, observations: { resourceType: 'Bundle', type: 'searchset' } } }) });
    assert.equal(r.status, 200, r.text);
    const critical = r.body.cards.filter((c: { indicator: string }) => c.indicator === 'critical');
    assert.equal(critical.length, 1);
    assert.match(critical[0].summary, /metanephrines before any (further )?biopsy/);
    assert.match(critical[0].detail, /VANDERVEEN-2009/);
    assertCdsValid('CardResponse', r.body);
    const suggestion = critical[0].suggestions[0];
    assert.ok(suggestion.uuid, 'a suggestion has the uuid that acceptedSuggestions names');
    assert.equal(critical[0].selectionBehavior, 'at-most-one');
    assert.equal(suggestion.actions[0].type, 'create');
    assert.equal(suggestion.actions[0].resource.resourceType, 'ServiceRequest');
    assert.match(suggestion.label, /plasma free metanephrines/i);
  });

  it('an unrelated patient gets no cards (the spec’s empty response)', async () => {
    const patient = (readExample('mcode-examples', 'extended-patient-bundle.json') as { entry: { resource: Resource }[] }).entry[0]!.resource;
    const r = await s.request('POST', SERVICE, { body: hookRequest({ context: { patientId: String(patient.id) }, prefetch: { patient, conditions: { resourceType: 'Bundle', type: 'searchset' }, observations: { resourceType: 'Bundle', type: 'searchset' } } }) });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, SPEC('specification_current__12__http-response.json'));
  });

  it('without prefetch the data is read from fhirServer with the given token, which is never logged or stored', async () => {
    stub.requests.length = 0;
    const r = await s.request('POST', SERVICE, { body: hookRequest({ fhirServer: `${stub.base}/fhir`, fhirAuthorization: { access_token: TOKEN, token_type: 'Bearer', expires_in: 300, scope: 'user/Patient.read', subject: 'cds' } }) });
    assert.equal(r.status, 200, r.text);
    assert.match(r.body.cards[0].summary, /stage IIIB/);
    assert.deepEqual(stub.requests.map((q) => q.url.split('?')[0]), ['/fhir/Patient/rps-ddlps-1', '/fhir/Condition', '/fhir/Observation']);
    assert.ok(stub.requests.every((q) => q.headers.authorization === `Bearer ${TOKEN}`));
    const audit = await s.repo.listAudit({ limit: 500 });
    assert.ok(audit.some((a) => a.action === 'cds.patient-view' && a.objectId === PATIENT_ID && a.outcome === 'success'));
    assert.ok(!JSON.stringify(audit).includes(TOKEN));
  });

  it('a partial prefetch is completed from fhirServer', async () => {
    stub.requests.length = 0;
    const r = await s.request('POST', SERVICE, { body: hookRequest({ fhirServer: `${stub.base}/fhir`, prefetch: { patient: PREFETCH.patient } }) });
    assert.equal(r.status, 200, r.text);
    assert.equal(stub.requests.length, 2);
  });

  it('data neither prefetched nor fetchable → 412', async () => {
    assert.equal((await s.request('POST', SERVICE, { body: hookRequest() })).status, 412);
    assert.equal((await s.request('POST', SERVICE, { body: hookRequest({ fhirServer: `${stub.base}/fhir`, context: { patientId: 'broken' } }) })).status, 412);
    assert.equal((await s.request('POST', SERVICE, { body: hookRequest({ fhirServer: `${stub.base}/fhir`, context: { patientId: 'nobody' } }) })).status, 412);
    assert.equal((await s.request('POST', SERVICE, { body: hookRequest({ fhirServer: 'http://127.0.0.1:1/fhir' }) })).status, 412);
  });

  it('bad requests → 400 naming the field', async () => {
    const wrongHook = await s.request('POST', SERVICE, { body: hookRequest({ hook: 'order-sign', prefetch: PREFETCH }) });
    assert.equal(wrongHook.status, 400);
    assert.equal(wrongHook.body.errors[0].path, 'hook');
    const injected = await s.request('POST', SERVICE, { body: hookRequest({ context: { patientId: '../Patient?x=1' } }) });
    assert.equal(injected.status, 400);
    assert.equal(injected.body.errors[0].path, 'context.patientId');
  });

  it('feedback: only cards this service issued, ISO timestamps, override reasons from its list; the user comment is stored; idempotent', async () => {
    const hook = await s.request('POST', SERVICE, { body: hookRequest({ prefetch: PREFETCH }) });
    const card = hook.body.cards[0];
    assert.deepEqual(card.overrideReasons.map((r: { code: string }) => r.code), ['already-addressed', 'managed-at-sarcoma-centre', 'ehr-data-incorrect', 'not-retroperitoneal', 'patient-declined']);
    const accepted = { feedback: [{ card: card.uuid, outcome: 'accepted', outcomeTimestamp: '2025-01-01T10:05:31Z' }] };
    for (let i = 0; i < 2; i += 1) assert.equal((await s.request('POST', `${SERVICE}/feedback`, { body: accepted })).status, 200);
    const entries = await s.repo.listAudit({ action: 'cds.feedback', objectId: card.uuid, limit: 10 });
    assert.deepEqual(entries.map((e) => e.detail), ['accepted at 2025-01-01T10:05:31Z']);
    // The specification's example feedback names a card this service never issued.
    const unknown = await s.request('POST', `${SERVICE}/feedback`, { body: SPEC('specification_current__21__example-suggestion-accepted.json') });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.errors[0].path, 'feedback[0].card');
    // An override reason not from this service's list (the spec example's) is refused.
    const foreignReason = SPEC('specification_current__22__example-overridden-guidance-with-overrid.json') as { feedback: Record<string, unknown>[] };
    foreignReason.feedback[0]!.card = card.uuid;
    assert.equal((await s.request('POST', `${SERVICE}/feedback`, { body: foreignReason })).status, 400);
    for (const outcomeTimestamp of ['2025-01-01', '2025-01-01T10:00:00', 'yesterday', '2025-13-01T10:00:00Z']) {
      assert.equal((await s.request('POST', `${SERVICE}/feedback`, { body: { feedback: [{ card: card.uuid, outcome: 'accepted', outcomeTimestamp }] } })).status, 400, outcomeTimestamp);
    }
    assert.equal((await s.request('POST', `${SERVICE}/feedback`, { body: { feedback: [{ card: 'x', outcome: 'maybe' }] } })).status, 400);
    const overridden = {
      feedback: [{ card: card.uuid, outcome: 'overridden', outcomeTimestamp: '2025-01-01T10:06:00+01:00', overrideReason: { reason: { system: 'urn:retroplan:cds:override-reason', code: 'managed-at-sarcoma-centre' }, userComment: 'Seen at the sarcoma centre last week.' } }],
    };
    assert.equal((await s.request('POST', `${SERVICE}/feedback`, { body: overridden })).status, 200);
    const stored = await s.repo.interop.getCard(card.uuid);
    assert.equal(stored?.overrideCode, 'managed-at-sarcoma-centre');
    assert.equal(stored?.userComment, 'Seen at the sarcoma centre last week.');
    // The overridden card is not repeated for the same data; the other cards still come.
    const again = await s.request('POST', SERVICE, { body: hookRequest({ prefetch: PREFETCH }) });
    assert.ok(!again.body.cards.some((c: { summary: string }) => c.summary === card.summary), 'the overridden stage card is not repeated');
    assert.ok(again.body.cards.length > 0);
  });

  it('cards are not repeated within one encounter', async () => {
    const first = await s.request('POST', SERVICE, { body: hookRequest({ prefetch: PREFETCH, context: { patientId: PATIENT_ID, encounterId: 'enc-1' } }) });
    assert.ok(first.body.cards.length > 0);
    const second = await s.request('POST', SERVICE, { body: hookRequest({ prefetch: PREFETCH, context: { patientId: PATIENT_ID, encounterId: 'enc-1' } }) });
    assert.deepEqual(second.body.cards, []);
    const other = await s.request('POST', SERVICE, { body: hookRequest({ prefetch: PREFETCH, context: { patientId: PATIENT_ID, encounterId: 'enc-2' } }) });
    assert.equal(other.body.cards.length, first.body.cards.length);
  });

  it('null prefetch means no data (fetched when allowed); an OperationOutcome is not data; a different patient is an error', async () => {
    stub.requests.length = 0;
    const nullObs = await s.request('POST', SERVICE, { body: hookRequest({ fhirServer: `${stub.base}/fhir`, prefetch: { ...PREFETCH, observations: null } }) });
    assert.equal(nullObs.status, 200, nullObs.text);
    assert.deepEqual(stub.requests.map((q) => q.url.split('?')[0]), ['/fhir/Observation']);
    assert.match(nullObs.body.cards[0].summary, /stage IIIB/);
    // Without a server to ask, null is no data: the conditions alone give a card without a stage.
    const noServer = await s.request('POST', SERVICE, { body: hookRequest({ prefetch: { ...PREFETCH, observations: null } }) });
    assert.equal(noServer.status, 200);
    assert.match(noServer.body.cards[0].summary, /no AJCC 8 stage group/);
    const outcome = await s.request('POST', SERVICE, { body: hookRequest({ prefetch: { ...PREFETCH, observations: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden' }] } } }) });
    assert.equal(outcome.status, 200);
    assert.match(outcome.body.cards[0].summary, /no AJCC 8 stage group/);
    const mismatch = await s.request('POST', SERVICE, { body: hookRequest({ prefetch: PREFETCH, context: { patientId: 'someone-else' } }) });
    assert.equal(mismatch.status, 400);
    assert.match(mismatch.body.errors[0].message, /not the requested Patient\/someone-else/);
  });

  it('searchset pages are followed: the size on page 2 still stages the tumour', async () => {
    stub.setPageSize(2);
    try {
      stub.requests.length = 0;
      const r = await s.request('POST', SERVICE, { body: hookRequest({ fhirServer: `${stub.base}/fhir`, prefetch: { patient: PREFETCH.patient } }) });
      assert.equal(r.status, 200, r.text);
      assert.match(r.body.cards[0].summary, /stage IIIB/);
      assert.ok(stub.requests.filter((q) => q.url.includes('_page=')).length >= 2, 'later pages were read');
    } finally {
      stub.setPageSize(0);
    }
  });

  it('CORS for browser-based CDS clients', async () => {
    const r = await s.request('OPTIONS', SERVICE, { headers: { origin: 'https://ehr.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    assert.ok(r.status === 204 || r.status === 200);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.match(r.headers.get('access-control-allow-headers') ?? '', /Authorization/i);
    assert.equal((await s.request('GET', '/cds-services', { headers: { origin: 'https://ehr.example.org' } })).headers.get('access-control-allow-origin'), '*');
  });

  it('hostile and random hook requests never cause a 5xx (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.jsonValue().map((v) => hookRequest({ prefetch: { patient: v, conditions: { resourceType: 'Bundle', entry: [{ resource: v }] }, observations: v } }))), async (body) => {
        const r = await s.request('POST', SERVICE, { rawBody: JSON.stringify(body) ?? 'null' });
        assert.ok(r.status < 500, `${r.status} ${r.text}`);
      }),
      { numRuns: 60 },
    );
  });
});

describe('CDS Hooks 2.0 service: safe defaults', () => {
  it('with no trusted issuers and no sandbox flag, hook calls are refused with 401 and discovery stays open', async () => {
    const s = await withEnv({ RETROPLAN_PUBLIC_URL: PUBLIC_URL }, async () => withSchemaChecks(await startTestServer()));
    try {
      const r = await s.request('POST', SERVICE, { body: hookRequest({ prefetch: PREFETCH }) });
      assert.equal(r.status, 401);
      assert.equal(r.body.errors[0].path, 'headers.authorization');
      assert.equal((await s.request('POST', `${SERVICE}/feedback`, { body: { feedback: [] } })).status, 401);
      assert.equal((await s.request('GET', '/cds-services')).status, 200);
    } finally {
      await s.close();
    }
  });

  it('an unsigned sandbox without an allow-list never fetches the fhirServer a caller names (no SSRF)', async () => {
    const stub = await startFhirStub(resources);
    const s = await withEnv({ RETROPLAN_PUBLIC_URL: PUBLIC_URL, RETROPLAN_CDS_ALLOW_UNSIGNED: 'true' }, async () => withSchemaChecks(await startTestServer()));
    try {
      const r = await s.request('POST', SERVICE, { body: hookRequest({ fhirServer: `${stub.base}/fhir` }) });
      assert.equal(r.status, 412);
      assert.equal(stub.requests.length, 0);
      assert.equal((await s.request('POST', SERVICE, { body: hookRequest({ prefetch: PREFETCH }) })).status, 200);
    } finally {
      await s.close();
      await stub.close();
    }
  });
});

describe('CDS Hooks 2.0 service: client JWT verification', () => {
  let s: TestServer;
  let stub: FhirStub;
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;
  const ISS = 'https://ehr.example.org';
  const AUD = `${PUBLIC_URL}${SERVICE}`;

  before(async () => {
    stub = await startFhirStub(resources);
    const pair = await generateKeyPair('ES384');
    privateKey = pair.privateKey as CryptoKey;
    otherKey = (await generateKeyPair('ES384')).privateKey as CryptoKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES384' };
    stub.extra.set('/jwks.json', { keys: [jwk] });
    const issuers = [
      { iss: ISS, jwks: { keys: [jwk] } },
      { iss: 'https://remote.example.org', jwksUrl: `${stub.base}/jwks.json`, jku: [`${stub.base}/jwks.json`] },
    ];
    s = await withEnv({ RETROPLAN_PUBLIC_URL: PUBLIC_URL, RETROPLAN_CDS_TRUSTED_ISSUERS: JSON.stringify(issuers) }, async () => withSchemaChecks(await startTestServer()));
  });
  after(async () => {
    await s?.close();
    await stub?.close();
  });

  async function sign(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key: CryptoKey = privateKey) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: ISS, aud: AUD, iat: now, exp: now + 300, jti: crypto.randomUUID(), ...claims })
      .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: 'k1', ...header } as never)
      .sign(key);
  }
  const call = (token?: string) => s.request('POST', SERVICE, { body: hookRequest({ prefetch: PREFETCH }), ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });

  it('a valid signed JWT is accepted; its issuer is the audit actor', async () => {
    const r = await call(await sign());
    assert.equal(r.status, 200, r.text);
    assert.match(r.body.cards[0].summary, /IIIB/);
    const audit = await s.repo.listAudit({ action: 'cds.patient-view', limit: 5 });
    assert.equal(audit[0]!.actor, `cds:${ISS}`);
  });

  it('keys from an allow-listed jku are used', async () => {
    const r = await call(await sign({ iss: 'https://remote.example.org' }, { jku: `${stub.base}/jwks.json` }));
    assert.equal(r.status, 200, r.text);
  });

  it('every failure is 401: missing, unsigned, HS256, wrong key, untrusted issuer, wrong aud, expired, no jti, replayed, unlisted jku', async () => {
    const now = Math.floor(Date.now() / 1000);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: ISS, aud: AUD, iat: now, exp: now + 300, jti: 'n1' })}.`;
    const hs256 = await new SignJWT({ iss: ISS, aud: AUD, jti: 'h1' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough-123'));
    const replayed = await sign();
    assert.equal((await call(replayed)).status, 200);
    const cases: [string, string | undefined][] = [
      ['missing', undefined],
      ['alg none', unsigned],
      ['HS256', hs256],
      ['wrong key', await sign({}, {}, otherKey)],
      ['untrusted issuer', await sign({ iss: 'https://evil.example.org' })],
      ['aud of another URL', await sign({ aud: `http://localhost${SERVICE}` })],
      ['expired', await sign({ iat: now - 900, exp: now - 600 })],
      ['no jti', await sign({ jti: undefined })],
      ['replayed', replayed],
      ['jku not allow-listed', await sign({}, { jku: 'https://evil.example.org/jwks.json' })],
      ['garbage', 'not.a.jwt'],
    ];
    for (const [name, token] of cases) {
      const r = await call(token);
      assert.equal(r.status, 401, `${name}: ${r.status} ${r.text}`);
      assert.equal(r.body.errors[0].path, 'headers.authorization');
    }
    // Refused calls are counted per client address and minute (one audit row with the count), not one row each.
    await s.app.refusedCalls.flush(true);
    const [refused] = await s.repo.listAudit({ action: 'request.unauthenticated', limit: 1 });
    assert.match(refused?.detail ?? '', new RegExp(`^${cases.length} calls refused without credentials in this minute: cds\\.patient-view`));
  });

  it('feedback needs a valid JWT for the feedback URL', async () => {
    const feedback = SPEC('specification_current__21__example-suggestion-accepted.json');
    assert.equal((await s.request('POST', `${SERVICE}/feedback`, { body: feedback, headers: { authorization: `Bearer ${await sign()}` } })).status, 401);
    // Authenticated (not 401); the spec example's card was never issued by this service.
    assert.equal((await s.request('POST', `${SERVICE}/feedback`, { body: feedback, headers: { authorization: `Bearer ${await sign({ aud: `${AUD}/feedback` })}` } })).status, 400);
  });

  it('discovery stays open (it holds no patient data)', async () => {
    assert.equal((await s.request('GET', '/cds-services')).status, 200);
  });
});
