import type { Explained } from './model/explained.ts';
import { deepFreeze, uniqueSources } from './model/explained.ts';
import { BoundedMemo } from './model/memo.ts';
import type { HistologyDefinition } from './tables/histology.ts';
import { COHORT_FIGURES, FAILURE_PATTERN_TABLE, type FailurePattern } from './tables/failure-patterns.ts';
import type { EvidenceLevel } from './tables/sources.ts';
import { label } from './vocabulary.ts';

export interface FailurePatternResult extends Explained {
  readonly pattern: FailurePattern | null;
  readonly evidence: EvidenceLevel | null;
}

/** How this histology tends to fail after resection (REFERENCE.md §4): decides where strategy and follow-up aim. */
export function failurePatternFor(histology: HistologyDefinition | undefined, isSarcoma: boolean | null): FailurePatternResult {
  return RESULTS.get(`${histology?.code ?? ''}|${isSarcoma}`, () => deepFreeze(failurePattern(histology, isSarcoma)));
}

/** Results depend only on the histology and sarcoma status: each is built once, frozen and shared. */
const RESULTS = new BoundedMemo<string, FailurePatternResult>(256);

function failurePattern(histology: HistologyDefinition | undefined, isSarcoma: boolean | null): FailurePatternResult {
  if (!histology) {
    return {
      pattern: null,
      evidence: null,
      reasons: ['Histology not established: failure pattern not determined.', COHORT_FIGURES.text],
      sources: [...COHORT_FIGURES.sources],
    };
  }
  if (isSarcoma === false) {
    return { pattern: null, evidence: null, reasons: [`${histology.name} is not a sarcoma: the sarcoma failure patterns do not apply.`], sources: ['SEED'] };
  }
  const row = FAILURE_PATTERN_TABLE.find((r) => r.families.includes(histology.family));
  if (!row) {
    return {
      pattern: null,
      evidence: null,
      reasons: [`No failure pattern is given for ${histology.name} in Retroplan's reference: not determined.`, COHORT_FIGURES.text],
      sources: [...COHORT_FIGURES.sources],
    };
  }
  return {
    pattern: row.pattern,
    evidence: row.evidence,
    reasons: [
      `${histology.name}: ${label('failurePattern', row.pattern).toLowerCase()}${row.evidence === 'consensus' ? ' (consensus)' : ''}.`,
      ...row.figures.map((f) => `${f.text}${f.evidence === 'consensus' ? ' [consensus]' : ''}`),
      COHORT_FIGURES.text,
    ],
    sources: uniqueSources(row.sources, ...row.figures.map((f) => f.sources), COHORT_FIGURES.sources),
  };
}
