import type { Kysely } from 'kysely';
import { evaluateCase, validateCase } from '../engine/index.ts';
import type { Database } from './schema.ts';

/** The columns the worklist filters and shows, derived by the engine from a stored case. */
export interface CaseIndex {
  /** AJCC 8 stage group; null when there is none or it is provisional (diagnosis unconfirmed). */
  readonly stageGroup: string | null;
  readonly histology: string | null;
  /** The label of the first priority of the engine's strategy. */
  readonly nextStep: string | null;
}

const UNINDEXED: CaseIndex = Object.freeze({ stageGroup: null, histology: null, nextStep: null });

/**
 * One evaluation per write gives every derived column, so no caller computes them and they
 * can never disagree. The stored case is re-validated: a row written under an older case
 * model may no longer be valid — then nothing is derived (null), never a guess.
 */
export function caseIndexOf(storedCase: unknown): CaseIndex {
  const checked = validateCase(storedCase);
  if (!checked.ok) return UNINDEXED;
  const evaluation = evaluateCase(checked.value);
  return {
    // A provisional stage (the diagnosis is only suspected) is never listed as a stage: the column stores null.
    stageGroup: evaluation.stage.provisional === true ? null : evaluation.stage.group,
    histology: checked.value.pathology.histology ?? null,
    nextStep: evaluation.strategy.priorities[0]?.label ?? null,
  };
}

const BATCH = 200;

/**
 * Fills `next_step` for rows written before the column existed (migration 0002).
 * SQL cannot run the engine, so the migration only adds the column and this pass
 * runs each time the store opens; after the first run it finds only rows whose
 * case no longer validates (they stay null), so it is cheap. Keyset paging by id
 * keeps memory flat and visits each row once per run. The update is conditional
 * on the version read and on `next_step` still being null, so a write by another
 * instance in between (which computes its own next step) is never overwritten.
 */
export async function fillMissingNextSteps(db: Kysely<Database>): Promise<number> {
  let filled = 0;
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('cases')
      .select(['id', 'version', 'case_json'])
      .where('next_step', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      const { nextStep } = caseIndexOf(JSON.parse(row.case_json));
      if (nextStep === null) continue;
      const updated = await db
        .updateTable('cases')
        .set({ next_step: nextStep })
        .where('id', '=', row.id)
        .where('version', '=', row.version)
        .where('next_step', 'is', null)
        .executeTakeFirst();
      filled += Number(updated.numUpdatedRows);
    }
    if (rows.length < BATCH) return filled;
    after = rows[rows.length - 1]!.id;
  }
}
