import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/**
 * Verification of the JWT a CDS client sends with every call (CDS Hooks 2.0
 * security; DEPENDENCIES.md): the issuer and any `jku` must be allow-listed
 * (an arbitrary `jku` is never fetched), only asymmetric algorithms (never
 * `none` or HS*), `aud` equal to the exact URL called as built from the
 * configured public URL, `exp`/`iat` checked, a `jti` accepted once.
 */

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
const MAX_REPLAY_ENTRIES = 100_000;

export class CdsJwtVerifier {
  private readonly issuers: Map<string, TrustedIssuer>;
  private readonly remote = new Map<string, JWTVerifyGetKey>();
  private readonly seen = new Map<string, number>();

  constructor(
    issuers: readonly TrustedIssuer[],
    private readonly publicBaseUrl: string,
  ) {
    this.issuers = new Map(issuers.map((i) => [i.iss, i]));
  }

  get enabled(): boolean {
    return this.issuers.size > 0;
  }

  private remoteSet(url: string): JWTVerifyGetKey {
    let set = this.remote.get(url);
    if (!set) {
      set = createRemoteJWKSet(new URL(url), { timeoutDuration: 3000 });
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
        clockTolerance: 30,
        currentDate: new Date(nowSeconds * 1000),
      });
      const key = `${issuer.iss}\n${String(payload.jti)}`;
      this.prune(nowSeconds);
      if (this.seen.has(key)) return { ok: false, reason: 'the JWT jti was already used' };
      if (this.seen.size >= MAX_REPLAY_ENTRIES) return { ok: false, reason: 'too many recent JWTs; try again shortly' };
      this.seen.set(key, (payload.exp ?? nowSeconds) + 30);
      return { ok: true, iss: issuer.iss, ...(typeof payload.sub === 'string' ? { sub: payload.sub } : {}) };
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ERR_JWT_INVALID';
      return { ok: false, reason: `the JWT is not valid (${code})` };
    }
  }

  private prune(nowSeconds: number): void {
    for (const [key, until] of this.seen) if (until < nowSeconds) this.seen.delete(key);
  }
}
