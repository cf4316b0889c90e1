import ipaddr from 'ipaddr.js';

/** Names proxy-addr (Fastify's trustProxy) understands for whole ranges. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

export class TrustProxyError extends Error {}

function isAddressOrCidr(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  if (entry.includes('/')) {
    try {
      ipaddr.parseCIDR(entry);
      return true;
    } catch {
      return false;
    }
  }
  return ipaddr.isValid(entry);
}

/**
 * The reverse proxies whose X-Forwarded-For / -Proto are believed: addresses or CIDRs.
 * `true` (trust whoever connects) is refused: any client could then choose the address
 * the per-address login limit and the audit log see.
 */
export function parseTrustedProxies(value: false | string | readonly string[] | undefined | boolean): string[] {
  if (value === undefined || value === false) return [];
  if (value === true) {
    throw new TrustProxyError('trustProxy: true would trust X-Forwarded-For from any client; name the proxy addresses or CIDRs instead (e.g. 10.0.0.5,10.1.0.0/16)');
  }
  const entries = (typeof value === 'string' ? value.split(',') : value).map((s) => s.trim()).filter(Boolean);
  const bad = entries.filter((e) => !isAddressOrCidr(e));
  if (bad.length > 0) {
    throw new TrustProxyError(
      `TRUST_PROXY must list proxy addresses or CIDRs (comma-separated), or loopback/linklocal/uniquelocal; not ${bad.map((b) => JSON.stringify(b.slice(0, 60))).join(', ')}`,
    );
  }
  return entries;
}
