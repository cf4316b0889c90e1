import type { DocumentReference } from '@medplum/fhirtypes';
import { SYSTEM } from './codes.ts';

/**
 * Write-back of the MDT report to the hospital's FHIR server as a DocumentReference
 * (FHIR R4 "create": POST [base]/DocumentReference). Optional, configured by the environment:
 * - RETROPLAN_FHIR_PUSH_URL: the FHIR base URL (https) to write to;
 * - RETROPLAN_FHIR_PUSH_TOKEN: a bearer token for it (never logged or echoed).
 * The outbound request goes through an injectable fetch: the server installs the guarded
 * fetch that refuses private and loopback addresses (src/interop/outbound-fetch.ts, when present).
 */

export interface PushConfig {
  readonly baseUrl: string;
  readonly token?: string;
}

export function pushConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PushConfig | undefined {
  const url = env.RETROPLAN_FHIR_PUSH_URL?.trim();
  if (!url) return undefined;
  if (!/^https?:\/\/[^/]+/.test(url)) throw new Error('RETROPLAN_FHIR_PUSH_URL must be an http(s) URL');
  return { baseUrl: url.replace(/\/+$/, ''), ...(env.RETROPLAN_FHIR_PUSH_TOKEN ? { token: env.RETROPLAN_FHIR_PUSH_TOKEN } : {}) };
}

let outboundFetch: typeof fetch = (input, init) => fetch(input, init);
/** Installs the fetch used for write-back (the guarded outbound fetch in the server; a stub in tests). */
export function setOutboundFetch(f: typeof fetch): void {
  outboundFetch = f;
}

function base64Utf8(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function mdtDocumentReference(input: { patientId: string; reportText: string; issued: string; title: string }): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: SYSTEM.retroplan, code: 'mdt-report', display: 'Sarcoma tumour board (MDT) report' }], text: 'Sarcoma tumour board report' },
    subject: { reference: `Patient/${input.patientId}` },
    date: input.issued,
    description: input.title.slice(0, 200),
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', language: 'en', title: 'Retroplan MDT report', data: base64Utf8(input.reportText), creation: input.issued } }],
  };
}

export type PushOutcome = { ok: true; location?: string } | { ok: false; status: number; message: string };

export async function pushDocument(doc: DocumentReference, config: PushConfig, timeoutMs = 10_000): Promise<PushOutcome> {
  const headers: Record<string, string> = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };
  if (config.token) headers.authorization = `Bearer ${config.token}`;
  try {
    const response = await outboundFetch(`${config.baseUrl}/DocumentReference`, { method: 'POST', headers, body: JSON.stringify(doc), redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    if (!response.ok) return { ok: false, status: 502, message: `the FHIR server refused the document (HTTP ${response.status})` };
    const location = response.headers.get('location') ?? undefined;
    return { ok: true, ...(location ? { location: location.slice(0, 500) } : {}) };
  } catch (error) {
    const name = (error as Error).name;
    return { ok: false, status: 502, message: `the FHIR server could not be reached (${name === 'TimeoutError' ? 'timed out' : 'unreachable or refused'})` };
  }
}
