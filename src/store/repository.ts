import { randomUUID } from 'node:crypto';
import { sql, type Expression, type Kysely, type Selectable, type SqlBool, type Transaction } from 'kysely';
import type { OpenDatabase } from './database.ts';
import type { DatabaseKind } from './database-url.ts';
import type { AuditTable, CasesTable, CaseVersionsTable, Database, DecisionsTable, UsersTable } from './schema.ts';
import { caseIndexOf } from './case-index.ts';
import { createInteropStore, identifiersOfCase, writeCaseIdentifiers, type InteropStore } from './interop-store.ts';
import { changedCaseFields } from './stable-json.ts';
import { createSecurityStore, type SecurityStore } from './security.ts';
import { listWorklist } from './worklist.ts';
import { createClinicalEventsStore, type ClinicalEventsStore } from './clinical-events.ts';
import { createSmartClientStore, type SmartClientStore } from './smart-clients.ts';
import { createBoardStore, type BoardStore } from './meetings.ts';
import { oneLine } from '../shared/json-limits.ts';
import { SqliteAuditSink } from './audit-sink.ts';
import { createOrganisationStore, DEFAULT_ORGANISATION_ID, type OrganisationStore, type StoreScope } from './organisations.ts';
import { createReferralStore, type ReferralStore } from './referrals.ts';
import { createScopedCases, type ScopedCases } from './scoped-cases.ts';
import type {
  ApiToken,
  AuditEntry,
  AuditFilter,
  AuditInput,
  AuditOutcome,
  CaseBody,
  CaseContent,
  CaseListFilter,
  CaseListPage,
  CaseRecord,
  CaseStatus,
  CaseSummary,
  CaseVersion,
  CaseVersionSummary,
  Decision,
  DecisionInput,
  Role,
  User,
  UserWithHash,
  VersionAction,
  WriteResult,
} from './types.ts';

/**
 * The one storage interface of Retroplan. Every method is a complete unit of
 * work (one transaction where it writes more than one row). Nothing in a
 * case's history is updated or deleted: every write appends a version.
 * The audit log has append methods and read methods — no update, no delete
 * (and the database refuses both: migration 0004).
 *
 * Writes take their audit entry (`audit`): it is inserted in the write's own
 * transaction, only when the write succeeds, so a committed write without its
 * audit row (or the reverse) cannot happen. A write whose audit row cannot be
 * inserted is rolled back and rejects.
 */
export interface Repository extends SecurityStore, ClinicalEventsStore, SmartClientStore {
  readonly kind: DatabaseKind;
  close(): Promise<void>;
  /** Patient identifiers per case and CDS Hooks card state (interop-store.ts). */
  readonly interop: InteropStore;
  /** Tumour-board meetings, agendas and signed decisions, scoped by organisation (meetings.ts). */
  readonly boards: BoardStore;
  /** Organisations, memberships and the network administrator flag (organisations.ts). */
  readonly organisations: OrganisationStore;
  /** Referrals from spokes to hubs, their timeline and navigation checklist (referrals.ts). */
  readonly referrals: ReferralStore;
  /**
   * The case store as a user sees it: every case read, list, search, history, decision, intra-operative
   * event, identifier lookup and audit read limited to the scope's organisations (scoped-cases.ts).
   * The unscoped methods below are for the command line and the store's own jobs.
   */
  scoped(scope: StoreScope): ScopedCases;

  countUsers(): Promise<number>;
  /** organisationId: the organisation the user joins with `role` (default `default` when it exists; null: none). */
  createUser(input: { username: string; role: Role; passwordHash: string; organisationId?: string | null }, now: string, audit?: AuditInput): Promise<User>;
  getUser(id: string): Promise<User | undefined>;
  findUserByUsername(username: string): Promise<UserWithHash | undefined>;
  listUsers(): Promise<User[]>;
  updateUser(id: string, patch: { role?: Role; disabled?: boolean; passwordHash?: string }, now: string, audit?: AuditInput): Promise<User | undefined>;

  createToken(input: { userId: string; name: string; tokenHash: string; createdBy: string }, now: string, audit?: AuditInput): Promise<ApiToken>;
  listTokens(userId: string): Promise<ApiToken[]>;
  getToken(id: string): Promise<ApiToken | undefined>;
  revokeToken(id: string, now: string, audit?: AuditInput): Promise<ApiToken | undefined>;
  userForToken(tokenHash: string): Promise<User | undefined>;
  /** The token's user and their organisations (the access scope), read in one statement. */
  principalForToken(tokenHash: string): Promise<Principal | undefined>;

  createSession(input: { idHash: string; userId: string; expiresAt: string }, now: string): Promise<void>;
  userForSession(idHash: string, now: string): Promise<User | undefined>;
  /** The session's user and their organisations (the access scope), read in one statement. */
  principalForSession(idHash: string, now: string): Promise<Principal | undefined>;
  deleteSession(idHash: string): Promise<void>;
  deleteSessionsOfUser(userId: string): Promise<void>;

  /** The audit entry's objectId defaults to the new case's id. */
  createCase(content: CaseContent, author: string, now: string, audit?: AuditInput): Promise<CaseRecord>;
  getCase(id: string): Promise<CaseRecord | undefined>;
  listCases(filter: CaseListFilter): Promise<CaseListPage>;
  /**
   * Every unarchived case with its body, in pages of `pageSize` (keyset on id: one query a page,
   * never one per case) — for whole-centre reads such as the centre audit; limited to these
   * organisations' cases when they are named.
   */
  caseBodies(pageSize: number, organisationIds?: readonly string[]): AsyncIterable<CaseBody[]>;
  updateCase(id: string, expectedVersion: number, content: CaseContent, author: string, now: string, audit?: AuditInput): Promise<WriteResult<CaseRecord>>;
  setArchived(id: string, archived: boolean, expectedVersion: number | undefined, author: string, now: string, audit?: AuditInput): Promise<WriteResult<CaseRecord>>;
  listVersions(caseId: string): Promise<CaseVersionSummary[] | undefined>;
  getVersion(caseId: string, version: number): Promise<CaseVersion | undefined>;

  addDecision(caseId: string, input: DecisionInput, author: string, now: string, audit?: AuditInput): Promise<WriteResult<Decision>>;
  listDecisions(caseId: string): Promise<Decision[] | undefined>;

  appendAudit(entry: AuditInput): Promise<void>;
  /** Several entries in one transaction (group commit of reads): all durable, or none. */
  appendAuditBatch(entries: readonly AuditInput[]): Promise<void>;
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;
}

function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    username: row.username,
    role: row.role as Role,
    disabled: row.disabled === 1,
    networkAdmin: Number(row.network_admin) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A caller as authentication finds them: the user and the organisations they act for. */
export interface Principal {
  readonly user: User;
  readonly scope: StoreScope;
}

/**
 * The user's organisations as a JSON array, a column of the statement that finds the user: one
 * statement per authenticated request instead of two (organisations.ts scopeOf reads the same).
 */
function organisationIdsOfUser(kind: DatabaseKind) {
  return (kind === 'sqlite'
    ? sql<string>`(select json_group_array(m.organisation_id) from memberships m where m.user_id = users.id)`
    : sql<string>`(select coalesce(json_agg(m.organisation_id), '[]')::text from memberships m where m.user_id = users.id)`
  ).as('organisation_ids');
}

function toPrincipal(row: Selectable<UsersTable> & { organisation_ids: string }): Principal {
  const user = toUser(row);
  const organisationIds = (JSON.parse(row.organisation_ids) as string[]).sort();
  return { user, scope: { userId: user.id, organisationIds, network: user.networkAdmin } };
}

function toToken(row: {
  id: string;
  user_id: string;
  name: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}): ApiToken {
  return { id: row.id, userId: row.user_id, name: row.name, createdAt: row.created_at, createdBy: row.created_by, revokedAt: row.revoked_at };
}

export function toSummary(row: Omit<Selectable<CasesTable>, 'case_json' | 'index_rules'>): CaseSummary {
  return {
    id: row.id,
    version: row.version,
    title: row.title,
    status: row.status as CaseStatus,
    stageGroup: row.stage_group,
    histology: row.histology,
    nextStep: row.next_step,
    archived: row.archived === 1,
    organisationId: row.organisation_id,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

export function toCase(row: Selectable<CasesTable>): CaseRecord {
  return { ...toSummary(row), case: JSON.parse(row.case_json) as unknown };
}

function toVersionSummary(row: Pick<CaseVersionsTable, 'version' | 'action' | 'author' | 'created_at' | 'changed_fields'>): CaseVersionSummary {
  return {
    version: row.version,
    action: row.action as VersionAction,
    author: row.author,
    createdAt: row.created_at,
    changedFields: JSON.parse(row.changed_fields) as string[],
  };
}

function toDecision(row: Selectable<DecisionsTable>): Decision {
  return {
    id: row.id,
    caseId: row.case_id,
    caseVersion: row.case_version,
    date: row.date,
    attendees: JSON.parse(row.attendees_json) as string[],
    decision: row.decision,
    strategyIds: JSON.parse(row.strategy_ids_json) as string[],
    author: row.author,
    createdAt: row.created_at,
  };
}

/** A decision recorded outside a meeting, without concordance: the columns migration 0018 added, empty. */
const UNSIGNED_LEGACY_DECISION = {
  meeting_id: null,
  agenda_item_id: null,
  intent: null,
  next_steps: null,
  concordance: null,
  deviation_reason: null,
  deviation_text: null,
  engine_json: null,
  signed_by: null,
  signed_by_user_id: null,
  signed_at: null,
  supersedes_id: null,
} as const;

export function toAudit(row: Selectable<AuditTable>): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    outcome: row.outcome as AuditOutcome,
    statusCode: row.status_code,
    clientAddress: row.client_address,
    detail: row.detail,
  };
}

/**
 * The stored form of an audit entry. Actors, details and ids can come from
 * callers (a username with a newline, a forged header): control characters are
 * escaped and lengths bounded, so one entry is one line and cannot pose as two.
 */
function auditRow(entry: AuditInput): Omit<Selectable<AuditTable>, 'id'> {
  const text = (value: string | null | undefined, max: number) => (value === null || value === undefined ? null : oneLine(value, max));
  return {
    at: entry.at,
    actor: oneLine(entry.actor, 200),
    action: oneLine(entry.action, 100),
    object_type: text(entry.objectType, 100),
    object_id: text(entry.objectId, 200),
    outcome: entry.outcome,
    status_code: entry.statusCode ?? null,
    client_address: text(entry.clientAddress, 100),
    detail: text(entry.detail, 500),
  };
}

export async function insertAudit(db: Kysely<Database> | Transaction<Database>, entries: readonly AuditInput[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insertInto('audit').values(entries.map(auditRow)).execute();
}

/**
 * The audit log filtered (and, for a scoped reader, limited by `visible`), newest or oldest
 * first: in order of time (`at`), then of id. Ids follow the order rows joined the log, and on
 * SQLite the rows of reads join it from the audit queue up to a second after they happened
 * (audit-worker.mjs), so time is the order of events. `before` / `after` are ids of entries
 * already seen: the page continues after that entry in this order (an unknown id: by id alone).
 */
export async function selectAudit(db: Kysely<Database>, filter: AuditFilter, visible?: Expression<SqlBool>): Promise<AuditEntry[]> {
  const past = async (id: number, side: '<' | '>') => {
    const seen = await db.selectFrom('audit').select(['at', 'id']).where('id', '=', id).executeTakeFirst();
    const op = sql.raw(side);
    return seen ? sql<SqlBool>`(at ${op} ${seen.at} or (at = ${seen.at} and id ${op} ${seen.id}))` : sql<SqlBool>`id ${op} ${id}`;
  };
  let query = db.selectFrom('audit').selectAll();
  if (filter.actor) query = query.where('actor', '=', filter.actor);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.objectId) query = query.where('object_id', '=', filter.objectId);
  if (filter.outcome) query = query.where('outcome', '=', filter.outcome);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  if (filter.before !== undefined) query = query.where(await past(filter.before, '<'));
  if (filter.after !== undefined) query = query.where(await past(filter.after, '>'));
  if (visible) query = query.where(visible);
  const direction = filter.order === 'oldest' ? 'asc' : 'desc';
  const rows = await query.orderBy('at', direction).orderBy('id', direction).limit(filter.limit).execute();
  return rows.map(toAudit);
}

export function createRepository({ db, readDb, kind, sqlitePath }: OpenDatabase): Repository {
  // SQLite: batches of audit rows are committed by a worker thread, so the fsync does not stop the server.
  const auditSink = sqlitePath ? new SqliteAuditSink(sqlitePath) : null;
  /** Every audit query first brings the queued rows of reads into the audit table (audit-sink.ts). */
  const listAuditRows = async (filter: AuditFilter, visible?: Expression<SqlBool>) => {
    await auditSink?.settle();
    return selectAudit(db, filter, visible);
  };
  async function appendVersion(
    trx: Transaction<Database>,
    row: Selectable<CasesTable>,
    action: VersionAction,
    changedFields: string[],
  ): Promise<void> {
    await trx
      .insertInto('case_versions')
      .values({
        case_id: row.id,
        version: row.version,
        action,
        title: row.title,
        status: row.status,
        case_json: row.case_json,
        archived: row.archived,
        changed_fields: JSON.stringify(changedFields),
        author: row.updated_by,
        created_at: row.updated_at,
      })
      .execute();
  }

  /** Writes the next version of a case if `expected` (when given) is still current. */
  async function writeNext(
    id: string,
    expected: number | undefined,
    next: (current: Selectable<CasesTable>) => { row: Selectable<CasesTable>; action: VersionAction; changed: string[] } | WriteResult<never>,
    audit: AuditInput | undefined,
    /** The content changed: the patient identifiers index follows it in the same transaction. */
    reindexIdentifiers = false,
  ): Promise<WriteResult<CaseRecord>> {
    return db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
      if (!current) return { ok: false, reason: 'not_found' };
      if (expected !== undefined && current.version !== expected) return { ok: false, reason: 'conflict', currentVersion: current.version };
      const planned = next(current);
      if ('ok' in planned) return planned;
      // The version check in the WHERE clause closes the race between two
      // instances that both read the same version (PostgreSQL, read committed).
      const updated = await trx
        .updateTable('cases')
        .set({
          version: planned.row.version,
          title: planned.row.title,
          status: planned.row.status,
          case_json: planned.row.case_json,
          stage_group: planned.row.stage_group,
          histology: planned.row.histology,
          next_step: planned.row.next_step,
          index_rules: planned.row.index_rules,
          archived: planned.row.archived,
          updated_at: planned.row.updated_at,
          updated_by: planned.row.updated_by,
        })
        .where('id', '=', id)
        .where('version', '=', current.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'conflict' };
      await appendVersion(trx, planned.row, planned.action, planned.changed);
      if (reindexIdentifiers) await writeCaseIdentifiers(trx, id, identifiersOfCase(JSON.parse(planned.row.case_json)));
      if (audit) await insertAudit(trx, [audit]);
      return { ok: true, value: toCase(planned.row) };
    });
  }

  const repo: Repository = {
    kind,
    close: async () => {
      await auditSink?.close();
      if (readDb !== db) await readDb.destroy();
      await db.destroy();
    },
    ...createSecurityStore(db, kind, (id) => repo.getUser(id), insertAudit),
    ...createClinicalEventsStore(db),
    ...createSmartClientStore(db, insertAudit),
    interop: createInteropStore(db),
    boards: createBoardStore(db, insertAudit),
    organisations: createOrganisationStore(db, insertAudit),
    referrals: createReferralStore(db, insertAudit),
    scoped: (scope) => createScopedCases(repo, db, scope, listAuditRows, readDb),

    async countUsers() {
      const row = await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async createUser({ username, role, passwordHash, organisationId }, now, audit) {
      const row = { id: randomUUID(), username, role, password_hash: passwordHash, disabled: 0, network_admin: 0, created_at: now, updated_at: now };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(row).execute();
        // A new account joins one organisation with its role: the one named, or the install's `default`
        // while it exists — so a single-organisation install behaves as before organisations existed.
        const home = organisationId === undefined ? DEFAULT_ORGANISATION_ID : organisationId;
        if (home !== null && (await trx.selectFrom('organisations').select('id').where('id', '=', home).executeTakeFirst())) {
          await trx.insertInto('memberships').values({ user_id: row.id, organisation_id: home, role, created_at: now }).execute();
        }
        if (audit) await insertAudit(trx, [{ ...audit, objectId: audit.objectId ?? row.id }]);
      });
      return toUser(row);
    },
    async getUser(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },
    async findUserByUsername(username) {
      const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
      return row && { ...toUser(row), passwordHash: row.password_hash };
    },
    async listUsers() {
      return (await db.selectFrom('users').selectAll().orderBy('username').execute()).map(toUser);
    },
    async updateUser(id, patch, now, audit) {
      const set: { updated_at: string; role?: string; disabled?: number; password_hash?: string } = { updated_at: now };
      if (patch.role !== undefined) set.role = patch.role;
      if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
      if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
      return db.transaction().execute(async (trx) => {
        const result = await trx.updateTable('users').set(set).where('id', '=', id).executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return undefined;
        const row = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        if (audit) await insertAudit(trx, [audit]);
        return toUser(row);
      });
    },

    async createToken({ userId, name, tokenHash, createdBy }, now, audit) {
      const row = { id: randomUUID(), user_id: userId, name, token_hash: tokenHash, created_at: now, created_by: createdBy, revoked_at: null };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('api_tokens').values(row).execute();
        if (audit) await insertAudit(trx, [{ ...audit, detail: audit.detail ?? `token ${row.id}` }]);
      });
      return toToken(row);
    },
    async listTokens(userId) {
      const rows = await db
        .selectFrom('api_tokens')
        .select(['id', 'user_id', 'name', 'created_at', 'created_by', 'revoked_at'])
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toToken);
    },
    async getToken(id) {
      const row = await db
        .selectFrom('api_tokens')
        .select(['id', 'user_id', 'name', 'created_at', 'created_by', 'revoked_at'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toToken(row);
    },
    async revokeToken(id, now, audit) {
      return db.transaction().execute(async (trx) => {
        await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
        const row = await trx
          .selectFrom('api_tokens')
          .select(['id', 'user_id', 'name', 'created_at', 'created_by', 'revoked_at'])
          .where('id', '=', id)
          .executeTakeFirst();
        if (row && audit) await insertAudit(trx, [audit]);
        return row && toToken(row);
      });
    },
    async userForToken(tokenHash) {
      return (await repo.principalForToken(tokenHash))?.user;
    },
    async principalForToken(tokenHash) {
      const row = await db
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .selectAll('users')
        .select(organisationIdsOfUser(kind))
        .where('api_tokens.token_hash', '=', tokenHash)
        .where('api_tokens.revoked_at', 'is', null)
        .where('users.disabled', '=', 0)
        .executeTakeFirst();
      return row && toPrincipal(row);
    },

    async createSession({ idHash, userId, expiresAt }, now) {
      await db.insertInto('sessions').values({ id_hash: idHash, user_id: userId, created_at: now, expires_at: expiresAt }).execute();
    },
    async userForSession(idHash, now) {
      return (await repo.principalForSession(idHash, now))?.user;
    },
    async principalForSession(idHash, now) {
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .selectAll('users')
        .select(organisationIdsOfUser(kind))
        .where('sessions.id_hash', '=', idHash)
        .where('sessions.expires_at', '>', now)
        .where('users.disabled', '=', 0)
        .executeTakeFirst();
      return row && toPrincipal(row);
    },
    async deleteSession(idHash) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },
    async deleteSessionsOfUser(userId) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },

    async createCase(content, author, now, audit) {
      const index = caseIndexOf(content.case);
      const row: Selectable<CasesTable> = {
        id: randomUUID(),
        version: 1,
        title: content.title,
        status: content.status,
        case_json: JSON.stringify(content.case),
        stage_group: index.stageGroup,
        histology: index.histology,
        next_step: index.nextStep,
        index_rules: index.indexRules,
        organisation_id: content.organisationId ?? DEFAULT_ORGANISATION_ID,
        archived: 0,
        created_at: now,
        created_by: author,
        updated_at: now,
        updated_by: author,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('cases').values(row).execute();
        await appendVersion(trx, row, 'create', ['title', 'status', ...changedCaseFields({}, content.case)]);
        await writeCaseIdentifiers(trx, row.id, identifiersOfCase(content.case), true);
        if (audit) await insertAudit(trx, [{ ...audit, objectId: audit.objectId ?? row.id }]);
      });
      return toCase(row);
    },
    async getCase(id) {
      const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toCase(row);
    },
    async *caseBodies(pageSize, organisationIds) {
      if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError('pageSize must be a whole number ≥ 1');
      if (organisationIds !== undefined && organisationIds.length === 0) return;
      let after: string | undefined;
      for (;;) {
        let query = db.selectFrom('cases').select(['id', 'title', 'case_json']).where('archived', '=', 0);
        if (organisationIds !== undefined) query = query.where('organisation_id', 'in', [...organisationIds]);
        if (after !== undefined) query = query.where('id', '>', after);
        const rows = await query.orderBy('id').limit(pageSize).execute();
        if (rows.length > 0) yield rows.map((r) => ({ id: r.id, title: r.title, case: JSON.parse(r.case_json) as unknown }));
        if (rows.length < pageSize) return;
        after = rows[rows.length - 1]!.id;
      }
    },
    async listCases(filter) {
      const page = await listWorklist(readDb, kind, filter);
      return { items: page.rows.map(toSummary), total: page.total, totalCapped: page.totalCapped, nextCursor: page.nextCursor };
    },
    updateCase(id, expectedVersion, content, author, now, audit) {
      // Evaluated before the transaction opens, so no row lock waits on the engine.
      const index = caseIndexOf(content.case);
      return writeNext(id, expectedVersion, (current) => {
        if (current.archived === 1) return { ok: false, reason: 'archived' };
        const caseJson = JSON.stringify(content.case);
        const changed = [
          ...(current.title !== content.title ? ['title'] : []),
          ...(current.status !== content.status ? ['status'] : []),
          ...changedCaseFields(JSON.parse(current.case_json), content.case),
        ];
        return {
          action: 'update',
          changed,
          row: {
            ...current,
            version: current.version + 1,
            title: content.title,
            status: content.status,
            case_json: caseJson,
            stage_group: index.stageGroup,
            histology: index.histology,
            next_step: index.nextStep,
            index_rules: index.indexRules,
            updated_at: now,
            updated_by: author,
          },
        };
      }, audit, true);
    },
    setArchived(id, archived, expectedVersion, author, now, audit) {
      return writeNext(id, expectedVersion, (current) => {
        if ((current.archived === 1) === archived) return { ok: false, reason: archived ? 'archived' : 'not_archived' };
        return {
          action: archived ? 'archive' : 'restore',
          changed: ['archived'],
          row: { ...current, version: current.version + 1, archived: archived ? 1 : 0, updated_at: now, updated_by: author },
        };
      }, audit);
    },
    async listVersions(caseId) {
      const rows = await db
        .selectFrom('case_versions')
        .select(['version', 'action', 'author', 'created_at', 'changed_fields'])
        .where('case_id', '=', caseId)
        .orderBy('version')
        .execute();
      return rows.length === 0 ? undefined : rows.map(toVersionSummary);
    },
    async getVersion(caseId, version) {
      const row = await db.selectFrom('case_versions').selectAll().where('case_id', '=', caseId).where('version', '=', version).executeTakeFirst();
      if (!row) return undefined;
      return {
        ...toVersionSummary(row),
        caseId: row.case_id,
        title: row.title,
        status: row.status as CaseStatus,
        case: JSON.parse(row.case_json) as unknown,
        archived: row.archived === 1,
      };
    },

    async addDecision(caseId, input, author, now, audit) {
      return db.transaction().execute(async (trx): Promise<WriteResult<Decision>> => {
        const current = await trx.selectFrom('cases').select(['version', 'archived', 'organisation_id']).where('id', '=', caseId).executeTakeFirst();
        if (!current) return { ok: false, reason: 'not_found' };
        if (current.archived === 1) return { ok: false, reason: 'archived' };
        const row: Selectable<DecisionsTable> = {
          id: randomUUID(),
          case_id: caseId,
          case_version: current.version,
          date: input.date,
          attendees_json: JSON.stringify(input.attendees),
          decision: input.decision,
          strategy_ids_json: JSON.stringify(input.strategyIds),
          author,
          created_at: now,
          ...UNSIGNED_LEGACY_DECISION,
          organisation_id: current.organisation_id,
        };
        await trx.insertInto('decisions').values(row).execute();
        if (audit) await insertAudit(trx, [{ ...audit, detail: audit.detail ?? `decision ${row.id}` }]);
        return { ok: true, value: toDecision(row) };
      });
    },
    async listDecisions(caseId) {
      const exists = await db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst();
      if (!exists) return undefined;
      const rows = await db.selectFrom('decisions').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
      return rows.map(toDecision);
    },

    async appendAudit(entry) {
      await insertAudit(db, [entry]);
    },
    async appendAuditBatch(entries) {
      if (entries.length === 0) return;
      if (auditSink) await auditSink.append(entries.map(auditRow));
      else await db.transaction().execute((trx) => insertAudit(trx, entries));
    },
    listAudit: (filter) => listAuditRows(filter),
  };
  return repo;
}

