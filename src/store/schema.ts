import type { Generated } from 'kysely';

/**
 * Table shapes as Kysely sees them. Both dialects store the same values:
 * timestamps as ISO-8601 text (UTC, sortable as text), flags as 0/1 integers,
 * JSON documents as text — so one repository serves SQLite and PostgreSQL.
 */
export interface UsersTable {
  id: string;
  username: string;
  role: string;
  password_hash: string;
  disabled: number;
  /** 1: a network administrator, who reads every organisation's cases (migration 0013). */
  network_admin: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  /** sha256 of the token, hex; the token itself is shown once and never stored. */
  token_hash: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}

export interface SessionsTable {
  /** sha256 of the session id, hex. */
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

/** A login counter (per user, per user and address, per address): see store/security.ts. */
export interface LoginCountersTable {
  key: string;
  count: number;
  window_start: string;
  blocked_until: string | null;
  revision: number;
  updated_at: string;
}

export interface LoginSuccessesTable {
  username: string;
  address: string;
  at: string;
}

export interface CdsJtiTable {
  /** sha256 of issuer and jti, hex. */
  key: string;
  /** Unix seconds after which the JWT is expired anyway and the row may go. */
  expires_at: number;
}

export interface CasesTable {
  id: string;
  version: number;
  title: string;
  status: string;
  case_json: string;
  /** Computed by the engine on every write, for list filters. */
  stage_group: string | null;
  histology: string | null;
  /** Label of the engine's first strategy priority; computed by the repository on every write. */
  next_step: string | null;
  /** Clinical-rules version that derived the three columns above (migration 0010). */
  index_rules: string | null;
  /** The organisation the case belongs to (migration 0013); never changes after creation. */
  organisation_id: Generated<string>;
  archived: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface CaseVersionsTable {
  case_id: string;
  version: number;
  action: string;
  title: string;
  status: string;
  case_json: string;
  archived: number;
  /** JSON array of the top-level fields that differ from the previous version. */
  changed_fields: string;
  author: string;
  created_at: string;
}

export interface DecisionsTable {
  id: string;
  case_id: string;
  case_version: number;
  date: string;
  attendees_json: string;
  decision: string;
  strategy_ids_json: string;
  author: string;
  created_at: string;
  // Migration 0018 (board-migrations.ts, store/meetings.ts): the meeting, concordance, sign-off, amendment.
  organisation_id: string;
  meeting_id: string | null;
  agenda_item_id: string | null;
  intent: string | null;
  next_steps: string | null;
  concordance: string | null;
  deviation_reason: string | null;
  deviation_text: string | null;
  /** The engine's recommendation for the decided case version (JSON). */
  engine_json: string | null;
  signed_by: string | null;
  signed_by_user_id: string | null;
  signed_at: string | null;
  supersedes_id: string | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: string;
  status_code: number | null;
  client_address: string | null;
  detail: string | null;
}

/**
 * SQLite only (migration 0026): the last id of the audit queue (audit-worker.mjs) copied into
 * `audit`; one row. The queue itself is a file beside the database, outside this schema.
 */
export interface AuditQueueMovedTable {
  one: number;
  upto: number;
}

/** SQLite only (migration 0006): a stable integer key per case (its FTS5 row id) and the columns a search filters and sorts by. */
export interface CaseSearchTable {
  k: number;
  id: string;
  archived: number;
  updated_at: string;
  status: string;
  stage_group: string | null;
  histology: string | null;
  /** Migration 0025. */
  organisation_id: string | null;
}

/** SQLite only (migration 0006): FTS5 trigram index over title and next step. */
export interface CasesFtsTable {
  rowid: number;
  title: string;
  next_step: string | null;
}

export interface OrganisationsTable {
  id: string;
  name: string;
  /** hub = sarcoma centre, spoke = referring hospital. */
  kind: string;
  created_at: string;
}

export interface MembershipsTable {
  user_id: string;
  organisation_id: string;
  /** viewer | clinician | coordinator | chair | admin (store/organisations.ts). */
  role: string;
  created_at: string;
}

export interface Database {
  organisations: OrganisationsTable;
  memberships: MembershipsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  login_counters: LoginCountersTable;
  login_successes: LoginSuccessesTable;
  cds_jti: CdsJtiTable;
  cases: CasesTable;
  case_versions: CaseVersionsTable;
  decisions: DecisionsTable;
  audit: AuditTable;
  audit_queue_moved: AuditQueueMovedTable;
  case_search: CaseSearchTable;
  cases_fts: CasesFtsTable;
}
