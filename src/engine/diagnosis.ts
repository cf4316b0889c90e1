import type { Case } from './model/case.ts';
import { deepFreeze, type EngineWarning, type Explained } from './model/explained.ts';
import { BoundedMemo } from './model/memo.ts';
import type { SarcomaStatus } from './stage.ts';
import { ORGAN_IDS } from './tables/anatomy.ts';
import { histologyByCode, type DiagnosticCategory, type HistologyDefinition } from './tables/histology.ts';
import { MARKERS, MARKER_NAMES, type MarkerName } from './tables/markers.ts';
import {
  IMAGING_FEATURE_LABELS,
  LARGE_VEINS,
  MARKER_PROFILES,
  PRESENT_LIKELIHOOD,
  markerExpectation,
  type Expectation,
  type ImagingFeature,
  type MarkerProfile,
} from './tables/marker-profiles.ts';
import type { EvidenceLevel, SourceId } from './tables/sources.ts';

/**
 * Diagnosis and differential of a retroperitoneal mass (REFERENCE.md §3): scores
 * every profile of `tables/marker-profiles.ts` against the imaging and marker
 * findings, ranks the untested markers and studies by expected information
 * gain, and raises the work-up red flags of §3.1.
 */

export type DifferentialStatus = 'supported' | 'possible' | 'excluded';

export interface Finding {
  /** `marker:MDM2`, `imaging:macroscopicFat`, … */
  readonly item: string;
  readonly observed: string;
  /** `consistent`: agrees with the profile but does not count as evidence for it (e.g. a negative lineage marker). */
  readonly strength: 'strong' | 'weak' | 'consistent';
  readonly text: string;
}

export interface DifferentialEntry {
  readonly code: string;
  readonly name: string;
  readonly category: DiagnosticCategory;
  readonly status: DifferentialStatus;
  readonly findingsFor: Finding[];
  readonly findingsAgainst: Finding[];
  /** Relative plausibility from the heuristic model (prior × likelihood), for ordering only. */
  readonly weight: number;
  readonly evidence: EvidenceLevel;
  readonly sources: SourceId[];
}

export interface NextTest {
  readonly id: string;
  readonly test: string;
  readonly kind: 'biochemistry' | 'biopsy' | 'marker' | 'imaging';
  /** Expected information gain over the remaining candidates, in bits; null for safety tests ranked first by rule. */
  readonly informationGainBits: number | null;
  readonly why: string;
}

export interface RedFlag {
  readonly id: string;
  readonly message: string;
  readonly evidence: EvidenceLevel;
  readonly sources: SourceId[];
}

export interface LeadingDiagnosis {
  readonly code: string;
  readonly name: string;
  readonly category: DiagnosticCategory;
  /** `pathologist`: the recorded histology; `findings`: inferred here from imaging and markers. */
  readonly basis: 'pathologist' | 'findings';
}

export interface DiagnosisResult extends Explained {
  readonly leading: LeadingDiagnosis | null;
  readonly isSarcoma: boolean | null;
  readonly differential: DifferentialEntry[];
  readonly nextTests: NextTest[];
  readonly redFlags: RedFlag[];
  readonly warnings: EngineWarning[];
}

/**
 * One observed finding (an imaging feature or a marker result) and how it counts
 * for each profile. Every possible observation is built once, at module load,
 * from the tables; a case only picks the ones it has.
 */
interface Observation {
  readonly item: string;
  /** Position of `item` in ITEMS. */
  readonly index: number;
  readonly present: boolean;
  readonly text: string;
  /** By profile index: the verdict (see VERDICT_* below). */
  readonly verdicts: Uint8Array;
  /** By profile index: the likelihood of this observation under the profile (P(present) or 1 − P(present)). */
  readonly likelihood: Float64Array;
  /** The shared finding for each strength, by STRENGTHS index. */
  readonly findings: readonly Finding[];
}

const PRESENT_RESULTS: ReadonlySet<string> = new Set(['amplified', 'positive', 'focal', 'lost']);

function computeExpectation(profile: MarkerProfile, item: string): Expectation | undefined {
  const [kind, key] = item.split(':') as ['marker' | 'imaging', string];
  return kind === 'marker' ? markerExpectation(profile, key as MarkerName) : profile.imaging[key as ImagingFeature];
}

/** Every observable item, and each profile's expectation and P(present) for it, computed once. */
const ITEMS: readonly string[] = [
  ...MARKER_NAMES.map((m) => `marker:${m}`),
  ...(Object.keys(IMAGING_FEATURE_LABELS) as ImagingFeature[]).map((f) => `imaging:${f}`),
];
const ITEM_INDEX: ReadonlyMap<string, number> = new Map(ITEMS.map((item, i) => [item, i]));
/** By item index, then profile index. */
const EXPECTATION_TABLE: readonly (readonly (Expectation | undefined)[])[] = ITEMS.map((item) => MARKER_PROFILES.map((p) => computeExpectation(p, item)));
const PRESENT_TABLE: readonly Float64Array[] = EXPECTATION_TABLE.map((row) => Float64Array.from(row, (e) => PRESENT_LIKELIHOOD[e ?? 'uninformative']));
const PROFILE_COUNT = MARKER_PROFILES.length;
// Each differential entry shares its profile's source list: the table is frozen so no caller can change it.
deepFreeze(MARKER_PROFILES);
const PROFILE_HISTOLOGY: readonly HistologyDefinition[] = MARKER_PROFILES.map((p) => histologyByCode(p.code)!);
const PROFILE_PRIOR: Float64Array = Float64Array.from(MARKER_PROFILES, (p) => p.prior);

const STRENGTHS: readonly Finding['strength'][] = ['strong', 'weak', 'consistent'];
/** Verdict codes: which side a finding counts on and how strongly (index into STRENGTHS = code − 1 for `for`, code − 4 for `against`). */
const VERDICT_NONE = 0;
const VERDICT_FOR_STRONG = 1;
const VERDICT_FOR_WEAK = 2;
const VERDICT_FOR_CONSISTENT = 3;
const VERDICT_AGAINST_STRONG = 4;
const VERDICT_AGAINST_WEAK = 5;

/** How one observation counts for a profile (see the expectation kinds in the table's header); capped findings are never strong. */
function judge(exp: Expectation | undefined, present: boolean, capped: boolean): number {
  switch (exp) {
    case undefined:
      return VERDICT_NONE;
    case 'defining':
      return present ? (capped ? VERDICT_FOR_WEAK : VERDICT_FOR_STRONG) : VERDICT_AGAINST_STRONG;
    case 'specific':
      return present ? (capped ? VERDICT_FOR_WEAK : VERDICT_FOR_STRONG) : VERDICT_AGAINST_WEAK;
    case 'supportive':
      return present ? VERDICT_FOR_WEAK : VERDICT_AGAINST_WEAK;
    case 'absent':
      return present ? (capped ? VERDICT_AGAINST_WEAK : VERDICT_AGAINST_STRONG) : VERDICT_FOR_CONSISTENT;
    case 'unexpected':
      return present ? VERDICT_AGAINST_WEAK : VERDICT_NONE;
  }
}

function observation(item: string, present: boolean, observed: string, capped: boolean, text: string): Observation {
  const index = ITEM_INDEX.get(item)!;
  const p = PRESENT_TABLE[index]!;
  return {
    item,
    index,
    present,
    text,
    verdicts: Uint8Array.from(EXPECTATION_TABLE[index]!, (e) => judge(e, present, capped)),
    likelihood: Float64Array.from(p, (q) => (present ? q : 1 - q)),
    findings: deepFreeze(STRENGTHS.map((strength) => ({ item, observed, strength, text }))),
  };
}

/** Marker observations by marker name, then result. Focal staining or MDM2/CDK4 by IHC only is never strong evidence. */
const MARKER_OBSERVATIONS: ReadonlyMap<string, ReadonlyMap<string, Observation>> = new Map(
  MARKER_NAMES.map((name) => {
    const label = MARKERS[name].label;
    const byResult = new Map<string, Observation>();
    for (const result of MARKERS[name].results as readonly string[]) {
      const ihcOnly = (name === 'MDM2' || name === 'CDK4') && result === 'positive';
      const observed = result === 'not_amplified' ? 'not amplified' : result;
      byResult.set(result, observation(`marker:${name}`, PRESENT_RESULTS.has(result), observed, result === 'focal' || ihcOnly, `${label} ${observed}`));
    }
    return [name, byResult];
  }),
);

function imagingObservation(feature: ImagingFeature, present: boolean, observed?: string): Observation {
  const shown = observed ?? (present ? 'yes' : 'no');
  return observation(`imaging:${feature}`, present, shown, false, `${IMAGING_FEATURE_LABELS[feature]}: ${shown}`);
}

/** Yes/no imaging observations, [absent, present] per feature. */
const YES_NO_OBSERVATIONS = {
  macroscopicFat: [imagingObservation('macroscopicFat', false), imagingObservation('macroscopicFat', true)],
  solidComponent: [imagingObservation('solidComponent', false), imagingObservation('solidComponent', true)],
  hypervascular: [imagingObservation('hypervascular', false), imagingObservation('hypervascular', true)],
} as const;

function originObservation(feature: ImagingFeature, present: boolean, id: string): Observation {
  return imagingObservation(feature, present, `${present ? 'yes' : 'no'} (${id})`);
}

/** Origin observations by organ id (closed vocabulary). */
const VEIN_ORIGIN_OBSERVATIONS: ReadonlyMap<string, Observation> = new Map(
  ORGAN_IDS.map((id) => [id, originObservation('veinOrigin', LARGE_VEINS.includes(id), id)]),
);
const ORGAN_ORIGIN_OBSERVATIONS: ReadonlyMap<string, readonly [Observation, Observation]> = new Map(
  ORGAN_IDS.map((id) => [id, [originObservation('kidneyOrigin', id.startsWith('kidney_'), id), originObservation('adrenalOrigin', id.startsWith('adrenal_'), id)] as const]),
);

function imagingObservations(c: Case, out: Observation[]): void {
  const im = c.tumor.imaging;
  if (!im) return;
  if (im.macroscopicFat !== undefined) out.push(YES_NO_OBSERVATIONS.macroscopicFat[im.macroscopicFat ? 1 : 0]);
  if (im.solidComponent !== undefined) out.push(YES_NO_OBSERVATIONS.solidComponent[im.solidComponent ? 1 : 0]);
  if (im.hypervascular !== undefined) out.push(YES_NO_OBSERVATIONS.hypervascular[im.hypervascular ? 1 : 0]);
  if (im.vesselOrigin !== undefined) out.push(VEIN_ORIGIN_OBSERVATIONS.get(im.vesselOrigin)!);
  if (im.organOfOrigin !== undefined) {
    const [kidney, adrenal] = ORGAN_ORIGIN_OBSERVATIONS.get(im.organOfOrigin)!;
    out.push(kidney, adrenal);
  }
}

function markerObservations(c: Case, out: Observation[]): void {
  const markers = c.pathology.markers;
  if (!markers) return;
  for (const name in markers) {
    const result = markers[name as MarkerName];
    if (result === undefined) continue;
    out.push(MARKER_OBSERVATIONS.get(name)!.get(result)!);
  }
}

/**
 * Scores one profile against the observations: its weight (prior × likelihood) and status code (STATUS_CODES).
 * An excluded candidate keeps its evidence for and its decisive (strong) findings against; the weaker findings
 * against it and the merely consistent ones change nothing and are left out (see `findingsOf`).
 */
function assess(index: number, observations: readonly Observation[], weights: number[]): number {
  let weight = PROFILE_PRIOR[index]!;
  let strongAgainst = false;
  let strongFor = 0;
  let weakFor = 0;
  for (let k = 0; k < observations.length; k++) {
    const obs = observations[k]!;
    weight *= obs.likelihood[index]!;
    const verdict = obs.verdicts[index];
    if (verdict === VERDICT_FOR_STRONG) strongFor++;
    else if (verdict === VERDICT_FOR_WEAK) weakFor++;
    else if (verdict === VERDICT_AGAINST_STRONG) strongAgainst = true;
  }
  weights.push(weight);
  return strongAgainst ? 2 : strongFor >= 1 || weakFor >= 2 ? 0 : 1;
}

const STATUS_CODES: readonly DifferentialStatus[] = ['supported', 'possible', 'excluded'];

/** The differential entry of a profile: its findings in observation order; an excluded one keeps only the decisive ones. */
function entryOf(index: number, observations: readonly Observation[], status: number, weight: number): DifferentialEntry {
  const excluded = status === 2;
  const findingsFor: Finding[] = [];
  const findingsAgainst: Finding[] = [];
  for (let k = 0; k < observations.length; k++) {
    const obs = observations[k]!;
    switch (obs.verdicts[index]) {
      case VERDICT_FOR_STRONG:
        findingsFor.push(obs.findings[0]!);
        break;
      case VERDICT_FOR_WEAK:
        findingsFor.push(obs.findings[1]!);
        break;
      case VERDICT_FOR_CONSISTENT:
        if (!excluded) findingsFor.push(obs.findings[2]!);
        break;
      case VERDICT_AGAINST_STRONG:
        findingsAgainst.push(obs.findings[0]!);
        break;
      case VERDICT_AGAINST_WEAK:
        if (!excluded) findingsAgainst.push(obs.findings[1]!);
        break;
    }
  }
  const h = PROFILE_HISTOLOGY[index]!;
  const profile = MARKER_PROFILES[index]!;
  return {
    code: profile.code,
    name: h.name,
    category: h.category,
    status: STATUS_CODES[status]!,
    findingsFor,
    findingsAgainst,
    weight,
    evidence: profile.evidence,
    sources: profile.sources as SourceId[],
  };
}

/**
 * The differential, supported first, then possible, then excluded, each by plausibility; weights normalised to 4 decimals.
 * `order` receives the profile index of each entry.
 */
function differentialOf(observations: readonly Observation[], order: number[]): DifferentialEntry[] {
  const rank: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < PROFILE_COUNT; i++) {
    rank.push(assess(i, observations, weights));
    // Stable insertion by (status, weight descending): the list is short.
    let k = order.length;
    order.push(i);
    while (k > 0 && (rank[order[k - 1]!]! > rank[i]! || (rank[order[k - 1]!] === rank[i] && weights[order[k - 1]!]! < weights[i]!))) {
      order[k] = order[k - 1]!;
      k--;
    }
    order[k] = i;
  }
  let total = 0;
  for (let k = 0; k < PROFILE_COUNT; k++) total += weights[order[k]!]!;
  const out: DifferentialEntry[] = [];
  for (let k = 0; k < PROFILE_COUNT; k++) {
    const i = order[k]!;
    out.push(entryOf(i, observations, rank[i]!, Math.round((weights[i]! / total) * 10000) / 10000));
  }
  return out;
}

function binaryEntropy(p: number): number {
  return p <= 0 || p >= 1 ? 0 : -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
}

/** H(present | candidate) by item, then profile: the uncertainty a test leaves for a candidate it is run on. */
const CONDITIONAL_ENTROPY: readonly Float64Array[] = PRESENT_TABLE.map((row) => Float64Array.from(row, binaryEntropy));

/** By item: whether any two profiles expect it differently (a test no profile tells apart cannot separate candidates). */
const DISCRIMINATING: readonly boolean[] = PRESENT_TABLE.map((row) => row.some((q) => q !== row[0]));

/**
 * Expected information gain of observing `item` over the candidates (probabilities `p`, profile indices `idx`):
 * the mutual information H(result) − Σ p·H(result | candidate), which equals the expected drop in entropy
 * over the candidates.
 */
function informationGain(idx: readonly number[], p: readonly number[], item: number): number {
  if (!DISCRIMINATING[item]) return 0;
  const q = PRESENT_TABLE[item]!;
  const h = CONDITIONAL_ENTROPY[item]!;
  const n = idx.length;
  let pPresent = 0;
  let conditional = 0;
  // A test every candidate expects equally (e.g. uninformative for all) cannot separate them.
  let informative = false;
  const q0 = q[idx[0]!]!;
  for (let i = 0; i < n; i++) {
    const j = idx[i]!;
    const qi = q[j]!;
    if (qi !== q0) informative = true;
    pPresent += p[i]! * qi;
    conditional += p[i]! * h[j]!;
  }
  return informative ? binaryEntropy(pPresent) - conditional : 0;
}

const MARKER_TEST_NAMES: Partial<Record<MarkerName, string>> = {
  MDM2: 'MDM2 amplification (FISH)',
  CDK4: 'CDK4 amplification (FISH)',
  H3K27me3: 'H3K27me3 immunohistochemistry',
};

const IMAGING_TEST_NAMES: Record<ImagingFeature, string> = {
  macroscopicFat: 'contrast CT or MRI: macroscopic fat?',
  solidComponent: 'contrast CT or MRI: solid non-fatty nodule within the mass?',
  hypervascular: 'contrast CT or MRI: is the mass hypervascular?',
  veinOrigin: 'contrast CT or MRI: does it arise from the IVC or another large vein?',
  kidneyOrigin: 'contrast CT or MRI: does it arise from the kidney (parenchymal defect, "claw")?',
  adrenalOrigin: 'contrast CT or MRI: does it arise from the adrenal gland?',
};

/** Test name and kind by item index. */
const ITEM_TESTS: readonly { readonly kind: 'marker' | 'imaging'; readonly test: string }[] = ITEMS.map((item) => {
  const [kind, key] = item.split(':') as ['marker' | 'imaging', string];
  return {
    kind,
    test: kind === 'marker' ? MARKER_TEST_NAMES[key as MarkerName] ?? `${MARKERS[key as MarkerName].label} immunohistochemistry` : IMAGING_TEST_NAMES[key as ImagingFeature],
  };
});

/** "Expected in …; not in …": which of the ranked candidates expect the test's result. */
function whyPrefix(item: number, idx: readonly number[]): string {
  const q = PRESENT_TABLE[item]!;
  let expectingIt = '';
  let notExpecting = '';
  let notCount = 0;
  // Candidates are ranked by weight, so the first three not expecting it are the likeliest.
  for (let i = 0; i < idx.length; i++) {
    const qi = q[idx[i]!]!;
    if (qi > 0.5) expectingIt += (expectingIt === '' ? '' : ', ') + PROFILE_HISTOLOGY[idx[i]!]!.name;
    else if (qi < 0.5 && notCount < 3) {
      notExpecting += (notCount === 0 ? '' : ', ') + PROFILE_HISTOLOGY[idx[i]!]!.name;
      notCount++;
    }
  }
  return `Expected in ${expectingIt || 'none of the remaining candidates'}` + (notCount ? `; not in ${notExpecting}` : '');
}

function rankedTests(differential: readonly DifferentialEntry[], order: readonly number[], observations: readonly Observation[]): NextTest[] {
  // Candidates with a negligible share (< 0.01 %) cannot change the ranking; leaving them out keeps this cheap.
  let total = 0;
  for (const d of differential) if (d.status !== 'excluded') total += d.weight;
  // By weight, descending; stable insertion (the list is short).
  const remaining: number[] = [];
  for (let k = 0; k < differential.length; k++) {
    const d = differential[k]!;
    if (d.status === 'excluded' || d.weight < total * 1e-4) continue;
    let j = remaining.length;
    remaining.push(k);
    while (j > 0 && differential[remaining[j - 1]!]!.weight < d.weight) {
      remaining[j] = remaining[j - 1]!;
      j--;
    }
    remaining[j] = k;
  }
  const n = remaining.length;
  if (n < 2) return [];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += differential[remaining[i]!]!.weight;
  const ps: number[] = [];
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    ps.push(sum > 0 ? differential[remaining[i]!]!.weight / sum : 1 / n);
    idx.push(order[remaining[i]!]!);
  }
  const observed: boolean[] = [];
  for (let i = 0; i < ITEMS.length; i++) observed.push(false);
  for (const o of observations) observed[o.index] = true;
  const gains: number[] = [];
  const candidates: number[] = [];
  for (let i = 0; i < ITEMS.length; i++) {
    const gain = observed[i] ? 0 : informationGain(idx, ps, i);
    gains.push(gain);
    if (gain >= 0.02) candidates.push(i);
  }
  if (candidates.length === 0) return [];
  // Gains equal up to floating-point noise (e.g. two defining markers of equally likely candidates) are ties: table order decides.
  sortByGain(candidates, gains);
  // Wording only for the tests shown.
  const shown = Math.min(candidates.length, 6);
  const tests: NextTest[] = [];
  for (let k = 0; k < shown; k++) {
    const index = candidates[k]!;
    const gain = gains[index]!;
    const prefix = whyPrefix(index, idx);
    const { kind, test } = ITEM_TESTS[index]!;
    tests.push({
      id: ITEMS[index]!,
      test,
      kind,
      informationGainBits: Math.round(gain * 1000) / 1000,
      why: `${prefix} — separates the remaining candidates (expected gain ${gain.toFixed(2)} bits, weighted by prevalence, REFERENCE §3.2).`,
    });
  }
  return tests;
}

function byGainThenIndex(gains: readonly number[], a: number, b: number): number {
  return Math.abs(gains[b]! - gains[a]!) > 1e-9 ? gains[b]! - gains[a]! : a - b;
}

/**
 * Sorts item indices (ascending on entry) by `byGainThenIndex`. When no two gains differ by a non-zero amount
 * within the 1e-9 tie window, that order is total (gain descending, then index), so a stable insertion sort
 * gives the one result; otherwise the built-in sort with the same comparison decides.
 */
function sortByGain(items: number[], gains: readonly number[]): void {
  for (let k = 1; k < items.length; k++) {
    const item = items[k]!;
    const g = gains[item]!;
    let j = k;
    while (j > 0 && gains[items[j - 1]!]! < g) {
      items[j] = items[j - 1]!;
      j--;
    }
    items[j] = item;
  }
  for (let k = 1; k < items.length; k++) {
    const d = gains[items[k - 1]!]! - gains[items[k]!]!;
    if (d > 0 && d <= 1e-9) {
      items.sort((a, b) => a - b);
      items.sort((a, b) => byGainThenIndex(gains, a, b));
      return;
    }
  }
}

/** Histologies a pathologist may record that map onto one or more profiles. */
const HISTOLOGY_PROFILES: Readonly<Record<string, readonly string[]>> = {
  '8850/3': ['8851/3', '8858/3'],
  '8815/3': ['8815/1'],
  '8891/3': ['8890/3'],
  '8896/3': ['8890/3'],
};

/** Histologies that are not MDM2-amplified: an amplified one is WD/DD-LPS (REFERENCE §3.2 [V] PATHOLOGYOUTLINES). */
const NOT_MDM2_AMPLIFIED = new Set(['8802/3', '8800/3', '8805/3', '8852/3', '8854/3', '8890/3', '8891/3', '8896/3']);
/** Pleomorphic / undifferentiated histologies in which MDM2 must be tested (REFERENCE §3.2 [V]). */
const MDM2_MUST_BE_TESTED = new Set(['8802/3', '8800/3', '8805/3', '8854/3']);

function histologyWarnings(given: HistologyDefinition, differential: readonly DifferentialEntry[], c: Case, warnings: EngineWarning[]): void {
  const mdm2 = c.pathology.markers?.MDM2;
  if (NOT_MDM2_AMPLIFIED.has(given.code) && (mdm2 === 'amplified' || mdm2 === 'positive')) {
    warnings.push({
      code: 'histology-mdm2-amplified',
      path: 'pathology.markers.MDM2',
      message:
        given.family === 'ups' || given.family === 'sarcoma_nos'
          ? `MDM2 is ${mdm2} in a retroperitoneal ${given.name}: this is dedifferentiated liposarcoma (8858/3) — ask the pathologist to review.`
          : `MDM2 is ${mdm2}, which ${given.name} is not: consider well-differentiated or dedifferentiated liposarcoma — ask the pathologist to review.`,
      sources: ['PATHOLOGYOUTLINES'],
      evidence: 'verified',
    });
    return;
  }
  const own = HISTOLOGY_PROFILES[given.code];
  let ownCount = 0;
  let ownExcluded = true;
  for (const d of differential) {
    if (own === undefined ? d.code !== given.code : !own.includes(d.code)) continue;
    ownCount++;
    if (d.status !== 'excluded') {
      ownExcluded = false;
      break;
    }
  }
  if (ownCount > 0 && ownExcluded) {
    const against: string[] = [];
    for (const d of differential) {
      if (own === undefined ? d.code !== given.code : !own.includes(d.code)) continue;
      for (const f of d.findingsAgainst) if (f.strength === 'strong') against.push(f.text);
    }
    warnings.push({
      code: 'histology-contradicted',
      path: 'pathology.histology',
      message: `The findings contradict the recorded histology ${given.name} (${given.code}): ${[...new Set(against)].join('; ')}. Please review the pathology.`,
      sources: ['SEED'],
      evidence: 'consensus',
    });
  }
  let otherCategory = '';
  for (const d of differential) {
    if (d.status !== 'supported' || d.category === given.category) continue;
    otherCategory += (otherCategory === '' ? '' : ', ') + d.name + ' (' + d.category + ')';
  }
  if (otherCategory !== '') {
    warnings.push({
      code: 'histology-other-category-supported',
      path: 'pathology.histology',
      message: `The recorded histology is ${given.name} (${given.category}), but the findings support ${otherCategory}. Please review the pathology.`,
      sources: ['SEED'],
      evidence: 'consensus',
    });
  }
}

function countFor(d: DifferentialEntry, strength: Finding['strength']): number {
  let n = 0;
  for (const f of d.findingsFor) if (f.strength === strength) n++;
  return n;
}

function asLeading(code: string): LeadingDiagnosis {
  const h = histologyByCode(code)!;
  return { code: h.code, name: h.name, category: h.category, basis: 'findings' };
}

/** Leading diagnosis from findings only: one clearly ahead, or the family/category all survivors share. */
function leadingFromFindings(differential: readonly DifferentialEntry[], reasons: string[]): LeadingDiagnosis | null {
  // The differential lists supported candidates first, by weight (rounding keeps that order).
  const supported: DifferentialEntry[] = [];
  let allSarcoma = true;
  for (const d of differential) {
    if (d.status === 'supported') supported.push(d);
    if (d.status !== 'excluded' && d.category !== 'sarcoma') allSarcoma = false;
  }
  const top = supported[0];
  // Enough to name a diagnosis without pathology: one strong finding, or three typical ones (e.g. the smooth-muscle triad).
  const enough = top !== undefined && (countFor(top, 'strong') >= 1 || countFor(top, 'weak') >= 3);
  // "Clearly ahead": every other supported candidate is 3 times less likely, or has more findings against it.
  const rivals = top ? supported.slice(1).filter((d) => d.weight * 3 >= top.weight && d.findingsAgainst.length <= top.findingsAgainst.length) : [];
  if (top && !enough) {
    reasons.push(`${top.name} is supported by ${top.findingsFor.filter((f) => f.strength === 'weak').map((f) => f.text).join('; ')} — not enough to name the diagnosis without pathology.`);
  }
  if (top && enough && rivals.length === 0) {
    reasons.push(`Leading diagnosis from the findings: ${top.name} — ${top.findingsFor.filter((f) => f.strength !== 'consistent').map((f) => f.text).join('; ')}.`);
    return asLeading(top.code);
  }
  if (enough && supported.length > 1 && supported.every((d) => d.code === '8851/3' || d.code === '8858/3')) {
    reasons.push('MDM2 amplification points to liposarcoma; whether it is well-differentiated or dedifferentiated needs the imaging (fat only vs a solid non-fatty component) or the resection specimen.');
    return asLeading('8850/3');
  }
  if (enough && allSarcoma) {
    reasons.push(`Every non-sarcoma candidate is excluded; the sarcoma subtype is not yet settled (${supported.map((d) => d.name).join(', ')}).`);
    return asLeading('8800/3');
  }
  if (supported.length > 1) reasons.push(`The findings support more than one diagnosis (${supported.map((d) => d.name).join(', ')}): no leading diagnosis.`);
  else reasons.push('The findings do not point to one diagnosis yet.');
  return null;
}

/** Whether a profile of the histology `code` (itself, or those it maps onto) is supported. */
function ownSupported(code: string, differential: readonly DifferentialEntry[]): boolean {
  const own = HISTOLOGY_PROFILES[code];
  for (const d of differential) if (d.status === 'supported' && (own === undefined ? d.code === code : own.includes(d.code))) return true;
  return false;
}

function statusOf(differential: readonly DifferentialEntry[], code: string): DifferentialStatus | undefined {
  for (const d of differential) if (d.code === code) return d.status;
  return undefined;
}

const METANEPHRINES_MESSAGE =
  ': measure plasma or urine metanephrines before any biopsy or surgery — 70 % of biopsied paragangliomas had complications, 90 % without prior biochemistry.';

/** Metanephrines before any biopsy or surgery of a possible paraganglioma (REFERENCE §3.1 [V] VANDERVEEN-2009); by [imaging, no pathology]. */
const METANEPHRINES_FLAGS = deepFreeze(
  ['', ' (hypervascular para-aortic/adrenal mass)', ' (hypervascular mass)'].map((where) =>
    [false, true].map(
      (noPathology): RedFlag => ({
        id: 'metanephrines-before-biopsy',
        message: 'Possible paraganglioma' + where + METANEPHRINES_MESSAGE + (noPathology ? ' This applies now, before any pathology is obtained.' : ''),
        evidence: 'verified',
        sources: ['VANDERVEEN-2009'],
      }),
    ),
  ),
);

/** Germ-cell tumour: serum AFP and β-hCG, testicular ultrasound (REFERENCE §3.1 [C]). */
const GERM_CELL_FLAG: RedFlag = deepFreeze({
  id: 'germ-cell-markers',
  message: 'Possible germ-cell tumour: serum AFP and β-hCG and a testicular ultrasound; its treatment is chemotherapy, not resection.',
  evidence: 'consensus',
  sources: ['SEED'],
});

/** Lymphoma is treated without resection (REFERENCE §3.1, §4 [C]). */
const LYMPHOMA_FLAG: RedFlag = deepFreeze({
  id: 'lymphoma-no-resection',
  message: 'Lymphoma is supported: do not resect — its treatment is not surgery; refer to haematology.',
  evidence: 'consensus',
  sources: ['SEED'],
});

/** MDM2 must be tested in a retroperitoneal pleomorphic/undifferentiated sarcoma (REFERENCE §3.2 [V]); by histology code. */
const MDM2_UNTESTED_FLAGS: ReadonlyMap<string, RedFlag> = new Map(
  [...MDM2_MUST_BE_TESTED].map((code) => [
    code,
    deepFreeze({
      id: 'mdm2-untested-pleomorphic',
      message: `MDM2 has not been tested in this retroperitoneal ${histologyByCode(code)!.name}: test MDM2 amplification (FISH) — if amplified it is dedifferentiated liposarcoma, which changes strategy and follow-up.`,
      evidence: 'verified',
      sources: ['PATHOLOGYOUTLINES'],
    } satisfies RedFlag),
  ]),
);

/**
 * A sarcoma not yet operated on: the pseudocapsule is not a margin — never shell it out, never
 * debulk piecemeal (SEED; en bloc resection is the STRASS surgical standard, REFERENCE §5 [V]).
 */
const NO_SHELL_OUT_FLAG: RedFlag = deepFreeze({
  id: 'no-shell-out-or-piecemeal',
  message:
    'Sarcoma not yet resected: do not shell it out along the pseudocapsule or debulk it piecemeal — plan one en bloc resection with the contiguous organs, at a sarcoma centre.',
  evidence: 'verified',
  sources: ['SEED', 'STRASS'],
});

/** Lymphoma and germ-cell tumour must be excluded before resection (REFERENCE §3.1 [C]); by leading diagnosis name ('' = none). */
const EXCLUDE_LYMPHOMA_GERM_CELL_FLAGS = new BoundedMemo<string, RedFlag>(256);
function excludeLymphomaGermCellFlag(leadingName: string): RedFlag {
  return EXCLUDE_LYMPHOMA_GERM_CELL_FLAGS.get(leadingName, (name) =>
    deepFreeze({
      id: 'exclude-lymphoma-germ-cell',
      message: `${name === '' ? 'No diagnosis yet' : `${name} is inferred, not confirmed by pathology`}: lymphoma and germ-cell tumour must be excluded before any resection — their treatment is not surgery.`,
      evidence: 'consensus',
      sources: ['SEED'],
    }),
  );
}

function contactsAortaOrAdrenal(contacts: readonly string[] | undefined): boolean {
  if (contacts === undefined) return false;
  for (const o of contacts) if (o === 'aorta' || o.startsWith('adrenal_')) return true;
  return false;
}

function hasFlag(flags: readonly RedFlag[], id: string): boolean {
  for (const f of flags) if (f.id === id) return true;
  return false;
}

function redFlagsFor(c: Case, differential: readonly DifferentialEntry[], leading: LeadingDiagnosis | null): RedFlag[] {
  const flags: RedFlag[] = [];
  const im = c.tumor.imaging ?? {};
  const noPathology = c.pathology.histology === undefined && c.pathology.markers === undefined;

  // Metanephrines before any biopsy or surgery of a possible paraganglioma (REFERENCE §3.1 [V] VANDERVEEN-2009).
  const adrenalOrigin = im.organOfOrigin?.startsWith('adrenal_') === true;
  const pglStatus = statusOf(differential, '8693/3');
  const pglSuspected = leading?.category === 'paraganglioma' || pglStatus === 'supported' || (pglStatus !== 'excluded' && (im.hypervascular === true || adrenalOrigin));
  if (pglSuspected) {
    const adrenalOrParaAortic = adrenalOrigin || contactsAortaOrAdrenal(c.tumor.contacts) || im.vesselOrigin === 'aorta';
    const where = im.hypervascular && adrenalOrParaAortic ? 1 : im.hypervascular ? 2 : 0;
    flags.push(METANEPHRINES_FLAGS[where]![noPathology ? 1 : 0]!);
  }
  // Germ-cell tumour: serum AFP and β-hCG, testicular ultrasound (REFERENCE §3.1 [C]).
  const germCellStatus = statusOf(differential, '9064/3');
  if (leading?.category === 'germ_cell' || germCellStatus === 'supported') flags.push(GERM_CELL_FLAG);
  // Lymphoma is treated without resection (REFERENCE §3.1, §4 [C]).
  const lymphomaStatus = statusOf(differential, '9590/3');
  if (leading?.category === 'lymphoma' || lymphomaStatus === 'supported') flags.push(LYMPHOMA_FLAG);
  // MDM2 must be tested in a retroperitoneal pleomorphic/undifferentiated sarcoma (REFERENCE §3.2 [V]).
  const code = c.pathology.histology;
  if (code !== undefined && c.pathology.markers?.MDM2 === undefined) {
    const flag = MDM2_UNTESTED_FLAGS.get(code);
    if (flag) flags.push(flag);
  }
  // Lymphoma and germ-cell tumour must be excluded before resection (REFERENCE §3.1 [C]).
  const unconfirmed = leading === null || (leading.basis === 'findings' && leading.category === 'sarcoma');
  if (unconfirmed && (lymphomaStatus === 'possible' || germCellStatus === 'possible')) {
    flags.push(excludeLymphomaGermCellFlag(leading === null ? '' : leading.name));
  }
  // The pseudocapsule is not a margin: en bloc, never shelled out or piecemeal (SEED; STRASS [V]).
  if (leading?.category === 'sarcoma' && c.surgery?.margin === undefined) flags.push(NO_SHELL_OUT_FLAG);
  return flags;
}

const SAFETY_TESTS = deepFreeze({
  metanephrines: { id: 'biochemistry:metanephrines', test: 'plasma or urine metanephrines', kind: 'biochemistry', informationGainBits: null, why: 'Rules out a functioning paraganglioma before any biopsy or surgery (REFERENCE §3.1, Vanderveen 2009).' },
  afpHcg: { id: 'biochemistry:afp-hcg', test: 'serum AFP and β-hCG', kind: 'biochemistry', informationGainBits: null, why: 'Germ-cell tumour markers (REFERENCE §3.1 [C]).' },
  testicularUltrasound: { id: 'imaging:testicular-ultrasound', test: 'testicular ultrasound', kind: 'imaging', informationGainBits: null, why: 'Looks for a testicular primary of a germ-cell tumour (REFERENCE §3.1 [C]).' },
  /** [first, after the biochemistry above] */
  coreNeedle: ['', ' Only after the biochemistry above.'].map((after) => ({
    id: 'biopsy:core-needle',
    test: 'image-guided percutaneous core-needle biopsy (retroperitoneal approach)',
    kind: 'biopsy',
    informationGainBits: null,
    why: 'Markers need tissue; core biopsy does not raise local recurrence; no open/laparoscopic biopsy, FNA is not adequate (REFERENCE §3.1).' + after,
  })),
  stagingCt: { id: 'imaging:staging-ct', test: 'CT of chest, abdomen and pelvis', kind: 'imaging', informationGainBits: null, why: 'Staging: distant metastasis not recorded (REFERENCE §3.1 [V]).' },
} satisfies Record<string, NextTest | NextTest[]>);

function safetyTests(c: Case, flags: readonly RedFlag[], hasTissue: boolean, leading: LeadingDiagnosis | null): NextTest[] {
  const tests: NextTest[] = [];
  if (hasFlag(flags, 'metanephrines-before-biopsy')) tests.push(SAFETY_TESTS.metanephrines);
  if (hasFlag(flags, 'germ-cell-markers')) tests.push(SAFETY_TESTS.afpHcg, SAFETY_TESTS.testicularUltrasound);
  if (!hasTissue && (leading === null || leading.basis === 'findings')) tests.push(SAFETY_TESTS.coreNeedle[tests.length > 0 ? 1 : 0]!);
  if (c.tumor.metastasis === undefined) tests.push(SAFETY_TESTS.stagingCt);
  return tests;
}

function addSources(into: SourceId[], list: readonly SourceId[]): void {
  for (const id of list) if (!into.includes(id)) into.push(id);
}

function diagnosisSources(differential: readonly DifferentialEntry[], flags: readonly RedFlag[], warnings: readonly EngineWarning[]): SourceId[] {
  const out: SourceId[] = ['SEED'];
  for (const d of differential) if (d.status !== 'excluded') addSources(out, d.sources);
  for (const f of flags) addSources(out, f.sources);
  for (const w of warnings) addSources(out, w.sources);
  return out;
}

/** Diagnosis and differential of the mass (REFERENCE.md §3). */
export function diagnose(c: Case): DiagnosisResult {
  const reasons: string[] = [];
  const warnings: EngineWarning[] = [];
  const observations: Observation[] = [];
  imagingObservations(c, observations);
  markerObservations(c, observations);
  const order: number[] = [];
  const diff = differentialOf(observations, order);

  if (observations.length === 0) reasons.push('No imaging features or marker results recorded: the differential rests on prevalence alone.');
  else {
    let texts = observations[0]!.text;
    for (let k = 1; k < observations.length; k++) texts += '; ' + observations[k]!.text;
    reasons.push(`Findings considered: ${texts}.`);
  }

  let leading: LeadingDiagnosis | null;
  let isSarcoma: boolean | null;
  const code = c.pathology.histology;
  const given = histologyByCode(code);
  if (code !== undefined) {
    if (given) {
      leading = { code: given.code, name: given.name, category: given.category, basis: 'pathologist' };
      isSarcoma = given.category === 'sarcoma';
      reasons.push(`Histology recorded by the pathologist: ${given.name} (${given.code}), ${given.category === 'sarcoma' ? 'a sarcoma' : `not a sarcoma (${given.category})`}.`);
      histologyWarnings(given, diff, c, warnings);
    } else {
      leading = null;
      isSarcoma = null;
      reasons.push(`Histology ${code} is not in Retroplan's table: diagnosis not determined.`);
      warnings.push({ code: 'histology-unknown', path: 'pathology.histology', message: `Histology ${code} is not in Retroplan's table; sarcoma status not determined.`, sources: ['SEED'] });
    }
  } else {
    leading = leadingFromFindings(diff, reasons);
    isSarcoma = leading ? leading.category === 'sarcoma' : null;
    if (leading) reasons.push('No histology recorded: this diagnosis is inferred from the findings and needs pathological confirmation.');
  }
  const redFlags = redFlagsFor(c, diff, leading);
  const hasTissue = c.pathology.markers !== undefined || c.pathology.histology !== undefined || c.pathology.specimen !== undefined;
  // A pathologist's histology that the findings support needs no further discriminating tests.
  const settled = leading?.basis === 'pathologist' && ownSupported(leading.code, diff);
  if (settled) reasons.push('The findings support the recorded histology: no further discriminating test is needed.');
  const nextTests = safetyTests(c, redFlags, hasTissue, leading);
  if (!settled) for (const test of rankedTests(diff, order, observations)) nextTests.push(test);

  return {
    leading,
    isSarcoma,
    differential: diff,
    nextTests,
    redFlags,
    warnings,
    reasons,
    sources: diagnosisSources(diff, redFlags, warnings),
  };
}

/** The sarcoma status staging needs (AJCC 8 stage groups apply only to sarcomas). */
export function sarcomaStatusFromDiagnosis(d: DiagnosisResult, c: Case): SarcomaStatus {
  if (d.isSarcoma === null) {
    const code = c.pathology.histology;
    if (code !== undefined) return { isSarcoma: null, reason: `histology ${code} is not in Retroplan's table` };
    return { isSarcoma: null, reason: 'no histology recorded and the findings do not establish the diagnosis' };
  }
  const l = d.leading!;
  const how = l.basis === 'pathologist' ? '' : ' (inferred from the findings, not yet confirmed by pathology)';
  return d.isSarcoma
    ? { isSarcoma: true, reason: `${l.name} (${l.code}) is a sarcoma${how}` }
    : { isSarcoma: false, reason: `${l.name} (${l.code}) is not a sarcoma (${l.category})${how}` };
}

/** The histology grading and strategy use: the pathologist's, or the leading diagnosis inferred from findings. */
export function resolvedHistology(d: DiagnosisResult): HistologyDefinition | undefined {
  return d.leading ? histologyByCode(d.leading.code) : undefined;
}

/**
 * The histology grading uses: as `resolvedHistology`, except a "NOS" placeholder inferred from findings
 * (liposarcoma NOS, sarcoma NOS), whose differentiation score would be a guess.
 */
export function histologyForGrading(d: DiagnosisResult): HistologyDefinition | undefined {
  if (d.leading?.basis === 'findings' && (d.leading.code === '8850/3' || d.leading.code === '8800/3')) return undefined;
  return resolvedHistology(d);
}
