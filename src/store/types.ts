/** Records the repository hands out; the server's API schemas describe the same shapes. */
import type { ReferralStatus } from './referrals.ts';

export const ROLES = ['viewer', 'clinician', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Where a case is in its journey; archiving (soft delete) is separate from status. */
export const CASE_STATUSES = ['workup', 'tumour_board', 'treatment', 'surveillance', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface User {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly disabled: boolean;
  /** A network administrator reads every organisation's cases (store/organisations.ts). */
  readonly networkAdmin: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface UserWithHash extends User {
  readonly passwordHash: string;
}

export interface ApiToken {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly revokedAt: string | null;
}

/**
 * What a write supplies. The stage group, histology and next step are not supplied: the
 * repository derives them from `case` with the engine on every write (store/case-index.ts).
 */
export interface CaseContent {
  readonly title: string;
  readonly status: CaseStatus;
  readonly case: unknown;
  /** The organisation the new case belongs to (createCase only); default `default`. */
  readonly organisationId?: string;
}

export interface CaseRecord {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly status: CaseStatus;
  readonly case: unknown;
  readonly stageGroup: string | null;
  readonly histology: string | null;
  /** The first priority of the engine's strategy for the stored case; null when the stored case no longer validates. */
  readonly nextStep: string | null;
  readonly archived: boolean;
  /** The organisation the case belongs to; never changes. */
  readonly organisationId: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export type CaseSummary = Omit<CaseRecord, 'case'>;

export const VERSION_ACTIONS = ['create', 'update', 'archive', 'restore'] as const;
export type VersionAction = (typeof VERSION_ACTIONS)[number];

export interface CaseVersionSummary {
  readonly version: number;
  readonly action: VersionAction;
  readonly author: string;
  readonly createdAt: string;
  /** Top-level fields that differ from the previous version: `title`, `status`, `archived`, `case.<field>`. */
  readonly changedFields: string[];
}

export interface CaseVersion extends CaseVersionSummary {
  readonly caseId: string;
  readonly title: string;
  readonly status: CaseStatus;
  readonly case: unknown;
  readonly archived: boolean;
}

export interface DecisionInput {
  readonly date: string;
  readonly attendees: string[];
  readonly decision: string;
  readonly strategyIds: string[];
}

export interface Decision extends DecisionInput {
  readonly id: string;
  readonly caseId: string;
  readonly caseVersion: number;
  readonly author: string;
  readonly createdAt: string;
}

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditInput {
  readonly at: string;
  /** Username, `anonymous`, or `cli:<os user>` for command-line changes. */
  readonly actor: string;
  readonly action: string;
  readonly objectType?: string | null;
  readonly objectId?: string | null;
  readonly outcome: AuditOutcome;
  readonly statusCode?: number | null;
  readonly clientAddress?: string | null;
  /** Short, non-clinical context (never patient data or secrets). */
  readonly detail?: string | null;
}

export interface AuditEntry extends Required<AuditInput> {
  readonly id: number;
}

export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly objectId?: string;
  readonly outcome?: AuditOutcome;
  readonly from?: string;
  readonly to?: string;
  /** The id of the last entry seen, newest first: the entries after it in that order (next page). */
  readonly before?: number;
  /** The id of the last entry seen, oldest first (export): the entries after it in that order. */
  readonly after?: number;
  readonly limit: number;
  readonly order?: 'newest' | 'oldest';
}

/** A stored case's body for whole-centre reads (Repository.caseBodies). */
export interface CaseBody {
  readonly id: string;
  readonly title: string;
  readonly case: unknown;
}

export interface CaseListFilter {
  readonly status?: CaseStatus;
  readonly stageGroup?: string;
  readonly histology?: string;
  readonly q?: string;
  readonly archived?: boolean;
  readonly limit: number;
  readonly offset: number;
  /** `nextCursor` of the previous page: continue after its last row (keyset paging). */
  readonly cursor?: string;
}

export interface CaseListPage {
  readonly items: CaseSummary[];
  /** Matching cases, counted up to a cap (store/worklist.ts COUNT_CAP). */
  readonly total: number;
  /** true: there are more than `total` matching cases. */
  readonly totalCapped: boolean;
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/**
 * A worklist row as one caller sees it (issue 13 item 6): the case's summary and where it stands
 * in the network, each limited to the caller's organisations (store/worklist.ts `worklistExtras`).
 */
export interface WorklistItem extends CaseSummary {
  /** The status of the newest open referral that one of the caller's organisations sent or received; null when none. */
  readonly referralStatus: ReferralStatus | null;
  /** The soonest meeting from today on, of one of the caller's organisations, whose agenda holds the case; null when none. */
  readonly nextMeeting: { readonly id: string; readonly date: string } | null;
  /** Navigation checklist items not done (nor marked not needed) of those referrals that are still in play. */
  readonly openNavigation: number;
}

export interface WorklistPage extends Omit<CaseListPage, 'items'> {
  readonly items: WorklistItem[];
}

export type WriteResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: 'not_found' | 'conflict' | 'archived' | 'not_archived' | 'forbidden'; readonly currentVersion?: number };
