import type { Case } from './model/case.ts';
import type { EngineWarning, Explained } from './model/explained.ts';
import type { SarcomaStatus } from './stage.ts';
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

interface Observation {
  readonly item: string;
  /** Position of `item` in ITEMS. */
  readonly index: number;
  readonly label: string;
  readonly present: boolean;
  readonly observed: string;
  /** Focal staining or MDM2/CDK4 by IHC only: never counts as strong evidence. */
  readonly capped: boolean;
  readonly text: string;
  /** Findings built from this observation, one per strength (see `findingOf`). */
  readonly findings: Partial<Record<Finding['strength'], Finding>>;
}

const PRESENT_RESULTS: ReadonlySet<string> = new Set(['amplified', 'positive', 'focal', 'lost']);

function markerObservations(c: Case, out: Observation[]): void {
  const markers = c.pathology.markers;
  if (!markers) return;
  for (const key of Object.keys(markers)) {
    const name = key as MarkerName;
    const result = markers[name];
    if (result === undefined) continue;
    const i = ITEM_INDEX.get(`marker:${name}`)!;
    const ihcOnly = (name === 'MDM2' || name === 'CDK4') && result === 'positive';
    const label = MARKERS[name].label;
    const observed = result === 'not_amplified' ? 'not amplified' : result;
    out.push({ item: ITEMS[i]!, index: i, label, present: PRESENT_RESULTS.has(result), observed, capped: result === 'focal' || ihcOnly, text: `${label} ${observed}`, findings: {} });
  }
}

function addImaging(out: Observation[], feature: ImagingFeature, present: boolean | undefined, observed?: string): void {
  if (present === undefined) return;
  const label = IMAGING_FEATURE_LABELS[feature];
  const shown = observed ?? (present ? 'yes' : 'no');
  const item = `imaging:${feature}`;
  out.push({ item, index: ITEM_INDEX.get(item)!, label, present, observed: shown, capped: false, text: `${label}: ${shown}`, findings: {} });
}

function originText(present: boolean, id: string): string {
  return `${present ? 'yes' : 'no'} (${id})`;
}

function imagingObservations(c: Case, out: Observation[]): void {
  const im = c.tumor.imaging;
  if (!im) return;
  addImaging(out, 'macroscopicFat', im.macroscopicFat);
  addImaging(out, 'solidComponent', im.solidComponent);
  addImaging(out, 'hypervascular', im.hypervascular);
  if (im.vesselOrigin !== undefined) {
    const vein = LARGE_VEINS.includes(im.vesselOrigin);
    addImaging(out, 'veinOrigin', vein, originText(vein, im.vesselOrigin));
  }
  if (im.organOfOrigin !== undefined) {
    const kidney = im.organOfOrigin.startsWith('kidney_');
    const adrenal = im.organOfOrigin.startsWith('adrenal_');
    addImaging(out, 'kidneyOrigin', kidney, originText(kidney, im.organOfOrigin));
    addImaging(out, 'adrenalOrigin', adrenal, originText(adrenal, im.organOfOrigin));
  }
}

function computeExpectation(profile: MarkerProfile, item: string): Expectation | undefined {
  const [kind, key] = item.split(':') as ['marker' | 'imaging', string];
  return kind === 'marker' ? markerExpectation(profile, key as MarkerName) : profile.imaging[key as ImagingFeature];
}

/** Every observable item, and each profile's expectation and P(present) for it, computed once. */
const ITEMS: readonly string[] = [
  ...MARKER_NAMES.map((m) => `marker:${m}`),
  ...(Object.keys(IMAGING_FEATURE_LABELS) as ImagingFeature[]).map((f) => `imaging:${f}`),
];
const EXPECTATIONS: ReadonlyMap<string, readonly (Expectation | undefined)[]> = new Map(
  ITEMS.map((item) => [item, MARKER_PROFILES.map((p) => computeExpectation(p, item))]),
);
const PRESENT_P: ReadonlyMap<string, Float64Array> = new Map(
  ITEMS.map((item) => [item, Float64Array.from(EXPECTATIONS.get(item)!, (e) => PRESENT_LIKELIHOOD[e ?? 'uninformative'])]),
);
const PROFILE_INDEX: ReadonlyMap<string, number> = new Map(MARKER_PROFILES.map((p, i) => [p.code, i]));
const ITEM_INDEX: ReadonlyMap<string, number> = new Map(ITEMS.map((item, i) => [item, i]));
/** By item index, then profile index. */
const EXPECTATION_TABLE: readonly (readonly (Expectation | undefined)[])[] = ITEMS.map((item) => EXPECTATIONS.get(item)!);
const PRESENT_TABLE: readonly Float64Array[] = ITEMS.map((item) => PRESENT_P.get(item)!);
const PROFILE_HISTOLOGY: readonly HistologyDefinition[] = MARKER_PROFILES.map((p) => histologyByCode(p.code)!);

/** How one observation counts for a profile (see the expectation kinds in the table's header). */
type Verdict = { readonly side: 'for' | 'against'; readonly strength: Finding['strength'] };
const FOR_STRONG: Verdict = { side: 'for', strength: 'strong' };
const FOR_WEAK: Verdict = { side: 'for', strength: 'weak' };
const FOR_CONSISTENT: Verdict = { side: 'for', strength: 'consistent' };
const AGAINST_STRONG: Verdict = { side: 'against', strength: 'strong' };
const AGAINST_WEAK: Verdict = { side: 'against', strength: 'weak' };

/** How one observation counts for a profile (see the expectation kinds in the table's header); capped findings are never strong. */
function judge(exp: Expectation | undefined, obs: Observation): Verdict | null {
  switch (exp) {
    case undefined:
      return null;
    case 'defining':
      return obs.present ? (obs.capped ? FOR_WEAK : FOR_STRONG) : AGAINST_STRONG;
    case 'specific':
      return obs.present ? (obs.capped ? FOR_WEAK : FOR_STRONG) : AGAINST_WEAK;
    case 'supportive':
      return obs.present ? FOR_WEAK : AGAINST_WEAK;
    case 'absent':
      return obs.present ? (obs.capped ? AGAINST_WEAK : AGAINST_STRONG) : FOR_CONSISTENT;
    case 'unexpected':
      return obs.present ? AGAINST_WEAK : null;
  }
}

/** One shared (immutable) finding per observation and strength, reused by every profile. */
function findingOf(obs: Observation, strength: Finding['strength']): Finding {
  const cache = obs.findings;
  return (cache[strength] ??= { item: obs.item, observed: obs.observed, strength, text: obs.text });
}

function assess(index: number, observations: readonly Observation[]): DifferentialEntry {
  const profile = MARKER_PROFILES[index]!;
  const histology = PROFILE_HISTOLOGY[index]!;
  const findingsFor: Finding[] = [];
  const findingsAgainst: Finding[] = [];
  let weight = profile.prior;
  let strongAgainst = false;
  let strongFor = 0;
  let weakFor = 0;
  for (const obs of observations) {
    const p = PRESENT_TABLE[obs.index]![index]!;
    weight *= obs.present ? p : 1 - p;
    const verdict = judge(EXPECTATION_TABLE[obs.index]![index], obs);
    if (!verdict) continue;
    const finding = findingOf(obs, verdict.strength);
    if (verdict.side === 'for') {
      findingsFor.push(finding);
      if (verdict.strength === 'strong') strongFor++;
      else if (verdict.strength === 'weak') weakFor++;
    } else {
      findingsAgainst.push(finding);
      if (verdict.strength === 'strong') strongAgainst = true;
    }
  }
  const status: DifferentialStatus = strongAgainst ? 'excluded' : strongFor >= 1 || weakFor >= 2 ? 'supported' : 'possible';
  return {
    code: profile.code,
    name: histology.name,
    category: histology.category,
    status,
    findingsFor,
    findingsAgainst,
    weight,
    evidence: profile.evidence,
    sources: profile.sources as SourceId[],
  };
}

function entropy(ps: ArrayLike<number>, n: number, total: number): number {
  let h = 0;
  for (let i = 0; i < n; i++) {
    const p = ps[i]! / total;
    if (p > 0) h -= p * Math.log2(p);
  }
  return h;
}

function normalise(ws: readonly number[]): number[] {
  const total = ws.reduce((a, b) => a + b, 0);
  return total > 0 ? ws.map((w) => w / total) : ws.map(() => 1 / ws.length);
}

/** Scratch space for `informationGain` (one slot per profile); the engine is synchronous, so sharing it is safe. */
const SCRATCH_PRESENT = new Float64Array(MARKER_PROFILES.length);
const SCRATCH_ABSENT = new Float64Array(MARKER_PROFILES.length);

/** Expected reduction in entropy over the candidates (probabilities `p`, profile indices `idx`) when item `item` is observed. */
function informationGain(idx: readonly number[], p: readonly number[], item: number, prior: number): number {
  const q = PRESENT_TABLE[item]!;
  const n = idx.length;
  let pPresent = 0;
  // A test every candidate expects equally (e.g. uninformative for all) cannot separate them.
  let informative = false;
  const q0 = q[idx[0]!]!;
  for (let i = 0; i < n; i++) {
    const qi = q[idx[i]!]!;
    if (qi !== q0) informative = true;
    SCRATCH_PRESENT[i] = p[i]! * qi;
    SCRATCH_ABSENT[i] = p[i]! * (1 - qi);
    pPresent += SCRATCH_PRESENT[i]!;
  }
  if (!informative) return 0;
  const hPresent = pPresent > 0 ? entropy(SCRATCH_PRESENT, n, pPresent) : 0;
  const hAbsent = pPresent < 1 ? entropy(SCRATCH_ABSENT, n, 1 - pPresent) : 0;
  return prior - (pPresent * hPresent + (1 - pPresent) * hAbsent);
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

function rankedTests(differential: readonly DifferentialEntry[], observations: readonly Observation[]): NextTest[] {
  // Candidates with a negligible share (< 0.01 %) cannot change the ranking; leaving them out keeps this cheap.
  const total = differential.reduce((sum, d) => (d.status === 'excluded' ? sum : sum + d.weight), 0);
  const remaining = differential.filter((d) => d.status !== 'excluded' && d.weight >= total * 1e-4).sort((a, b) => b.weight - a.weight);
  if (remaining.length < 2) return [];
  const ps = normalise(remaining.map((d) => d.weight));
  const idx = remaining.map((d) => PROFILE_INDEX.get(d.code)!);
  const prior = entropy(ps, ps.length, 1);
  const observed = new Uint8Array(ITEMS.length);
  for (const o of observations) observed[o.index] = 1;
  const gains: { item: string; index: number; gain: number }[] = [];
  for (let i = 0; i < ITEMS.length; i++) {
    if (observed[i]) continue;
    const gain = informationGain(idx, ps, i, prior);
    if (gain >= 0.02) gains.push({ item: ITEMS[i]!, index: i, gain });
  }
  gains.sort((a, b) => b.gain - a.gain || a.index - b.index);
  // Wording only for the tests shown.
  return gains.slice(0, 6).map(({ item, index, gain }) => {
    const q = PRESENT_TABLE[index]!;
    const [kind, key] = item.split(':') as ['marker' | 'imaging', string];
    const expectingIt: string[] = [];
    const notExpecting: string[] = [];
    // `remaining` is sorted by weight, so the first three not expecting it are the likeliest.
    for (let i = 0; i < remaining.length; i++) {
      const qi = q[idx[i]!]!;
      if (qi > 0.5) expectingIt.push(remaining[i]!.name);
      else if (qi < 0.5 && notExpecting.length < 3) notExpecting.push(remaining[i]!.name);
    }
    const name =
      kind === 'marker'
        ? MARKER_TEST_NAMES[key as MarkerName] ?? `${MARKERS[key as MarkerName].label} immunohistochemistry`
        : IMAGING_TEST_NAMES[key as ImagingFeature];
    return {
      id: item,
      test: name,
      kind,
      informationGainBits: Math.round(gain * 1000) / 1000,
      why:
        `Expected in ${expectingIt.join(', ') || 'none of the remaining candidates'}` +
        (notExpecting.length ? `; not in ${notExpecting.join(', ')}` : '') +
        ` — separates the remaining candidates (expected gain ${gain.toFixed(2)} bits, weighted by prevalence, REFERENCE §3.2).`,
    };
  });
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

function histologyWarnings(given: HistologyDefinition, differential: readonly DifferentialEntry[], c: Case): EngineWarning[] {
  const warnings: EngineWarning[] = [];
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
    return warnings;
  }
  const own = HISTOLOGY_PROFILES[given.code] ?? [given.code];
  const ownEntries = differential.filter((d) => own.includes(d.code));
  if (ownEntries.length > 0 && ownEntries.every((d) => d.status === 'excluded')) {
    const against = ownEntries.flatMap((d) => d.findingsAgainst.filter((f) => f.strength === 'strong').map((f) => f.text));
    warnings.push({
      code: 'histology-contradicted',
      path: 'pathology.histology',
      message: `The findings contradict the recorded histology ${given.name} (${given.code}): ${[...new Set(against)].join('; ')}. Please review the pathology.`,
      sources: ['SEED'],
      evidence: 'consensus',
    });
  }
  const otherCategory = differential.filter((d) => d.status === 'supported' && d.category !== given.category);
  if (otherCategory.length > 0) {
    warnings.push({
      code: 'histology-other-category-supported',
      path: 'pathology.histology',
      message: `The recorded histology is ${given.name} (${given.category}), but the findings support ${otherCategory.map((d) => `${d.name} (${d.category})`).join(', ')}. Please review the pathology.`,
      sources: ['SEED'],
      evidence: 'consensus',
    });
  }
  return warnings;
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
  const supported = differential.filter((d) => d.status === 'supported').sort((a, b) => b.weight - a.weight);
  const remaining = differential.filter((d) => d.status !== 'excluded');
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
  if (enough && remaining.every((d) => d.category === 'sarcoma')) {
    reasons.push(`Every non-sarcoma candidate is excluded; the sarcoma subtype is not yet settled (${supported.map((d) => d.name).join(', ')}).`);
    return asLeading('8800/3');
  }
  if (supported.length > 1) reasons.push(`The findings support more than one diagnosis (${supported.map((d) => d.name).join(', ')}): no leading diagnosis.`);
  else reasons.push('The findings do not point to one diagnosis yet.');
  return null;
}

function statusOf(differential: readonly DifferentialEntry[], code: string): DifferentialStatus | undefined {
  for (const d of differential) if (d.code === code) return d.status;
  return undefined;
}

function redFlagsFor(c: Case, differential: readonly DifferentialEntry[], leading: LeadingDiagnosis | null): RedFlag[] {
  const flags: RedFlag[] = [];
  const im = c.tumor.imaging ?? {};
  const noPathology = c.pathology.histology === undefined && c.pathology.markers === undefined;

  // Metanephrines before any biopsy or surgery of a possible paraganglioma (REFERENCE §3.1 [V] VANDERVEEN-2009).
  const adrenalOrParaAortic =
    im.organOfOrigin?.startsWith('adrenal_') === true ||
    (c.tumor.contacts ?? []).some((o) => o === 'aorta' || o.startsWith('adrenal_')) ||
    im.vesselOrigin === 'aorta';
  const pglSuspected =
    leading?.category === 'paraganglioma' ||
    statusOf(differential, '8693/3') === 'supported' ||
    (statusOf(differential, '8693/3') !== 'excluded' && (im.hypervascular === true || im.organOfOrigin?.startsWith('adrenal_') === true));
  if (pglSuspected) {
    flags.push({
      id: 'metanephrines-before-biopsy',
      message:
        'Possible paraganglioma' +
        (im.hypervascular && adrenalOrParaAortic ? ' (hypervascular para-aortic/adrenal mass)' : im.hypervascular ? ' (hypervascular mass)' : '') +
        ': measure plasma or urine metanephrines before any biopsy or surgery — 70 % of biopsied paragangliomas had complications, 90 % without prior biochemistry.' +
        (noPathology ? ' This applies now, before any pathology is obtained.' : ''),
      evidence: 'verified',
      sources: ['VANDERVEEN-2009'],
    });
  }
  // Germ-cell tumour: serum AFP and β-hCG, testicular ultrasound (REFERENCE §3.1 [C]).
  if (leading?.category === 'germ_cell' || statusOf(differential, '9064/3') === 'supported') {
    flags.push({
      id: 'germ-cell-markers',
      message: 'Possible germ-cell tumour: serum AFP and β-hCG and a testicular ultrasound; its treatment is chemotherapy, not resection.',
      evidence: 'consensus',
      sources: ['SEED'],
    });
  }
  // Lymphoma is treated without resection (REFERENCE §3.1, §4 [C]).
  if (leading?.category === 'lymphoma' || statusOf(differential, '9590/3') === 'supported') {
    flags.push({
      id: 'lymphoma-no-resection',
      message: 'Lymphoma is supported: do not resect — its treatment is not surgery; refer to haematology.',
      evidence: 'consensus',
      sources: ['SEED'],
    });
  }
  // MDM2 must be tested in a retroperitoneal pleomorphic/undifferentiated sarcoma (REFERENCE §3.2 [V]).
  const code = c.pathology.histology;
  if (code !== undefined && MDM2_MUST_BE_TESTED.has(code) && c.pathology.markers?.MDM2 === undefined) {
    flags.push({
      id: 'mdm2-untested-pleomorphic',
      message: `MDM2 has not been tested in this retroperitoneal ${histologyByCode(code)!.name}: test MDM2 amplification (FISH) — if amplified it is dedifferentiated liposarcoma, which changes strategy and follow-up.`,
      evidence: 'verified',
      sources: ['PATHOLOGYOUTLINES'],
    });
  }
  // Lymphoma and germ-cell tumour must be excluded before resection (REFERENCE §3.1 [C]).
  const unconfirmed = leading === null || (leading.basis === 'findings' && leading.category === 'sarcoma');
  if (unconfirmed && (statusOf(differential, '9590/3') === 'possible' || statusOf(differential, '9064/3') === 'possible')) {
    flags.push({
      id: 'exclude-lymphoma-germ-cell',
      message: `${leading === null ? 'No diagnosis yet' : `${leading.name} is inferred, not confirmed by pathology`}: lymphoma and germ-cell tumour must be excluded before any resection — their treatment is not surgery.`,
      evidence: 'consensus',
      sources: ['SEED'],
    });
  }
  return flags;
}

function safetyTests(c: Case, flags: readonly RedFlag[], hasTissue: boolean, leading: LeadingDiagnosis | null): NextTest[] {
  const tests: NextTest[] = [];
  if (flags.some((f) => f.id === 'metanephrines-before-biopsy')) {
    tests.push({ id: 'biochemistry:metanephrines', test: 'plasma or urine metanephrines', kind: 'biochemistry', informationGainBits: null, why: 'Rules out a functioning paraganglioma before any biopsy or surgery (REFERENCE §3.1, Vanderveen 2009).' });
  }
  if (flags.some((f) => f.id === 'germ-cell-markers')) {
    tests.push({ id: 'biochemistry:afp-hcg', test: 'serum AFP and β-hCG', kind: 'biochemistry', informationGainBits: null, why: 'Germ-cell tumour markers (REFERENCE §3.1 [C]).' });
    tests.push({ id: 'imaging:testicular-ultrasound', test: 'testicular ultrasound', kind: 'imaging', informationGainBits: null, why: 'Looks for a testicular primary of a germ-cell tumour (REFERENCE §3.1 [C]).' });
  }
  if (!hasTissue && (leading === null || leading.basis === 'findings')) {
    tests.push({
      id: 'biopsy:core-needle',
      test: 'image-guided percutaneous core-needle biopsy (retroperitoneal approach)',
      kind: 'biopsy',
      informationGainBits: null,
      why: 'Markers need tissue; core biopsy does not raise local recurrence; no open/laparoscopic biopsy, FNA is not adequate (REFERENCE §3.1).' +
        (tests.length > 0 ? ' Only after the biochemistry above.' : ''),
    });
  }
  if (c.tumor.metastasis === undefined) {
    tests.push({ id: 'imaging:staging-ct', test: 'CT of chest, abdomen and pelvis', kind: 'imaging', informationGainBits: null, why: 'Staging: distant metastasis not recorded (REFERENCE §3.1 [V]).' });
  }
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

const STATUS_RANK: Readonly<Record<DifferentialStatus, number>> = { supported: 0, possible: 1, excluded: 2 };
function byStatusThenWeight(a: DifferentialEntry, b: DifferentialEntry): number {
  return STATUS_RANK[a.status] - STATUS_RANK[b.status] || b.weight - a.weight;
}

/** Diagnosis and differential of the mass (REFERENCE.md §3). */
export function diagnose(c: Case): DiagnosisResult {
  const reasons: string[] = [];
  const warnings: EngineWarning[] = [];
  const observations: Observation[] = [];
  imagingObservations(c, observations);
  markerObservations(c, observations);
  const differential = MARKER_PROFILES.map((_, i) => assess(i, observations)).sort(byStatusThenWeight);
  const total = differential.reduce((s, d) => s + d.weight, 0);
  const diff = differential.map((d) => ({ ...d, weight: Math.round((d.weight / total) * 10000) / 10000 }));

  if (observations.length === 0) reasons.push('No imaging features or marker results recorded: the differential rests on prevalence alone.');
  else reasons.push(`Findings considered: ${observations.map((o) => o.text).join('; ')}.`);

  let leading: LeadingDiagnosis | null;
  let isSarcoma: boolean | null;
  const code = c.pathology.histology;
  const given = histologyByCode(code);
  if (code !== undefined) {
    if (given) {
      leading = { code: given.code, name: given.name, category: given.category, basis: 'pathologist' };
      isSarcoma = given.category === 'sarcoma';
      reasons.push(`Histology recorded by the pathologist: ${given.name} (${given.code}), ${given.category === 'sarcoma' ? 'a sarcoma' : `not a sarcoma (${given.category})`}.`);
      warnings.push(...histologyWarnings(given, diff, c));
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
  const settled = leading?.basis === 'pathologist' && diff.some((d) => (HISTOLOGY_PROFILES[leading.code] ?? [leading.code]).includes(d.code) && d.status === 'supported');
  if (settled) reasons.push('The findings support the recorded histology: no further discriminating test is needed.');
  const nextTests = [...safetyTests(c, redFlags, hasTissue, leading), ...(settled ? [] : rankedTests(diff, observations))];

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
