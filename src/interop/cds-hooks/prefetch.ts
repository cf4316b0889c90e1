import { fhirBodyLimitBytes } from '../limits.ts';
import { outboundFetch } from '../outbound-fetch.ts';
import { PREFETCH_TEMPLATES, type HookRequest, type PrefetchKey } from './service.ts';

/**
 * Completes a hook request's prefetch (CDS Hooks 2.0, "Prefetch"): a key the
 * client left out, or set to `null` ("no data / could not be read"), or
 * answered with an OperationOutcome, is read from `fhirServer` with the access
 * token given — when this service may contact that server. A searchset's
 * `next` pages are followed (same origin only, within page and byte limits).
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
  /** Bytes read in all from fhirServer for one hook call. */
  readonly maxBytes?: number;
  /** Searchset pages followed per key (the first included). */
  readonly maxPages?: number;
}

export type PrefetchOutcome =
  | { ok: true; data: Partial<Record<PrefetchKey, unknown>>; fetched: PrefetchKey[]; notes: string[] }
  | { ok: false; status: 412; message: string };

function fill(template: string, patientId: string): string {
  return template.replace(/\{\{context\.patientId\}\}/g, encodeURIComponent(patientId));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isOperationOutcome(value: unknown): boolean {
  return isObject(value) && value.resourceType === 'OperationOutcome';
}

function outcomeText(value: unknown): string {
  const issue = isObject(value) && Array.isArray(value.issue) ? value.issue[0] : undefined;
  const text = isObject(issue) ? (isObject(issue.details) && typeof issue.details.text === 'string' ? issue.details.text : typeof issue.diagnostics === 'string' ? issue.diagnostics : issue.code) : undefined;
  return typeof text === 'string' ? text.slice(0, 120) : 'no detail';
}

function nextLink(bundle: unknown): string | undefined {
  if (!isObject(bundle) || !Array.isArray(bundle.link)) return undefined;
  const next = bundle.link.find((l) => isObject(l) && l.relation === 'next');
  return isObject(next) && typeof next.url === 'string' ? next.url : undefined;
}

export async function completePrefetch(request: HookRequest, options: FetchOptions = {}): Promise<PrefetchOutcome> {
  const given = request.prefetch ?? {};
  const data: Partial<Record<PrefetchKey, unknown>> = {};
  const notes: string[] = [];
  const missing: PrefetchKey[] = [];
  for (const key of Object.keys(PREFETCH_TEMPLATES) as PrefetchKey[]) {
    const value = given[key];
    if (isOperationOutcome(value)) {
      notes.push(`prefetch ${key} is an OperationOutcome (${outcomeText(value)}): not data`);
      missing.push(key);
    } else if (isObject(value)) data[key] = value;
    else missing.push(key);
  }

  const base = request.fhirServer ? new URL(request.fhirServer) : undefined;
  const mayFetch = base !== undefined && (!options.allowedFhirServers || options.allowedFhirServers.includes(base.origin));
  const headers: Record<string, string> = { accept: 'application/fhir+json, application/json' };
  if (request.fhirAuthorization?.access_token) headers.authorization = `Bearer ${request.fhirAuthorization.access_token}`;
  let budget = options.maxBytes ?? fhirBodyLimitBytes();

  const get = async (url: string): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> => {
    try {
      const response = await outboundFetch(url, { headers, allowedOrigins: options.allowedFhirServers ?? [], timeoutMs: options.timeoutMs ?? 5000, maxBytes: budget });
      budget -= Buffer.byteLength(response.body);
      return { ok: true, value: JSON.parse(response.body) as unknown };
    } catch {
      // One neutral text for every failure: the caller learns nothing of what is at the address (issue 9).
      return { ok: false, message: FHIR_READ_FAILED };
    }
  };

  for (const key of missing) {
    if (!mayFetch) {
      // The spec's null means "no data": without a server to ask, the hook runs on what it has.
      if (key === 'patient' && given[key] === undefined) {
        return { ok: false, status: 412, message: base ? `fhirServer ${base.origin} is not one this service is configured to read from` : `prefetch ${missing.join(', ')} missing and no fhirServer to read it from` };
      }
      notes.push(`prefetch ${key}: no data${base ? ` (fhirServer ${base.origin} is not on this service's list)` : ''}`);
      continue;
    }
    const got = await get(`${request.fhirServer!.replace(/\/+$/, '')}/${fill(PREFETCH_TEMPLATES[key], request.context.patientId)}`);
    if (!got.ok) return { ok: false, status: 412, message: got.message };
    if (isOperationOutcome(got.value)) return { ok: false, status: 412, message: `fhirServer answered ${key} with an OperationOutcome (${outcomeText(got.value)})` };
    data[key] = got.value;
  }

  // Follow searchset pages: the size or stage may be on page 2 (issue 11).
  const maxPages = options.maxPages ?? 20;
  for (const key of Object.keys(data) as PrefetchKey[]) {
    const first = data[key];
    if (!isObject(first) || first.resourceType !== 'Bundle') continue;
    const entries = Array.isArray(first.entry) ? [...(first.entry as unknown[])] : [];
    let next = nextLink(first);
    let pages = 1;
    while (next !== undefined) {
      let url: URL;
      try {
        url = new URL(next, base);
      } catch {
        notes.push(`${key}: the next-page link is not a URL; later pages not read`);
        break;
      }
      if (!mayFetch || !base || url.origin !== base.origin) {
        notes.push(`${key}: more pages exist but ${mayFetch ? 'the next link points to another server' : 'this service may not read from fhirServer'}; later pages not read`);
        break;
      }
      if (pages >= maxPages) {
        notes.push(`${key}: more than ${maxPages} pages; later pages not read`);
        break;
      }
      const got = await get(url.href);
      if (!got.ok) return { ok: false, status: 412, message: got.message };
      if (isObject(got.value) && Array.isArray(got.value.entry)) entries.push(...(got.value.entry as unknown[]));
      pages += 1;
      next = nextLink(got.value);
    }
    if (pages > 1) data[key] = { ...first, entry: entries, link: undefined };
  }
  return { ok: true, data, fetched: missing.filter((k) => data[k] !== undefined && !isObject(given[k])), notes };
}
