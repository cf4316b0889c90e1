import type { Grade } from './model/case.ts';
import type { Explained } from './model/explained.ts';
import { deepFreeze, uniqueSources } from './model/explained.ts';
import { BoundedMemo } from './model/memo.ts';
import { HISTOLOGIES, type HistologyDefinition } from './tables/histology.ts';
import type { EvidenceLevel, SourceId } from './tables/sources.ts';
import {
  ABDOMINAL_IMAGING,
  CHEST_CT_EVERY_VISIT_FAMILIES,
  LIFELONG_FAMILIES,
  SURVEILLANCE_SCHEDULES,
} from './tables/surveillance-schedules.ts';

export interface SurveillanceInterval {
  readonly fromMonth: number;
  readonly toMonth: number | null;
  readonly minIntervalMonths: number;
  readonly maxIntervalMonths: number;
  readonly imaging: string[];
}

export interface SurveillancePlan extends Explained {
  /** Empty when the schedule cannot be determined (grade unknown, not a sarcoma). */
  readonly schedule: SurveillanceInterval[];
  /** true: lifelong-leaning follow-up; null: the reference gives no end and no lifelong rule for this histology. */
  readonly lifelong: boolean | null;
  /** What would decide the schedule when it is empty. */
  readonly missing: string[];
  /** The rules applied and the weight of each (REFERENCE §7: ESMO schedule [V]; chest CT every visit and lifelong follow-up [C]). */
  readonly rules: { readonly id: 'esmo-schedule' | 'chest-ct-every-visit' | 'lifelong-liposarcoma'; readonly evidence: EvidenceLevel }[];
}

/** Plans depend only on grade, histology and sarcoma status: each is built once, frozen and shared. */
const PLANS = new BoundedMemo<number | string, SurveillancePlan>(1024);

/** Small integer codes of the facts the plan depends on: no string is built per case. */
const HISTOLOGY_INDEX: ReadonlyMap<string, number> = new Map(HISTOLOGIES.map((h, i) => [h.code, i]));
const GRADE_CODE: Readonly<Record<Grade, number>> = { G1: 0, G2: 1, G3: 2, GX: 3 };

function planKey(grade: Grade, histology: HistologyDefinition | undefined, isSarcoma: boolean | null): number | string {
  const h = histology === undefined ? HISTOLOGIES.length : HISTOLOGY_INDEX.get(histology.code);
  const g = GRADE_CODE[grade] as number | undefined;
  if (h === undefined || g === undefined) return `${grade}|${histology?.code ?? ''}|${isSarcoma}`;
  return (h * 4 + g) * 3 + (isSarcoma === null ? 0 : isSarcoma ? 1 : 2);
}

/** Follow-up after resection by grade and histology (REFERENCE.md §7). The result is shared and frozen. */
export function planSurveillance(grade: Grade, histology: HistologyDefinition | undefined, isSarcoma: boolean | null, residualDisease = false): SurveillancePlan {
  if (residualDisease && isSarcoma !== false) return RESIDUAL_PLAN;
  return PLANS.get(planKey(grade, histology, isSarcoma), () => deepFreeze(buildPlan(grade, histology, isSarcoma)));
}

/** After an incomplete (R2, shell-out, piecemeal) resection the MDT decides treatment first; routine follow-up does not apply yet (REFERENCE-2 §4–§5 [C]). */
const RESIDUAL_PLAN: SurveillancePlan = deepFreeze({
  schedule: [],
  lifelong: null,
  missing: ['the MDT decision after an incomplete resection (re-resection, systemic therapy or watchful waiting) sets the imaging interval'],
  rules: [],
  reasons: ['After an incomplete resection (R2, shell-out or piecemeal): not routine follow-up — the sarcoma MDT decides re-resection, systemic therapy or watchful waiting first, and the imaging interval with it (REFERENCE-2 §4–§5 [consensus]).'],
  sources: ['NG-SWALLOW-2018', 'ESMO-2010'],
});

function buildPlan(grade: Grade, histology: HistologyDefinition | undefined, isSarcoma: boolean | null): SurveillancePlan {
  const reasons: string[] = [];
  const sources: SourceId[][] = [['ESMO-2010']];
  // Well-differentiated liposarcoma is low grade by definition (FNCLCC differentiation 1): without a reported grade, the low-grade schedule (REFERENCE §2, §7 [C]).
  if (grade === 'GX' && histology?.family === 'wdlps' && isSarcoma === true) {
    grade = 'G1';
    reasons.push('Grade not reported: well-differentiated liposarcoma is low grade by definition (FNCLCC differentiation score 1), so the low-grade schedule is used [consensus] — confirm the grade on the specimen.');
    sources.push(['FNCLCC']);
  }
  if (isSarcoma === false) {
    return {
      schedule: [],
      lifelong: null,
      missing: [],
      rules: [],
      reasons: [`${histology?.name ?? 'This tumour'} is not a sarcoma: sarcoma follow-up does not apply; its own pathway sets the follow-up.`],
      sources: ['SEED'],
    };
  }
  const lifelong = histology && LIFELONG_FAMILIES.includes(histology.family) ? true : null;
  const rules: SurveillancePlan['rules'] = lifelong ? [{ id: 'lifelong-liposarcoma', evidence: 'consensus' }] : [];
  if (lifelong) {
    reasons.push(`${histology!.name}: recurrences occur beyond 10 years — follow-up is long-term, lifelong-leaning [consensus on the schedule].`);
    sources.push(['HAAS-2019', 'SEED']);
  }
  const schedule = SURVEILLANCE_SCHEDULES.find((s) => (s.grades as readonly string[]).includes(grade));
  if (!schedule) {
    reasons.unshift('Grade not assessed (GX): the follow-up interval depends on the grade (G1 every 4–6 months; G2–G3 every 3–4 months) — not determined until the grade is known.');
    return { schedule: [], lifelong, missing: ['pathology.grade or pathology.fnclcc: the grade decides the schedule'], rules, reasons, sources: uniqueSources(...sources) };
  }
  if (isSarcoma === null) reasons.push('The diagnosis is not established: this schedule assumes a sarcoma.');
  rules.unshift({ id: 'esmo-schedule', evidence: schedule.evidence });
  const chestEveryVisit = grade === 'G3' || (histology !== undefined && CHEST_CT_EVERY_VISIT_FAMILIES.includes(histology.family));
  const chest = chestEveryVisit ? 'chest CT' : schedule.chest;
  const imaging = [ABDOMINAL_IMAGING, chest];
  reasons.push(`${grade === 'G1' ? 'Low grade (G1)' : `Intermediate/high grade (${grade})`}: ${schedule.periods.map((p) => p.note).join('; ')}.`);
  reasons.push(`Imaging at each visit: ${imaging.join(' and ')}.`);
  if (chestEveryVisit) {
    reasons.push(`${histology?.family === 'lms' ? 'Leiomyosarcoma (distant metastasis dominates)' : 'G3'}: chest CT at every visit [consensus].`);
    rules.push({ id: 'chest-ct-every-visit', evidence: 'consensus' });
    sources.push(['SEED']);
  }
  if (lifelong === null) reasons.push('Yearly visits continue after year 5; the reference sets no end date for this histology.');
  return {
    schedule: schedule.periods.map((p) => ({ fromMonth: p.fromMonth, toMonth: p.toMonth, minIntervalMonths: p.minIntervalMonths, maxIntervalMonths: p.maxIntervalMonths, imaging: [...imaging] })),
    lifelong,
    missing: [],
    rules,
    reasons,
    sources: uniqueSources(...sources, schedule.sources),
  };
}

export interface SurveillanceVisit {
  /** Months after surgery. */
  readonly month: number;
  readonly imaging: string[];
}

/**
 * The visit calendar: the earliest recommended month of each interval (minimum
 * interval), from surgery up to `horizonMonths`.
 */
export function surveillanceVisits(plan: SurveillancePlan, horizonMonths = 120): SurveillanceVisit[] {
  const visits: SurveillanceVisit[] = [];
  let month = 0;
  for (;;) {
    const period = plan.schedule.find((p) => month >= p.fromMonth && (p.toMonth === null || month < p.toMonth));
    if (!period) break;
    month += period.minIntervalMonths;
    if (month > horizonMonths) break;
    visits.push({ month, imaging: [...period.imaging] });
  }
  return visits;
}
