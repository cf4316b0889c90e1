import { z } from 'zod';

/**
 * The EHRs Retroplan may be SMART-launched from (SMART App Launch 2.0, public client + PKCE):
 * per FHIR base URL (`iss`) the client id the EHR registered for Retroplan, the scopes asked for,
 * and the origins the browser must reach besides `iss` (the authorization server's token
 * endpoint; the Content-Security-Policy allows `connect-src` to exactly these origins).
 * No client secret exists: a browser app cannot keep one (SMART App Launch §"public apps").
 */

/** A FHIR base URL as the EHR names it in `iss`, without a trailing slash. */
export function normaliseIss(iss: string): string {
  return iss.trim().replace(/\/+$/, '');
}

const ScopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3 scope-token characters

export const DEFAULT_SMART_SCOPES = 'launch openid fhirUser patient/*.read';

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(500, { error: 'must be at most 500 characters' });

export const SmartClientSchema = z.strictObject({
  iss: HttpUrl.transform(normaliseIss),
  name: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }),
  clientId: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }),
  scopes: z
    .string({ error: 'must be a string' })
    .max(500, { error: 'must be at most 500 characters' })
    .refine((s) => s.trim().split(/\s+/).every((t) => ScopeToken.test(t)), { error: 'must be scope tokens separated by spaces' })
    .transform((s) => s.trim().split(/\s+/).join(' '))
    .default(DEFAULT_SMART_SCOPES),
  connectOrigins: z
    .array(HttpUrl.transform((u) => new URL(u).origin), { error: 'must be a list of URLs' })
    .max(5, { error: 'must list at most 5 origins' })
    .default([]),
});
export type SmartClient = z.output<typeof SmartClientSchema>;

export const SmartClientListSchema = z
  .array(SmartClientSchema, { error: 'must be a list of EHRs' })
  .max(50, { error: 'must list at most 50 EHRs' })
  .refine((list) => new Set(list.map((c) => c.iss)).size === list.length, { error: 'names an iss twice' });

/**
 * RETROPLAN_SMART_CLIENTS: JSON object iss → {clientId, name?, scopes?, connectOrigins?}, e.g.
 * `{"https://ehr.example/fhir": {"clientId": "retroplan", "name": "Hospital EHR"}}`.
 */
export function smartClientsFromEnv(env: NodeJS.ProcessEnv): SmartClient[] {
  const text = env.RETROPLAN_SMART_CLIENTS;
  if (!text) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('RETROPLAN_SMART_CLIENTS is not valid JSON');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('RETROPLAN_SMART_CLIENTS must be a JSON object: iss → {clientId, scopes?}');
  const list = Object.entries(raw as Record<string, unknown>).map(([iss, entry]) => ({ name: new URL(iss).host, ...(entry as object), iss }));
  const parsed = SmartClientListSchema.safeParse(list);
  if (!parsed.success) throw new Error(`RETROPLAN_SMART_CLIENTS: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** How long an instance serves the stored list before reading it again (another instance may have changed it). */
export const SMART_REFRESH_MS = 30_000;

/** The configured EHRs: those stored by an administrator replace an environment entry with the same iss. */
export class SmartRegistry {
  private stored: SmartClient[] = [];
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;
  constructor(
    private readonly fromEnv: readonly SmartClient[],
    private readonly load: () => Promise<readonly unknown[]>,
    private readonly now: () => number = Date.now,
  ) {}

  setStored(clients: readonly SmartClient[]): void {
    this.stored = [...clients];
    this.loadedAt = this.now();
  }

  /** Re-reads the stored list when older than SMART_REFRESH_MS; a stored row the rules now refuse is left out. */
  async refresh(force = false): Promise<void> {
    if (!force && this.now() - this.loadedAt < SMART_REFRESH_MS) return;
    this.loading ??= this.load()
      .then((rows) => this.setStored(rows.flatMap((row) => {
        const parsed = SmartClientSchema.safeParse(row);
        return parsed.success ? [parsed.data] : [];
      })))
      .finally(() => {
        this.loading = null;
      });
    await this.loading;
  }

  all(): (SmartClient & { source: 'environment' | 'database' })[] {
    const byIss = new Map<string, SmartClient & { source: 'environment' | 'database' }>();
    for (const c of this.fromEnv) byIss.set(c.iss, { ...c, source: 'environment' });
    for (const c of this.stored) byIss.set(c.iss, { ...c, source: 'database' });
    return [...byIss.values()];
  }

  environment(): readonly SmartClient[] {
    return this.fromEnv;
  }

  find(iss: string): SmartClient | undefined {
    const key = normaliseIss(iss);
    return this.all().find((c) => c.iss === key);
  }

  /** CSP connect-src: the FHIR servers and authorization servers of configured EHRs, nothing else. */
  connectSources(): string {
    const origins = new Set<string>();
    for (const c of this.all()) {
      origins.add(new URL(c.iss).origin);
      for (const o of c.connectOrigins) origins.add(o);
    }
    return ["'self'", ...[...origins].sort()].join(' ');
  }
}
