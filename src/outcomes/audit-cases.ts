import { validateCase } from '../engine/index.ts';
import type { AuditCase } from './centre-audit.ts';
import { SYNTHETIC_PREFIX } from './demo-cohort.ts';

/** Pages of stored cases (Repository.caseBodies); typed here so the audit does not depend on the store. */
export type CaseBodyPages = AsyncIterable<readonly { readonly id: string; readonly title: string; readonly case: unknown }[]>;

/** Cases read per query: a page is parsed and validated before the next is fetched. */
export const AUDIT_PAGE_SIZE = 500;

/**
 * The cases the centre audit counts: every stored case that validates under the case model,
 * marked synthetic when its title carries the demo prefix (demo-cohort.ts). Cases that no
 * longer validate are counted apart, never guessed at.
 */
export async function auditCasesFrom(pages: CaseBodyPages): Promise<{ cases: AuditCase[]; invalid: number }> {
  const cases: AuditCase[] = [];
  let invalid = 0;
  for await (const page of pages) {
    for (const row of page) {
      const checked = validateCase(row.case);
      if (checked.ok) cases.push({ id: row.id, case: checked.value, synthetic: row.title.startsWith(SYNTHETIC_PREFIX) });
      else invalid++;
    }
  }
  return { cases, invalid };
}
