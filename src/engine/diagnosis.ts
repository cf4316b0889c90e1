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
  PRIOR_FACTORS,
  markerExpectation,
  type Expectation,
  type ImagingFeature,
  type MarkerProfile,
} from './tables/marker-profiles.ts';
import type { EvidenceLevel, SourceId } from './tables/sources.ts';
import { label, organNameInText } from './vocabulary.ts';

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
  /** The test that tells this candidate from its mimics, when the table names one. */
  readonly discriminatingTest?: string;
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
  /**
   * What the diagnosis rests on: `pathologist` — the recorded histology; `molecular` — MDM2/CDK4
   * amplification (FISH/NGS) without a recorded histology, which confirms liposarcoma (SEED; REFERENCE §3.2 [V]);
   * `findings` — inferred here from imaging and immunohistochemistry.
   */
  readonly basis: 'pathologist' | 'molecular' | 'findings';
  /** `suspected` whenever the basis is `findings`: a suspicion, never a diagnosis (REFERENCE §3.1; SEED "suspicion is not diagnosis"). */
  readonly certainty: 'confirmed' | 'suspected';
  /** For a suspicion: its place in the differential by plausibility (1 = first), null for a family placeholder (liposarcoma NOS, sarcoma NOS) or a confirmed diagnosis. */
  readonly rank: number | null;
  /** For a suspicion: its heuristic weight in the differential (prior × likelihood, normalised; for ordering, not a clinical probability). */
  readonly probability: number | null;
}

/** A diagnosis that must be excluded before a biopsy or resection, because its treatment is not sarcoma surgery (REFERENCE §3.1). */
export interface MustExcludeFirst {
  readonly id: 'paraganglioma' | 'lymphoma' | 'germ-cell';
  readonly message: string;
  /** What must come first: `biopsy` — before any biopsy or surgery (paraganglioma); `resection` — before any resection. */
  readonly before: 'biopsy' | 'resection';
  readonly evidence: EvidenceLevel;
  readonly sources: SourceId[];
}

export interface DiagnosisResult extends Explained {
  readonly leading: LeadingDiagnosis | null;
  readonly isSarcoma: boolean | null;
  readonly differential: DifferentialEntry[];
  readonly nextTests: NextTest[];
  readonly redFlags: RedFlag[];
  /** Diagnoses to exclude before biopsy or resection, as applicable (empty when none). */
  readonly mustExcludeFirst: MustExcludeFirst[];
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
  calcification: [imagingObservation('calcification', false), imagingObservation('calcification', true)],
} as const;

function originObservation(feature: ImagingFeature, present: boolean, id: string): Observation {
  return imagingObservation(feature, present, `${present ? 'yes' : 'no'} (${organNameInText(id)})`);
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
  if (im.calcification !== undefined) out.push(YES_NO_OBSERVATIONS.calcification[im.calcification ? 1 : 0]);
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
function assess(index: number, observations: readonly Observation[], weights: number[], priors: Float64Array): number {
  let weight = priors[index]!;
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
    ...(profile.discriminatingTest === undefined ? {} : { discriminatingTest: profile.discriminatingTest }),
  };
}

/**
 * The differential, supported first, then possible, then excluded, each by plausibility; weights normalised to 4 decimals.
 * `order` receives the profile index of each entry.
 */
function differentialOf(observations: readonly Observation[], order: number[], priors: Float64Array): DifferentialEntry[] {
  const rank: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < PROFILE_COUNT; i++) {
    rank.push(assess(i, observations, weights, priors));
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
  calcification: 'CT: calcification within the mass?',
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
    otherCategory += (otherCategory === '' ? '' : ', ') + d.name + ' (' + label('category', d.category) + ')';
  }
  if (otherCategory !== '') {
    warnings.push({
      code: 'histology-other-category-supported',
      path: 'pathology.histology',
      message: `The recorded histology is ${given.name} (${label('category', given.category)}), but the findings support ${otherCategory}. Please review the pathology.`,
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

const LIPOSARCOMA_CODES: readonly string[] = ['8851/3', '8858/3', '8850/3'];

/**
 * A leading diagnosis drawn from the findings. MDM2/CDK4 amplification (FISH/NGS — not IHC) confirms a
 * liposarcoma (SEED; REFERENCE §3.2 [V]): basis `molecular`, confirmed. Anything else is a suspicion,
 * with its rank and heuristic weight in the differential.
 */
function asLeading(code: string, differential: readonly DifferentialEntry[], c: Case): LeadingDiagnosis {
  const h = histologyByCode(code)!;
  const m = c.pathology.markers;
  if (LIPOSARCOMA_CODES.includes(code) && (m?.MDM2 === 'amplified' || m?.CDK4 === 'amplified')) {
    return { code: h.code, name: h.name, category: h.category, basis: 'molecular', certainty: 'confirmed', rank: null, probability: null };
  }
  let rank: number | null = null;
  let probability = 0;
  const members = code === '8850/3' ? ['8851/3', '8858/3'] : null;
  for (let k = 0; k < differential.length; k++) {
    const d = differential[k]!;
    if (d.code === code) {
      rank = k + 1;
      probability = d.weight;
    } else if (d.status !== 'excluded' && (members ? members.includes(d.code) : code === '8800/3' && d.category === 'sarcoma')) probability += d.weight;
  }
  return { code: h.code, name: h.name, category: h.category, basis: 'findings', certainty: 'suspected', rank, probability: Math.round(probability * 10000) / 10000 };
}

/** Leading diagnosis from findings only: one clearly ahead, or the family/category all survivors share. */
function leadingFromFindings(differential: readonly DifferentialEntry[], reasons: string[], c: Case): LeadingDiagnosis | null {
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
    reasons.push(`Leading suspicion from the findings: ${top.name} — ${top.findingsFor.filter((f) => f.strength !== 'consistent').map((f) => f.text).join('; ')}.`);
    return asLeading(top.code, differential, c);
  }
  if (enough && supported.length > 1 && supported.every((d) => d.code === '8851/3' || d.code === '8858/3')) {
    reasons.push('MDM2 amplification points to liposarcoma; whether it is well-differentiated or dedifferentiated needs the imaging (fat only vs a solid non-fatty component) or the resection specimen.');
    return asLeading('8850/3', differential, c);
  }
  if (enough && allSarcoma) {
    reasons.push(`Every non-sarcoma candidate is excluded; the sarcoma subtype is not yet settled (${supported.map((d) => d.name).join(', ')}).`);
    return asLeading('8800/3', differential, c);
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

/** Whether the patient has already had tissue taken: a recorded biopsy, or a pathology result. */
export function alreadyBiopsied(c: Case): boolean {
  if (c.pathology.histology !== undefined || c.pathology.markers !== undefined || c.pathology.specimen !== undefined) return true;
  for (const h of c.history ?? []) if (h.kind === 'biopsy') return true;
  return false;
}

/** Whether the patient's sex makes a testicular ultrasound meaningful: never for a female patient. */
type TestisStatus = 'male' | 'unknown' | 'female';
function testisStatus(c: Case): TestisStatus {
  const sex = c.patient.sex;
  return sex === 'male' ? 'male' : sex === 'female' ? 'female' : 'unknown';
}

/** A man aged 15–49 (PRIOR_FACTORS 'young-man'): germ-cell tumour raised in the differential, germ-cell work-up asked for. */
function youngMan(c: Case): boolean {
  const f = PRIOR_FACTORS[0]!;
  const age = c.patient.ageYears;
  return c.patient.sex === f.sex && age !== undefined && age >= f.minAgeYears && age < f.maxAgeYears;
}

/** Prior weights for this patient: the table's, changed by patient features (ordering only). */
function priorsFor(c: Case): Float64Array {
  if (!youngMan(c)) return PROFILE_PRIOR;
  const priors = Float64Array.from(PROFILE_PRIOR);
  const factors = PRIOR_FACTORS[0]!.factors;
  for (let i = 0; i < PROFILE_COUNT; i++) priors[i]! *= factors[MARKER_PROFILES[i]!.code] ?? 1;
  return priors;
}

const FLAG_MEMO = new BoundedMemo<string, RedFlag>(256);
/** Flags are shared between evaluations: one frozen object per wording. */
function sharedFlag(flag: RedFlag): RedFlag {
  return FLAG_MEMO.get(flag.id + '\u0000' + flag.message, () => deepFreeze(flag));
}

/**
 * Metanephrines before any biopsy or surgery of a possible paraganglioma (REFERENCE §3.1 [V] VANDERVEEN-2009).
 * An adrenal mass gets them whatever a core biopsy's chromogranin shows (a negative core does not exclude a
 * phaeochromocytoma; expert review, issue 10).
 */
function metanephrinesFlag(where: string, biopsied: boolean, raised: boolean): RedFlag {
  const when = biopsied ? 'before any further biopsy and before surgery' : 'before any biopsy or surgery';
  const message = raised
    ? `Metanephrines are raised: functioning paraganglioma/phaeochromocytoma${where} — no biopsy; endocrine work-up and α-blockade before any surgery.`
    : `Possible paraganglioma${where}: measure plasma or urine metanephrines ${when} — 70 % of biopsied paragangliomas had complications, 90 % without prior biochemistry.` +
      (biopsied ? '' : ' This applies now, before any pathology is obtained.');
  return sharedFlag({ id: 'metanephrines-before-biopsy', message, evidence: 'verified', sources: ['VANDERVEEN-2009'] });
}

/** Germ-cell tumour: serum AFP and β-hCG, and a testicular ultrasound — never for a female patient (REFERENCE §3.1 [C]). */
function germCellFlag(testis: TestisStatus, young: boolean): RedFlag {
  const us = testis === 'male' ? ' and a testicular ultrasound' : testis === 'unknown' ? ' (and a testicular ultrasound if the patient has testes; sex not recorded)' : '';
  return sharedFlag({
    id: 'germ-cell-markers',
    message: `Possible germ-cell tumour${young ? ' (a young man)' : ''}: serum AFP and β-hCG${us}; its treatment is chemotherapy, not resection.`,
    evidence: 'consensus',
    sources: young ? ['SEED', 'EXPERT-REVIEW'] : ['SEED'],
  });
}

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
 * Raised only before any resection: after one (R0, R1 or R2, here or elsewhere) the pathway decides.
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
      message: `${name === '' ? 'No diagnosis yet' : `${name} is suspected, not confirmed by pathology`}: lymphoma and germ-cell tumour must be excluded before any resection — their treatment is not surgery.`,
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

/** Whether any resection (complete or not, here or elsewhere) is recorded; an exploration removes nothing. */
export function alreadyResected(c: Case): boolean {
  if (c.surgery?.margin !== undefined) return true;
  for (const h of c.history ?? []) if (h.kind === 'surgery' && h.resectionType !== 'exploratory') return true;
  return false;
}

/** What the diagnosis rules need to know about the paraganglioma question (REFERENCE §3.1 [V] VANDERVEEN-2009). */
function paragangliomaSuspected(c: Case, differential: readonly DifferentialEntry[], leading: LeadingDiagnosis | null): boolean {
  if (c.workup?.metanephrines === 'normal') return false;
  if (c.workup?.metanephrines === 'raised') return true;
  const im = c.tumor.imaging ?? {};
  // An adrenal mass: metanephrines whatever the core's chromogranin (issue 10 expert review).
  if (im.organOfOrigin?.startsWith('adrenal_') === true) return true;
  const pglStatus = statusOf(differential, '8693/3');
  return leading?.category === 'paraganglioma' || pglStatus === 'supported' || (pglStatus !== 'excluded' && im.hypervascular === true);
}

interface Work {
  readonly unconfirmed: boolean;
  readonly biopsied: boolean;
  readonly pgl: boolean;
  readonly lymphomaOpen: boolean;
  readonly germCellOpen: boolean;
}

function workOf(c: Case, differential: readonly DifferentialEntry[], leading: LeadingDiagnosis | null): Work {
  const unconfirmed = leading === null || leading.certainty === 'suspected';
  const germ = statusOf(differential, '9064/3');
  const afpDone = c.workup?.afpHcg === 'normal';
  const usDone = testisStatus(c) === 'female' || c.workup?.testicularUltrasound === 'normal';
  return {
    unconfirmed,
    biopsied: alreadyBiopsied(c),
    pgl: paragangliomaSuspected(c, differential, leading),
    // Open = possible: a supported lymphoma or germ-cell tumour is no longer something to exclude but the
    // leading concern, raised by its own red flag.
    lymphomaOpen: unconfirmed && statusOf(differential, '9590/3') === 'possible',
    germCellOpen: unconfirmed && germ === 'possible' && !(afpDone && usDone),
  };
}

function redFlagsFor(c: Case, differential: readonly DifferentialEntry[], leading: LeadingDiagnosis | null, work: Work): RedFlag[] {
  const flags: RedFlag[] = [];
  const im = c.tumor.imaging ?? {};
  if (work.pgl) {
    const adrenalOrigin = im.organOfOrigin?.startsWith('adrenal_') === true;
    const adrenalOrParaAortic = adrenalOrigin || contactsAortaOrAdrenal(c.tumor.contacts) || im.vesselOrigin === 'aorta';
    const where = im.hypervascular && adrenalOrParaAortic ? ' (hypervascular para-aortic/adrenal mass)' : im.hypervascular ? ' (hypervascular mass)' : adrenalOrigin ? ' (adrenal mass)' : '';
    flags.push(metanephrinesFlag(where, work.biopsied, c.workup?.metanephrines === 'raised'));
  }
  // Germ-cell tumour: serum AFP and β-hCG, testicular ultrasound (REFERENCE §3.1 [C]); in a young man whenever the diagnosis is open.
  const germCellStatus = statusOf(differential, '9064/3');
  const young = youngMan(c);
  if (leading?.category === 'germ_cell' || germCellStatus === 'supported' || (young && work.germCellOpen)) flags.push(germCellFlag(testisStatus(c), young));
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
  const unconfirmedSarcoma = leading === null || (leading.certainty === 'suspected' && leading.category === 'sarcoma');
  if (unconfirmedSarcoma && (lymphomaStatus === 'possible' || germCellStatus === 'possible')) {
    flags.push(excludeLymphomaGermCellFlag(leading === null ? '' : leading.name));
  }
  // The pseudocapsule is not a margin: en bloc, never shelled out or piecemeal (SEED; STRASS [V]) — before any resection.
  if (leading?.category === 'sarcoma' && !alreadyResected(c)) flags.push(NO_SHELL_OUT_FLAG);
  return flags;
}

const MUST_EXCLUDE_MEMO = new BoundedMemo<string, MustExcludeFirst>(256);
function sharedExclusion(e: MustExcludeFirst): MustExcludeFirst {
  return MUST_EXCLUDE_MEMO.get(e.id + '\u0000' + e.message, () => deepFreeze(e));
}

/**
 * Diagnoses whose treatment is not sarcoma surgery, to exclude first (REFERENCE §3.1): a paraganglioma before any
 * biopsy or surgery [V VANDERVEEN-2009]; lymphoma and germ-cell tumour before any resection while the diagnosis
 * is not confirmed [C] — germ-cell work-up with a testicular ultrasound only for a patient with testes.
 */
function mustExcludeFirstFor(c: Case, work: Work): MustExcludeFirst[] {
  const out: MustExcludeFirst[] = [];
  if (work.pgl && c.workup?.metanephrines !== 'raised') {
    out.push(
      sharedExclusion({
        id: 'paraganglioma',
        message: `Paraganglioma/phaeochromocytoma: plasma or urine metanephrines ${work.biopsied ? 'before any further biopsy and before surgery' : 'before any biopsy or surgery'}.`,
        before: 'biopsy',
        evidence: 'verified',
        sources: ['VANDERVEEN-2009'],
      }),
    );
  }
  if (work.lymphomaOpen) {
    out.push(
      sharedExclusion({
        id: 'lymphoma',
        message: `Lymphoma: ${work.biopsied ? 'the biopsy must show it is not lymphoma (CD45; haematopathology review)' : 'a core-needle biopsy with CD45 (and flow cytometry)'} before any resection — lymphoma is treated without surgery.`,
        before: 'resection',
        evidence: 'consensus',
        sources: ['SEED'],
      }),
    );
  }
  if (work.germCellOpen) {
    const testis = testisStatus(c);
    const tests: string[] = [];
    if (c.workup?.afpHcg !== 'normal') tests.push('serum AFP and β-hCG');
    if (testis !== 'female' && c.workup?.testicularUltrasound !== 'normal') tests.push(testis === 'male' ? 'a testicular ultrasound' : 'a testicular ultrasound if the patient has testes (sex not recorded)');
    out.push(
      sharedExclusion({
        id: 'germ-cell',
        message: `Germ-cell tumour${youngMan(c) ? ' (a young man)' : ''}: ${tests.join(' and ')} before any resection — its treatment is chemotherapy.`,
        before: 'resection',
        evidence: 'consensus',
        sources: youngMan(c) ? ['SEED', 'EXPERT-REVIEW'] : ['SEED'],
      }),
    );
  }
  return out;
}

const SAFETY_TESTS = deepFreeze({
  metanephrines: [
    { id: 'biochemistry:metanephrines', test: 'plasma or urine metanephrines', kind: 'biochemistry', informationGainBits: null, why: 'Rules out a functioning paraganglioma before any biopsy or surgery (REFERENCE §3.1, Vanderveen 2009).' },
    { id: 'biochemistry:metanephrines', test: 'plasma or urine metanephrines', kind: 'biochemistry', informationGainBits: null, why: 'Rules out a functioning paraganglioma before surgery and any further biopsy (REFERENCE §3.1, Vanderveen 2009).' },
  ],
  afpHcg: { id: 'biochemistry:afp-hcg', test: 'serum AFP and β-hCG', kind: 'biochemistry', informationGainBits: null, why: 'Germ-cell tumour markers (REFERENCE §3.1 [C]).' },
  testicularUltrasound: [
    { id: 'imaging:testicular-ultrasound', test: 'testicular ultrasound', kind: 'imaging', informationGainBits: null, why: 'Looks for a testicular primary of a germ-cell tumour (REFERENCE §3.1 [C]).' },
    { id: 'imaging:testicular-ultrasound', test: 'testicular ultrasound', kind: 'imaging', informationGainBits: null, why: 'Looks for a testicular primary of a germ-cell tumour (REFERENCE §3.1 [C]) — only if the patient has testes: sex not recorded.' },
  ],
  mdm2Fish: { id: 'marker:MDM2-amplification', test: 'MDM2 amplification (FISH or NGS)', kind: 'marker', informationGainBits: null, why: 'MDM2 was reported by immunohistochemistry only: IHC positivity is not amplification — confirm by FISH/NGS before calling it liposarcoma (REFERENCE §3.2 [V]).' },
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

function safetyTests(c: Case, flags: readonly RedFlag[], exclusions: readonly MustExcludeFirst[], hasTissue: boolean, leading: LeadingDiagnosis | null): NextTest[] {
  const tests: NextTest[] = [];
  if (hasFlag(flags, 'metanephrines-before-biopsy') && c.workup?.metanephrines === undefined) tests.push(SAFETY_TESTS.metanephrines[alreadyBiopsied(c) ? 1 : 0]!);
  let germCell = hasFlag(flags, 'germ-cell-markers');
  for (const e of exclusions) if (e.id === 'germ-cell') germCell = true;
  if (germCell) {
    if (c.workup?.afpHcg === undefined) tests.push(SAFETY_TESTS.afpHcg);
    const testis = testisStatus(c);
    // Never a testicular ultrasound for a female patient.
    if (testis !== 'female' && c.workup?.testicularUltrasound === undefined) tests.push(SAFETY_TESTS.testicularUltrasound[testis === 'male' ? 0 : 1]!);
  }
  if (c.pathology.markers?.MDM2 === 'positive' || (c.pathology.markers?.CDK4 === 'positive' && c.pathology.markers.MDM2 === undefined)) tests.push(SAFETY_TESTS.mdm2Fish);
  if (!hasTissue && (leading === null || leading.certainty === 'suspected')) tests.push(SAFETY_TESTS.coreNeedle[tests.length > 0 ? 1 : 0]!);
  if (c.tumor.metastasis === undefined) tests.push(SAFETY_TESTS.stagingCt);
  return tests;
}

function addSources(into: SourceId[], list: readonly SourceId[]): void {
  for (const id of list) if (!into.includes(id)) into.push(id);
}

function diagnosisSources(differential: readonly DifferentialEntry[], flags: readonly RedFlag[], exclusions: readonly MustExcludeFirst[], warnings: readonly EngineWarning[]): SourceId[] {
  const out: SourceId[] = ['SEED'];
  for (const d of differential) if (d.status !== 'excluded') addSources(out, d.sources);
  for (const f of flags) addSources(out, f.sources);
  for (const e of exclusions) addSources(out, e.sources);
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
  const priors = priorsFor(c);
  const diff = differentialOf(observations, order, priors);

  if (observations.length === 0) reasons.push('No imaging features or marker results recorded: the differential rests on prevalence alone.');
  else {
    let texts = observations[0]!.text;
    for (let k = 1; k < observations.length; k++) texts += '; ' + observations[k]!.text;
    reasons.push(`Findings considered: ${texts}.`);
  }
  if (priors !== PROFILE_PRIOR) reasons.push(`Patient: ${PRIOR_FACTORS[0]!.label} — germ-cell tumour and teratoma weigh more in the differential (REFERENCE §3.1 germ-cell work-up [consensus]).`);

  let leading: LeadingDiagnosis | null;
  let isSarcoma: boolean | null;
  const code = c.pathology.histology;
  const given = histologyByCode(code);
  if (code !== undefined) {
    if (given) {
      leading = { code: given.code, name: given.name, category: given.category, basis: 'pathologist', certainty: 'confirmed', rank: null, probability: null };
      isSarcoma = given.category === 'sarcoma';
      reasons.push(`Histology recorded by the pathologist: ${given.name} (${given.code}), ${given.category === 'sarcoma' ? 'a sarcoma' : `not a sarcoma (${label('category', given.category)})`}.`);
      histologyWarnings(given, diff, c, warnings);
    } else {
      leading = null;
      isSarcoma = null;
      reasons.push(`Histology ${code} is not in Retroplan's table: diagnosis not determined.`);
      warnings.push({ code: 'histology-unknown', path: 'pathology.histology', message: `Histology ${code} is not in Retroplan's table; sarcoma status not determined.`, sources: ['SEED'] });
    }
  } else {
    leading = leadingFromFindings(diff, reasons, c);
    isSarcoma = sarcomaFromFindings(leading, diff, c, reasons);
  }
  const work = workOf(c, diff, leading);
  const redFlags = redFlagsFor(c, diff, leading, work);
  const mustExcludeFirst = mustExcludeFirstFor(c, work);
  if (mustExcludeFirst.length > 0) reasons.push(`To exclude first: ${mustExcludeFirst.map((e) => e.id).join(', ')} (REFERENCE §3.1).`);
  consistencyWarnings(c, diff, warnings);
  const hasTissue = c.pathology.markers !== undefined || c.pathology.histology !== undefined || c.pathology.specimen !== undefined;
  // A pathologist's histology that the findings support needs no further discriminating tests.
  const settled = leading?.basis === 'pathologist' && ownSupported(leading.code, diff);
  if (settled) reasons.push('The findings support the recorded histology: no further discriminating test is needed.');
  const nextTests = safetyTests(c, redFlags, mustExcludeFirst, hasTissue, leading);
  if (!settled) for (const test of rankedTests(diff, order, observations)) nextTests.push(test);

  return {
    leading,
    isSarcoma,
    differential: diff,
    nextTests,
    redFlags,
    mustExcludeFirst,
    warnings,
    reasons,
    sources: diagnosisSources(diff, redFlags, mustExcludeFirst, warnings),
  };
}

/**
 * Sarcoma status from the findings alone. A molecular confirmation (MDM2/CDK4 amplified) makes it a sarcoma;
 * a non-sarcoma lineage shown on tissue by a strong marker makes it not a sarcoma; anything else stays open (null):
 * no imaging pattern is named diagnostic of a sarcoma in the reference (REFERENCE §3.1; SEED "suspicion is not diagnosis").
 */
function sarcomaFromFindings(leading: LeadingDiagnosis | null, differential: readonly DifferentialEntry[], c: Case, reasons: string[]): boolean | null {
  if (leading === null) return null;
  if (leading.basis === 'molecular') {
    reasons.push(`Liposarcoma confirmed by MDM2/CDK4 amplification without a recorded histology (SEED; REFERENCE §3.2 [V])${leading.code === '8850/3' ? '' : `; the subtype (${leading.name}) rests on the imaging`}.`);
    return true;
  }
  const rankText = leading.rank === null ? '' : `, ranked ${leading.rank} of ${differential.length} in the differential`;
  const above: string[] = [];
  if (leading.rank !== null) for (let k = 0; k < leading.rank - 1; k++) if (differential[k]!.status !== 'excluded') above.push(differential[k]!.name);
  reasons.push(
    `Suspected, not diagnosed: ${leading.name} is inferred from the findings${rankText} (heuristic weight ${leading.probability})` +
      (above.length > 0 ? `; ranked above it: ${above.join(', ')}` : '') +
      ' — a core-needle biopsy with the pathologist\'s histology confirms or refutes it (REFERENCE §3.1).',
  );
  if (leading.category !== 'sarcoma' && c.pathology.markers !== undefined) {
    let strongMarker = false;
    for (const d of differential) {
      if (d.code !== leading.code) continue;
      for (const f of d.findingsFor) if (f.strength === 'strong' && f.item.startsWith('marker:')) strongMarker = true;
    }
    if (strongMarker) {
      reasons.push(`Not a sarcoma as far as the tissue shows: a ${label('category', leading.category)} lineage marker on the biopsy.`);
      return false;
    }
  }
  return null;
}

/**
 * Marker results that cannot both be true of one tumour (SEED: a sarcoma lacks carcinoma, lymphoma and
 * paraganglioma markers; MDM2/CDK4 amplification confirms liposarcoma). Data, not code: each pair once.
 */
const MUTUALLY_EXCLUSIVE_MARKERS: readonly { readonly a: MarkerName; readonly b: MarkerName; readonly why: string }[] = (
  [
    ['MDM2', 'CD45', 'lymphoma'],
    ['MDM2', 'panCK', 'carcinoma'],
    ['MDM2', 'PAX8', 'carcinoma'],
    ['MDM2', 'chromogranin', 'paraganglioma'],
    ['CDK4', 'CD45', 'lymphoma'],
    ['CDK4', 'panCK', 'carcinoma'],
    ['CDK4', 'PAX8', 'carcinoma'],
    ['CDK4', 'chromogranin', 'paraganglioma'],
  ] as const
).map(([a, b, lineage]) => ({ a, b, why: `${MARKERS[a].label} amplification marks a liposarcoma, which lacks ${lineage} markers such as ${MARKERS[b].label}` }));

/** The high-grade features that make a well-differentiated liposarcoma suspect for dedifferentiation (REFERENCE §2, §3.1, §6; REFERENCE-2 §2.3, §3.2). */
function wdlpsHighGradeFeatures(c: Case): { text: string; path: string }[] {
  const out: { text: string; path: string }[] = [];
  const f = c.pathology.fnclcc;
  if (f !== undefined && f.mitosesPer10Hpf >= 10) out.push({ text: `${f.mitosesPer10Hpf} mitoses/10 HPF`, path: 'pathology.fnclcc.mitosesPer10Hpf' });
  if (f !== undefined && f.necrosisPercent > 0) out.push({ text: `${f.necrosisPercent} % necrosis`, path: 'pathology.fnclcc.necrosisPercent' });
  if (f !== undefined && f.differentiation >= 2) out.push({ text: `differentiation score ${f.differentiation}`, path: 'pathology.fnclcc.differentiation' });
  if (c.pathology.grade === 'G2' || c.pathology.grade === 'G3') out.push({ text: `grade ${c.pathology.grade}`, path: 'pathology.grade' });
  if (c.tumor.imaging?.solidComponent === true) out.push({ text: 'a solid non-fatty component on imaging', path: 'tumor.imaging.solidComponent' });
  return out;
}

/** Contradictions in the findings, each a warning with the field it concerns (issue 10, item 3). */
function consistencyWarnings(c: Case, differential: readonly DifferentialEntry[], warnings: EngineWarning[]): void {
  const m = c.pathology.markers;
  if (m !== undefined) {
    for (const pair of MUTUALLY_EXCLUSIVE_MARKERS) {
      if (m[pair.a] === 'amplified' && m[pair.b] === 'positive') {
        warnings.push({
          code: 'markers-mutually-exclusive',
          path: `pathology.markers.${pair.b}`,
          message: `${MARKERS[pair.a].label} amplified together with ${MARKERS[pair.b].label} positive: ${pair.why} — one result is wrong or the sample is mixed; review the pathology before any treatment.`,
          sources: ['SEED'],
          evidence: 'consensus',
        });
      }
    }
    // IHC positivity is not amplification (REFERENCE §3.2: amplification by FISH [V]).
    for (const name of ['MDM2', 'CDK4'] as const) {
      if (m[name] === 'positive') {
        warnings.push({
          code: 'amplification-by-ihc-only',
          path: `pathology.markers.${name}`,
          message: `${name} is reported positive by immunohistochemistry: that is not amplification — confirm ${name} amplification by FISH or NGS before it counts for liposarcoma.`,
          sources: ['PATHOLOGYOUTLINES', 'SEED'],
          evidence: 'verified',
        });
      }
    }
  }
  let allExcluded = differential.length > 0;
  for (const d of differential) if (d.status !== 'excluded') allExcluded = false;
  if (allExcluded) {
    warnings.push({
      code: 'differential-all-excluded',
      path: 'pathology.markers',
      message: 'Every candidate of the differential is excluded by the findings: the results contradict each other — review the pathology and imaging; nothing is concluded from them.',
      sources: ['SEED'],
      evidence: 'consensus',
    });
  }
  // A well-differentiated liposarcoma with high-grade features: suspect dedifferentiation, re-sample the solid part.
  if (c.pathology.histology === '8851/3') {
    const features = wdlpsHighGradeFeatures(c);
    if (features.length > 0) {
      warnings.push({
        code: 'wdlps-high-grade-features',
        path: features[0]!.path,
        message: `Well-differentiated liposarcoma with high-grade features (${features.map((f) => f.text).join(', ')}): suspect dedifferentiation — re-sample the solid/non-lipomatous part (image-guided core biopsy) and review the pathology; extra blocks of solid areas find dedifferentiation.`,
        sources: ['FNCLCC', 'CAP', 'LUCAS-1994', 'DDLPS-MRI'],
        evidence: 'consensus',
      });
    }
  }
}

/** The sarcoma status staging needs (AJCC 8 stage groups apply only to sarcomas), and how certain it is. */
export function sarcomaStatusFromDiagnosis(d: DiagnosisResult, c: Case): SarcomaStatus {
  const l = d.leading;
  const provisional = l === null || l.certainty === 'suspected';
  const confirmBy = 'a core-needle biopsy with the pathologist\'s histology (and MDM2 FISH for a fatty tumour) would confirm it';
  if (d.isSarcoma === null) {
    const code = c.pathology.histology;
    if (code !== undefined) return { isSarcoma: null, reason: `histology ${code} is not in Retroplan's table`, provisional: true, suspectedNonSarcoma: false, code: null };
    if (l !== null) {
      return {
        isSarcoma: null,
        reason: `${l.name} (${l.code}) is suspected from the findings, not confirmed — ${confirmBy}`,
        provisional: true,
        suspectedNonSarcoma: l.category !== 'sarcoma',
        code: l.code,
      };
    }
    return { isSarcoma: null, reason: `no histology recorded and the findings do not establish the diagnosis — ${confirmBy}`, provisional: true, suspectedNonSarcoma: false, code: null };
  }
  const how = l!.basis === 'pathologist' ? '' : l!.basis === 'molecular' ? ' (confirmed by MDM2/CDK4 amplification)' : ' (suspected from the findings, not yet confirmed by pathology)';
  return d.isSarcoma
    ? { isSarcoma: true, reason: `${l!.name} (${l!.code}) is a sarcoma${how}`, provisional, suspectedNonSarcoma: false, code: l!.code }
    : { isSarcoma: false, reason: `${l!.name} (${l!.code}) is not a sarcoma (${label('category', l!.category)})${how}`, provisional, suspectedNonSarcoma: false, code: l!.code };
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
  if (d.leading !== null && d.leading.basis !== 'pathologist' && (d.leading.code === '8850/3' || d.leading.code === '8800/3')) return undefined;
  return resolvedHistology(d);
}
