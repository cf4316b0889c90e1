import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { IntraopDecide, IntraopEntry, IntraopEvent, IntraopWrite } from './clinical-events.ts';
import type { IdentifierKey } from './interop-store.ts';
import { caseVisible, roleAllows, type Capability, type StoreScope } from './organisations.ts';
import { toSummary, type Repository } from './repository.ts';
import type { Database } from './schema.ts';
import type {
  AuditEntry,
  AuditFilter,
  AuditInput,
  CaseContent,
  CaseListFilter,
  CaseRecord,
  CaseVersion,
  CaseVersionSummary,
  Decision,
  DecisionInput,
  WorklistPage,
  WriteResult,
} from './types.ts';
import { listWorklist } from './worklist.ts';

/**
 * The case store as one user sees it (issue 13). Every read is limited to the cases of the
 * scope's organisations and the cases referred to them; a case outside the scope is
 * `undefined` / `not_found` exactly as a case that does not exist, so its existence is not
 * revealed. Writes also need the caller's organisation role (organisations.ts CAPABILITIES):
 * a visible case the caller may not change is `forbidden`.
 */
export interface ScopedCases {
  readonly scope: StoreScope;
  /** `content.organisationId` is required here: the organisation the new case belongs to. */
  createCase(content: CaseContent & { organisationId: string }, author: string, now: string, audit?: AuditInput): Promise<WriteResult<CaseRecord>>;
  getCase(id: string): Promise<CaseRecord | undefined>;
  /**
   * The worklist page, each row with the case's open referral status, next meeting and open
   * navigation items as this scope sees them; `today` (UTC YYYY-MM-DD) decides which meetings are next.
   */
  listCases(filter: CaseListFilter, today?: string): Promise<WorklistPage>;
  updateCase(id: string, expectedVersion: number, content: CaseContent, author: string, now: string, audit?: AuditInput): Promise<WriteResult<CaseRecord>>;
  setArchived(id: string, archived: boolean, expectedVersion: number | undefined, author: string, now: string, audit?: AuditInput): Promise<WriteResult<CaseRecord>>;
  listVersions(caseId: string): Promise<CaseVersionSummary[] | undefined>;
  getVersion(caseId: string, version: number): Promise<CaseVersion | undefined>;
  /** The case's organisation, or — for a board decision — a hub the case is referred to and that accepted it. */
  addDecision(caseId: string, input: DecisionInput, author: string, now: string, audit?: AuditInput): Promise<WriteResult<Decision>>;
  /** Whether the caller may record a board decision on the case (the rule of `addDecision`), without writing. */
  decisionAccess(caseId: string): Promise<'ok' | 'not_found' | 'forbidden'>;
  listDecisions(caseId: string): Promise<Decision[] | undefined>;
  addIntraopEvent(caseId: string, entry: IntraopEntry, decide: IntraopDecide, author: string, now: string): Promise<IntraopWrite | { ok: false; reason: 'forbidden' }>;
  listIntraopEvents(caseId: string): Promise<IntraopEvent[] | undefined>;
  /** The visible case whose patient has one of these identifiers; `writable` limits it to cases the caller may change. */
  findCaseByIdentifiers(identifiers: readonly IdentifierKey[], options?: { writable?: boolean }): Promise<string | undefined>;
  /**
   * The audit log as this scope may read it: entries about a case or referral only when that case
   * is visible; entries about an EHR's patient (CDS Hooks) only for a network administrator;
   * account and organisation administration entries as before.
   */
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;
  /** Whether the caller has `capability` in the case's organisation (false when the case is not visible). */
  can(caseId: string, capability: Capability): Promise<boolean>;
  /** Whether the caller has `capability` in this organisation. */
  canIn(organisationId: string, capability: Capability): Promise<boolean>;
}

/** Referral statuses in which the receiving hub's board may record a decision on the case. */
const BOARD_STATUSES = ['accepted', 'scheduled', 'decided'] as const;

export function createScopedCases(
  base: Repository,
  db: Kysely<Database>,
  scope: StoreScope,
  /** The repository's audit query (it settles queued rows first), limited here to what the scope may read. */
  listAuditRows: (filter: AuditFilter, visible?: Expression<SqlBool>) => Promise<AuditEntry[]>,
  /** The worklist's read-only queries (database.ts readDb: reader threads on SQLite). */
  readDb: Kysely<Database>,
): ScopedCases {
  const visible = (id: string) =>
    db
      .selectFrom('cases')
      .select(['id', 'organisation_id'])
      .where('id', '=', id)
      .where(caseVisible(scope, 'cases.id', 'cases.organisation_id'))
      .executeTakeFirst();

  const canIn = async (organisationId: string, capability: Capability) =>
    roleAllows(await base.organisations.roleIn(scope.userId, organisationId), capability);

  /** not_found when invisible, forbidden when visible but not writable by the caller. */
  async function writeCheck(id: string, capability: Capability = 'case.write'): Promise<{ ok: true } | { ok: false; reason: 'not_found' | 'forbidden' }> {
    const row = await visible(id);
    if (!row) return { ok: false, reason: 'not_found' };
    return (await canIn(row.organisation_id, capability)) ? { ok: true } : { ok: false, reason: 'forbidden' };
  }

  const scoped: ScopedCases = {
    scope,
    async createCase(content, author, now, audit) {
      if (!(await canIn(content.organisationId, 'case.write'))) return { ok: false, reason: 'forbidden' };
      return { ok: true, value: await base.createCase(content, author, now, audit) };
    },
    async getCase(id) {
      return (await visible(id)) ? base.getCase(id) : undefined;
    },
    async listCases(filter, today = new Date().toISOString().slice(0, 10)) {
      // The network columns (referral, meeting, navigation) come with the page, in the same statement.
      const page = await listWorklist(readDb, base.kind, filter, undefined, scope, { scope, today });
      const items = page.rows.map((row) => ({ ...toSummary(row), ...(page.extras?.get(row.id) ?? { referralStatus: null, nextMeeting: null, openNavigation: 0 }) }));
      return { items, total: page.total, totalCapped: page.totalCapped, nextCursor: page.nextCursor };
    },
    async updateCase(id, expectedVersion, content, author, now, audit) {
      const check = await writeCheck(id);
      return check.ok ? base.updateCase(id, expectedVersion, content, author, now, audit) : check;
    },
    async setArchived(id, archived, expectedVersion, author, now, audit) {
      const check = await writeCheck(id);
      return check.ok ? base.setArchived(id, archived, expectedVersion, author, now, audit) : check;
    },
    async listVersions(caseId) {
      return (await visible(caseId)) ? base.listVersions(caseId) : undefined;
    },
    async getVersion(caseId, version) {
      return (await visible(caseId)) ? base.getVersion(caseId, version) : undefined;
    },
    async decisionAccess(caseId) {
      const row = await visible(caseId);
      if (!row) return 'not_found';
      if (await canIn(row.organisation_id, 'case.write')) return 'ok';
      // The hub's board decides on a case referred to it (REFERENCE-2 §8.2: MDT decision at the hub).
      const hubs = await db
        .withTables<{ referrals: { case_id: string; to_organisation_id: string; status: string } }>()
        .selectFrom('referrals')
        .select('to_organisation_id')
        .where('case_id', '=', caseId)
        .where('status', 'in', BOARD_STATUSES)
        .execute();
      for (const hub of hubs) if (await canIn(hub.to_organisation_id, 'case.write')) return 'ok';
      return 'forbidden';
    },
    async addDecision(caseId, input, author, now, audit) {
      const access = await scoped.decisionAccess(caseId);
      return access === 'ok' ? base.addDecision(caseId, input, author, now, audit) : { ok: false, reason: access };
    },
    async listDecisions(caseId) {
      return (await visible(caseId)) ? base.listDecisions(caseId) : undefined;
    },
    async addIntraopEvent(caseId, entry, decide, author, now) {
      const check = await writeCheck(caseId);
      return check.ok ? base.addIntraopEvent(caseId, entry, decide, author, now) : check;
    },
    async listIntraopEvents(caseId) {
      return (await visible(caseId)) ? base.listIntraopEvents(caseId) : undefined;
    },
    async findCaseByIdentifiers(identifiers, options = {}) {
      const found = await base.interop.findCaseByIdentifiers(identifiers, (id) => (options.writable ? writeCheck(id).then((c) => c.ok) : visible(id).then(Boolean)));
      return found;
    },
    listAudit(filter) {
      return listAuditRows(filter, auditVisible(scope));
    },
    async can(caseId, capability) {
      return (await writeCheck(caseId, capability)).ok;
    },
    canIn,
  };
  return scoped;
}

/** The audit rows a scope may read (see ScopedCases.listAudit). */
function auditVisible(scope: StoreScope): Expression<SqlBool> | undefined {
  if (scope.network) return undefined;
  const cases = caseVisible(scope, 'c.id', 'c.organisation_id');
  return sql<SqlBool>`(
    (object_type = 'case' and (object_id is null or object_id in (select c.id from cases c where ${cases})))
    or (object_type = 'referral' and object_id in (select r.id from referrals r join cases c on c.id = r.case_id where ${cases}))
    or (object_type is null or object_type not in ('case', 'referral', 'patient')))`;
}
