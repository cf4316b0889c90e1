import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Interoperability state (migration 0007_interop_identity_and_cds_cards):
 * - `case_identifiers`: the source patient's identifiers per case (MRN, national, FHIR id with its
 *   server), so a re-import of the same patient finds its case instead of creating a duplicate;
 * - `cds_cards`: every CDS Hooks card issued (per patient and encounter, with a key for the data it
 *   rests on), its feedback (accepted/overridden, override reason, user comment), so a card is not
 *   repeated in the same encounter and an overridden card is not repeated for the same data.
 */

export interface CaseIdentifiersTable {
  case_id: string;
  kind: string;
  system: string;
  value: string;
}

export interface CdsCardsTable {
  uuid: string;
  patient_key: string;
  encounter_id: string;
  card_key: string;
  data_hash: string;
  issued_at: string;
  outcome: string | null;
  outcome_at: string | null;
  override_code: string | null;
  user_comment: string | null;
}

export interface InteropTables {
  case_identifiers: CaseIdentifiersTable;
  cds_cards: CdsCardsTable;
}

export interface IdentifierKey {
  readonly kind: string;
  readonly system?: string | undefined;
  readonly value: string;
}

export interface CdsCardRow {
  readonly uuid: string;
  readonly patientKey: string;
  readonly encounterId: string;
  readonly cardKey: string;
  readonly dataHash: string;
  readonly issuedAt: string;
  readonly outcome: string | null;
  readonly outcomeAt: string | null;
  readonly overrideCode: string | null;
  readonly userComment: string | null;
}

export interface InteropStore {
  /** Replaces a case's identifiers (kind `other` without a system is not a reliable key and is not indexed). */
  setCaseIdentifiers(caseId: string, identifiers: readonly IdentifierKey[]): Promise<void>;
  /**
   * The case whose patient has one of these identifiers (same kind, system and value), if any;
   * with `accept`, the first such case it accepts (a caller's organisation scope, store/scoped-cases.ts).
   */
  findCaseByIdentifiers(identifiers: readonly IdentifierKey[], accept?: (caseId: string) => Promise<boolean>): Promise<string | undefined>;
  recordCards(rows: readonly Omit<CdsCardRow, 'outcome' | 'outcomeAt' | 'overrideCode' | 'userComment'>[]): Promise<void>;
  getCard(uuid: string): Promise<CdsCardRow | undefined>;
  cardsFor(patientKey: string, cardKey: string): Promise<CdsCardRow[]>;
  recordFeedback(uuid: string, feedback: { outcome: string; outcomeAt: string; overrideCode: string | null; userComment: string | null }): Promise<void>;
}

const indexable = (i: IdentifierKey) => i.kind !== 'other' || (i.system !== undefined && i.system !== '');

/** The patient identifiers a stored case names (`patient.identifiers`), read without trusting the shape. */
export function identifiersOfCase(stored: unknown): IdentifierKey[] {
  const list = (stored as { patient?: { identifiers?: unknown } } | null)?.patient?.identifiers;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (i): i is IdentifierKey =>
      i !== null && typeof i === 'object' && typeof (i as IdentifierKey).kind === 'string' && typeof (i as IdentifierKey).value === 'string' && ((i as IdentifierKey).system === undefined || typeof (i as IdentifierKey).system === 'string'),
  );
}

/**
 * Replaces a case's rows in `case_identifiers` inside the caller's transaction: the repository calls it
 * in every case write, so the index can never disagree with the case it was written with.
 */
export async function writeCaseIdentifiers(trx: Transaction<Database>, caseId: string, identifiers: readonly IdentifierKey[], newCase = false): Promise<void> {
  const t = trx as unknown as Transaction<InteropTables>;
  // A case created in this transaction has no rows yet (bulk loads skip the delete).
  if (!newCase) await t.deleteFrom('case_identifiers').where('case_id', '=', caseId).execute();
  // The same identifier twice in one case is one index row.
  const seen = new Set<string>();
  const rows = [];
  for (const i of identifiers.filter(indexable)) {
    const key = JSON.stringify([i.kind, i.system ?? '', i.value]);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ case_id: caseId, kind: i.kind, system: i.system ?? '', value: i.value });
  }
  if (rows.length > 0) await t.insertInto('case_identifiers').values(rows).execute();
}

function toCard(row: CdsCardsTable): CdsCardRow {
  return {
    uuid: row.uuid,
    patientKey: row.patient_key,
    encounterId: row.encounter_id,
    cardKey: row.card_key,
    dataHash: row.data_hash,
    issuedAt: row.issued_at,
    outcome: row.outcome,
    outcomeAt: row.outcome_at,
    overrideCode: row.override_code,
    userComment: row.user_comment,
  };
}

export function createInteropStore(base: Kysely<Database>): InteropStore {
  const db = base as unknown as Kysely<InteropTables>;
  return {
    async setCaseIdentifiers(caseId, identifiers) {
      await base.transaction().execute((trx) => writeCaseIdentifiers(trx, caseId, identifiers));
    },
    async findCaseByIdentifiers(identifiers, accept) {
      for (const i of identifiers.filter(indexable)) {
        const rows = await db
          .selectFrom('case_identifiers')
          .select('case_id')
          .where('kind', '=', i.kind)
          .where('system', '=', i.system ?? '')
          .where('value', '=', i.value)
          .limit(accept ? 50 : 1)
          .execute();
        for (const row of rows) if (!accept || (await accept(row.case_id))) return row.case_id;
      }
      return undefined;
    },
    async recordCards(rows) {
      if (rows.length === 0) return;
      await db
        .insertInto('cds_cards')
        .values(rows.map((r) => ({ uuid: r.uuid, patient_key: r.patientKey, encounter_id: r.encounterId, card_key: r.cardKey, data_hash: r.dataHash, issued_at: r.issuedAt, outcome: null, outcome_at: null, override_code: null, user_comment: null })))
        .execute();
    },
    async getCard(uuid) {
      const row = await db.selectFrom('cds_cards').selectAll().where('uuid', '=', uuid).executeTakeFirst();
      return row && toCard(row);
    },
    async cardsFor(patientKey, cardKey) {
      const rows = await db.selectFrom('cds_cards').selectAll().where('patient_key', '=', patientKey).where('card_key', '=', cardKey).orderBy('issued_at', 'desc').limit(200).execute();
      return rows.map(toCard);
    },
    async recordFeedback(uuid, f) {
      await db
        .updateTable('cds_cards')
        .set({ outcome: f.outcome, outcome_at: f.outcomeAt, override_code: f.overrideCode, user_comment: f.userComment })
        .where('uuid', '=', uuid)
        .execute();
    },
  };
}
