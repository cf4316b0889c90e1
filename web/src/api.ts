import type { CaseInput, Evaluation, FieldError } from '../../src/engine/index.ts';

/**
 * The Retroplan REST API as the web app uses it (server: src/server). Every call
 * sends the session cookie; errors become ApiError with the server's field errors.
 */

export type Role = 'admin' | 'clinician' | 'viewer';
export interface User {
  readonly username: string;
  readonly role: Role;
}

/** The server's case statuses (src/store/types.ts), not a copy. */
export { CASE_STATUSES } from '../../src/store/types.ts';

export interface CaseSummary {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly status: string;
  readonly updatedAt: string;
  readonly updatedBy?: string;
  readonly stageGroup?: string | null;
  readonly histology?: string | null;
  /** The label of the engine's first strategy priority, computed by the server on every write (null: the stored case no longer validates). */
  readonly nextStep?: string | null;
  readonly case?: CaseInput;
  readonly archived?: boolean;
  /** Where the case stands in your part of the network (GET /api/cases; src/server/schemas.ts WorklistItemSchema). */
  readonly referralStatus?: string | null;
  readonly nextMeeting?: { readonly id: string; readonly date: string } | null;
  readonly openNavigation?: number;
}

export interface StoredCase {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly status: string;
  readonly case: CaseInput;
  readonly updatedAt: string;
  readonly updatedBy?: string;
}

export interface CaseVersion {
  readonly version: number;
  readonly title?: string;
  readonly status?: string;
  readonly case?: CaseInput;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly author?: string;
  readonly updatedBy?: string;
  readonly createdBy?: string;
  readonly changedFields?: string[];
}

export interface Decision {
  readonly id?: string | number;
  readonly date: string;
  readonly attendees: string[];
  readonly decision: string;
  readonly strategyIds: string[];
  readonly createdAt?: string;
  readonly createdBy?: string;
  readonly author?: string;
}

export interface AuditEntry {
  readonly id?: string | number;
  readonly at?: string;
  readonly time?: string;
  readonly actor?: string | null;
  readonly action: string;
  readonly object?: string | null;
  readonly objectType?: string | null;
  readonly detail?: string | null;
  readonly objectId?: string | null;
  readonly outcome?: string;
  readonly clientAddress?: string | null;
  readonly ip?: string | null;
}

/** Organisations of the network and the caller's memberships (issue 13). */
export interface Organisations {
  items: { id: string; name: string; kind: 'hub' | 'spoke' }[];
  memberships: { organisationId: string; role: string }[];
  network: boolean;
}

export interface Referral {
  id: string;
  caseId: string;
  caseTitle: string;
  fromOrganisationId: string | null;
  fromName: string;
  toOrganisationId: string;
  status: string;
  urgency: string;
  question: string;
  createdAt: string;
  updatedAt: string;
  openNavigation: number;
  meetingId: string | null;
  decisionRef: string | null;
  decisionSummary: string | null;
  decidedAt: string | null;
  /** The signed decision's outcome letter and patient summary (PDF), when the decision is this installation's. */
  letters: { outcomeLetter: string; patientSummary: string } | null;
  events?: { id: number; action: string; status: string; note: string | null; author: string; at: string }[];
  navigation?: { item: string; owner: string | null; status: string; notes: string | null }[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly errors: FieldError[];
  readonly body: unknown;
  constructor(status: number, message: string, errors: FieldError[] = [], body: unknown = undefined) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.errors = errors;
    this.body = body;
  }
}

function messageFor(status: number, body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; error?: unknown; errors?: unknown };
    if (Array.isArray(b.errors) && b.errors.length > 0) {
      return (b.errors as FieldError[]).map((e) => `${e.path || '(case)'}: ${e.message}`).join('; ');
    }
    if (typeof b.message === 'string') return b.message;
    if (typeof b.error === 'string') return b.error;
  }
  if (status === 401) return 'Please sign in.';
  if (status === 403) return 'Your role does not allow this.';
  if (status === 404) return 'Not found.';
  if (status === 409) return 'Someone else saved a newer version.';
  return `The server answered ${status}.`;
}

export async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : null,
    });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check the connection and try again.');
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) {
    const errors = parsed && typeof parsed === 'object' && Array.isArray((parsed as { errors?: unknown }).errors)
      ? ((parsed as { errors: FieldError[] }).errors)
      : [];
    throw new ApiError(response.status, messageFor(response.status, parsed), errors, parsed);
  }
  return parsed as T;
}

/** Accepts `{user: {...}}` or the user object itself. */
function asUser(body: unknown): User {
  const b = body as { user?: User } & Partial<User>;
  const u = b.user ?? (b as User);
  return { username: String(u.username), role: u.role };
}

/** Accepts a bare array or a page object (`items`, `cases`, `entries`, `versions`, `data`). */
export function listOf<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === 'object') {
    for (const key of ['items', 'cases', 'entries', 'versions', 'decisions', 'data', 'results']) {
      const v = (body as Record<string, unknown>)[key];
      if (Array.isArray(v)) return v as T[];
    }
  }
  return [];
}

export interface CaseQuery {
  readonly q?: string;
  readonly status?: string;
  readonly stageGroup?: string;
  readonly histology?: string;
  readonly includeArchived?: boolean;
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '' && v !== false) s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
}

export interface FirstRunState {
  readonly setupRequired: boolean;
  readonly passwordPolicy: string;
  readonly user: User | null;
}

export const api = {
  /** Who is signed in (null when nobody) and whether first-run setup is open: 200 either way, no 401 on load. */
  state: async (): Promise<FirstRunState> => {
    const body = await request<{ setupRequired: boolean; passwordPolicy: string; user: unknown }>('GET', '/api/setup');
    return { setupRequired: body.setupRequired, passwordPolicy: body.passwordPolicy, user: body.user ? asUser({ user: body.user }) : null };
  },
  /** Creates a case from a FHIR R4 (mCODE) Bundle; the server answers with the record and its import report. */
  importFhir: (bundle: unknown, title?: string): Promise<{ record: StoredCase; report: unknown }> =>
    request('POST', `/api/fhir/import${title ? `?title=${encodeURIComponent(title)}` : ''}`, bundle),
  setupFirstAdmin: (token: string, username: string, password: string): Promise<unknown> => request('POST', '/api/setup', { token, username, password }),
  whoAmI: async (): Promise<User | null> => {
    try {
      return asUser(await request('GET', '/api/session'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },
  login: async (username: string, password: string): Promise<User> => asUser(await request('POST', '/api/session', { username, password })),
  logout: (): Promise<unknown> => request('DELETE', '/api/session'),

  listCases: async (q: CaseQuery = {}): Promise<CaseSummary[]> =>
    listOf<CaseSummary>(await request('GET', `/api/cases${query({ q: q.q, status: q.status, stageGroup: q.stageGroup, histology: q.histology, limit: 100 })}`)),
  getCase: (id: string): Promise<StoredCase> => request('GET', `/api/cases/${encodeURIComponent(id)}`),
  createCase: (title: string, status: string, c: unknown): Promise<StoredCase> => request('POST', '/api/cases', { title, status, case: c }),
  updateCase: (id: string, version: number, title: string, status: string, c: unknown): Promise<StoredCase> =>
    request('PUT', `/api/cases/${encodeURIComponent(id)}`, { title, status, case: c }, { 'if-match': String(version) }),
  /** Archives the version the user saw: 409 when someone changed the case since. */
  archiveCase: (id: string, version: number): Promise<StoredCase> =>
    request('DELETE', `/api/cases/${encodeURIComponent(id)}`, undefined, { 'if-match': String(version) }),
  versions: async (id: string): Promise<CaseVersion[]> => listOf<CaseVersion>(await request('GET', `/api/cases/${encodeURIComponent(id)}/versions`)),
  version: (id: string, n: number): Promise<CaseVersion> => request('GET', `/api/cases/${encodeURIComponent(id)}/versions/${n}`),
  evaluation: async (id: string): Promise<Evaluation> => {
    const body = await request<{ evaluation?: Evaluation } & Partial<Evaluation>>('GET', `/api/cases/${encodeURIComponent(id)}/evaluation`);
    return (body.evaluation ?? body) as Evaluation;
  },
  decisions: async (id: string): Promise<Decision[]> => listOf<Decision>(await request('GET', `/api/cases/${encodeURIComponent(id)}/decisions`)),
  addDecision: (id: string, d: Decision): Promise<Decision> => request('POST', `/api/cases/${encodeURIComponent(id)}/decisions`, d),
  organisations: (): Promise<Organisations> => request('GET', '/api/organisations'),
  referrals: async (filter: { direction?: 'incoming' | 'outgoing'; status?: string } = {}): Promise<Referral[]> =>
    listOf<Referral>(await request('GET', `/api/referrals${query(filter)}`)),
  /** The hub places an accepted referral on one of its meetings (status scheduled). */
  scheduleReferral: (id: string, meetingId: string): Promise<Referral> => request('POST', `/api/referrals/${encodeURIComponent(id)}/schedule`, { meetingId }),
  referral: (id: string): Promise<Referral> => request('GET', `/api/referrals/${encodeURIComponent(id)}`),
  refer: (body: { caseId: string; toOrganisationId: string; question: string; urgency: string; documents: { kind: string; reference: string }[] }): Promise<Referral> =>
    request('POST', '/api/referrals', body),
  triage: (id: string, action: string, note?: string): Promise<Referral> =>
    request('POST', `/api/referrals/${encodeURIComponent(id)}/triage`, { action, ...(note ? { note } : {}) }),
  schedule: (id: string, meetingId: string): Promise<Referral> => request('POST', `/api/referrals/${encodeURIComponent(id)}/schedule`, { meetingId }),
  audit: async (filter: { actor?: string; action?: string } = {}): Promise<AuditEntry[]> =>
    listOf<AuditEntry>(await request('GET', `/api/audit${query({ ...filter, limit: 200 })}`)),
};
