import type { Margin } from './model/case.ts';
import { deepFreeze, type Explained } from './model/explained.ts';

/**
 * The seed chapter's two quantitative margin models (REFERENCE.md §6; SEED).
 * Pure arithmetic; callers validate ranges at the boundary, these functions
 * check them again and throw RangeError so a bad value can never yield a number.
 */

export interface PseudocapsuleResult {
  /** P(nearest satellite lies beyond the capsule) = exp(−c/ℓ). */
  readonly satelliteBeyondCapsule: number;
  /** P(failure through a capsule defect) = φ. */
  readonly defectFailure: number;
  /** P(residual disease) = 1 − (1 − exp(−c/ℓ))(1 − φ). */
  readonly residualDisease: number;
}

export function pseudocapsuleModel(capsuleMm: number, satelliteMeanMm: number, defectFraction: number): PseudocapsuleResult {
  if (!(Number.isFinite(capsuleMm) && capsuleMm >= 0)) throw new RangeError('capsule thickness must be a number ≥ 0 mm');
  if (!(Number.isFinite(satelliteMeanMm) && satelliteMeanMm > 0)) throw new RangeError('mean satellite distance must be a number > 0 mm');
  if (!(defectFraction >= 0 && defectFraction <= 1)) throw new RangeError('defect fraction must be between 0 and 1');
  const satelliteBeyondCapsule = Math.exp(-capsuleMm / satelliteMeanMm);
  const residualDisease = 1 - (1 - satelliteBeyondCapsule) * (1 - defectFraction);
  return { satelliteBeyondCapsule, defectFailure: defectFraction, residualDisease };
}

export interface SamplingResult {
  /** P(all n blocks miss a focally involved margin) = (1 − p)^n. */
  readonly missProbability: number;
  readonly detectionProbability: number;
}

function checkInvolvedFraction(p: number): void {
  if (!(p > 0 && p < 1)) throw new RangeError('involved fraction must be strictly between 0 and 1');
}

export function samplingMissProbability(involvedFraction: number, blocks: number): SamplingResult {
  checkInvolvedFraction(involvedFraction);
  if (!(Number.isInteger(blocks) && blocks >= 0)) throw new RangeError('number of blocks must be a whole number ≥ 0');
  const missProbability = (1 - involvedFraction) ** blocks;
  return { missProbability, detectionProbability: 1 - missProbability };
}

/** n = ⌈ln(1 − d) / ln(1 − p)⌉ blocks for detection probability d (SEED: p = 0.01, d = 0.95 → 299). */
export function blocksNeeded(involvedFraction: number, detection: number): number {
  checkInvolvedFraction(involvedFraction);
  if (!(detection >= 0 && detection < 1)) throw new RangeError('target detection probability must be ≥ 0 and < 1');
  if (detection === 0) return 0;
  const exact = Math.log(1 - detection) / Math.log(1 - involvedFraction);
  // Guard against floating-point noise pushing an exact integer just above itself.
  const rounded = Math.round(exact);
  return Math.abs(exact - rounded) < 1e-9 ? rounded : Math.ceil(exact);
}

const MARGIN_MEANING: Record<Margin, string> = {
  R0: 'no tumour at the inked margin',
  R1: 'microscopic tumour at the margin (macroscopically complete resection)',
  R2: 'gross tumour left behind',
};

export interface MarginAssessment extends Explained {
  readonly status: Margin | null;
  readonly meaning: string | null;
}

function marginAssessment(margin: Margin | undefined): MarginAssessment {
  if (!margin) {
    return { status: null, meaning: null, reasons: ['Margin status not recorded (no resection yet, or pathology pending).'], sources: ['CAP'] };
  }
  const reasons = [`${margin}: ${MARGIN_MEANING[margin]}.`];
  if (margin === 'R0') {
    reasons.push(
      'A negative margin on a large fatty specimen is a sampled estimate: with 1 % of the surface involved, 40 blocks miss it with probability 0.67 (SEED sampling model).',
    );
  }
  return { status: margin, meaning: MARGIN_MEANING[margin], reasons, sources: ['CAP', 'SEED'] };
}

/** Every assessment there can be, built once and frozen (shared by every evaluation). */
const ASSESSMENTS = deepFreeze({
  none: marginAssessment(undefined),
  R0: marginAssessment('R0'),
  R1: marginAssessment('R1'),
  R2: marginAssessment('R2'),
});

export function assessMargin(margin: Margin | undefined): MarginAssessment {
  return ASSESSMENTS[margin ?? 'none'];
}
