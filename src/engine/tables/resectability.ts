import type { TUMOUR_EXTENSIONS } from '../model/case.ts';
import type { EvidenceLevel, SourceId } from './sources.ts';

export type Resectability = 'resectable' | 'borderline' | 'unresectable';

export type CriterionTest =
  /** An infiltrated structure marked `unresectableIfInfiltrated` in the anatomy table. */
  | { readonly kind: 'infiltrates-critical' }
  /** A contacted (not infiltrated) structure marked `unresectableIfInfiltrated`. */
  | { readonly kind: 'contacts-critical' }
  | { readonly kind: 'extension'; readonly extension: (typeof TUMOUR_EXTENSIONS)[number] }
  /** At least `min` (and at most `max`) infiltrated structures marked `majorOrgan`. */
  | { readonly kind: 'major-organs-infiltrated'; readonly min: number; readonly max?: number };

export interface ResectabilityCriterion {
  readonly id: string;
  readonly verdict: Exclude<Resectability, 'resectable'>;
  readonly label: string;
  readonly test: CriterionTest;
  readonly evidence: EvidenceLevel;
  readonly sources: readonly SourceId[];
}

/**
 * When a primary RPS is usually unresectable (only an R2 resection expected) or
 * borderline: REFERENCE.md §5 — STRASS2 eligibility criteria [V]; sciatic notch
 * and trans-diaphragmatic extension "complicate resection" [V]. The two
 * `borderline` rules on contact and a single major organ are Retroplan's
 * consensus reading of the same criteria (labelled so).
 */
export const RESECTABILITY_CRITERIA: readonly ResectabilityCriterion[] = [
  { id: 'critical-structure-infiltrated', verdict: 'unresectable', label: 'infiltration of the SMA, aorta, coeliac trunk, portal vein or bone (spine)', test: { kind: 'infiltrates-critical' }, evidence: 'verified', sources: ['STRASS2'] },
  { id: 'spinal-canal', verdict: 'unresectable', label: 'growth into the spinal canal', test: { kind: 'extension', extension: 'spinal_canal' }, evidence: 'verified', sources: ['STRASS2'] },
  { id: 'right-atrium', verdict: 'unresectable', label: 'retro-hepatic IVC leiomyosarcoma extending to the right atrium', test: { kind: 'extension', extension: 'right_atrium' }, evidence: 'verified', sources: ['STRASS2'] },
  { id: 'several-major-organs', verdict: 'unresectable', label: 'infiltration of several major organs (liver, pancreas, major vessels)', test: { kind: 'major-organs-infiltrated', min: 2 }, evidence: 'verified', sources: ['STRASS2'] },
  { id: 'sciatic-notch', verdict: 'borderline', label: 'extension through the sciatic notch', test: { kind: 'extension', extension: 'sciatic_notch' }, evidence: 'verified', sources: ['STRASS2'] },
  { id: 'transdiaphragmatic', verdict: 'borderline', label: 'extension across the diaphragm', test: { kind: 'extension', extension: 'transdiaphragmatic' }, evidence: 'verified', sources: ['STRASS2'] },
  { id: 'one-major-organ', verdict: 'borderline', label: 'infiltration of one major organ (liver, pancreas or a major vessel)', test: { kind: 'major-organs-infiltrated', min: 1, max: 1 }, evidence: 'consensus', sources: ['STRASS2', 'TARPSWG-2015'] },
  { id: 'critical-structure-contact', verdict: 'borderline', label: 'contact with the SMA, aorta, coeliac trunk, portal vein or spine (infiltration not excluded)', test: { kind: 'contacts-critical' }, evidence: 'consensus', sources: ['STRASS2', 'TARPSWG-2015'] },
];
