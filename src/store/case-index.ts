import type { Kysely } from 'kysely';
import { evaluateCase, RULES_VERSION, validateCase } from '../engine/index.ts';
import type { Database } from './schema.ts';

/** The columns the worklist filters and shows, derived by the engine from a stored case. */
export interface CaseIndex {
  /** AJCC 8 stage group; null when there is none or it is provisional (diagnosis unconfirmed). */
  readonly stageGroup: string | null;
  readonly histology: string | null;
  /** The label of the first priority of the engine's strategy. */
  readonly nextStep: string | null;
  /** The clinical-rules version that derived these columns (a new release re-derives them). */
  readonly indexRules: string;
}

const UNINDEXED: CaseIndex = Object.freeze({ stageGroup: null, histology: null, nextStep: null, indexRules: RULES_VERSION });

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
    indexRules: RULES_VERSION,
  };
}

const BATCH = 200;

/**
 * Re-derives the worklist columns (stage group, histology, next step) of every row written
 * under other clinical rules than this release's (or before the columns existed): a rule
 * change — e.g. a suspected diagnosis no longer listing a stage — must reach stored cases,
 * not only those saved again. SQL cannot run the engine, so this pass runs when the store
 * opens; after the first run of a release it finds nothing and is cheap. Keyset paging by id
 * keeps memory flat. Each update is conditional on the version read, so a write by another
 * instance in between (which derives its own columns) is never overwritten.
 */
export async function refreshCaseIndex(db: Kysely<Database>): Promise<number> {
  let refreshed = 0;
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('cases')
      .select(['id', 'version', 'case_json'])
      .where((eb) => eb.or([eb('index_rules', 'is', null), eb('index_rules', '!=', RULES_VERSION)]))
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      const index = caseIndexOf(JSON.parse(row.case_json));
      const updated = await db
        .updateTable('cases')
        .set({ stage_group: index.stageGroup, histology: index.histology, next_step: index.nextStep, index_rules: index.indexRules })
        .where('id', '=', row.id)
        .where('version', '=', row.version)
        .executeTakeFirst();
      refreshed += Number(updated.numUpdatedRows);
    }
    if (rows.length < BATCH) return refreshed;
    after = rows[rows.length - 1]!.id;
  }
}
