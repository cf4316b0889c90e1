import type FHIR from 'fhirclient';
import { ApiError, request } from '../api.ts';

/**
 * SMART App Launch 2.0 (https://hl7.org/fhir/smart-app-launch/) in the browser, with the
 * `fhirclient` library: discovery of `iss/.well-known/smart-configuration`, authorization code
 * with PKCE S256 (WebCrypto; `pkceMode: 'required'` refuses an EHR that does not offer S256),
 * `state`, `aud=iss`, and the code exchanged for a token at the EHR's token endpoint.
 *
 * Retroplan is a public client (no secret can be kept in a browser). The EHR token stays in this
 * tab's sessionStorage only until the import is done and is then removed: the Retroplan server
 * receives the patient's resources, never the token (docs/architecture.md, "SMART on FHIR").
 * The launch URL and the redirect URI are real paths (/smart/launch, /smart/callback) served by
 * the server's SPA fallback, because the EHR appends `iss`/`launch` and the authorization server
 * appends `code`/`state` as a query, which a hash route would not carry.
 */

export const LAUNCH_PATH = '/smart/launch';
export const CALLBACK_PATH = '/smart/callback';

/** The patient a launch is expected to return (a CDS Hooks card names one): checked after the token. */
const EXPECT_KEY = 'retroplan.smart.expect';
/** fhirclient keeps its state under a random key named by this entry (fhirclient/lib/settings.js). */
const FHIRCLIENT_KEY = 'SMART_KEY';

export interface SmartConfig {
  readonly iss: string;
  readonly name: string;
  readonly clientId: string;
  readonly scopes: string;
}

export const normaliseIss = (iss: string) => iss.trim().replace(/\/+$/, '');

export function smartConfig(iss: string): Promise<SmartConfig> {
  return request('GET', `/api/smart/config?iss=${encodeURIComponent(iss)}`);
}

export async function smartEhrs(): Promise<{ iss: string; name: string }[]> {
  return (await request<{ items: { iss: string; name: string }[] }>('GET', '/api/smart/ehrs')).items;
}

/** The case of a FHIR patient on a server, if Retroplan has one. */
export async function caseOfFhirPatient(iss: string, patientId: string): Promise<string | undefined> {
  try {
    const found = await request<{ id: string }>('GET', `/api/cases/lookup?kind=fhir&system=${encodeURIComponent(normaliseIss(iss))}&value=${encodeURIComponent(patientId)}`);
    return found.id;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

/** Standalone launch (no EHR session): the patient is chosen at the EHR, so `launch` becomes `launch/patient`. */
export function standaloneScopes(scopes: string): string {
  const tokens = scopes.split(/\s+/).filter((t) => t !== '' && t !== 'launch' && !t.startsWith('launch/'));
  return ['launch/patient', ...tokens].join(' ');
}

/**
 * Redirects to the EHR's authorization endpoint. `launch` present: an EHR launch; absent: a
 * standalone launch. `expectPatient`: the patient the token must name, or nothing is imported.
 */
export async function startLaunch(config: SmartConfig, options: { launch?: string; expectPatient?: string } = {}): Promise<void> {
  if (options.expectPatient) sessionStorage.setItem(EXPECT_KEY, JSON.stringify({ iss: config.iss, patient: options.expectPatient }));
  else sessionStorage.removeItem(EXPECT_KEY);
  // fhirclient lets query parameters (clientId, patientId, fhirServiceUrl) override its options; the
  // launch URL is the EHR's (or anyone's) to write, so only the values checked here are passed on.
  window.history.replaceState(null, '', window.location.pathname);
  await (await fhirclient()).oauth2.authorize({
    iss: config.iss,
    clientId: config.clientId,
    scope: options.launch !== undefined ? config.scopes : standaloneScopes(config.scopes),
    redirectUri: CALLBACK_PATH,
    pkceMode: 'required',
    ...(options.launch !== undefined ? { launch: options.launch } : {}),
  });
}

type Client = Awaited<ReturnType<typeof FHIR.oauth2.ready>>;

/** fhirclient is loaded only when a launch happens: the worklist and case screens do not carry it. */
async function fhirclient(): Promise<typeof FHIR> {
  return (await import('fhirclient')).default;
}
type Resource = { resourceType?: string; id?: string; subject?: { reference?: string } };

/** The resource types the importer reads (src/interop/fhir/import.ts), searched by patient, every page. */
const SEARCHES = ['Condition?patient={id}', 'Observation?patient={id}&_count=200', 'Procedure?patient={id}'];

async function patientBundle(client: Client, patientId: string): Promise<{ resourceType: 'Bundle'; type: 'collection'; entry: { resource: Resource }[] }> {
  const patient = (await client.request(`Patient/${encodeURIComponent(patientId)}`)) as Resource;
  if (patient.resourceType !== 'Patient' || patient.id !== patientId) throw new Error(`The EHR answered with another resource than Patient/${patientId}: nothing was imported.`);
  const resources: Resource[] = [patient];
  for (const search of SEARCHES) {
    // pageLimit 0: follow every `next` link (as the CDS prefetch does); flat: the resources, not the pages.
    const found = (await client.request(search.replace('{id}', encodeURIComponent(patientId)), { pageLimit: 0, flat: true })) as Resource[];
    resources.push(...found.filter((r) => r && typeof r === 'object'));
  }
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) };
}

function forgetToken(): void {
  const key = sessionStorage.getItem(FHIRCLIENT_KEY);
  if (key) {
    try {
      sessionStorage.removeItem(JSON.parse(key) as string);
    } catch {
      sessionStorage.removeItem(key);
    }
  }
  sessionStorage.removeItem(FHIRCLIENT_KEY);
}

export class WrongPatientError extends Error {}

/**
 * The redirect back: code → token (PKCE verifier), the patient from the token response, the
 * patient's resources read with the token and imported through POST /api/fhir/import (which
 * recognises by codes, keeps to one patient and updates the patient's existing case).
 */
export async function completeLaunch(): Promise<{ caseId: string; updated: boolean; patientId: string; iss: string }> {
  const client = await (await fhirclient()).oauth2.ready();
  try {
    const iss = normaliseIss(client.state.serverUrl);
    const patientId = client.patient.id;
    if (!patientId) throw new Error('The EHR gave no patient context with the token (no "patient" in the token response): nothing was imported.');
    const expected = sessionStorage.getItem(EXPECT_KEY);
    sessionStorage.removeItem(EXPECT_KEY);
    if (expected) {
      const e = JSON.parse(expected) as { iss: string; patient: string };
      if (normaliseIss(e.iss) !== iss || e.patient !== String(patientId)) {
        throw new WrongPatientError(`The EHR returned patient ${String(patientId)}, but Retroplan was opened for patient ${e.patient}: nothing was imported. Choose the same patient in the EHR and try again.`);
      }
    }
    const bundle = await patientBundle(client, String(patientId));
    const result = await request<{ record: { id: string }; updated?: boolean }>('POST', `/api/fhir/import?source=${encodeURIComponent(iss)}`, bundle);
    return { caseId: result.record.id, updated: result.updated === true, patientId: String(patientId), iss };
  } finally {
    forgetToken();
  }
}
