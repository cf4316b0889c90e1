import type { Grade } from '../model/case.ts';

/**
 * AJCC 8th edition, soft tissue sarcoma of the retroperitoneum (REFERENCE.md §1 [V];
 * AJCC8). T by greatest dimension, upper bounds inclusive: 5.0 cm is T1.
 */
export const T_CATEGORIES = [
  { t: 'T1', maxCm: 5, label: '≤ 5 cm' },
  { t: 'T2', maxCm: 10, label: '> 5 cm and ≤ 10 cm' },
  { t: 'T3', maxCm: 15, label: '> 10 cm and ≤ 15 cm' },
  { t: 'T4', maxCm: Number.POSITIVE_INFINITY, label: '> 15 cm' },
] as const;

export type TCategory = (typeof T_CATEGORIES)[number]['t'] | 'TX';
export type NCategory = 'N0' | 'N1';
export type MCategory = 'M0' | 'M1';
export type StageGroup = 'IA' | 'IB' | 'II' | 'IIIA' | 'IIIB' | 'IV';

export interface StageGroupRow {
  readonly group: StageGroup;
  /** Absent = any value, including TX. */
  readonly t?: readonly TCategory[];
  readonly n?: readonly NCategory[];
  readonly m?: readonly MCategory[];
  readonly g?: readonly Grade[];
  readonly note: string;
}

/** The AJCC 8 retroperitoneum stage table, in order of precedence (M1 first, then N1). */
export const STAGE_GROUP_TABLE: readonly StageGroupRow[] = [
  { group: 'IV', m: ['M1'], note: 'any T, any N, M1, any G' },
  { group: 'IIIB', n: ['N1'], m: ['M0'], note: 'any T, N1, M0, any G (retroperitoneum; IV for trunk/extremity)' },
  { group: 'IA', t: ['T1'], n: ['N0'], m: ['M0'], g: ['G1', 'GX'], note: 'T1 N0 M0, G1 or GX' },
  { group: 'IB', t: ['T2', 'T3', 'T4'], n: ['N0'], m: ['M0'], g: ['G1', 'GX'], note: 'T2–T4 N0 M0, G1 or GX' },
  { group: 'II', t: ['T1'], n: ['N0'], m: ['M0'], g: ['G2', 'G3'], note: 'T1 N0 M0, G2–G3' },
  { group: 'IIIA', t: ['T2'], n: ['N0'], m: ['M0'], g: ['G2', 'G3'], note: 'T2 N0 M0, G2–G3' },
  { group: 'IIIB', t: ['T3', 'T4'], n: ['N0'], m: ['M0'], g: ['G2', 'G3'], note: 'T3–T4 N0 M0, G2–G3' },
];
