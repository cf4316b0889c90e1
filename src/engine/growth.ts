import type { Case, Measurement } from './model/case.ts';
import type { EngineWarning, Explained } from './model/explained.ts';
import type { EvidenceLevel, SourceId } from './tables/sources.ts';

/**
 * Growth kinetics from serial imaging (REFERENCE-2 §3.1): linear growth rate of the greatest dimension and
 * volume doubling time, from the earliest and the latest dated measurement (`tumor.imaging.series`, plus the
 * staging imaging's size when it is dated).
 * - Ellipsoid volume V = π/6 · a · b · c when both measurements give three diameters [C geometric identity];
 * - otherwise one dimension under a sphere (isotropic) assumption: DT = Δt · ln 2 / (3 · ln(d2/d1)) [C derived];
 * - DT = Δt · ln 2 / ln(V2/V1) [V MEHRARA-2007]; month = 30.4375 days [C];
 * - no growth or regression → no doubling time; Δt < 28 days or |Δd| < 0.5 cm → within measurement error [C].
 */
export interface GrowthResult extends Explained {
  /** Change of the greatest dimension per month (cm/month); negative when the tumour shrank. */
  readonly rateCmPerMonth: number;
  /** Volume doubling time in days; null when the tumour did not grow (not defined). */
  readonly volumeDoublingTimeDays: number | null;
  /** `ellipsoid`: three diameters at both dates; `greatest-dimension`: one dimension, sphere assumption. */
  readonly method: 'ellipsoid' | 'greatest-dimension';
  readonly from: string;
  readonly to: string;
  readonly intervalDays: number;
  /** The change is within measurement error (interval < 28 days or |Δd| < 0.5 cm). */
  readonly withinMeasurementError: boolean;
  readonly evidence: EvidenceLevel;
  readonly warnings: EngineWarning[];
}

/** Days per month used for every rate (REFERENCE-2 §3.1 [C]). */
export const DAYS_PER_MONTH = 30.4375;
const MIN_INTERVAL_DAYS = 28;
const MIN_DIAMETER_CHANGE_CM = 0.5;

interface Point {
  readonly date: string;
  readonly day: number;
  readonly greatest: number;
  readonly diameters: readonly [number, number, number] | undefined;
}

function dayOf(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 86_400_000;
}

function pointOf(m: Measurement): Point {
  const d = m.diametersCm;
  const greatest = m.greatestDimensionCm ?? Math.max(d![0], d![1], d![2]);
  return { date: m.date, day: dayOf(m.date), greatest, diameters: d };
}

/** The dated measurements, earliest first (the staging imaging's size counts when dated and not already in the series). */
function pointsOf(c: Case): Point[] {
  const im = c.tumor.imaging;
  const points: Point[] = [];
  for (const m of im?.series ?? []) points.push(pointOf(m));
  if (im?.date !== undefined && c.tumor.sizeCm !== undefined && !points.some((p) => p.date === im.date)) {
    points.push({ date: im.date, day: dayOf(im.date), greatest: c.tumor.sizeCm, diameters: undefined });
  }
  points.sort((a, b) => a.day - b.day);
  return points;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export function ellipsoidVolume(d: readonly [number, number, number]): number {
  return (Math.PI / 6) * d[0] * d[1] * d[2];
}

/** Growth between the earliest and the latest measurement; null with fewer than two dates. */
export function growthKinetics(c: Case): GrowthResult | null {
  const points = pointsOf(c);
  if (points.length < 2) return null;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const days = last.day - first.day;
  if (days <= 0) return null;
  const reasons: string[] = [];
  const warnings: EngineWarning[] = [];
  const months = days / DAYS_PER_MONTH;
  const rate = (last.greatest - first.greatest) / months;
  const ellipsoid = first.diameters !== undefined && last.diameters !== undefined;
  // ln(V2/V1): from the ellipsoid volumes, or 3·ln(d2/d1) under the sphere assumption.
  const logRatio = ellipsoid
    ? Math.log(ellipsoidVolume(last.diameters!) / ellipsoidVolume(first.diameters!))
    : 3 * Math.log(last.greatest / first.greatest);
  const doubling = logRatio > 0 ? (days * Math.LN2) / logRatio : null;
  reasons.push(
    `From ${first.date} (${first.greatest} cm) to ${last.date} (${last.greatest} cm), ${days} days: greatest dimension ${rate >= 0 ? '+' : ''}${round(rate, 3)} cm/month (month = ${DAYS_PER_MONTH} days; REFERENCE-2 §3.1 [consensus]).`,
  );
  if (ellipsoid) {
    reasons.push(
      `Volumes by the ellipsoid formula π/6·a·b·c: ${round(ellipsoidVolume(first.diameters!), 1)} → ${round(ellipsoidVolume(last.diameters!), 1)} cm³.`,
    );
  } else {
    reasons.push('Only one dimension at one or both dates: the volume doubling time assumes a sphere (isotropic growth) — DT = Δt·ln 2 / (3·ln(d2/d1)) [consensus, derived].');
  }
  reasons.push(
    doubling === null
      ? 'No growth or regression: the volume doubling time is not defined.'
      : `Volume doubling time ${round(doubling, 1)} days (DT = Δt·ln 2 / ln(V2/V1), Mehrara 2007).`,
  );
  const withinError = days < MIN_INTERVAL_DAYS || Math.abs(last.greatest - first.greatest) < MIN_DIAMETER_CHANGE_CM;
  if (withinError) {
    warnings.push({
      code: 'growth-within-measurement-error',
      path: 'tumor.imaging.series',
      message: `The change between ${first.date} and ${last.date} is within measurement error (${days < MIN_INTERVAL_DAYS ? `interval ${days} days < 28` : `change ${round(Math.abs(last.greatest - first.greatest), 2)} cm < 0.5 cm`}): do not read a growth rate into it.`,
      sources: ['MEHRARA-2007'],
      evidence: 'consensus',
    });
  }
  if (points.length > 2) reasons.push(`${points.length} measurements: the rate uses the earliest and the latest.`);
  const sources: SourceId[] = ['MEHRARA-2007'];
  return {
    rateCmPerMonth: round(rate, 4),
    volumeDoublingTimeDays: doubling === null ? null : round(doubling, 1),
    method: ellipsoid ? 'ellipsoid' : 'greatest-dimension',
    from: first.date,
    to: last.date,
    intervalDays: days,
    withinMeasurementError: withinError,
    evidence: 'consensus',
    warnings,
    reasons,
    sources,
  };
}

/**
 * Rapid growth of a previously indolent fatty mass suggests dedifferentiation (REFERENCE-2 §3.2 [C; S DDLPS-MRI]).
 * No verified numeric cut-off separates WD- from DD-LPS growth, so any growth beyond measurement error in a
 * well-differentiated liposarcoma is shown for review, with the rate — never a threshold the reference lacks.
 */
export function wdlpsGrowthWarning(growth: GrowthResult | null, family: string | undefined): EngineWarning | null {
  if (growth === null || family !== 'wdlps' || growth.withinMeasurementError || growth.rateCmPerMonth <= 0) return null;
  return {
    code: 'wdlps-growth-suspect-dedifferentiation',
    path: 'tumor.imaging.series',
    message: `Well-differentiated liposarcoma growing ${growth.rateCmPerMonth} cm/month${growth.volumeDoublingTimeDays === null ? '' : ` (volume doubling time ${growth.volumeDoublingTimeDays} days)`}: rapid growth of a fatty tumour suggests dedifferentiation — look for a new or enlarging solid nodule and biopsy the solid part. No verified growth cut-off exists (whether this is "rapid" is not determined).`,
    sources: ['DDLPS-MRI', 'LUCAS-1994'],
    evidence: 'consensus',
  };
}
