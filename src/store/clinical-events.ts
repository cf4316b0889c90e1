import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Intra-operative events of a case and trainees' practice attempts (issue 15):
 * append-only records beside the case store, in their own tables (migration
 * 0009). Each intra-operative event keeps the case version it was decided on,
 * the findings and the engine's decision as they were at that moment.
 */

export interface IntraopEventsTable {
  id: Generated<number>;
  case_id: string;
  case_version: number;
  findings_json: string;
  decision_json: string;
  author: string;
  created_at: string;
  /** Migration 0020 (offline theatre log); null on older rows. */
  client_id: string | null;
  taken_on_version: number | null;
  recorded_at: string | null;
  kind: Generated<string>;
  note: string | null;
}

export interface PracticeAttemptsTable {
  id: Generated<number>;
  user_id: string;
  username: string;
  case_id: string;
  score: number;
  max: number;
  marks_json: string;
  created_at: string;
}

// A type alias: Kysely's withTables needs an index-signature-compatible shape.
type EventTables = {
  intraop_events: IntraopEventsTable;
  practice_attempts: PracticeAttemptsTable;
};

export const INTRAOP_ENTRY_KINDS = ['finding', 'decision', 'note'] as const;
export type IntraopEntryKind = (typeof INTRAOP_ENTRY_KINDS)[number];

export interface IntraopEvent {
  readonly id: number;
  readonly caseId: string;
  /** The version the server's decision was taken on (the current one when stored). */
  readonly caseVersion: number;
  readonly kind: IntraopEntryKind;
  readonly findings: unknown;
  readonly decision: unknown;
  readonly note: string | null;
  readonly author: string;
  readonly createdAt: string;
  /** The id the client gave the entry (offline log), or null. */
  readonly clientId: string | null;
  /** The version the surgeon saw when the entry was taken (offline log), or null. */
  readonly takenOnVersion: number | null;
  /** When the entry was taken in theatre (client clock), or null: then createdAt. */
  readonly recordedAt: string | null;
}

/** What the theatre records: a finding (decided by the engine), the surgeon's decision or a note. */
export interface IntraopEntry {
  readonly kind: IntraopEntryKind;
  /** Findings of a 'finding' entry; [] for the others. */
  readonly findings: unknown;
  readonly note?: string | undefined;
  readonly clientId?: string | undefined;
  readonly takenOnVersion?: number | undefined;
  readonly recordedAt?: string | undefined;
}

export interface PracticeAttempt {
  readonly id: number;
  readonly userId: string;
  readonly username: string;
  readonly caseId: string;
  readonly score: number;
  readonly max: number;
  readonly marks: unknown;
  readonly createdAt: string;
}

/** What the engine makes of the stored case: a result to store, or why it cannot run. */
export type IntraopDecide = (storedCase: unknown) => { ok: true; decision: unknown } | { ok: false; errors: { path: string; message: string }[] };

export type IntraopWrite =
  | { ok: true; value: IntraopEvent; duplicate: boolean }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'archived' }
  | { ok: false; reason: 'invalid_case'; errors: { path: string; message: string }[] };

export interface ClinicalEventsStore {
  /**
   * Runs `decide` on the case's current version and stores the event with that version,
   * in one transaction (the version cannot change in between). An entry whose client id is
   * already stored for the case is not stored again: the stored event comes back, `duplicate`.
   * `decide` runs for 'finding' entries only.
   */
  addIntraopEvent(caseId: string, entry: IntraopEntry, decide: IntraopDecide, author: string, now: string): Promise<IntraopWrite>;
  /** Newest first; undefined when there is no such case. */
  listIntraopEvents(caseId: string): Promise<IntraopEvent[] | undefined>;
  addPracticeAttempt(input: { userId: string; username: string; caseId: string; score: number; max: number; marks: unknown }, now: string): Promise<PracticeAttempt>;
  /** Newest first. */
  listPracticeAttempts(userId: string): Promise<PracticeAttempt[]>;
}

function toEvent(row: Selectable<IntraopEventsTable>): IntraopEvent {
  return {
    id: Number(row.id),
    caseId: row.case_id,
    caseVersion: Number(row.case_version),
    kind: (INTRAOP_ENTRY_KINDS as readonly string[]).includes(row.kind) ? (row.kind as IntraopEntryKind) : 'finding',
    findings: JSON.parse(row.findings_json) as unknown,
    decision: JSON.parse(row.decision_json) as unknown,
    note: row.note ?? null,
    author: row.author,
    createdAt: row.created_at,
    clientId: row.client_id ?? null,
    takenOnVersion: row.taken_on_version === null || row.taken_on_version === undefined ? null : Number(row.taken_on_version),
    recordedAt: row.recorded_at ?? null,
  };
}

function toAttempt(row: Selectable<PracticeAttemptsTable>): PracticeAttempt {
  return {
    id: Number(row.id),
    userId: row.user_id,
    username: row.username,
    caseId: row.case_id,
    score: Number(row.score),
    max: Number(row.max),
    marks: JSON.parse(row.marks_json) as unknown,
    createdAt: row.created_at,
  };
}

export function createClinicalEventsStore(base: Kysely<Database>): ClinicalEventsStore {
  const db = base.withTables<EventTables>();
  return {
    async addIntraopEvent(caseId, entry, decide, author, now) {
      const stored = async (): Promise<IntraopWrite | undefined> => {
        if (entry.clientId === undefined) return undefined;
        const row = await db.selectFrom('intraop_events').selectAll().where('case_id', '=', caseId).where('client_id', '=', entry.clientId).executeTakeFirst();
        return row ? { ok: true, value: toEvent(row), duplicate: true } : undefined;
      };
      const write = () =>
        db.transaction().execute(async (trx): Promise<IntraopWrite> => {
          const current = await trx.selectFrom('cases').select(['version', 'archived', 'case_json']).where('id', '=', caseId).executeTakeFirst();
          if (!current) return { ok: false, reason: 'not_found' };
          if (entry.clientId !== undefined) {
            const seen = await trx.selectFrom('intraop_events').selectAll().where('case_id', '=', caseId).where('client_id', '=', entry.clientId).executeTakeFirst();
            // A repeat of a stored entry is answered even on an archived case: it was stored before.
            if (seen) return { ok: true, value: toEvent(seen), duplicate: true };
          }
          if (current.archived === 1) return { ok: false, reason: 'archived' };
          let decision: unknown = null;
          if (entry.kind === 'finding') {
            const decided = decide(JSON.parse(current.case_json));
            if (!decided.ok) return { ok: false, reason: 'invalid_case', errors: decided.errors };
            decision = decided.decision;
          }
          const row = {
            case_id: caseId,
            case_version: current.version,
            findings_json: JSON.stringify(entry.findings),
            decision_json: JSON.stringify(decision),
            author,
            created_at: now,
            client_id: entry.clientId ?? null,
            taken_on_version: entry.takenOnVersion ?? null,
            recorded_at: entry.recordedAt ?? null,
            kind: entry.kind,
            note: entry.note ?? null,
          };
          const { id } = await trx.insertInto('intraop_events').values(row).returning('id').executeTakeFirstOrThrow();
          return { ok: true, value: toEvent({ ...row, id }), duplicate: false };
        });
      try {
        return await write();
      } catch (error) {
        // Two sends of one entry at once: the unique index (case, client id) refused the second.
        const repeat = await stored();
        if (repeat) return repeat;
        throw error;
      }
    },
    async listIntraopEvents(caseId) {
      const exists = await db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst();
      if (!exists) return undefined;
      const rows = await db.selectFrom('intraop_events').selectAll().where('case_id', '=', caseId).orderBy('id', 'desc').execute();
      return rows.map(toEvent);
    },
    async addPracticeAttempt(input, now) {
      const row = {
        user_id: input.userId,
        username: input.username,
        case_id: input.caseId,
        score: input.score,
        max: input.max,
        marks_json: JSON.stringify(input.marks),
        created_at: now,
      };
      const { id } = await db.insertInto('practice_attempts').values(row).returning('id').executeTakeFirstOrThrow();
      return toAttempt({ ...row, id });
    },
    async listPracticeAttempts(userId) {
      const rows = await db.selectFrom('practice_attempts').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute();
      return rows.map(toAttempt);
    },
  };
}
