import { randomUUID } from 'node:crypto';
import type { Generated, Kysely, Selectable, Transaction } from 'kysely';
import { CAPABILITIES, caseVisible, roleAllows, type Capability, type OrganisationRole, type StoreScope } from './organisations.ts';
import type { MeetingItemsTable, MeetingsTable } from './meetings.ts';
import type { Database } from './schema.ts';
import type { AuditInput } from './types.ts';

/**
 * Referrals from a spoke to a hub (issue 13; REFERENCE-2 §8.3 referral package, §8.4 navigation):
 * one row per referral, its timeline (`referral_events`, one row per step with time, author and
 * organisation) and the patient's navigation checklist. Every step is a transition of the table
 * REFERRAL_ACTIONS, checked against the caller's organisation role, written with its event and
 * its audit entry in one transaction.
 */

export const REFERRAL_STATUSES = ['sent', 'info_requested', 'accepted', 'declined', 'redirected', 'scheduled', 'decided'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
/** Still waiting for the hub: counted as open on the referral list and the network's times. */
export const OPEN_REFERRAL_STATUSES: readonly ReferralStatus[] = ['sent', 'info_requested', 'accepted', 'scheduled'];

export const REFERRAL_URGENCIES = ['routine', 'urgent'] as const;
export type ReferralUrgency = (typeof REFERRAL_URGENCIES)[number];

/** REFERENCE-2 §8.3 referral package: current imaging and pathology reports. */
export const REFERRAL_DOCUMENT_KINDS = ['imaging', 'pathology'] as const;

/** REFERENCE-2 §8.4 (travel, accommodation, financial support [C]; interpreter: OCP 2.3; shared follow-up [C]). */
export const NAVIGATION_ITEMS = ['travel', 'accommodation', 'financial', 'interpreter', 'shared_care'] as const;
export type NavigationItemKind = (typeof NAVIGATION_ITEMS)[number];
export const NAVIGATION_STATUSES = ['open', 'in_progress', 'done', 'not_needed'] as const;
export type NavigationStatus = (typeof NAVIGATION_STATUSES)[number];
export const NAVIGATION_CLOSED: readonly NavigationStatus[] = ['done', 'not_needed'];

/** Who acts: the referring organisation (`sender`) or the receiving hub (`receiver`). */
type Side = 'sender' | 'receiver';

interface ActionRule {
  readonly from: readonly ReferralStatus[];
  readonly to: ReferralStatus;
  readonly side: Side;
  readonly capability: Capability;
  /** The note is required (a reason, a question, the information given). */
  readonly note: boolean;
}

/** Every step a referral can take, as data. */
export const REFERRAL_ACTIONS = {
  accept: { from: ['sent'], to: 'accepted', side: 'receiver', capability: 'referral.triage', note: false },
  request_info: { from: ['sent'], to: 'info_requested', side: 'receiver', capability: 'referral.triage', note: true },
  provide_info: { from: ['info_requested'], to: 'sent', side: 'sender', capability: 'referral.send', note: true },
  decline: { from: ['sent', 'info_requested'], to: 'declined', side: 'receiver', capability: 'referral.triage', note: true },
  redirect: { from: ['sent', 'info_requested'], to: 'redirected', side: 'receiver', capability: 'referral.triage', note: false },
  schedule: { from: ['accepted', 'scheduled'], to: 'scheduled', side: 'receiver', capability: 'referral.triage', note: false },
  decide: { from: ['accepted', 'scheduled'], to: 'decided', side: 'receiver', capability: 'referral.decide', note: false },
  // At the referring installation: the hub's decision arriving as a FHIR Task (the triage happened there).
  receive_decision: { from: ['sent', 'info_requested', 'accepted', 'scheduled'], to: 'decided', side: 'sender', capability: 'referral.send', note: false },
} as const satisfies Record<string, ActionRule>;
export type ReferralAction = keyof typeof REFERRAL_ACTIONS;
export const TRIAGE_ACTIONS = ['accept', 'request_info', 'decline', 'redirect'] as const satisfies readonly ReferralAction[];

export interface ReferralDocument {
  readonly kind: (typeof REFERRAL_DOCUMENT_KINDS)[number];
  /** Accession number, report id or URL of the report (not the report itself). */
  readonly reference: string;
  readonly date?: string | undefined;
}

export interface Referral {
  readonly id: string;
  readonly caseId: string;
  readonly caseTitle: string;
  /** null: referred from another installation (FHIR import); its name is `fromName`. */
  readonly fromOrganisationId: string | null;
  readonly fromName: string;
  readonly toOrganisationId: string;
  readonly status: ReferralStatus;
  readonly urgency: ReferralUrgency;
  readonly question: string;
  readonly documents: ReferralDocument[];
  readonly meetingId: string | null;
  readonly decisionRef: string | null;
  readonly decisionSummary: string | null;
  /** `decisionRef` is a signed board decision of this installation on the case: its outcome letter and patient summary exist. */
  readonly decisionSigned: boolean;
  /** The referral this one was redirected into. */
  readonly redirectedTo: string | null;
  /** The other installation's id of this referral (FHIR exchange). */
  readonly externalId: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly decidedAt: string | null;
  readonly openNavigation: number;
}

export interface ReferralEvent {
  readonly id: number;
  readonly action: string;
  readonly status: ReferralStatus;
  readonly note: string | null;
  readonly author: string;
  readonly organisationId: string | null;
  readonly at: string;
}

export interface NavigationItem {
  readonly item: NavigationItemKind;
  readonly owner: string | null;
  readonly status: NavigationStatus;
  readonly notes: string | null;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export interface ReferralDetail extends Referral {
  readonly events: ReferralEvent[];
  readonly navigation: NavigationItem[];
}

export interface ReferralInput {
  readonly caseId: string;
  readonly toOrganisationId: string;
  readonly question: string;
  readonly urgency: ReferralUrgency;
  readonly documents: readonly ReferralDocument[];
}

export interface TransitionInput {
  readonly note?: string | undefined;
  /** redirect: the hub the referral goes to instead. */
  readonly toOrganisationId?: string | undefined;
  /** schedule: the meeting (tumour board) it is placed on. */
  readonly meetingId?: string | undefined;
  /** decide / receive_decision: the decision's reference (a decision id or the other installation's reference). */
  readonly decisionRef?: string | undefined;
  readonly decisionSummary?: string | undefined;
}

export type ReferralWrite =
  | { readonly ok: true; readonly value: ReferralDetail }
  | { readonly ok: false; readonly reason: 'not_found' | 'forbidden' | 'conflict' | 'invalid'; readonly message: string; readonly path?: string };

export interface ReferralTimeRow {
  readonly urgency: ReferralUrgency;
  readonly status: ReferralStatus;
  readonly createdAt: string;
  readonly decidedAt: string | null;
}

export interface ReferralStore {
  /** A spoke refers one of its cases to a hub (caller: `referral.send` in the case's organisation). */
  create(scope: StoreScope, input: ReferralInput, author: string, now: string, audit?: AuditInput): Promise<ReferralWrite>;
  /** A referral read from another installation's FHIR bundle, for a case already created in the hub's organisation. */
  createImported(
    scope: StoreScope,
    input: ReferralInput & { fromName: string; externalId: string; sentAt: string; sentBy: string },
    author: string,
    now: string,
    audit?: AuditInput,
  ): Promise<ReferralWrite>;
  get(scope: StoreScope, id: string): Promise<ReferralDetail | undefined>;
  /** incoming: to one of the scope's organisations; outgoing: from one of them; neither: both. */
  list(scope: StoreScope, filter?: { direction?: 'incoming' | 'outgoing'; status?: ReferralStatus; caseId?: string }): Promise<Referral[]>;
  transition(scope: StoreScope, id: string, action: ReferralAction, input: TransitionInput, author: string, now: string, audit?: AuditInput): Promise<ReferralWrite>;
  /** The boards' call: place an accepted referral on a meeting (status `scheduled`). */
  schedule(scope: StoreScope, id: string, meetingId: string, author: string, now: string, audit?: AuditInput): Promise<ReferralWrite>;
  /** The boards' call: the board's decision returned to the referrer (status `decided`). */
  recordDecision(scope: StoreScope, id: string, decision: { decisionRef: string; summary?: string }, author: string, now: string, audit?: AuditInput): Promise<ReferralWrite>;
  updateNavigation(
    scope: StoreScope,
    id: string,
    item: NavigationItemKind,
    patch: { owner?: string | null; status?: NavigationStatus; notes?: string | null },
    author: string,
    now: string,
    audit?: AuditInput,
  ): Promise<ReferralWrite>;
  /** The referral whose id (or other installation's id) this is, in scope. */
  findByExternal(scope: StoreScope, id: string): Promise<ReferralDetail | undefined>;
  /** Creation and decision times of the visible referrals (network referral times). */
  times(scope: StoreScope): Promise<ReferralTimeRow[]>;
}

interface ReferralsTable {
  id: string;
  case_id: string;
  from_organisation_id: string | null;
  from_name: string;
  to_organisation_id: string;
  status: string;
  urgency: string;
  question: string;
  documents_json: string;
  meeting_id: string | null;
  decision_ref: string | null;
  decision_summary: string | null;
  redirected_to: string | null;
  external_id: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  decided_at: string | null;
}

interface ReferralEventsTable {
  id: Generated<number>;
  referral_id: string;
  action: string;
  status: string;
  note: string | null;
  author: string;
  organisation_id: string | null;
  at: string;
}

interface NavigationItemsTable {
  referral_id: string;
  item: string;
  owner: string | null;
  status: string;
  notes: string | null;
  updated_at: string;
  updated_by: string;
}

type ReferralTables = Database & {
  meetings: MeetingsTable;
  meeting_items: MeetingItemsTable;
  referrals: ReferralsTable;
  referral_events: ReferralEventsTable;
  navigation_items: NavigationItemsTable;
};

type Db = Kysely<ReferralTables> | Transaction<ReferralTables>;
type AuditInsert = (db: Kysely<Database>, entries: readonly AuditInput[]) => Promise<void>;

function toReferral(row: Selectable<ReferralsTable> & { case_title: string; open_navigation: number | string | bigint; decision_signed_at: string | null }): Referral {
  return {
    id: row.id,
    caseId: row.case_id,
    caseTitle: row.case_title,
    fromOrganisationId: row.from_organisation_id,
    fromName: row.from_name,
    toOrganisationId: row.to_organisation_id,
    status: row.status as ReferralStatus,
    urgency: row.urgency as ReferralUrgency,
    question: row.question,
    documents: JSON.parse(row.documents_json) as ReferralDocument[],
    meetingId: row.meeting_id,
    decisionRef: row.decision_ref,
    decisionSummary: row.decision_summary,
    decisionSigned: row.decision_signed_at !== null,
    redirectedTo: row.redirected_to,
    externalId: row.external_id,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    decidedAt: row.decided_at,
    openNavigation: Number(row.open_navigation),
  };
}

export function createReferralStore(base: Kysely<Database>, insertAudit: AuditInsert): ReferralStore {
  const db = base as unknown as Kysely<ReferralTables>;

  const roleIn = async (q: Db, userId: string, organisationId: string | null): Promise<OrganisationRole | undefined> => {
    if (organisationId === null) return undefined;
    const row = await q.selectFrom('memberships').select('role').where('user_id', '=', userId).where('organisation_id', '=', organisationId).executeTakeFirst();
    return row?.role as OrganisationRole | undefined;
  };

  const selectReferrals = (q: Db, scope: StoreScope) =>
    q
      .selectFrom('referrals')
      .innerJoin('cases', 'cases.id', 'referrals.case_id')
      // The decision reference names a signed decision of this installation on the case (its letters can be read).
      .leftJoin('decisions', (join) => join.onRef('decisions.id', '=', 'referrals.decision_ref').onRef('decisions.case_id', '=', 'referrals.case_id'))
      .selectAll('referrals')
      .select((eb) => [eb.ref('cases.title').as('case_title'), eb.val(0).as('open_navigation'), eb.ref('decisions.signed_at').as('decision_signed_at')])
      .where(caseVisible(scope, 'cases.id', 'cases.organisation_id'));

  async function detail(q: Db, scope: StoreScope, id: string): Promise<ReferralDetail | undefined> {
    const row = await selectReferrals(q, scope).where('referrals.id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const [events, navigation] = await Promise.all([
      q.selectFrom('referral_events').selectAll().where('referral_id', '=', id).orderBy('id').execute(),
      q.selectFrom('navigation_items').selectAll().where('referral_id', '=', id).execute(),
    ]);
    const order = (item: string) => NAVIGATION_ITEMS.indexOf(item as NavigationItemKind);
    const nav = navigation
      .sort((a, b) => order(a.item) - order(b.item))
      .map((n) => ({ item: n.item as NavigationItemKind, owner: n.owner, status: n.status as NavigationStatus, notes: n.notes, updatedAt: n.updated_at, updatedBy: n.updated_by }));
    return {
      ...toReferral({ ...row, open_navigation: nav.filter((n) => !NAVIGATION_CLOSED.includes(n.status)).length }),
      events: events.map((e) => ({
        id: Number(e.id),
        action: e.action,
        status: e.status as ReferralStatus,
        note: e.note,
        author: e.author,
        organisationId: e.organisation_id,
        at: e.at,
      })),
      navigation: nav,
    };
  }

  async function insertReferral(
    trx: Transaction<ReferralTables>,
    row: ReferralsTable,
    event: { action: string; note: string | null; author: string; organisationId: string | null; at: string },
    navigation: readonly { item: string; owner: string | null; status: string; notes: string | null }[] | null,
  ): Promise<void> {
    await trx.insertInto('referrals').values(row).execute();
    await trx.insertInto('referral_events').values({ referral_id: row.id, action: event.action, status: row.status, note: event.note, author: event.author, organisation_id: event.organisationId, at: event.at }).execute();
    const items = navigation ?? NAVIGATION_ITEMS.map((item) => ({ item, owner: null, status: 'open', notes: null }));
    await trx
      .insertInto('navigation_items')
      .values(items.map((n) => ({ referral_id: row.id, item: n.item, owner: n.owner, status: n.status, notes: n.notes, updated_at: event.at, updated_by: event.author })))
      .execute();
  }

  /** The hub a referral may go to: an existing hub other than the referring organisation. */
  async function checkHub(q: Db, toOrganisationId: string, fromOrganisationId: string | null, path: string): Promise<ReferralWrite | null> {
    const hub = await q.selectFrom('organisations').select(['id', 'kind']).where('id', '=', toOrganisationId).executeTakeFirst();
    if (!hub) return { ok: false, reason: 'invalid', message: 'no such organisation', path };
    if (hub.kind !== 'hub') return { ok: false, reason: 'invalid', message: 'must be a hub (sarcoma centre)', path };
    if (hub.id === fromOrganisationId) return { ok: false, reason: 'invalid', message: 'must be another organisation than the referring one', path };
    return null;
  }

  const store: ReferralStore = {
    async create(scope, input, author, now, audit) {
      return db.transaction().execute(async (trx): Promise<ReferralWrite> => {
        const c = await trx
          .selectFrom('cases')
          .select(['id', 'organisation_id', 'archived'])
          .where('id', '=', input.caseId)
          .where(caseVisible(scope, 'cases.id', 'cases.organisation_id'))
          .executeTakeFirst();
        if (!c) return { ok: false, reason: 'not_found', message: 'no such case', path: 'caseId' };
        if (!roleAllows(await roleIn(trx, scope.userId, c.organisation_id), 'referral.send')) {
          return { ok: false, reason: 'forbidden', message: "referring needs a clinician, coordinator, chair or admin role in the case's organisation" };
        }
        if (c.archived === 1) return { ok: false, reason: 'conflict', message: 'the case is archived', path: 'caseId' };
        const bad = await checkHub(trx, input.toOrganisationId, c.organisation_id, 'toOrganisationId');
        if (bad) return bad;
        const open = await trx
          .selectFrom('referrals')
          .select('id')
          .where('case_id', '=', input.caseId)
          .where('to_organisation_id', '=', input.toOrganisationId)
          .where('status', 'in', OPEN_REFERRAL_STATUSES)
          .executeTakeFirst();
        if (open) return { ok: false, reason: 'conflict', message: `the case already has an open referral to this hub (${open.id})`, path: 'toOrganisationId' };
        const from = await trx.selectFrom('organisations').select('name').where('id', '=', c.organisation_id).executeTakeFirstOrThrow();
        const row = newRow({ ...input, fromOrganisationId: c.organisation_id, fromName: from.name, externalId: null, createdAt: now, createdBy: author, now });
        await insertReferral(trx, row, { action: 'refer', note: null, author, organisationId: c.organisation_id, at: now }, null);
        if (audit) await insertAudit(trx as unknown as Kysely<Database>, [{ ...audit, objectType: 'referral', objectId: row.id, detail: audit.detail ?? `referral of case ${row.case_id}` }]);
        return { ok: true, value: (await detail(trx, scope, row.id))! };
      });
    },

    async createImported(scope, input, author, now, audit) {
      return db.transaction().execute(async (trx): Promise<ReferralWrite> => {
        const c = await trx.selectFrom('cases').select(['id', 'organisation_id']).where('id', '=', input.caseId).executeTakeFirst();
        if (!c || c.organisation_id !== input.toOrganisationId) return { ok: false, reason: 'invalid', message: "the case must belong to the receiving hub's organisation", path: 'query.organisation' };
        if (!roleAllows(await roleIn(trx, scope.userId, input.toOrganisationId), 'case.write')) {
          return { ok: false, reason: 'forbidden', message: 'importing a referral needs a clinician, chair or admin role in the receiving hub' };
        }
        const bad = await checkHub(trx, input.toOrganisationId, null, 'query.organisation');
        if (bad) return bad;
        const row = newRow({ ...input, fromOrganisationId: null, createdAt: input.sentAt, createdBy: input.sentBy, now });
        await insertReferral(trx, row, { action: 'refer', note: `referred by ${input.fromName}`, author: input.sentBy, organisationId: null, at: input.sentAt }, null);
        await trx.insertInto('referral_events').values({ referral_id: row.id, action: 'import', status: row.status, note: 'received as a FHIR bundle', author, organisation_id: input.toOrganisationId, at: now }).execute();
        if (audit) await insertAudit(trx as unknown as Kysely<Database>, [{ ...audit, objectType: 'referral', objectId: row.id, detail: audit.detail ?? `referral imported for case ${row.case_id}` }]);
        return { ok: true, value: (await detail(trx, scope, row.id))! };
      });
    },

    get: (scope, id) => detail(db, scope, id),

    async list(scope, filter = {}) {
      let query = selectReferrals(db, scope);
      const orgs = scope.organisationIds.length > 0 ? [...scope.organisationIds] : ['\u0000'];
      if (filter.direction === 'incoming' && !scope.network) query = query.where('referrals.to_organisation_id', 'in', orgs);
      if (filter.direction === 'outgoing' && !scope.network) query = query.where('referrals.from_organisation_id', 'in', orgs);
      if (filter.direction === 'outgoing' && scope.network) query = query.where('referrals.from_organisation_id', 'is not', null);
      if (filter.status) query = query.where('referrals.status', '=', filter.status);
      if (filter.caseId) query = query.where('referrals.case_id', '=', filter.caseId);
      const rows = await query.orderBy('referrals.updated_at', 'desc').orderBy('referrals.id').limit(500).execute();
      if (rows.length === 0) return [];
      const counts = await db
        .selectFrom('navigation_items')
        .select(['referral_id'])
        .select((eb) => eb.fn.countAll().as('n'))
        .where('referral_id', 'in', rows.map((r) => r.id))
        .where('status', 'not in', NAVIGATION_CLOSED)
        .groupBy('referral_id')
        .execute();
      const open = new Map(counts.map((c) => [c.referral_id, Number(c.n)]));
      return rows.map((r) => toReferral({ ...r, open_navigation: open.get(r.id) ?? 0 }));
    },

    async transition(scope, id, action, input, author, now, audit) {
      const rule: ActionRule = REFERRAL_ACTIONS[action];
      return db.transaction().execute(async (trx): Promise<ReferralWrite> => {
        const current = await detail(trx, scope, id);
        if (!current) return { ok: false, reason: 'not_found', message: 'no such referral' };
        const actingOrganisation = rule.side === 'receiver' ? current.toOrganisationId : current.fromOrganisationId;
        if (!roleAllows(await roleIn(trx, scope.userId, actingOrganisation), rule.capability)) {
          const who = rule.side === 'receiver' ? 'the receiving hub' : 'the referring organisation';
          return { ok: false, reason: 'forbidden', message: `${action} is for ${who}: it needs one of the roles ${CAPABILITY_ROLES(rule.capability)} there` };
        }
        if (!rule.from.includes(current.status)) {
          return { ok: false, reason: 'conflict', message: `a referral that is ${current.status} cannot be ${action === 'decide' ? 'decided' : action}ed; allowed from ${rule.from.join(', ')}`, path: 'action' };
        }
        const note = input.note?.trim() ? input.note.trim() : null;
        if (rule.note && note === null) return { ok: false, reason: 'invalid', message: `${action} needs a note (the reason, question or information)`, path: 'note' };
        const set: Partial<ReferralsTable> = { status: rule.to, updated_at: now };
        let redirected: ReferralsTable | null = null;
        if (action === 'redirect') {
          if (!input.toOrganisationId) return { ok: false, reason: 'invalid', message: 'redirect needs the hub to send the referral to', path: 'toOrganisationId' };
          if (input.toOrganisationId === current.toOrganisationId) return { ok: false, reason: 'invalid', message: 'must be another hub than this one', path: 'toOrganisationId' };
          const bad = await checkHub(trx, input.toOrganisationId, current.fromOrganisationId, 'toOrganisationId');
          if (bad) return bad;
          redirected = newRow({
            ...current,
            toOrganisationId: input.toOrganisationId,
            createdAt: now,
            createdBy: author,
            now,
          });
          set.redirected_to = redirected.id;
        }
        // The referrer cannot open the hub's meeting: its timeline names the meeting and its date instead of an id.
        let agenda: { meetingId: string; organisationId: string; label: string } | null = null;
        if (action === 'schedule') {
          if (!input.meetingId) return { ok: false, reason: 'invalid', message: 'schedule needs the meeting', path: 'meetingId' };
          // A Retroplan meeting must be the receiving hub's board, and the case goes on its agenda;
          // any other reference names a meeting kept outside Retroplan and is stored as given.
          const meeting = await trx.selectFrom('meetings').select(['id', 'organisation_id', 'title', 'date', 'start_time']).where('id', '=', input.meetingId).executeTakeFirst();
          if (meeting && meeting.organisation_id !== current.toOrganisationId) return { ok: false, reason: 'invalid', message: "must be a meeting of the receiving hub's board", path: 'meetingId' };
          if (meeting) agenda = { meetingId: meeting.id, organisationId: meeting.organisation_id, label: `${meeting.title}, ${meeting.date} ${meeting.start_time}` };
          set.meeting_id = input.meetingId;
        }
        if (action === 'decide' || action === 'receive_decision') {
          if (!input.decisionRef) return { ok: false, reason: 'invalid', message: 'needs a reference to the decision', path: 'decisionRef' };
          set.decision_ref = input.decisionRef;
          set.decision_summary = input.decisionSummary ?? null;
          set.decided_at = now;
        }
        const updated = await trx.updateTable('referrals').set(set).where('id', '=', id).where('status', '=', current.status).executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'conflict', message: 'the referral changed meanwhile; reload' };
        const eventNote = note ?? (action === 'schedule' ? (agenda?.label ?? `meeting ${input.meetingId}`) : action === 'redirect' ? `to ${input.toOrganisationId}` : input.decisionSummary ?? null);
        await trx
          .insertInto('referral_events')
          .values({ referral_id: id, action, status: rule.to, note: eventNote, author, organisation_id: actingOrganisation, at: now })
          .execute();
        if (agenda) await placeOnAgenda(trx, agenda, current, author, now);
        if (redirected) {
          await insertReferral(trx, redirected, { action: 'refer', note: `redirected from ${current.toOrganisationId}`, author, organisationId: current.toOrganisationId, at: now }, current.navigation);
        }
        if (audit) await insertAudit(trx as unknown as Kysely<Database>, [{ ...audit, objectType: 'referral', objectId: id, detail: audit.detail ?? `${action} → ${rule.to}` }]);
        // The redirecting hub no longer sees the case: the answer is the referral as it was left.
        const after = await detail(trx, scope, id);
        return { ok: true, value: after ?? { ...current, status: rule.to, redirectedTo: redirected?.id ?? null, updatedAt: now } };
      });
    },

    schedule: (scope, id, meetingId, author, now, audit) => store.transition(scope, id, 'schedule', { meetingId }, author, now, audit),
    recordDecision: (scope, id, decision, author, now, audit) =>
      store.transition(scope, id, 'decide', { decisionRef: decision.decisionRef, decisionSummary: decision.summary }, author, now, audit),

    async updateNavigation(scope, id, item, patch, author, now, audit) {
      return db.transaction().execute(async (trx): Promise<ReferralWrite> => {
        const current = await detail(trx, scope, id);
        if (!current) return { ok: false, reason: 'not_found', message: 'no such referral' };
        const roles = await Promise.all([roleIn(trx, scope.userId, current.fromOrganisationId), roleIn(trx, scope.userId, current.toOrganisationId)]);
        if (!roles.some((r) => roleAllows(r, 'navigation.write'))) {
          return { ok: false, reason: 'forbidden', message: `the navigation checklist is kept by the referring and receiving organisations' ${CAPABILITY_ROLES('navigation.write')}` };
        }
        const set: Partial<NavigationItemsTable> = { updated_at: now, updated_by: author };
        if (patch.owner !== undefined) set.owner = patch.owner;
        if (patch.status !== undefined) set.status = patch.status;
        if (patch.notes !== undefined) set.notes = patch.notes;
        await trx.updateTable('navigation_items').set(set).where('referral_id', '=', id).where('item', '=', item).execute();
        await trx.updateTable('referrals').set({ updated_at: now }).where('id', '=', id).execute();
        if (audit) await insertAudit(trx as unknown as Kysely<Database>, [{ ...audit, objectType: 'referral', objectId: id, detail: audit.detail ?? `navigation ${item}${patch.status ? ` → ${patch.status}` : ''}` }]);
        return { ok: true, value: (await detail(trx, scope, id))! };
      });
    },

    async findByExternal(scope, id) {
      const row = await selectReferrals(db, scope)
        .where((eb) => eb.or([eb('referrals.id', '=', id), eb('referrals.external_id', '=', id)]))
        .executeTakeFirst();
      return row ? detail(db, scope, row.id) : undefined;
    },

    async times(scope) {
      const rows = await selectReferrals(db, scope).where('referrals.status', '!=', 'redirected').execute();
      return rows.map((r) => ({ urgency: r.urgency as ReferralUrgency, status: r.status as ReferralStatus, createdAt: r.created_at, decidedAt: r.decided_at }));
    },
  };
  return store;
}

const CAPABILITY_ROLES = (capability: Capability): string => CAPABILITIES[capability].join(', ');

/**
 * Scheduling a referral on a Retroplan meeting puts the case on that meeting's agenda, linked to the
 * referral, in the same transaction (or links the item already there). When the referral moves to
 * another meeting, the item it left is removed unless the board has recorded a decision on it.
 */
async function placeOnAgenda(trx: Transaction<ReferralTables>, agenda: { meetingId: string; organisationId: string }, current: Referral, author: string, now: string): Promise<void> {
  if (current.meetingId && current.meetingId !== agenda.meetingId) {
    const left = await trx.selectFrom('meeting_items').select('id').where('meeting_id', '=', current.meetingId).where('referral_id', '=', current.id).executeTakeFirst();
    const decided = left ? await trx.selectFrom('decisions').select('id').where('agenda_item_id', '=', left.id).executeTakeFirst() : undefined;
    if (left && !decided) await trx.deleteFrom('meeting_items').where('id', '=', left.id).execute();
  }
  const existing = await trx.selectFrom('meeting_items').select(['id', 'referral_id']).where('meeting_id', '=', agenda.meetingId).where('case_id', '=', current.caseId).executeTakeFirst();
  if (existing) {
    if (existing.referral_id === null) await trx.updateTable('meeting_items').set({ referral_id: current.id }).where('id', '=', existing.id).execute();
  } else {
    const last = await trx.selectFrom('meeting_items').select((eb) => eb.fn.max('position').as('p')).where('meeting_id', '=', agenda.meetingId).executeTakeFirst();
    await trx
      .insertInto('meeting_items')
      .values({
        id: randomUUID(),
        organisation_id: agenda.organisationId,
        meeting_id: agenda.meetingId,
        case_id: current.caseId,
        referral_id: current.id,
        position: Number(last?.p ?? 0) + 1,
        presenter: null,
        created_by: author,
        created_at: now,
      })
      .execute();
  }
  await trx.updateTable('meetings').set({ updated_at: now }).where('id', '=', agenda.meetingId).execute();
}

/** Referral statuses the chair's sign-off decides: the hub has taken the case on (issue 13). */
export const BOARD_DECIDES_FROM: readonly ReferralStatus[] = ['accepted', 'scheduled'];

export interface SignedDecisionReturn {
  readonly caseId: string;
  /** The board's organisation: only referrals to this hub are answered by its decision. */
  readonly organisationId: string;
  readonly decisionId: string;
  /** The signed decision this one amends, when it is an amendment. */
  readonly supersedesId: string | null;
  readonly summary: string;
  /** The chair who signed. */
  readonly author: string;
  readonly now: string;
}

/**
 * The chair's sign-off returns the board's decision through the referral (issue 13: "the outcome
 * letter … sent back through the referral"). Called by the board store inside the sign-off's
 * transaction, so a decision cannot be signed without its referral being updated, nor the other
 * way round. Every referral of the case to the board's hub that the hub has taken on (accepted or
 * scheduled) becomes `decided` with the decision's id and summary; a referral already decided by
 * the version an amendment replaces points to the amendment instead (its first decision time is
 * kept: the referral times measure referral → first decision). A case without such a referral
 * (the hub's own patient, a referral still in triage, declined or redirected) is left as it is:
 * the sign-off itself never depends on a referral. The step is the board's, not a triage step, so
 * it needs no referral capability beyond being the meeting's chair. Returns the referrals changed.
 */
export async function returnSignedDecision(
  base: Kysely<Database> | Transaction<Database>,
  signed: SignedDecisionReturn,
  insertAudit: AuditInsert,
  audit?: AuditInput,
): Promise<string[]> {
  const q = base as unknown as Db;
  const rows = await q
    .selectFrom('referrals')
    .select(['id', 'status'])
    .where('case_id', '=', signed.caseId)
    .where('to_organisation_id', '=', signed.organisationId)
    .where((eb) => {
      const open = eb('status', 'in', BOARD_DECIDES_FROM);
      return signed.supersedesId === null ? open : eb.or([open, eb.and([eb('status', '=', 'decided'), eb('decision_ref', '=', signed.supersedesId)])]);
    })
    .orderBy('id')
    .execute();
  const summary = signed.summary.slice(0, 4000);
  for (const row of rows) {
    const amended = row.status === 'decided';
    await q
      .updateTable('referrals')
      .set({ status: 'decided', decision_ref: signed.decisionId, decision_summary: summary, updated_at: signed.now, ...(amended ? {} : { decided_at: signed.now }) })
      .where('id', '=', row.id)
      .execute();
    await q
      .insertInto('referral_events')
      .values({ referral_id: row.id, action: amended ? 'amend_decision' : 'decide', status: 'decided', note: summary, author: signed.author, organisation_id: signed.organisationId, at: signed.now })
      .execute();
  }
  if (audit && rows.length > 0) {
    await insertAudit(
      base as Kysely<Database>,
      rows.map((r) => ({
        ...audit,
        action: 'referral.decide',
        objectType: 'referral',
        objectId: r.id,
        detail: `${r.status === 'decided' ? 'amended decision' : 'decision'} ${signed.decisionId} signed by the chair`,
      })),
    );
  }
  return rows.map((r) => r.id);
}

function newRow(input: {
  caseId: string;
  toOrganisationId: string;
  question: string;
  urgency: ReferralUrgency;
  documents: readonly ReferralDocument[];
  fromOrganisationId: string | null;
  fromName: string;
  externalId: string | null;
  createdAt: string;
  createdBy: string;
  now: string;
}): ReferralsTable {
  return {
    id: randomUUID(),
    case_id: input.caseId,
    from_organisation_id: input.fromOrganisationId,
    from_name: input.fromName,
    to_organisation_id: input.toOrganisationId,
    status: 'sent',
    urgency: input.urgency,
    question: input.question,
    documents_json: JSON.stringify(input.documents),
    meeting_id: null,
    decision_ref: null,
    decision_summary: null,
    redirected_to: null,
    external_id: input.externalId,
    created_at: input.createdAt,
    created_by: input.createdBy,
    updated_at: input.now,
    decided_at: null,
  };
}
