/**
 * SMART App Launch 2.0 end to end in Chromium (issue 11): a local authorization server
 * (oauth2-mock-server, which also checks the PKCE verifier against the challenge) and a local FHIR
 * server (test/interop/fhir-stub.ts) serving the discovery document and one DD-LPS patient in
 * pages. The EHR launch signs the user in to Retroplan first, completes authorization code + PKCE
 * S256, reads the patient with the EHR token in the browser and imports through the FHIR import;
 * a second launch and a standalone launch open the same case; an unregistered EHR is refused; the
 * CDS card's deep link opens the patient's case, and a launch returning another patient imports
 * nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { OAuth2Server, type MutableResponse } from 'oauth2-mock-server';
import { startHarness, type Harness } from './support.ts';
import { startFhirStub, serverResources, type FhirStub } from '../interop/fhir-stub.ts';
import { readFixture } from '../interop/support.ts';

const PASSWORD = 'correct horse battery staple';
const PATIENT = 'rps-ddlps-1';
const LONG = { timeout: 120_000 };

let h: Harness;
let page: Page;
let stub: FhirStub;
let oauth: OAuth2Server;
let iss = '';
const authorizeQueries: URLSearchParams[] = [];
const tokenBodies: Record<string, string>[] = [];
const accessTokens: string[] = [];
const savedEnv = process.env.RETROPLAN_SMART_CLIENTS;
let caseId = '';

const base64url = (b: Buffer) => b.toString('base64').replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

async function caseCount(): Promise<number> {
  return (await h.app.repo.listCases({ limit: 100, offset: 0 })).total;
}

async function seriousAxe(screen: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${screen}: ${v.id} ${JSON.stringify(v.nodes[0]?.target)}`);
}

async function fieldValue(label: string): Promise<string> {
  return page.getByLabel(label, { exact: false }).first().inputValue();
}

describe('SMART App Launch (Chromium, real server, local EHR)', { timeout: 600_000 }, () => {
  before(async () => {
    const resources = serverResources(readFixture('rps-ddlps-bundle.json') as { entry: { fullUrl?: string; resource: Record<string, unknown> }[] });
    stub = await startFhirStub(resources);
    // Two resources a page: the app must follow `next` links to see every Observation.
    stub.setPageSize(2);
    iss = `${stub.base}/fhir`;
    oauth = new OAuth2Server();
    await oauth.issuer.keys.generate('RS256');
    await oauth.start(0, '127.0.0.1');
    const auth = oauth.issuer.url!;
    stub.extra.set('/fhir/.well-known/smart-configuration', {
      issuer: auth,
      authorization_endpoint: `${auth}/authorize`,
      token_endpoint: `${auth}/token`,
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      capabilities: ['launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient', 'context-standalone-patient', 'permission-v1', 'permission-v2'],
    });
    oauth.service.on('beforeAuthorizeRedirect', (_uri: unknown, req: IncomingMessage & { query: Record<string, string> }) => authorizeQueries.push(new URLSearchParams(req.query)));
    // The EHR's token response names the patient in context (SMART App Launch, "launch context").
    oauth.service.on('beforeResponse', (response: MutableResponse, req: IncomingMessage & { body: Record<string, string> }) => {
      tokenBodies.push({ ...req.body });
      (response.body as Record<string, unknown>).patient = PATIENT;
      accessTokens.push(String((response.body as Record<string, unknown>).access_token));
    });
    process.env.RETROPLAN_SMART_CLIENTS = JSON.stringify({ [iss]: { clientId: 'retroplan-e2e', name: 'Stub EHR', connectOrigins: [auth] } });
    h = await startHarness([{ username: 'dr.rossi', password: PASSWORD, role: 'clinician' }]);
    page = await h.context.newPage();
  });
  after(async () => {
    if (savedEnv === undefined) delete process.env.RETROPLAN_SMART_CLIENTS;
    else process.env.RETROPLAN_SMART_CLIENTS = savedEnv;
    await h?.close();
    await oauth?.stop();
    await stub?.close();
  });

  it('EHR launch: sign in to Retroplan, authorization code + PKCE S256, the patient read with the EHR token and imported: a pre-filled case', LONG, async () => {
    await page.goto(`${h.base}/smart/launch?iss=${encodeURIComponent(iss)}&launch=launch-4711`);
    await page.getByText('Sign in to Retroplan to continue the launch from Stub EHR').waitFor();
    await page.getByLabel('Username').fill('dr.rossi');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/#\/cases\/[0-9a-f-]{36}$/, LONG);
    caseId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
    await page.getByLabel('Patient name').waitFor();
    assert.equal(await fieldValue('Patient name'), 'Test Example');
    assert.equal(await fieldValue('Greatest dimension'), '22');
    assert.match(await fieldValue('Histology (name or ICD-O-3 code)'), /dedifferentiated liposarcoma/i);

    // The authorization request: EHR launch with launch, aud = iss, the configured scopes, state, PKCE S256.
    assert.equal(authorizeQueries.length, 1);
    const q = authorizeQueries[0]!;
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('client_id'), 'retroplan-e2e');
    assert.equal(q.get('launch'), 'launch-4711');
    assert.equal(q.get('aud'), iss);
    assert.equal(q.get('redirect_uri'), `${h.base}/smart/callback`);
    assert.deepEqual(q.get('scope')!.split(' ').sort(), ['fhirUser', 'launch', 'openid', 'patient/*.read']);
    assert.ok((q.get('state') ?? '').length >= 16);
    assert.equal(q.get('code_challenge_method'), 'S256');
    // The verifier sent to the token endpoint hashes to the challenge (RFC 7636 §4.6), computed here independently.
    assert.equal(tokenBodies.length, 1);
    assert.equal(tokenBodies[0]!.grant_type, 'authorization_code');
    assert.equal(base64url(createHash('sha256').update(tokenBodies[0]!.code_verifier!).digest()), q.get('code_challenge'));
    assert.equal(tokenBodies[0]!.client_secret, undefined, 'a public client sends no secret');

    // The browser read the EHR with the token, every page of the searches.
    const patientRead = stub.requests.find((r) => r.method === 'GET' && r.url === `/fhir/Patient/${PATIENT}`);
    assert.equal(patientRead?.headers.authorization, `Bearer ${accessTokens[0]}`);
    assert.ok(stub.requests.some((r) => r.url.startsWith('/fhir/Observation?') && r.url.includes('_page=2')), 'next pages followed');
    assert.ok(stub.requests.some((r) => r.url.startsWith('/fhir/Procedure?patient=')));

    // The token never reached Retroplan's store, and the browser dropped it after the import.
    for (const file of [h.databasePath, `${h.databasePath}-wal`].filter((f) => existsSync(f))) assert.equal(readFileSync(file).includes(accessTokens[0]!), false, file);
    assert.doesNotMatch(await page.evaluate(() => JSON.stringify(sessionStorage)), new RegExp(accessTokens[0]!.slice(-40).replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')));
    const record = await h.app.repo.getCase(caseId);
    assert.deepEqual((record!.case as { patient: { identifiers: unknown[] } }).patient.identifiers, [{ kind: 'fhir', system: iss, value: PATIENT }]);
  });

  it('a second EHR launch of the same patient opens the same case (no duplicate)', LONG, async () => {
    await page.goto(`${h.base}/smart/launch?iss=${encodeURIComponent(iss)}&launch=launch-4712`);
    await page.waitForURL(new RegExp(`/#/cases/${caseId}$`), LONG);
    await page.getByLabel('Patient name').waitFor();
    assert.equal(await caseCount(), 1);
    assert.equal(authorizeQueries.length, 2);
    assert.equal(authorizeQueries[1]!.get('launch'), 'launch-4712');
  });

  it('standalone launch: the user picks the EHR; launch/patient scope, no launch parameter; the same case', LONG, async () => {
    await page.goto(`${h.base}/#/cases`);
    await page.getByRole('link', { name: 'Open from EHR (SMART)' }).click();
    await page.getByRole('button', { name: 'Launch from Stub EHR' }).click();
    await page.waitForURL(new RegExp(`/#/cases/${caseId}$`), LONG);
    await page.getByLabel('Patient name').waitFor();
    const q = authorizeQueries[2]!;
    assert.equal(q.get('launch'), null);
    assert.deepEqual(q.get('scope')!.split(' ').sort(), ['fhirUser', 'launch/patient', 'openid', 'patient/*.read']);
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.equal(await caseCount(), 1);
  });

  it('an EHR that is not registered is refused on screen, before any authorization request', LONG, async () => {
    await page.goto(`${h.base}/smart/launch?iss=${encodeURIComponent('http://127.0.0.1:9/fhir')}&launch=x`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /This EHR \(http:\/\/127\.0\.0\.1:9\/fhir\) is not registered for SMART launch/);
    assert.equal(authorizeQueries.length, 3);
    assert.deepEqual(await seriousAxe('refused launch'), []);
  });

  it('the CDS card link opens the patient’s existing case; a launch that returns another patient imports nothing', LONG, async () => {
    await page.goto(`${h.base}/#/cases/new?fhirPatient=${PATIENT}&iss=${encodeURIComponent(iss)}`);
    await page.waitForURL(new RegExp(`/#/cases/${caseId}$`), LONG);
    assert.equal(authorizeQueries.length, 3, 'found by identifier, no launch needed');

    const reads = stub.requests.filter((r) => r.method === 'GET' && r.url.startsWith('/fhir/Patient/')).length;
    await page.goto(`${h.base}/#/cases/new?fhirPatient=someone-else&iss=${encodeURIComponent(iss)}`);
    await page.getByRole('button', { name: 'Import from Stub EHR' }).waitFor();
    assert.deepEqual(await seriousAxe('new case from the EHR'), []);
    await page.getByRole('button', { name: 'Import from Stub EHR' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor(LONG);
    assert.match(await alert.innerText(), /The EHR returned patient rps-ddlps-1, but Retroplan was opened for patient someone-else: nothing was imported/);
    assert.equal(stub.requests.filter((r) => r.method === 'GET' && r.url.startsWith('/fhir/Patient/')).length, reads, 'the other patient’s record was not read');
    assert.equal(await caseCount(), 1);
  });
});
