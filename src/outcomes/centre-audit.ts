import type { Case, FollowUpEvent } from '../engine/model/case.ts';
import { histologyByCode } from '../engine/tables/histology.ts';
import { BENCHMARKS, type Benchmark, type IndicatorId } from './benchmarks.ts';
import {
  cumulativeIncidence,
  funnelLimits,
  funnelZone,
  incidenceAt,
  kaplanMeier,
  median,
  numbersAtRisk,
  survivalAt,
  type CompetingObservation,
  type CumulativeIncidenceStep,
  type FunnelLimits,
  type KaplanMeierCurve,
} from './statistics.ts';

/**
 * The centre's own audit against published benchmarks (REFERENCE-2 §6): volume,
 * complete resection, morbidity, mortality, re-operation, textbook outcome,
 * overall survival, and local recurrence / distant metastasis as cumulative
 * incidence with death competing. Every rate carries its numerator, denominator
 * and data completeness (§6.4), and, by surgeon or hospital, funnel-plot limits.
 */

export interface AuditCase {
  readonly id: string;
  readonly case: Case;
  /** A synthetic (demo) case: the audit says how many it counted, so the figures are never taken for a real centre's. */
  readonly synthetic?: boolean;
}

export interface AuditOptions {
  /** Operations on or after this date (YYYY-MM-DD). */
  readonly from?: string;
  /** Operations on or before this date. */
  readonly to?: string;
  readonly by?: 'surgeon' | 'hospital';
}

export interface FunnelPoint {
  readonly group: string;
  readonly numerator: number;
  readonly denominator: number;
  readonly rate: number;
  readonly limits: FunnelLimits;
  readonly zone: 'within' | 'alert' | 'alarm';
}

export interface RateIndicator {
  readonly id: IndicatorId;
  readonly label: string;
  readonly numerator: number;
  readonly denominator: number;
  readonly rate: number | null;
  /** Cases in which the item was recorded, of the cases operated in the period. */
  readonly completeness: { readonly recorded: number; readonly total: number };
  readonly benchmark: Benchmark;
  readonly definition: string;
  readonly funnel: FunnelPoint[];
}

export interface SurvivalSummary {
  readonly curve: KaplanMeierCurve;
  readonly atFiveYears: { readonly survival: number; readonly lower: number; readonly upper: number } | null;
  readonly numbersAtRisk: { readonly months: number; readonly atRisk: number }[];
  readonly benchmark: Benchmark;
}

export interface IncidenceSummary {
  readonly group: string;
  readonly n: number;
  readonly steps: CumulativeIncidenceStep[];
  readonly atFiveYears: number | null;
}

export interface CentreAudit {
  readonly period: { readonly from: string | null; readonly to: string | null };
  readonly operated: number;
  /** Synthetic (demo) cases among those operated in the period: when above 0 every view marks the figures as synthetic. */
  readonly synthetic: number;
  /** Cases left out: no operation date, or outside the period. */
  readonly excluded: { readonly noOperationDate: number; readonly outsidePeriod: number };
  readonly volumeByYear: { readonly year: number; readonly resections: number }[];
  readonly indicators: RateIndicator[];
  readonly overallSurvival: SurvivalSummary | null;
  readonly localRecurrence: IncidenceSummary[];
  readonly distantMetastasis: IncidenceSummary[];
  readonly notes: string[];
}

const DAYS_PER_MONTH = 30.4375;
const FIVE_YEARS_MONTHS = 60;
const RISK_TABLE_MONTHS = [0, 12, 24, 36, 48, 60, 84, 120];

function days(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

function first(events: readonly FollowUpEvent[], type: FollowUpEvent['type']): string | undefined {
  let found: string | undefined;
  for (const e of events) if (e.type === type && (found === undefined || e.date < found)) found = e.date;
  return found;
}

interface Operated {
  readonly id: string;
  readonly c: Case;
  readonly date: string;
  readonly death?: string;
  readonly localRecurrence?: string;
  readonly distantMetastasis?: string;
  /** Last date the patient is known about (last contact or latest event). */
  readonly lastKnown: string;
  readonly histologyGroup: string;
  readonly group: string | undefined;
  readonly synthetic: boolean;
}

function operatedCase(a: AuditCase, by: AuditOptions['by']): Operated | undefined {
  const date = a.case.surgery?.date;
  if (!date) return undefined;
  const events = a.case.followUp?.events ?? [];
  const known = [date, a.case.followUp?.lastContactDate, ...events.map((e) => e.date)].filter((d): d is string => d !== undefined);
  const histology = a.case.pathology.histology ? histologyByCode(a.case.pathology.histology) : undefined;
  return {
    id: a.id,
    c: a.case,
    date,
    death: first(events, 'death'),
    localRecurrence: first(events, 'local_recurrence'),
    distantMetastasis: first(events, 'distant_metastasis'),
    lastKnown: known.reduce((x, y) => (y > x ? y : x)),
    histologyGroup: histology?.name ?? 'histology not recorded',
    group: by === 'surgeon' ? a.case.surgery?.surgeon : by === 'hospital' ? a.case.surgery?.hospital : undefined,
    synthetic: a.synthetic === true,
  };
}

/** Evaluates one yes/no indicator per case: true/false, or undefined when not recorded. */
type Judge = (o: Operated) => boolean | undefined;

function rateIndicator(id: IndicatorId, label: string, definition: string, cases: readonly Operated[], judge: Judge, by: AuditOptions['by']): RateIndicator {
  let numerator = 0;
  let denominator = 0;
  const groups = new Map<string, { numerator: number; denominator: number }>();
  for (const o of cases) {
    const verdict = judge(o);
    if (verdict === undefined) continue;
    denominator++;
    if (verdict) numerator++;
    if (by && o.group) {
      const g = groups.get(o.group) ?? { numerator: 0, denominator: 0 };
      g.denominator++;
      if (verdict) g.numerator++;
      groups.set(o.group, g);
    }
  }
  const benchmark: Benchmark = BENCHMARKS[id];
  const funnel = [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, g]) => {
      const limits = funnelLimits(benchmark.value, g.denominator);
      const rate = g.numerator / g.denominator;
      return { group, numerator: g.numerator, denominator: g.denominator, rate, limits, zone: funnelZone(rate, limits, benchmark.higherIsWorse) };
    });
  return { id, label, numerator, denominator, rate: denominator > 0 ? numerator / denominator : null, completeness: { recorded: denominator, total: cases.length }, benchmark, definition, funnel };
}

/** Death within `limit` days of the operation; unknown while follow-up is shorter and no death is recorded. */
function diedWithin(limit: number): Judge {
  return (o) => {
    if (o.death !== undefined && days(o.date, o.death) <= limit) return true;
    return days(o.date, o.lastKnown) >= limit ? false : undefined;
  };
}

const MAJOR_COMPLICATION = new Set(['IIIa', 'IIIb', 'IVa', 'IVb', 'V']);
const NO_COMPLICATION_GRADE_2_PLUS = new Set(['0', 'I']);

/**
 * Textbook outcome, USSC definition (REFERENCE-2 §6.3, WISEMAN-2020): R0/R1, discharged
 * home, no transfusion, no re-operation, no complication ≥ grade II (Clavien–Dindo assumed,
 * labelled), length of stay ≤ the cohort's median, no readmission or death within 90 days.
 * Any component not recorded → not evaluable.
 */
function textbookOutcome(medianStay: number | null): Judge {
  const death90 = diedWithin(90);
  return (o) => {
    const s = o.c.surgery;
    const died = death90(o);
    const parts = [s?.margin, s?.dischargedHome, s?.transfusion, s?.reoperation, s?.clavienDindo, s?.lengthOfStayDays, s?.readmittedWithin90Days, died];
    if (parts.some((p) => p === undefined) || medianStay === null) return undefined;
    return (
      (s!.margin === 'R0' || s!.margin === 'R1') &&
      s!.dischargedHome === true &&
      s!.transfusion === false &&
      s!.reoperation === false &&
      NO_COMPLICATION_GRADE_2_PLUS.has(s!.clavienDindo!) &&
      s!.lengthOfStayDays! <= medianStay &&
      s!.readmittedWithin90Days === false &&
      died === false
    );
  };
}

function months(from: string, to: string): number {
  return days(from, to) / DAYS_PER_MONTH;
}

function competing(o: Operated, eventDate: string | undefined): CompetingObservation {
  // Death before (or without) the event competes with it; otherwise censored at the last known date.
  if (eventDate !== undefined && (o.death === undefined || eventDate <= o.death)) return { time: months(o.date, eventDate), cause: 1 };
  if (o.death !== undefined) return { time: months(o.date, o.death), cause: 2 };
  return { time: months(o.date, o.lastKnown), cause: 0 };
}

function incidenceByHistology(cases: readonly Operated[], eventOf: (o: Operated) => string | undefined): IncidenceSummary[] {
  const groups = new Map<string, Operated[]>([['all histologies', [...cases]]]);
  for (const o of cases) groups.set(o.histologyGroup, [...(groups.get(o.histologyGroup) ?? []), o]);
  return [...groups].map(([group, members]) => {
    const steps = cumulativeIncidence(members.map((o) => competing(o, eventOf(o))));
    const followed = members.some((o) => months(o.date, o.lastKnown) >= FIVE_YEARS_MONTHS);
    return { group, n: members.length, steps, atFiveYears: followed ? incidenceAt(steps, FIVE_YEARS_MONTHS) : null };
  });
}

export function centreAudit(cases: readonly AuditCase[], options: AuditOptions = {}): CentreAudit {
  let noOperationDate = 0;
  let outsidePeriod = 0;
  const operated: Operated[] = [];
  for (const a of cases) {
    const o = operatedCase(a, options.by);
    if (!o) {
      noOperationDate++;
      continue;
    }
    if ((options.from && o.date < options.from) || (options.to && o.date > options.to)) {
      outsidePeriod++;
      continue;
    }
    operated.push(o);
  }

  const byYear = new Map<number, number>();
  for (const o of operated) byYear.set(Number(o.date.slice(0, 4)), (byYear.get(Number(o.date.slice(0, 4))) ?? 0) + 1);
  const medianStay = median(operated.flatMap((o) => (o.c.surgery?.lengthOfStayDays === undefined ? [] : [o.c.surgery.lengthOfStayDays])));
  const margin = (o: Operated) => o.c.surgery?.margin;
  const by = options.by;
  const indicators: RateIndicator[] = [
    rateIndicator('macroscopically-complete', 'macroscopically complete resection (R0 or R1)', 'R0 + R1 / resections with the margin recorded', operated, (o) => (margin(o) === undefined ? undefined : margin(o) !== 'R2'), by),
    rateIndicator('r0-rate', 'R0 resection', 'R0 / resections with the margin recorded', operated, (o) => (margin(o) === undefined ? undefined : margin(o) === 'R0'), by),
    rateIndicator('clavien-dindo-3-plus', 'Clavien–Dindo grade ≥ III within 90 days', 'worst complication IIIa–V / resections with the grade recorded', operated, (o) => (o.c.surgery?.clavienDindo === undefined ? undefined : MAJOR_COMPLICATION.has(o.c.surgery.clavienDindo)), by),
    rateIndicator('mortality-30-day', '30-day mortality', 'deaths ≤ 30 days after the operation / resections followed ≥ 30 days or dead', operated, diedWithin(30), by),
    rateIndicator('mortality-90-day', '90-day mortality', 'deaths ≤ 90 days after the operation / resections followed ≥ 90 days or dead', operated, diedWithin(90), by),
    rateIndicator('reoperation', 're-operation', 're-operations / resections with re-operation recorded', operated, (o) => o.c.surgery?.reoperation, by),
    rateIndicator('textbook-outcome', 'textbook outcome (USSC definition; complications graded by Clavien–Dindo)', `all of: R0/R1, home, no transfusion, no re-operation, no complication ≥ II, stay ≤ cohort median (${medianStay ?? 'n/a'} days), no readmission or death ≤ 90 days / resections with every item recorded`, operated, textbookOutcome(medianStay), by),
  ];

  const survivalData = operated.map((o) => ({ time: months(o.date, o.death ?? o.lastKnown), event: o.death !== undefined }));
  let overallSurvival: SurvivalSummary | null = null;
  if (survivalData.length > 0) {
    const curve = kaplanMeier(survivalData);
    const followed = survivalData.some((d) => d.time >= FIVE_YEARS_MONTHS);
    const risk = numbersAtRisk(survivalData, RISK_TABLE_MONTHS);
    overallSurvival = {
      curve,
      atFiveYears: followed ? survivalAt(curve, FIVE_YEARS_MONTHS) : null,
      numbersAtRisk: RISK_TABLE_MONTHS.map((m, i) => ({ months: m, atRisk: risk[i]! })),
      benchmark: BENCHMARKS['overall-survival-5-year'],
    };
  }

  return {
    period: { from: options.from ?? null, to: options.to ?? null },
    operated: operated.length,
    synthetic: operated.filter((o) => o.synthetic).length,
    excluded: { noOperationDate, outsidePeriod },
    volumeByYear: [...byYear].sort(([a], [b]) => a - b).map(([year, resections]) => ({ year, resections })),
    indicators,
    overallSurvival,
    localRecurrence: incidenceByHistology(operated, (o) => o.localRecurrence),
    distantMetastasis: incidenceByHistology(operated, (o) => o.distantMetastasis),
    notes: [
      'Overall survival: Kaplan–Meier from the operation, 95 % limits on the log(−log) scale (Greenwood variance).',
      'Local recurrence and distant metastasis: crude cumulative incidence (Aalen–Johansen) with death as the competing event (REFERENCE-2 §6.4); 1 − Kaplan–Meier would overstate them.',
      'Funnel limits: 95 % (alert) and 99.8 % (alarm) around the benchmark; exact binomial below 100 cases, normal approximation above (Spiegelhalter 2002/2005).',
      'Primary and recurrent presentations are counted together unless the cases given are filtered; compare with the benchmark population shown beside each rate.',
      ...(volumeNote(byYear)),
    ],
  };
}

/** REFERENCE-2 §6.1 [C]: > 10 resections a year is the threshold most used, though one analysis found no threshold. */
function volumeNote(byYear: ReadonlyMap<number, number>): string[] {
  const years = [...byYear.values()];
  if (years.length === 0) return [];
  const mean = years.reduce((a, b) => a + b, 0) / years.length;
  return [`Mean annual volume ${mean.toFixed(1)} resections; > 10 a year is the threshold most used in NCDB studies, though one analysis found a continuous effect without a cut-off (ADAM-2019).`];
}
