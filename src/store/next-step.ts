import type { Kysely } from 'kysely';
import { evaluate } from '../engine/index.ts';
import type { Database } from './schema.ts';

/**
 * The worklist's next step: the label of the first priority of the engine's
 * strategy. The stored case is re-validated because a row written under an
 * older case model may no longer be valid — then there is no next step to
 * show (null), never a guess.
 */
export function nextStepOf(storedCase: unknown): string | null {
  const result = evaluate(storedCase);
  return result.ok ? (result.value.strategy.priorities[0]?.label ?? null) : null;
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
      const nextStep = nextStepOf(JSON.parse(row.case_json));
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
