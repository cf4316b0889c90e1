import { createHash } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, customFetch, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { outboundFetch } from '../outbound-fetch.ts';

/**
 * Verification of the JWT a CDS client sends with every call (CDS Hooks 2.0
 * security; DEPENDENCIES.md): the issuer and any `jku` must be allow-listed
 * (an arbitrary `jku` is never fetched), only asymmetric algorithms (never
 * `none` or HS*), `aud` equal to the exact URL called as built from the
 * configured public URL, `exp`/`iat` checked, a `jti` accepted once — recorded in
 * the database until the token expires (ReplayStore), so a second server instance on
 * the same database, or the same one after a restart, refuses a replay too.
 */

/** Where used `jti`s are kept. `claim` is atomic: true the first time a key is claimed, false after. */
export interface ReplayStore {
  claim(key: string, expiresAtSeconds: number, nowSeconds: number): Promise<boolean>;
}

/** Keys fetched from a configured `jwksUrl` or allow-listed `jku` are small. */
const MAX_JWKS_BYTES = 256 * 1024;

export interface TrustedIssuer {
  readonly iss: string;
  /** The issuer's public keys, inline. */
  readonly jwks?: JSONWebKeySet;
  /** Where the issuer publishes its keys. */
  readonly jwksUrl?: string;
  /** `jku` header values accepted from this issuer (exact URLs). */
  readonly jku?: readonly string[];
}

export type Verification = { ok: true; iss: string; sub?: string } | { ok: false; reason: string };

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Seconds a jti is kept after the token's `exp`: the clock tolerance of the check below. */
const CLOCK_TOLERANCE_SECONDS = 30;

export class CdsJwtVerifier {
  private readonly issuers: Map<string, TrustedIssuer>;
  private readonly remote = new Map<string, JWTVerifyGetKey>();

  constructor(
    issuers: readonly TrustedIssuer[],
    private readonly publicBaseUrl: string,
    private readonly replays: ReplayStore,
  ) {
    this.issuers = new Map(issuers.map((i) => [i.iss, i]));
  }

  get enabled(): boolean {
    return this.issuers.size > 0;
  }

  private remoteSet(url: string): JWTVerifyGetKey {
    let set = this.remote.get(url);
    if (!set) {
      // The URL is configuration (jwksUrl or an allow-listed jku), so its origin is trusted;
      // it is still fetched through the one outbound module (no redirects, size and time limits).
      const origin = new URL(url).origin;
      set = createRemoteJWKSet(new URL(url), {
        timeoutDuration: 3000,
        [customFetch]: async (resource, init) => {
          const response = await outboundFetch(resource, {
            allowedOrigins: [origin],
            headers: Object.fromEntries(new Headers(init.headers).entries()),
            timeoutMs: 3000,
            maxBytes: MAX_JWKS_BYTES,
          });
          return new Response(response.body, { status: response.status, headers: { 'content-type': 'application/json' } });
        },
      });
      this.remote.set(url, set);
    }
    return set;
  }

  /** `path` is the route's path (e.g. `/cds-services/x`); the audience is the public URL plus it. */
  async verify(authorization: string | undefined, path: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<Verification> {
    const match = /^Bearer\s+([A-Za-z0-9_\-.]{1,8192})\s*$/.exec(authorization ?? '');
    if (!match) return { ok: false, reason: 'a signed JWT is required (Authorization: Bearer <jwt>)' };
    const token = match[1]!;
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: ReturnType<typeof decodeJwt>;
    try {
      header = decodeProtectedHeader(token);
      claims = decodeJwt(token);
    } catch {
      return { ok: false, reason: 'the JWT is malformed' };
    }
    if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg)) return { ok: false, reason: 'the JWT algorithm is not accepted (asymmetric signatures only)' };
    const issuer = typeof claims.iss === 'string' ? this.issuers.get(claims.iss) : undefined;
    if (!issuer) return { ok: false, reason: 'the JWT issuer is not trusted' };
    let keys: JWTVerifyGetKey;
    if (header.jku !== undefined) {
      if (!issuer.jku?.includes(header.jku)) return { ok: false, reason: 'the JWT jku is not allow-listed for its issuer' };
      keys = this.remoteSet(header.jku);
    } else if (issuer.jwks) {
      keys = createLocalJWKSet(issuer.jwks);
    } else if (issuer.jwksUrl) {
      keys = this.remoteSet(issuer.jwksUrl);
    } else {
      return { ok: false, reason: 'no keys are configured for the JWT issuer' };
    }
    const audience = `${this.publicBaseUrl.replace(/\/+$/, '')}${path}`;
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: issuer.iss,
        audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
        maxTokenAge: '10 minutes',
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(nowSeconds * 1000),
      });
      const key = createHash('sha256').update(`${issuer.iss}\n${String(payload.jti)}`, 'utf8').digest('hex');
      const keepUntil = (payload.exp ?? nowSeconds) + CLOCK_TOLERANCE_SECONDS;
      if (!(await this.replays.claim(key, keepUntil, nowSeconds))) return { ok: false, reason: 'the JWT jti was already used' };
      return { ok: true, iss: issuer.iss, ...(typeof payload.sub === 'string' ? { sub: payload.sub } : {}) };
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ERR_JWT_INVALID';
      return { ok: false, reason: `the JWT is not valid (${code})` };
    }
  }
}
