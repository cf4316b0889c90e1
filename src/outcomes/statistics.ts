/**
 * Survival statistics for the centre audit (REFERENCE-2 §6.4): Kaplan–Meier
 * with Greenwood variance and log(−log) confidence limits, numbers at risk,
 * Aalen–Johansen cumulative incidence with competing events, and funnel-plot
 * control limits (normal approximation and exact binomial). Pure functions.
 */

export interface SurvivalObservation {
  /** Time from the origin (e.g. months from the operation). */
  readonly time: number;
  /** True for the event, false for a censored observation. */
  readonly event: boolean;
}

export interface KaplanMeierStep {
  readonly time: number;
  readonly atRisk: number;
  readonly events: number;
  readonly censored: number;
  readonly survival: number;
  /** Greenwood standard error of the survival estimate. */
  readonly standardError: number;
  readonly lower: number;
  readonly upper: number;
}

export interface KaplanMeierCurve {
  readonly n: number;
  readonly events: number;
  readonly steps: KaplanMeierStep[];
  /** Confidence level of `lower`/`upper` (0.95 by default). */
  readonly level: number;
}

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9 after one Newton step). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('p must be in (0, 1)');
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  return x;
}

function distinctTimes(times: readonly number[]): number[] {
  return [...new Set(times)].sort((x, y) => x - y);
}

/**
 * Kaplan–Meier estimate. Ties: events before censorings at the same time (the
 * usual convention). Confidence limits on the log(−log) scale, which stay in
 * [0, 1] (Kalbfleisch & Prentice).
 */
export function kaplanMeier(data: readonly SurvivalObservation[], level = 0.95): KaplanMeierCurve {
  for (const d of data) if (!(Number.isFinite(d.time) && d.time >= 0)) throw new RangeError('times must be finite and ≥ 0');
  const z = normalQuantile(1 - (1 - level) / 2);
  let atRisk = data.length;
  let survival = 1;
  let greenwood = 0;
  const steps: KaplanMeierStep[] = [];
  let totalEvents = 0;
  for (const t of distinctTimes(data.map((d) => d.time))) {
    let events = 0;
    let censored = 0;
    for (const d of data) {
      if (d.time !== t) continue;
      if (d.event) events++;
      else censored++;
    }
    if (events > 0) {
      survival *= 1 - events / atRisk;
      if (atRisk > events) greenwood += events / (atRisk * (atRisk - events));
      totalEvents += events;
      const se = survival * Math.sqrt(greenwood);
      let lower = 0;
      let upper = 1;
      if (survival > 0 && survival < 1) {
        const logLog = Math.log(-Math.log(survival));
        const seLogLog = Math.sqrt(greenwood) / Math.abs(Math.log(survival));
        // exp(−exp(·)) reverses the order: the upper log(−log) bound gives the lower survival limit.
        lower = Math.exp(-Math.exp(logLog + z * seLogLog));
        upper = Math.exp(-Math.exp(logLog - z * seLogLog));
      } else if (survival === 1) {
        lower = 1;
      }
      steps.push({ time: t, atRisk, events, censored, survival, standardError: se, lower, upper });
    }
    atRisk -= events + censored;
  }
  return { n: data.length, events: totalEvents, steps, level };
}

/** Survival at time t (a step function, right-continuous). */
export function survivalAt(curve: KaplanMeierCurve, t: number): { survival: number; lower: number; upper: number } {
  let found = { survival: 1, lower: 1, upper: 1 };
  for (const s of curve.steps) if (s.time <= t) found = { survival: s.survival, lower: s.lower, upper: s.upper };
  return found;
}

/** Median survival: the first time the survival falls to 0.5 or below; null if never reached. */
export function medianSurvival(curve: KaplanMeierCurve): number | null {
  return curve.steps.find((s) => s.survival <= 0.5)?.time ?? null;
}

/** Numbers still at risk (time ≥ t) at each of `at`, as printed under a survival plot. */
export function numbersAtRisk(data: readonly { readonly time: number }[], at: readonly number[]): number[] {
  return at.map((t) => data.filter((d) => d.time >= t).length);
}

export interface CompetingObservation {
  readonly time: number;
  /** 0 = censored; 1 = the event of interest; 2 = the competing event (e.g. death without it). */
  readonly cause: 0 | 1 | 2;
}

export interface CumulativeIncidenceStep {
  readonly time: number;
  readonly atRisk: number;
  readonly events: number;
  readonly competing: number;
  readonly incidence: number;
}

/**
 * Aalen–Johansen cumulative incidence of cause 1 with cause 2 competing:
 * CIF(t) = Σ_{tj ≤ t} S(tj−) · d1j / nj, with S the Kaplan–Meier of "any event".
 * 1 − KM that censors the competing event overstates the probability (REFERENCE-2 §6.4).
 */
export function cumulativeIncidence(data: readonly CompetingObservation[]): CumulativeIncidenceStep[] {
  let atRisk = data.length;
  let overall = 1;
  let incidence = 0;
  const steps: CumulativeIncidenceStep[] = [];
  for (const t of distinctTimes(data.map((d) => d.time))) {
    let events = 0;
    let competing = 0;
    let censored = 0;
    for (const d of data) {
      if (d.time !== t) continue;
      if (d.cause === 1) events++;
      else if (d.cause === 2) competing++;
      else censored++;
    }
    if (events + competing > 0) {
      incidence += (overall * events) / atRisk;
      overall *= 1 - (events + competing) / atRisk;
      steps.push({ time: t, atRisk, events, competing, incidence });
    }
    atRisk -= events + competing + censored;
  }
  return steps;
}

export function incidenceAt(steps: readonly CumulativeIncidenceStep[], t: number): number {
  let found = 0;
  for (const s of steps) if (s.time <= t) found = s.incidence;
  return found;
}

/** log of the binomial probability mass, through log-gamma (Lanczos). */
function logGamma(x: number): number {
  const g = 7;
  const coef = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = coef[0]!;
  for (let i = 1; i < g + 2; i++) sum += coef[i]! / (y + i);
  const t = y + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

function binomialPmf(k: number, n: number, p: number): number {
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log(1 - p));
}

/** Smallest r with P(X ≤ r) ≥ q for X ~ Binomial(n, p). */
export function binomialQuantile(q: number, n: number, p: number): number {
  let cumulative = 0;
  for (let r = 0; r <= n; r++) {
    cumulative += binomialPmf(r, n, p);
    if (cumulative >= q - 1e-12) return r;
  }
  return n;
}

export interface FunnelLimits {
  readonly n: number;
  readonly target: number;
  /** 95 % ("alert") and 99.8 % ("alarm") limits, as proportions. */
  readonly lower95: number;
  readonly upper95: number;
  readonly lower998: number;
  readonly upper998: number;
  readonly method: 'exact-binomial' | 'normal-approximation';
}

/**
 * Control limits of a funnel plot around the target proportion p0 for a unit
 * with n cases (Spiegelhalter 2002/2005): exact binomial quantiles for small n,
 * the normal approximation p0 ± z·√(p0(1−p0)/n) (z = 1.96 / 3.09) for large n.
 */
export function funnelLimits(p0: number, n: number, method: FunnelLimits['method'] = n < 100 ? 'exact-binomial' : 'normal-approximation'): FunnelLimits {
  if (!(p0 >= 0 && p0 <= 1)) throw new RangeError('target must be a proportion');
  if (!(Number.isInteger(n) && n > 0)) throw new RangeError('n must be a whole number > 0');
  if (method === 'normal-approximation') {
    const sd = Math.sqrt((p0 * (1 - p0)) / n);
    const clamp = (x: number) => Math.min(1, Math.max(0, x));
    return { n, target: p0, lower95: clamp(p0 - 1.96 * sd), upper95: clamp(p0 + 1.96 * sd), lower998: clamp(p0 - 3.09 * sd), upper998: clamp(p0 + 3.09 * sd), method };
  }
  const limit = (q: number) => binomialQuantile(q, n, p0) / n;
  return { n, target: p0, lower95: limit(0.025), upper95: limit(0.975), lower998: limit(0.001), upper998: limit(0.999), method };
}

/** Where a unit's observed rate falls against its funnel limits. */
export function funnelZone(observed: number, limits: FunnelLimits, higherIsWorse: boolean): 'within' | 'alert' | 'alarm' {
  const [low95, high95, low998, high998] = [limits.lower95, limits.upper95, limits.lower998, limits.upper998];
  const worseBeyond998 = higherIsWorse ? observed > high998 : observed < low998;
  const worseBeyond95 = higherIsWorse ? observed > high95 : observed < low95;
  return worseBeyond998 ? 'alarm' : worseBeyond95 ? 'alert' : 'within';
}

/** Median of a list (mean of the two middle values for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
