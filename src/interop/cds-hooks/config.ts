import { z } from 'zod';
import type { TrustedIssuer } from './jwt.ts';

/**
 * CDS Hooks settings, read from the environment when the server starts:
 * - RETROPLAN_PUBLIC_URL: the URL EHRs call Retroplan at (JWT `aud` and card links), e.g. https://retroplan.hospital.org
 * - RETROPLAN_CDS_TRUSTED_ISSUERS: JSON list of `{iss, jwksUrl?, jwks?, jku?}`; when set, every hook call needs a valid JWT
 * - RETROPLAN_CDS_FHIR_SERVERS: comma-separated origins the service may fetch patient data from
 *   (default: any origin for JWT-verified clients; none for unsigned calls)
 * - RETROPLAN_CDS_ALLOW_UNSIGNED=true: accept hook calls without a JWT (a sandbox only). Without it and
 *   without trusted issuers, hook calls are refused: patient data never flows through an
 *   unauthenticated service by default.
 * - RETROPLAN_CDS_ORGANISATIONS: comma-separated organisations whose cases a hook call may link
 *   to (default `default`): an EHR sees its own organisation's cases, never another's (issue 13).
 */
export interface CdsHooksConfig {
  readonly publicBaseUrl: string;
  readonly trustedIssuers: TrustedIssuer[];
  readonly allowedFhirServers?: string[];
  readonly allowUnsigned: boolean;
  readonly organisationIds: string[];
}

const IssuerSchema = z.strictObject({
  iss: z.string().min(1),
  jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
  jwks: z.looseObject({ keys: z.array(z.looseObject({ kty: z.string() })) }).optional(),
  jku: z.array(z.url({ protocol: /^https?$/ })).optional(),
});

export function cdsHooksConfigFromEnv(env: NodeJS.ProcessEnv): CdsHooksConfig {
  const publicBaseUrl = (env.RETROPLAN_PUBLIC_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(publicBaseUrl)) throw new Error('RETROPLAN_PUBLIC_URL must be an http(s) URL');
  let trustedIssuers: TrustedIssuer[] = [];
  if (env.RETROPLAN_CDS_TRUSTED_ISSUERS) {
    let raw: unknown;
    try {
      raw = JSON.parse(env.RETROPLAN_CDS_TRUSTED_ISSUERS);
    } catch {
      throw new Error('RETROPLAN_CDS_TRUSTED_ISSUERS is not valid JSON');
    }
    const parsed = z.array(IssuerSchema).safeParse(raw);
    if (!parsed.success) throw new Error(`RETROPLAN_CDS_TRUSTED_ISSUERS: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    trustedIssuers = parsed.data as TrustedIssuer[];
  }
  const servers = env.RETROPLAN_CDS_FHIR_SERVERS?.split(',').map((s) => s.trim()).filter(Boolean);
  const allowUnsigned = env.RETROPLAN_CDS_ALLOW_UNSIGNED === 'true';
  const listed = env.RETROPLAN_CDS_ORGANISATIONS?.split(',').map((s) => s.trim()).filter(Boolean);
  const organisationIds = listed && listed.length > 0 ? listed : ['default'];
  const allowedFhirServers = servers && servers.length > 0 ? servers.map((s) => new URL(s).origin) : undefined;
  // An unsigned caller could otherwise make the server fetch any URL it names (SSRF): no allow-list, no fetching.
  if (trustedIssuers.length === 0 && allowUnsigned && !allowedFhirServers) return { publicBaseUrl, trustedIssuers, allowUnsigned, organisationIds, allowedFhirServers: [] };
  return { publicBaseUrl, trustedIssuers, allowUnsigned, organisationIds, ...(allowedFhirServers ? { allowedFhirServers } : {}) };
}
