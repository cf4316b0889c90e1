import type { HistologyFamily } from './histology.ts';
import type { EvidenceLevel, SourceId } from './sources.ts';

export const FAILURE_PATTERNS = ['local-dominant', 'distant-dominant', 'comparable'] as const;
export type FailurePattern = (typeof FAILURE_PATTERNS)[number];

export interface FailurePatternRow {
  readonly families: readonly HistologyFamily[];
  readonly pattern: FailurePattern;
  readonly evidence: EvidenceLevel;
  /** Recurrence figures, each with its source (REFERENCE.md §4). */
  readonly figures: readonly { readonly text: string; readonly evidence: EvidenceLevel; readonly sources: readonly SourceId[] }[];
  readonly sources: readonly SourceId[];
}

/** Failure pattern by histology: REFERENCE.md §4 (pattern from SEED; figures as marked). */
export const FAILURE_PATTERN_TABLE: readonly FailurePatternRow[] = [
  {
    families: ['wdlps'],
    pattern: 'local-dominant',
    evidence: 'verified',
    figures: [
      { text: 'Surgery alone: 8-year local recurrence 39 %.', evidence: 'verified', sources: ['HAAS-2019'] },
      { text: 'Metastasis almost never; recurrence is late and may dedifferentiate after years.', evidence: 'verified', sources: ['HAAS-2019'] },
    ],
    sources: ['SEED', 'HAAS-2019'],
  },
  {
    families: ['ddlps'],
    pattern: 'local-dominant',
    evidence: 'verified',
    figures: [
      { text: 'Surgery alone: 8-year local recurrence 57 % for G1–2 and 44 % for G3.', evidence: 'verified', sources: ['HAAS-2019'] },
      { text: 'G3 DD-LPS also carries a real distant risk (dual threat).', evidence: 'consensus', sources: ['SEED'] },
    ],
    sources: ['SEED', 'HAAS-2019'],
  },
  {
    families: ['lms'],
    pattern: 'distant-dominant',
    evidence: 'verified',
    figures: [
      { text: 'About half of abdominal/retroperitoneal LMS recur, mostly at distant sites; 9 % recur after 5 years.', evidence: 'verified', sources: ['GLADDY-2013'] },
    ],
    sources: ['SEED', 'GLADDY-2013'],
  },
  {
    families: ['mpnst'],
    pattern: 'comparable',
    evidence: 'verified',
    figures: [{ text: 'High-risk subtype with infiltrative local growth and significant distant spread.', evidence: 'verified', sources: ['SEED'] }],
    sources: ['SEED'],
  },
  {
    families: ['sft'],
    pattern: 'distant-dominant',
    evidence: 'consensus',
    figures: [
      { text: 'Distant more often than local recurrence, both low (consensus).', evidence: 'consensus', sources: ['TARPSWG-2021'] },
      { text: 'More than 90 % are cured by surgery.', evidence: 'verified', sources: ['TARPSWG-2021'] },
    ],
    sources: ['TARPSWG-2021'],
  },
];

/** Whole-cohort context for any primary RPS (GRONCHI-2016 [V]). */
export const COHORT_FIGURES = {
  text: 'All primary RPS (1,007 patients): 8-year local recurrence 31.3 %, distant metastasis 21.6 %, overall survival 56 %; independent predictors: size, histology, grade, multifocality, completeness of resection.',
  evidence: 'verified' as EvidenceLevel,
  sources: ['GRONCHI-2016'] as SourceId[],
};
