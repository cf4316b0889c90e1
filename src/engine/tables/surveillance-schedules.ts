import type { HistologyFamily } from './histology.ts';
import type { EvidenceLevel, SourceId } from './sources.ts';

export interface SurveillancePeriod {
  readonly fromMonth: number;
  /** null: open-ended. */
  readonly toMonth: number | null;
  readonly minIntervalMonths: number;
  readonly maxIntervalMonths: number;
  readonly note: string;
}

export interface SurveillanceSchedule {
  readonly id: 'intermediate-high-grade' | 'low-grade';
  readonly grades: readonly ('G1' | 'G2' | 'G3')[];
  readonly periods: readonly SurveillancePeriod[];
  /** Chest imaging for this grade when the histology does not ask for more. */
  readonly chest: string;
  readonly evidence: EvidenceLevel;
  readonly sources: readonly SourceId[];
}

/**
 * Follow-up after resection (REFERENCE.md §7 [V] ESMO-2010). Where the guideline
 * gives a range of years ("first 2–3 years", "for 3–5 years") the overlap is its
 * own period whose interval spans both rhythms, so neither end is guessed.
 */
export const SURVEILLANCE_SCHEDULES: readonly SurveillanceSchedule[] = [
  {
    id: 'intermediate-high-grade',
    grades: ['G2', 'G3'],
    periods: [
      { fromMonth: 0, toMonth: 24, minIntervalMonths: 3, maxIntervalMonths: 4, note: 'every 3–4 months for the first 2–3 years' },
      { fromMonth: 24, toMonth: 36, minIntervalMonths: 3, maxIntervalMonths: 6, note: 'year 3: every 3–4 months (up to 3 years) or every 6 months (from 2 years)' },
      { fromMonth: 36, toMonth: 60, minIntervalMonths: 6, maxIntervalMonths: 6, note: 'every 6 months to year 5' },
      { fromMonth: 60, toMonth: null, minIntervalMonths: 12, maxIntervalMonths: 12, note: 'then yearly' },
    ],
    chest: 'chest CT',
    evidence: 'verified',
    sources: ['ESMO-2010'],
  },
  {
    id: 'low-grade',
    grades: ['G1'],
    periods: [
      { fromMonth: 0, toMonth: 36, minIntervalMonths: 4, maxIntervalMonths: 6, note: 'every 4–6 months for 3–5 years' },
      { fromMonth: 36, toMonth: 60, minIntervalMonths: 4, maxIntervalMonths: 12, note: 'years 4–5: every 4–6 months (up to 5 years) or yearly (from 3 years)' },
      { fromMonth: 60, toMonth: null, minIntervalMonths: 12, maxIntervalMonths: 12, note: 'then yearly' },
    ],
    chest: 'chest CT or chest X-ray',
    evidence: 'verified',
    sources: ['ESMO-2010'],
  },
];

export const ABDOMINAL_IMAGING = 'contrast-enhanced CT of abdomen and pelvis';

/** Distant-dominant histologies: chest CT at every visit whatever the grade (REFERENCE §7 [C]). */
export const CHEST_CT_EVERY_VISIT_FAMILIES: readonly HistologyFamily[] = ['lms'];

/** Liposarcomas recur beyond 10 years: lifelong-leaning follow-up (REFERENCE §7 [V] late recurrences; [C] schedule). */
export const LIFELONG_FAMILIES: readonly HistologyFamily[] = ['wdlps', 'ddlps', 'lps_nos'];
