/**
 * Concordance of a tumour-board decision with the engine's recommendation for the same case
 * version (REFERENCE-2 §9.2 [C]). The engine's strategy priorities stand in for "the applicable
 * guideline": the board's recommendation is concordant when every option it chose is one the
 * engine recommends for that case; it differs otherwise and then needs a coded reason. When the
 * engine has no recommendation (the stored case does not validate, or no priority applies) no
 * guideline covers the situation: not applicable. Pure: no I/O.
 */

/** §9.2's coded deviation reasons [C]. */
export const DEVIATION_REASONS = ['patient_choice', 'comorbidity_performance', 'clinical_trial', 'new_evidence', 'insufficient_information', 'other'] as const;
export type DeviationReason = (typeof DEVIATION_REASONS)[number];

export const CONCORDANCE = ['concordant', 'non_concordant_justified', 'non_concordant_unjustified', 'not_applicable', 'not_assessed'] as const;
export type Concordance = (typeof CONCORDANCE)[number];

export const INTENTS = ['curative', 'palliative', 'not_determined'] as const;
export type Intent = (typeof INTENTS)[number];

/** What the engine recommended for the case version the board saw. */
export interface EngineRecommendation {
  /** Engine and clinical-rules versions that produced it (the "guideline version" of §9.2). */
  readonly engineVersion: string;
  readonly rulesVersion: string;
  /** Strategy priority ids in the engine's order; empty when it has none. */
  readonly priorityIds: readonly string[];
  /** false: the stored case does not validate, so the engine could not run. */
  readonly evaluated: boolean;
}

export interface Deviation {
  readonly reason: DeviationReason;
  readonly text?: string | undefined;
}

export type ConcordanceResult = { readonly ok: true; readonly concordance: Concordance } | { readonly ok: false; readonly path: string; readonly message: string };

/**
 * @param requireReason board decisions taken in a meeting must justify a deviation; the older
 *   free-standing decision form may not, and its deviation is then recorded as unjustified.
 */
export function assessConcordance(engine: EngineRecommendation, boardIds: readonly string[], deviation: Deviation | undefined, requireReason: boolean): ConcordanceResult {
  if (boardIds.length === 0) return { ok: true, concordance: 'not_assessed' };
  if (!engine.evaluated || engine.priorityIds.length === 0) return { ok: true, concordance: 'not_applicable' };
  const endorsed = new Set(engine.priorityIds);
  if (boardIds.every((id) => endorsed.has(id))) return { ok: true, concordance: 'concordant' };
  if (deviation) return { ok: true, concordance: 'non_concordant_justified' };
  if (requireReason) {
    return { ok: false, path: 'deviation.reason', message: "the board's recommendation differs from the engine's: give the reason for the deviation" };
  }
  return { ok: true, concordance: 'non_concordant_unjustified' };
}

export interface ConcordanceTally {
  /** Signed, current (not amended) decisions. */
  readonly decisions: number;
  /** Decisions a guideline applied to: concordant + justified + unjustified deviations. */
  readonly applicable: number;
  readonly concordant: number;
  /** concordant ÷ applicable; null with no applicable decision. */
  readonly rate: number | null;
  readonly justified: number;
  readonly unjustified: number;
  readonly notApplicable: number;
  readonly notAssessed: number;
  /** Justified deviations by coded reason, every reason listed (0 when none). */
  readonly reasons: Record<DeviationReason, number>;
}

/** §9.2's indicator: concordance rate = concordant ÷ decisions with an applicable guideline; justified deviations reported apart. */
export function tallyConcordance(rows: readonly { concordance: Concordance; deviationReason: DeviationReason | null }[]): ConcordanceTally {
  const count = (c: Concordance) => rows.filter((r) => r.concordance === c).length;
  const concordant = count('concordant');
  const justified = count('non_concordant_justified');
  const unjustified = count('non_concordant_unjustified');
  const applicable = concordant + justified + unjustified;
  const reasons = Object.fromEntries(DEVIATION_REASONS.map((r) => [r, rows.filter((x) => x.concordance === 'non_concordant_justified' && x.deviationReason === r).length])) as Record<DeviationReason, number>;
  return {
    decisions: rows.length,
    applicable,
    concordant,
    rate: applicable === 0 ? null : concordant / applicable,
    justified,
    unjustified,
    notApplicable: count('not_applicable'),
    notAssessed: count('not_assessed'),
    reasons,
  };
}
