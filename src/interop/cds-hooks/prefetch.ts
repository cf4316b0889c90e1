import { outboundFetch } from '../outbound-fetch.ts';
import { PREFETCH_TEMPLATES, type HookRequest, type PrefetchKey } from './service.ts';

/**
 * Completes a hook request's prefetch: what the CDS client did not send is
 * read from its `fhirServer` with the access token it gave (CDS Hooks 2.0).
 * The token is sent to that server only: never logged, stored or echoed.
 * Every read goes through the SSRF guard (interop/outbound-fetch.ts), and every
 * failure to read gives the caller the same text, `FHIR_READ_FAILED`.
 */

export const FHIR_READ_FAILED = 'could not read the missing prefetch data from fhirServer';

export interface FetchOptions {
  /**
   * When set, only these FHIR server origins are contacted, and they are trusted (any address,
   * http allowed). Otherwise only https servers at public addresses (interop/outbound-fetch.ts).
   */
  readonly allowedFhirServers?: readonly string[];
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
}

export type PrefetchOutcome = { ok: true; data: Partial<Record<PrefetchKey, unknown>>; fetched: PrefetchKey[] } | { ok: false; status: 412; message: string };

function fill(template: string, patientId: string): string {
  return template.replace(/\{\{context\.patientId\}\}/g, encodeURIComponent(patientId));
}

export async function completePrefetch(request: HookRequest, options: FetchOptions = {}): Promise<PrefetchOutcome> {
  const given = request.prefetch ?? {};
  const data: Partial<Record<PrefetchKey, unknown>> = {};
  const missing: PrefetchKey[] = [];
  for (const key of Object.keys(PREFETCH_TEMPLATES) as PrefetchKey[]) {
    const value = given[key];
    if (value !== null && typeof value === 'object') data[key] = value;
    else missing.push(key);
  }
  if (missing.length === 0) return { ok: true, data, fetched: [] };
  if (!request.fhirServer) return { ok: false, status: 412, message: `prefetch ${missing.join(', ')} missing and no fhirServer to read it from` };
  const refused = { ok: false as const, status: 412 as const, message: FHIR_READ_FAILED };
  let base: URL;
  try {
    base = new URL(request.fhirServer);
  } catch {
    return refused;
  }
  if (options.allowedFhirServers && !options.allowedFhirServers.includes(base.origin)) return refused;
  const headers: Record<string, string> = { accept: 'application/fhir+json, application/json' };
  const auth = request.fhirAuthorization;
  if (auth?.access_token) headers.authorization = `Bearer ${auth.access_token}`;
  for (const key of missing) {
    const url = `${request.fhirServer.replace(/\/+$/, '')}/${fill(PREFETCH_TEMPLATES[key], request.context.patientId)}`;
    try {
      const response = await outboundFetch(url, {
        headers,
        allowedOrigins: options.allowedFhirServers ?? [],
        timeoutMs: options.timeoutMs ?? 3000,
        maxBytes: options.maxBytes ?? 5 * 1024 * 1024,
      });
      data[key] = JSON.parse(response.body);
    } catch {
      return refused;
    }
  }
  return { ok: true, data, fetched: missing };
}
