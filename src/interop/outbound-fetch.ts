import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The one way Retroplan's interop code reaches another server on a caller's behalf
 * (a CDS client names the `fhirServer`): a guard against server-side request forgery
 * (OWASP SSRF Prevention Cheat Sheet).
 *
 * - Only `https:`, unless the origin is explicitly allow-listed (RETROPLAN_CDS_FHIR_SERVERS).
 * - The host is resolved first and every address checked: loopback, private, link-local
 *   (cloud metadata 169.254.169.254), unique-local, CGNAT, multicast, reserved, IPv4-mapped and
 *   other embedded-IPv4 IPv6 ranges are refused; only global unicast passes. Numeric host forms
 *   (`2130706433`, `0x7f.1`, `0177.0.0.1`) are normalised by the WHATWG URL parser first.
 * - The connection goes to the address that was checked (a custom `lookup` on the request),
 *   so a DNS answer that changes between check and connect (rebinding) cannot redirect it.
 * - No redirects, a time limit and a size limit.
 * - Every failure is the same `OutboundFetchError` with one neutral text: the caller learns
 *   nothing about what is (or is not) at the address.
 * Allow-listed origins are trusted by configuration: any address, `http:` allowed.
 */

export const OUTBOUND_FAILURE_MESSAGE = 'the server could not be read';

export class OutboundFetchError extends Error {
  constructor(
    /** Why, for the server's own log at debug level; never sent to a caller. */
    readonly reason: string,
  ) {
    super(OUTBOUND_FAILURE_MESSAGE);
    this.name = 'OutboundFetchError';
  }
}

export interface OutboundFetchOptions {
  /** Origins (`scheme://host:port`) trusted by configuration. */
  readonly allowedOrigins?: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
}

export interface OutboundResponse {
  readonly status: number;
  readonly body: string;
}

const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** true only for a global unicast address (IPv4-mapped IPv6 judged as the IPv4 it carries). */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return false;
  return ipaddr.process(bare).range() === 'unicast';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http(s).request that resolves, refuses any non-public answer, and hands over only checked addresses. */
function checkedLookup(trusted: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, []);
      if (addresses.length === 0 || (!trusted && !addresses.every((a) => isPublicAddress(a.address)))) {
        return callback(Object.assign(new Error('refused address'), { code: 'ERR_OUTBOUND_REFUSED' }), []);
      }
      const family = options.family === 4 || options.family === 6 ? options.family : undefined;
      const usable = family ? addresses.filter((a) => a.family === family) : addresses;
      if (usable.length === 0) return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), []);
      if (options.all) return callback(null, usable);
      return callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}

/** The URL a fetch may go to, or the reason it may not (checked before any network use). */
export function checkOutboundUrl(url: string, allowedOrigins: readonly string[] = []): { ok: true; url: URL; trusted: boolean } | { ok: false; reason: string } {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return { ok: false, reason: 'scheme' };
  if (target.username || target.password) return { ok: false, reason: 'credentials in URL' };
  const trusted = allowedOrigins.includes(target.origin);
  if (!trusted && target.protocol !== 'https:') return { ok: false, reason: 'not https and not allow-listed' };
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!trusted && isIP(host) !== 0 && !isPublicAddress(host)) return { ok: false, reason: 'non-public address' };
  return { ok: true, url: target, trusted };
}

function readBody(response: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    response.on('data', (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        response.destroy();
        reject(new OutboundFetchError('too large'));
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', () => reject(new OutboundFetchError('response error')));
  });
}

/** GET `url` under the rules above; rejects with OutboundFetchError on any failure, any non-2xx status included. */
export async function outboundFetch(url: string, options: OutboundFetchOptions = {}): Promise<OutboundResponse> {
  const checked = checkOutboundUrl(url, options.allowedOrigins);
  if (!checked.ok) throw new OutboundFetchError(checked.reason);
  const { url: target, trusted } = checked;
  const client = target.protocol === 'https:' ? https : http;
  const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  return new Promise<OutboundResponse>((resolve, reject) => {
    const request = client.request(target, {
      method: 'GET',
      headers: { ...options.headers },
      lookup: checkedLookup(trusted) as unknown as typeof dnsLookup,
      agent: false,
      signal,
    });
    request.on('error', (error: NodeJS.ErrnoException) => reject(new OutboundFetchError(error.name === 'AbortError' ? 'timed out' : (error.code ?? 'network error'))));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        response.resume();
        request.destroy();
        reject(new OutboundFetchError(`HTTP ${status}`));
        return;
      }
      readBody(response, options.maxBytes ?? DEFAULT_MAX_BYTES).then((body) => resolve({ status, body }), reject);
    });
    request.end();
  });
}
