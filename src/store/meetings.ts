import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AuditInput } from './types.ts';
import type { Database, DecisionsTable } from './schema.ts';
import { referralSummary } from '../boards/referral-summary.ts';
import { returnSignedDecision } from './referrals.ts';
import type { Concordance, ConcordanceResult, Deviation, DeviationReason, EngineRecommendation, Intent } from '../boards/concordance.ts';

/**
 * Tumour-board meetings, their agendas and the board's signed decisions (issue 13 part B;
 * migrations 0017–0018 in board-migrations.ts). Every query is scoped to the caller's
 * organisations (`scope.organisationIds`); a row of another organisation is "not found".
 * A signed decision is never updated: signing is a guarded update of an unsigned row, an
 * amendment is a new row that names the one it replaces, and the database refuses any
 * change to a signed row (trigger).
 */

export interface MeetingsTable {
  id: string;
  organisation_id: string;
  title: string;
  date: string;
  start_time: string;
  duration_minutes: number;
  minutes_per_item: number;
  place: string | null;
  video_link: string | null;
  chair_user_id: string;
  expected_json: string;
  attendance_json: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface MeetingItemsTable {
  id: string;
  organisation_id: string;
  meeting_id: string;
  case_id: string;
  referral_id: string | null;
  position: number;
  presenter: string | null;
  created_by: string;
  created_at: string;
}

type BoardTables = { meetings: MeetingsTable; meeting_items: MeetingItemsTable };

/** The organisations a caller may see (server/access-scope.ts). */
export interface Scope {
  readonly organisationIds: readonly string[];
}

export interface Attendee {
  readonly name: string;
  /** Specialty or role at the board (surgeon, radiologist, …), free text. */
  readonly role?: string | undefined;
  /** Where the iCalendar invitation goes (boards/ical.ts). */
  readonly email?: string | undefined;
}

export interface AttendanceEntry extends Attendee {
  readonly present: boolean;
}

export interface MeetingInput {
  readonly title: string;
  readonly date: string;
  readonly startTime: string;
  readonly durationMinutes: number;
  readonly minutesPerItem: number;
  readonly place?: string | undefined;
  readonly videoLink?: string | undefined;
  readonly chairUserId: string;
  readonly expectedAttendees: readonly Attendee[];
}

export interface Meeting {
  readonly id: string;
  readonly organisationId: string;
  readonly title: string;
  readonly date: string;
  readonly startTime: string;
  readonly durationMinutes: number;
  readonly minutesPerItem: number;
  readonly place: string | null;
  readonly videoLink: string | null;
  readonly chair: { readonly userId: string; readonly username: string };
  readonly expectedAttendees: Attendee[];
  /** null until attendance is recorded. */
  readonly attendance: AttendanceEntry[] | null;
  readonly itemCount: number;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface AgendaItem {
  readonly id: string;
  readonly meetingId: string;
  readonly caseId: string;
  readonly caseTitle: string;
  readonly caseVersion: number;
  readonly referralId: string | null;
  readonly position: number;
  readonly presenter: string | null;
  /** The case's `board.question` as it is now. */
  readonly question: string | null;
  /** The newest decision taken on this item (id and whether it is signed), or null. */
  readonly decision: { readonly id: string; readonly signed: boolean } | null;
}

export interface BoardDecision {
  readonly id: string;
  readonly organisationId: string;
  readonly caseId: string;
  readonly caseVersion: number;
  readonly date: string;
  readonly attendees: string[];
  readonly decision: string;
  readonly strategyIds: string[];
  readonly author: string;
  readonly createdAt: string;
  readonly meetingId: string | null;
  readonly agendaItemId: string | null;
  readonly intent: Intent | null;
  readonly nextSteps: string | null;
  readonly concordance: Concordance | null;
  readonly deviationReason: DeviationReason | null;
  readonly deviationText: string | null;
  readonly engine: EngineRecommendation | null;
  readonly signedBy: string | null;
  readonly signedAt: string | null;
  readonly supersedesId: string | null;
  /** The decision that amends this one, when there is one (this one is then no longer current). */
  readonly supersededById: string | null;
}

export interface DecisionContent {
  readonly date?: string | undefined;
  readonly attendees?: readonly string[] | undefined;
  readonly decision: string;
  readonly strategyIds: readonly string[];
  readonly agendaItemId?: string | undefined;
  readonly intent?: Intent | undefined;
  readonly nextSteps?: string | undefined;
  readonly deviation?: Deviation | undefined;
}

/** The engine's recommendation for a stored case, and how the board's choice compares. */
export type Assess = (storedCase: unknown) => EngineRecommendation;
export type Judge = (engine: EngineRecommendation, content: DecisionContent, inMeeting: boolean) => ConcordanceResult;

export type BoardFailure =
  | { readonly ok: false; readonly reason: 'not_found'; readonly what: string }
  | { readonly ok: false; readonly reason: 'conflict'; readonly message: string; readonly path?: string }
  | { readonly ok: false; readonly reason: 'invalid'; readonly path: string; readonly message: string }
  | { readonly ok: false; readonly reason: 'forbidden'; readonly message: string };
export type BoardResult<T> = { readonly ok: true; readonly value: T } | BoardFailure;

export interface QualityRow {
  readonly concordance: Concordance;
  readonly deviationReason: DeviationReason | null;
}

export interface BoardStore {
  createMeeting(scope: Scope, organisationId: string, input: MeetingInput, author: string, now: string, audit?: AuditInput): Promise<Meeting>;
  /** upcoming: date ≥ today, soonest first; past: date < today, newest first. */
  listMeetings(scope: Scope, when: 'upcoming' | 'past', today: string): Promise<Meeting[]>;
  getMeeting(scope: Scope, id: string): Promise<{ meeting: Meeting; items: AgendaItem[] } | undefined>;
  setAttendance(scope: Scope, id: string, attendance: readonly AttendanceEntry[], now: string, audit?: AuditInput): Promise<BoardResult<Meeting>>;
  addAgendaItem(scope: Scope, meetingId: string, input: { caseId: string; presenter?: string | undefined; referralId?: string | undefined }, author: string, now: string, audit?: AuditInput): Promise<BoardResult<AgendaItem>>;
  /** `itemIds` must be exactly the meeting's items, in the new order. */
  reorderAgenda(scope: Scope, meetingId: string, itemIds: readonly string[], now: string, audit?: AuditInput): Promise<BoardResult<AgendaItem[]>>;
  removeAgendaItem(scope: Scope, meetingId: string, itemId: string, now: string, audit?: AuditInput): Promise<BoardResult<null>>;

  /** A decision on the case's current version (in a meeting when `agendaItemId` is given), its concordance judged in the same transaction. */
  recordDecision(scope: Scope, caseId: string, content: DecisionContent, assess: Assess, judge: Judge, author: string, now: string, audit?: AuditInput): Promise<BoardResult<BoardDecision>>;
  getDecision(scope: Scope, id: string): Promise<BoardDecision | undefined>;
  /** Any board's decision by id, unscoped: the caller must check its case is visible to the user (ScopedCases) before showing it. */
  getDecisionUnscoped(id: string): Promise<BoardDecision | undefined>;
  /** Every decision on the case, whichever board took it: the caller has checked the case is visible to the user (ScopedCases). */
  listCaseDecisions(caseId: string): Promise<BoardDecision[] | undefined>;
  /** Replaces an unsigned decision's content (re-judged on the case's current version); a signed one: conflict. */
  reviseDecision(scope: Scope, id: string, content: DecisionContent, assess: Assess, judge: Judge, author: string, now: string, audit?: AuditInput): Promise<BoardResult<BoardDecision>>;
  /** Only the meeting's chair; once. */
  signDecision(scope: Scope, id: string, user: { id: string; username: string }, now: string, audit?: AuditInput): Promise<BoardResult<BoardDecision>>;
  /** A new unsigned decision on the same agenda item that replaces a signed one (once per signed version). */
  amendDecision(scope: Scope, id: string, content: DecisionContent, assess: Assess, judge: Judge, author: string, now: string, audit?: AuditInput): Promise<BoardResult<BoardDecision>>;
  /** Signed decisions that no signed amendment replaces. */
  qualityRows(scope: Scope): Promise<QualityRow[]>;
}

type InsertAudit = (db: Kysely<Database> | Transaction<Database>, entries: readonly AuditInput[]) => Promise<void>;

const fail = {
  notFound: (what: string): BoardFailure => ({ ok: false, reason: 'not_found', what }),
  conflict: (message: string, path?: string): BoardFailure => ({ ok: false, reason: 'conflict', message, ...(path ? { path } : {}) }),
  invalid: (path: string, message: string): BoardFailure => ({ ok: false, reason: 'invalid', path, message }),
};

function parseJson<T>(text: string | null, fallback: T): T {
  return text === null ? fallback : (JSON.parse(text) as T);
}

function toDecision(row: Selectable<DecisionsTable>, supersededById: string | null): BoardDecision {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    caseId: row.case_id,
    caseVersion: Number(row.case_version),
    date: row.date,
    attendees: parseJson<string[]>(row.attendees_json, []),
    decision: row.decision,
    strategyIds: parseJson<string[]>(row.strategy_ids_json, []),
    author: row.author,
    createdAt: row.created_at,
    meetingId: row.meeting_id,
    agendaItemId: row.agenda_item_id,
    intent: row.intent as Intent | null,
    nextSteps: row.next_steps,
    concordance: row.concordance as Concordance | null,
    deviationReason: row.deviation_reason as DeviationReason | null,
    deviationText: row.deviation_text,
    engine: parseJson<EngineRecommendation | null>(row.engine_json, null),
    signedBy: row.signed_by,
    signedAt: row.signed_at,
    supersedesId: row.supersedes_id,
    supersededById,
  };
}

export function createBoardStore(base: Kysely<Database>, insertAudit: InsertAudit): BoardStore {
  const db = base.withTables<BoardTables>();
  type Trx = Transaction<Database & BoardTables>;
  type Db = Kysely<Database & BoardTables> | Trx;
  // The audit insert only touches the audit table: the wider transaction type is the same connection.
  const writeAudit = (trx: Trx, entries: readonly AuditInput[]) => insertAudit(trx as unknown as Transaction<Database>, entries);
  const orgs = (scope: Scope) => (scope.organisationIds.length ? [...scope.organisationIds] : ['\u0000none']);

  async function meetingRow(q: Db, scope: Scope, id: string) {
    return q.selectFrom('meetings').selectAll().where('id', '=', id).where('organisation_id', 'in', orgs(scope)).executeTakeFirst();
  }

  async function toMeeting(q: Db, row: Selectable<MeetingsTable>): Promise<Meeting> {
    const chair = await q.selectFrom('users').select('username').where('id', '=', row.chair_user_id).executeTakeFirst();
    const count = await q.selectFrom('meeting_items').select((eb) => eb.fn.countAll<number | string>().as('n')).where('meeting_id', '=', row.id).executeTakeFirstOrThrow();
    return {
      id: row.id,
      organisationId: row.organisation_id,
      title: row.title,
      date: row.date,
      startTime: row.start_time,
      durationMinutes: Number(row.duration_minutes),
      minutesPerItem: Number(row.minutes_per_item),
      place: row.place,
      videoLink: row.video_link,
      chair: { userId: row.chair_user_id, username: chair?.username ?? '(unknown user)' },
      expectedAttendees: parseJson<Attendee[]>(row.expected_json, []),
      attendance: parseJson<AttendanceEntry[] | null>(row.attendance_json, null),
      itemCount: Number(count.n),
      createdBy: row.created_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async function itemsOf(q: Db, meetingId: string): Promise<AgendaItem[]> {
    const rows = await q
      .selectFrom('meeting_items as i')
      .innerJoin('cases as c', 'c.id', 'i.case_id')
      .select(['i.id', 'i.meeting_id', 'i.case_id', 'i.referral_id', 'i.position', 'i.presenter', 'c.title', 'c.version', 'c.case_json'])
      .where('i.meeting_id', '=', meetingId)
      .orderBy('i.position')
      .orderBy('i.id')
      .execute();
    const decisions = rows.length
      ? await q
          .selectFrom('decisions')
          .select(['id', 'agenda_item_id', 'signed_at', 'created_at'])
          .where(
            'agenda_item_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('created_at')
          .orderBy('id')
          .execute()
      : [];
    return rows.map((r, index) => {
      const board = (JSON.parse(r.case_json) as { board?: { question?: unknown } }).board;
      const latest = decisions.filter((d) => d.agenda_item_id === r.id).at(-1);
      return {
        id: r.id,
        meetingId: r.meeting_id,
        caseId: r.case_id,
        caseTitle: r.title,
        caseVersion: Number(r.version),
        referralId: r.referral_id,
        position: index + 1,
        presenter: r.presenter,
        question: typeof board?.question === 'string' ? board.question : null,
        decision: latest ? { id: latest.id, signed: latest.signed_at !== null } : null,
      };
    });
  }

  async function supersededBy(q: Db, id: string): Promise<string | null> {
    const next = await q.selectFrom('decisions').select('id').where('supersedes_id', '=', id).executeTakeFirst();
    return next?.id ?? null;
  }

  async function decisionRow(q: Db, scope: Scope, id: string) {
    return q.selectFrom('decisions').selectAll().where('id', '=', id).where('organisation_id', 'in', orgs(scope)).executeTakeFirst();
  }

  /** Checks the content against the case's current version and the agenda item; returns the row's columns. */
  async function planDecision(
    trx: Trx,
    scope: Scope,
    caseId: string,
    content: DecisionContent,
    assess: Assess,
    judge: Judge,
  ): Promise<BoardResult<Omit<Selectable<DecisionsTable>, 'id' | 'author' | 'created_at' | 'signed_by' | 'signed_by_user_id' | 'signed_at' | 'supersedes_id'>>> {
    const current = await trx.selectFrom('cases').select(['version', 'archived', 'case_json', 'organisation_id']).where('id', '=', caseId).executeTakeFirst();
    if (!current) return fail.notFound('no such case');
    if (current.archived === 1) return fail.conflict('the case is archived; an admin can restore it');
    let meeting: Selectable<MeetingsTable> | undefined;
    if (content.agendaItemId !== undefined) {
      const item = await trx.selectFrom('meeting_items').selectAll().where('id', '=', content.agendaItemId).where('organisation_id', 'in', orgs(scope)).executeTakeFirst();
      if (!item) return fail.invalid('agendaItemId', 'no such agenda item');
      if (item.case_id !== caseId) return fail.invalid('agendaItemId', 'the agenda item is for another case');
      meeting = await meetingRow(trx, scope, item.meeting_id);
      if (!meeting) return fail.invalid('agendaItemId', 'no such agenda item');
    }
    const date = content.date ?? meeting?.date;
    if (date === undefined) return fail.invalid('date', 'is required outside a meeting');
    const present = meeting ? parseJson<AttendanceEntry[] | null>(meeting.attendance_json, null)?.filter((a) => a.present).map((a) => a.name) : undefined;
    const attendees = content.attendees ?? present;
    if (!attendees || attendees.length === 0) return fail.invalid('attendees', meeting ? 'record the attendance or name the attendees' : 'must name at least one attendee');
    const engine = assess(JSON.parse(current.case_json));
    const judged = judge(engine, content, meeting !== undefined);
    if (!judged.ok) return fail.invalid(judged.path, judged.message);
    return {
      ok: true,
      value: {
        // A board's decision belongs to the board's organisation; one outside a meeting to the case's.
        organisation_id: meeting?.organisation_id ?? current.organisation_id,
        case_id: caseId,
        case_version: current.version,
        date,
        attendees_json: JSON.stringify(attendees),
        decision: content.decision,
        strategy_ids_json: JSON.stringify(content.strategyIds),
        meeting_id: meeting?.id ?? null,
        agenda_item_id: content.agendaItemId ?? null,
        intent: content.intent ?? null,
        next_steps: content.nextSteps ?? null,
        concordance: judged.concordance,
        deviation_reason: judged.concordance === 'non_concordant_justified' ? (content.deviation?.reason ?? null) : null,
        deviation_text: judged.concordance === 'non_concordant_justified' ? (content.deviation?.text ?? null) : null,
        engine_json: JSON.stringify(engine),
      },
    };
  }

  return {
    async createMeeting(_scope, organisationId, input, author, now, audit) {
      return db.transaction().execute(async (trx) => {
        const row: Selectable<MeetingsTable> = {
          id: randomUUID(),
          organisation_id: organisationId,
          title: input.title,
          date: input.date,
          start_time: input.startTime,
          duration_minutes: input.durationMinutes,
          minutes_per_item: input.minutesPerItem,
          place: input.place ?? null,
          video_link: input.videoLink ?? null,
          chair_user_id: input.chairUserId,
          expected_json: JSON.stringify(input.expectedAttendees),
          attendance_json: null,
          created_by: author,
          created_at: now,
          updated_at: now,
        };
        await trx.insertInto('meetings').values(row).execute();
        if (audit) await writeAudit(trx, [{ ...audit, objectId: row.id }]);
        return toMeeting(trx, row);
      });
    },

    async listMeetings(scope, when, today) {
      let q = db.selectFrom('meetings').selectAll().where('organisation_id', 'in', orgs(scope));
      q = when === 'upcoming' ? q.where('date', '>=', today).orderBy('date').orderBy('start_time') : q.where('date', '<', today).orderBy('date', 'desc').orderBy('start_time', 'desc');
      const rows = await q.orderBy('id').limit(200).execute();
      return Promise.all(rows.map((r) => toMeeting(db, r)));
    },

    async getMeeting(scope, id) {
      const row = await meetingRow(db, scope, id);
      if (!row) return undefined;
      return { meeting: await toMeeting(db, row), items: await itemsOf(db, id) };
    },

    async setAttendance(scope, id, attendance, now, audit) {
      return db.transaction().execute(async (trx): Promise<BoardResult<Meeting>> => {
        const row = await meetingRow(trx, scope, id);
        if (!row) return fail.notFound('no such meeting');
        const next = { ...row, attendance_json: JSON.stringify(attendance), updated_at: now };
        await trx.updateTable('meetings').set({ attendance_json: next.attendance_json, updated_at: now }).where('id', '=', id).execute();
        if (audit) await writeAudit(trx, [audit]);
        return { ok: true, value: await toMeeting(trx, next) };
      });
    },

    async addAgendaItem(scope, meetingId, input, author, now, audit) {
      return db.transaction().execute(async (trx): Promise<BoardResult<AgendaItem>> => {
        const meeting = await meetingRow(trx, scope, meetingId);
        if (!meeting) return fail.notFound('no such meeting');
        const c = await trx.selectFrom('cases').select(['id', 'archived']).where('id', '=', input.caseId).executeTakeFirst();
        if (!c) return fail.invalid('caseId', 'no such case');
        if (c.archived === 1) return fail.invalid('caseId', 'the case is archived');
        const dup = await trx.selectFrom('meeting_items').select('id').where('meeting_id', '=', meetingId).where('case_id', '=', input.caseId).executeTakeFirst();
        if (dup) return fail.conflict('the case is already on this agenda', 'caseId');
        const last = await trx.selectFrom('meeting_items').select((eb) => eb.fn.max('position').as('p')).where('meeting_id', '=', meetingId).executeTakeFirst();
        const id = randomUUID();
        await trx
          .insertInto('meeting_items')
          .values({
            id,
            organisation_id: meeting.organisation_id,
            meeting_id: meetingId,
            case_id: input.caseId,
            referral_id: input.referralId ?? null,
            position: Number(last?.p ?? 0) + 1,
            presenter: input.presenter ?? null,
            created_by: author,
            created_at: now,
          })
          .execute();
        await trx.updateTable('meetings').set({ updated_at: now }).where('id', '=', meetingId).execute();
        if (audit) await writeAudit(trx, [{ ...audit, detail: `agenda item ${id}` }]);
        const items = await itemsOf(trx, meetingId);
        return { ok: true, value: items.find((i) => i.id === id)! };
      });
    },

    async reorderAgenda(scope, meetingId, itemIds, now, audit) {
      return db.transaction().execute(async (trx): Promise<BoardResult<AgendaItem[]>> => {
        const meeting = await meetingRow(trx, scope, meetingId);
        if (!meeting) return fail.notFound('no such meeting');
        const existing = await trx.selectFrom('meeting_items').select('id').where('meeting_id', '=', meetingId).execute();
        const known = new Set(existing.map((r) => r.id));
        const given = new Set(itemIds);
        if (given.size !== itemIds.length || given.size !== known.size || itemIds.some((id) => !known.has(id))) {
          return fail.invalid('itemIds', "must list each of the meeting's agenda items exactly once");
        }
        for (const [index, id] of itemIds.entries()) await trx.updateTable('meeting_items').set({ position: index + 1 }).where('id', '=', id).execute();
        await trx.updateTable('meetings').set({ updated_at: now }).where('id', '=', meetingId).execute();
        if (audit) await writeAudit(trx, [audit]);
        return { ok: true, value: await itemsOf(trx, meetingId) };
      });
    },

    async removeAgendaItem(scope, meetingId, itemId, now, audit) {
      return db.transaction().execute(async (trx): Promise<BoardResult<null>> => {
        const meeting = await meetingRow(trx, scope, meetingId);
        if (!meeting) return fail.notFound('no such meeting');
        const item = await trx.selectFrom('meeting_items').select('id').where('id', '=', itemId).where('meeting_id', '=', meetingId).executeTakeFirst();
        if (!item) return fail.notFound('no such agenda item');
        const decided = await trx.selectFrom('decisions').select('id').where('agenda_item_id', '=', itemId).executeTakeFirst();
        if (decided) return fail.conflict('the board has recorded a decision on this item: it stays on the agenda');
        await trx.deleteFrom('meeting_items').where('id', '=', itemId).execute();
        await trx.updateTable('meetings').set({ updated_at: now }).where('id', '=', meetingId).execute();
        if (audit) await writeAudit(trx, [{ ...audit, detail: `agenda item ${itemId}` }]);
        return { ok: true, value: null };
      });
    },

    async recordDecision(scope, caseId, content, assess, judge, author, now, audit) {
      return db.transaction().execute(async (trx): Promise<BoardResult<BoardDecision>> => {
        const planned = await planDecision(trx, scope, caseId, content, assess, judge);
        if (!planned.ok) return planned;
        const row: Selectable<DecisionsTable> = { ...planned.value, id: randomUUID(), author, created_at: now, signed_by: null, signed_by_user_id: null, signed_at: null, supersedes_id: null };
        await trx.insertInto('decisions').values(row).execute();
        if (audit) await writeAudit(trx, [{ ...audit, detail: audit.detail ?? `decision ${row.id}` }]);
        return { ok: true, value: toDecision(row, null) };
      });
    },

    async getDecision(scope, id) {
      const row = await decisionRow(db, scope, id);
      return row ? toDecision(row, await supersededBy(db, id)) : undefined;
    },

    async getDecisionUnscoped(id) {
      const row = await db.selectFrom('decisions').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toDecision(row, await supersededBy(db, id)) : undefined;
    },

    async listCaseDecisions(caseId) {
      const exists = await db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst();
      if (!exists) return undefined;
      const rows = await db.selectFrom('decisions').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
      return rows.map((r) => toDecision(r, rows.find((x) => x.supersedes_id === r.id)?.id ?? null));
    },

    async reviseDecision(scope, id, content, assess, judge, author, now, audit) {
      return db.transaction().execute(async (trx): Promise<BoardResult<BoardDecision>> => {
        const row = await decisionRow(trx, scope, id);
        if (!row) return fail.notFound('no such decision');
        if (row.signed_at !== null) return fail.conflict('the decision is signed and cannot change; amend it instead (a new signed version)');
        // Outside a meeting the date and attendees are the decision's own; in a meeting they follow the meeting.
        const kept = row.meeting_id === null ? { date: content.date ?? row.date, attendees: content.attendees ?? parseJson<string[]>(row.attendees_json, []) } : {};
        const planned = await planDecision(trx, scope, row.case_id, { ...content, ...kept, agendaItemId: content.agendaItemId ?? row.agenda_item_id ?? undefined }, assess, judge);
        if (!planned.ok) return planned;
        // Guarded: the row must still be unsigned at the moment of the write (a sign-off may have won the race).
        const updated = await trx
          .updateTable('decisions')
          .set({ ...planned.value, author, created_at: now })
          .where('id', '=', id)
          .where('signed_at', 'is', null)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return fail.conflict('the decision is signed and cannot change; amend it instead (a new signed version)');
        if (audit) await writeAudit(trx, [audit]);
        const after = (await decisionRow(trx, scope, id))!;
        return { ok: true, value: toDecision(after, null) };
      });
    },

    async signDecision(scope, id, user, now, audit) {
      return db.transaction().execute(async (trx): Promise<BoardResult<BoardDecision>> => {
        const row = await decisionRow(trx, scope, id);
        if (!row) return fail.notFound('no such decision');
        if (row.meeting_id === null) return fail.conflict('only a decision taken in a meeting can be signed by its chair');
        const meeting = await meetingRow(trx, scope, row.meeting_id);
        if (!meeting) return fail.notFound('no such decision');
        if (meeting.chair_user_id !== user.id) return { ok: false, reason: 'forbidden', message: "only the meeting's chair signs its decisions" };
        if (row.signed_at !== null) return fail.conflict('the decision is already signed');
        const updated = await trx
          .updateTable('decisions')
          .set({ signed_at: now, signed_by: user.username, signed_by_user_id: user.id })
          .where('id', '=', id)
          .where('signed_at', 'is', null)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return fail.conflict('the decision is already signed');
        if (audit) await writeAudit(trx, [audit]);
        const signed = toDecision({ ...row, signed_at: now, signed_by: user.username, signed_by_user_id: user.id }, null);
        // In the sign-off's transaction: the referral that brought the case learns the decision (or nothing is signed).
        await returnSignedDecision(
          trx as unknown as Transaction<Database>,
          { caseId: row.case_id, organisationId: row.organisation_id, decisionId: id, supersedesId: row.supersedes_id, summary: referralSummary(signed), author: user.username, now },
          (q, entries) => insertAudit(q, entries),
          audit,
        );
        return { ok: true, value: signed };
      });
    },

    async amendDecision(scope, id, content, assess, judge, author, now, audit) {
      return db.transaction().execute(async (trx): Promise<BoardResult<BoardDecision>> => {
        const previous = await decisionRow(trx, scope, id);
        if (!previous) return fail.notFound('no such decision');
        if (previous.signed_at === null) return fail.conflict('the decision is not signed yet: change it instead of amending it');
        if (await supersededBy(trx, id)) return fail.conflict('this version has already been amended: amend the newest version');
        const planned = await planDecision(trx, scope, previous.case_id, { ...content, agendaItemId: previous.agenda_item_id ?? undefined }, assess, judge);
        if (!planned.ok) return planned;
        const row: Selectable<DecisionsTable> = { ...planned.value, id: randomUUID(), author, created_at: now, signed_by: null, signed_by_user_id: null, signed_at: null, supersedes_id: id };
        await trx.insertInto('decisions').values(row).execute();
        if (audit) await writeAudit(trx, [{ ...audit, detail: `amendment ${row.id}` }]);
        return { ok: true, value: toDecision(row, null) };
      });
    },

    async qualityRows(scope) {
      const rows = await db
        .selectFrom('decisions as d')
        .select(['d.concordance', 'd.deviation_reason'])
        .where('d.organisation_id', 'in', orgs(scope))
        .where('d.signed_at', 'is not', null)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('decisions as n').select('n.id').where('n.supersedes_id', '=', eb.ref('d.id')).where('n.signed_at', 'is not', null))))
        .execute();
      return rows.map((r) => ({ concordance: (r.concordance ?? 'not_assessed') as Concordance, deviationReason: r.deviation_reason as DeviationReason | null }));
    },
  };
}
