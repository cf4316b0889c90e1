import type { Grade } from '../model/case.ts';

/**
 * FNCLCC grading tables (REFERENCE.md §2 [V]; FNCLCC: Trojani 1984, Guillou 1997,
 * Coindre 2006). Bands are inclusive of `min`; `max` inclusive; `null` = no upper bound.
 */
export const MITOSIS_SCORE_BANDS = [
  { min: 0, max: 9, score: 1, label: '0–9 mitoses per 10 HPF' },
  { min: 10, max: 19, score: 2, label: '10–19 mitoses per 10 HPF' },
  { min: 20, max: null, score: 3, label: '≥ 20 mitoses per 10 HPF' },
] as const;

/** Necrosis: none → 0, < 50 % → 1, ≥ 50 % → 2. `below` is exclusive. */
export const NECROSIS_SCORE_BANDS = [
  { atLeast: 0, below: 0, score: 0, label: 'no necrosis' },
  { atLeast: 0, below: 50, score: 1, label: 'necrosis < 50 %' },
  { atLeast: 50, below: null, score: 2, label: 'necrosis ≥ 50 %' },
] as const;

export const DIFFERENTIATION_LABELS = {
  1: 'closely resembles normal adult mesenchymal tissue',
  2: 'histological typing certain',
  3: 'embryonal or undifferentiated, or type doubtful',
} as const;

export const TOTAL_SCORE_TO_GRADE: readonly { min: number; max: number; grade: Exclude<Grade, 'GX'> }[] = [
  { min: 2, max: 3, grade: 'G1' },
  { min: 4, max: 5, grade: 'G2' },
  { min: 6, max: 8, grade: 'G3' },
];

/** Area of one high-power field at ×400 (CAP): 10 HPF = 1.734 mm². */
export const HPF_AREA_MM2 = 0.1734;
