import { PREFETCH_TEMPLATES, type HookRequest, type PrefetchKey } from './service.ts';

/**
 * Completes a hook request's prefetch: what the CDS client did not send is
 * read from its `fhirServer` with the access token it gave (CDS Hooks 2.0).
 * The token is sent to that server only: never logged, stored or echoed.
 */

export interface FetchOptions {
  /** When set, only these FHIR server origins are contacted (protects against being used to reach other hosts). */
  readonly allowedFhirServers?: readonly string[];
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly fetchImpl?: typeof fetch;
}

export type PrefetchOutcome = { ok: true; data: Partial<Record<PrefetchKey, unknown>>; fetched: PrefetchKey[] } | { ok: false; status: 412; message: string };

function fill(template: string, patientId: string): string {
  return template.replace(/\{\{context\.patientId\}\}/g, encodeURIComponent(patientId));
}

async function readLimited(response: Response, maxBytes: number): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
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
  const base = new URL(request.fhirServer);
  if (options.allowedFhirServers && !options.allowedFhirServers.includes(base.origin)) {
    return { ok: false, status: 412, message: `fhirServer ${base.origin} is not one this service is configured to read from` };
  }
  const fetchImpl = options.fetchImpl ?? fetch;
  const headers: Record<string, string> = { accept: 'application/fhir+json, application/json' };
  const auth = request.fhirAuthorization;
  if (auth?.access_token) headers.authorization = `Bearer ${auth.access_token}`;
  for (const key of missing) {
    const url = `${request.fhirServer.replace(/\/+$/, '')}/${fill(PREFETCH_TEMPLATES[key], request.context.patientId)}`;
    try {
      const response = await fetchImpl(url, { headers, redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs ?? 3000) });
      if (!response.ok) {
        await response.body?.cancel();
        return { ok: false, status: 412, message: `could not read ${key} from fhirServer (HTTP ${response.status})` };
      }
      const text = await readLimited(response, options.maxBytes ?? 5 * 1024 * 1024);
      if (text === undefined) return { ok: false, status: 412, message: `${key} from fhirServer is larger than this service reads` };
      data[key] = JSON.parse(text);
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).name === 'SyntaxError' ? 'not JSON' : 'unreachable';
      return { ok: false, status: 412, message: `could not read ${key} from fhirServer (${reason})` };
    }
  }
  return { ok: true, data, fetched: missing };
}
