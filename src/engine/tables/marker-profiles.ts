import type { MarkerName } from './markers.ts';
import type { EvidenceLevel, SourceId } from './sources.ts';

/**
 * Diagnostic profiles of a retroperitoneal mass: what each candidate diagnosis
 * is expected to show on immunohistochemistry, molecular tests and imaging.
 * REFERENCE.md §3.1–§3.2 (consensus [C] unless an entry says otherwise; SEED:
 * "a sarcoma lacks carcinoma, lymphoma and paraganglioma markers; MDM2/CDK4
 * amplification confirms liposarcoma").
 *
 * Expectation kinds (how a finding counts, `diagnosis.ts`):
 * - `defining`: sensitive and specific — present is strong evidence for, absent strong against;
 * - `specific`: specific but not sensitive — present strong for, absent only weak against;
 * - `supportive`: typical — present weak for, absent weak against;
 * - `absent`: the marker of another lineage — present is strong against;
 * - `unexpected`: uncommon — present is weak against.
 * A marker a profile does not mention is uninformative for it, except the
 * lineage markers below, which count as `absent` unless the profile says otherwise.
 */
export type Expectation = 'defining' | 'specific' | 'supportive' | 'absent' | 'unexpected';

/**
 * Heuristic probabilities of a finding being present given each expectation.
 * They only rank the next tests (expected information gain) and order
 * candidates; statuses come from the qualitative rules. Not clinical estimates.
 */
export const PRESENT_LIKELIHOOD: Readonly<Record<Expectation | 'uninformative', number>> = {
  defining: 0.95,
  specific: 0.6,
  supportive: 0.8,
  absent: 0.03,
  unexpected: 0.15,
  uninformative: 0.5,
};

/** Markers that define one lineage; absent from every profile that does not list them (REFERENCE §3.2, SEED). */
export const LINEAGE_MARKERS: readonly MarkerName[] = [
  'MDM2', 'panCK', 'PAX8', 'CD45', 'chromogranin', 'KIT', 'DOG1', 'STAT6', 'betaCatenin', 'HMB45', 'melanA', 'SALL4', 'OCT34',
];

/** Imaging features the case model records (`tumor.imaging`); vessel origin means a large vein. */
export type ImagingFeature = 'macroscopicFat' | 'solidComponent' | 'hypervascular' | 'calcification' | 'veinOrigin' | 'kidneyOrigin' | 'adrenalOrigin';

export const IMAGING_FEATURE_LABELS: Readonly<Record<ImagingFeature, string>> = {
  macroscopicFat: 'macroscopic fat on imaging',
  solidComponent: 'a solid non-fatty component',
  hypervascular: 'a hypervascular mass',
  calcification: 'calcification in the mass',
  veinOrigin: 'origin in the IVC or another large vein',
  kidneyOrigin: 'arising from the kidney',
  adrenalOrigin: 'arising from the adrenal gland',
};

export interface MarkerProfile {
  /** ICD-O-3 morphology code (REFERENCE §3.2). */
  readonly code: string;
  readonly markers: Partial<Record<MarkerName, Expectation>>;
  readonly imaging: Partial<Record<ImagingFeature, Expectation>>;
  /**
   * Relative prior weight among retroperitoneal masses. Sarcoma shares follow
   * GRONCHI-2016 / TARPSWG series [S] (LPS ~55–60 %: WD ~25–30 %, DD ~30 %; LMS ~20 %;
   * SFT ~6 %; MPNST and UPS a few % each); lymphoma, the commonest retroperitoneal
   * malignancy overall [C], gets the largest single weight; other non-sarcomas get
   * small equal weights (no figure in the reference).
   */
  readonly prior: number;
  readonly evidence: EvidenceLevel;
  readonly sources: readonly SourceId[];
  /** The test that tells this candidate from its mimics, in words (shown in the differential). */
  readonly discriminatingTest?: string;
}

export const MARKER_PROFILES: readonly MarkerProfile[] = [
  {
    code: '8851/3', // well-differentiated liposarcoma: fat only, MDM2 amplified [V]
    markers: { MDM2: 'defining', CDK4: 'supportive' },
    // Arising from the kidney points to angiomyolipoma, not liposarcoma (REFERENCE §3.1 [C]); MDM2 amplification overrides.
    // Calcification in a fatty mass is uncommon in WD-LPS and raises teratoma (expert review, issue 10 [C]).
    imaging: { macroscopicFat: 'defining', solidComponent: 'absent', kidneyOrigin: 'unexpected', calcification: 'unexpected' },
    prior: 0.125,
    evidence: 'verified',
    sources: ['PATHOLOGYOUTLINES', 'SEED'],
  },
  {
    code: '8858/3', // dedifferentiated liposarcoma: MDM2 amplified [V], fat plus a solid non-lipogenic component
    markers: { MDM2: 'defining', CDK4: 'supportive' },
    imaging: { macroscopicFat: 'supportive', solidComponent: 'specific', kidneyOrigin: 'unexpected' },
    prior: 0.135,
    evidence: 'verified',
    sources: ['PATHOLOGYOUTLINES', 'SEED'],
  },
  {
    code: '8890/3', // leiomyosarcoma: desmin, SMA, h-caldesmon; MDM2 not amplified; may arise from the IVC
    markers: { desmin: 'supportive', SMA: 'supportive', caldesmon: 'supportive' },
    imaging: { veinOrigin: 'specific', macroscopicFat: 'unexpected' },
    prior: 0.09,
    evidence: 'consensus',
    sources: ['SEED'],
  },
  {
    code: '9540/3', // MPNST: H3K27me3 loss specific [V]; S100/SOX10 focal or lost
    markers: { H3K27me3: 'specific' },
    imaging: { macroscopicFat: 'unexpected' },
    prior: 0.014,
    evidence: 'verified',
    sources: ['PATHOLOGYOUTLINES'],
  },
  {
    code: '8815/1', // solitary fibrous tumour: nuclear STAT6 [S], CD34
    markers: { STAT6: 'defining', CD34: 'supportive' },
    imaging: { macroscopicFat: 'unexpected' },
    prior: 0.027,
    evidence: 'secondary',
    sources: ['PATHOLOGYOUTLINES'],
  },
  {
    code: '8802/3', // UPS: a diagnosis of exclusion; an MDM2-amplified retroperitoneal "UPS" is DD-LPS [V]
    markers: {},
    imaging: { macroscopicFat: 'unexpected' },
    prior: 0.014,
    evidence: 'verified',
    sources: ['PATHOLOGYOUTLINES'],
  },
  {
    code: '8936/3', // GIST: KIT (CD117), DOG1
    markers: { KIT: 'defining', DOG1: 'defining' },
    imaging: { macroscopicFat: 'unexpected' },
    prior: 0.03,
    evidence: 'consensus',
    sources: ['ESMO-2021'],
  },
  {
    code: '8821/1', // desmoid fibromatosis: nuclear β-catenin
    markers: { betaCatenin: 'defining' },
    imaging: { macroscopicFat: 'unexpected' },
    prior: 0.02,
    evidence: 'consensus',
    sources: ['ESMO-2021'],
  },
  {
    code: '8312/3', // renal cell carcinoma: PAX8, pan-cytokeratin (SEED)
    markers: { PAX8: 'defining', panCK: 'supportive' },
    imaging: { kidneyOrigin: 'supportive', macroscopicFat: 'unexpected' },
    prior: 0.05,
    evidence: 'consensus',
    sources: ['SEED'],
  },
  {
    code: '8010/3', // carcinoma NOS: pan-cytokeratin
    markers: { panCK: 'defining', PAX8: 'unexpected' },
    imaging: { macroscopicFat: 'unexpected' },
    prior: 0.04,
    evidence: 'consensus',
    sources: ['SEED'],
  },
  {
    code: '9590/3', // lymphoma: CD45 (LCA)
    markers: { CD45: 'defining' },
    imaging: { macroscopicFat: 'unexpected' },
    prior: 0.3,
    evidence: 'consensus',
    sources: ['SEED'],
  },
  {
    code: '8693/3', // paraganglioma: chromogranin, synaptophysin, S100 sustentacular; hypervascular, para-aortic or adrenal
    markers: { chromogranin: 'defining', synaptophysin: 'supportive', S100: 'supportive' },
    imaging: { hypervascular: 'supportive', adrenalOrigin: 'supportive', macroscopicFat: 'unexpected' },
    prior: 0.03,
    evidence: 'consensus',
    sources: ['SEED', 'VANDERVEEN-2009'],
  },
  {
    code: '9064/3', // germ-cell tumour: SALL4, OCT3/4 (KIT and keratin vary by subtype, so not counted against)
    markers: { SALL4: 'defining', OCT34: 'supportive', KIT: 'supportive', panCK: 'supportive' },
    imaging: { macroscopicFat: 'unexpected' },
    prior: 0.03,
    evidence: 'consensus',
    sources: ['SEED'],
  },
  {
    code: '8860/0', // angiomyolipoma: HMB-45, Melan-A, SMA; fat; arises from the kidney ("claw"), unlike liposarcoma
    markers: { HMB45: 'defining', melanA: 'defining', SMA: 'supportive' },
    // A fat-containing renal mass is angiomyolipoma before liposarcoma unless MDM2 is amplified (REFERENCE §3.1 [C]):
    // arising from the kidney defines it here.
    imaging: { macroscopicFat: 'defining', kidneyOrigin: 'defining' },
    prior: 0.03,
    evidence: 'consensus',
    sources: ['SEED'],
    discriminatingTest: 'MDM2 FISH (not amplified) and HMB-45/Melan-A; imaging: a parenchymal defect ("claw") of the kidney',
  },
  // Added by the expert review (issue 10) [consensus; not in REFERENCE]: each with the test that tells it from its mimic.
  {
    code: '9560/0', // schwannoma: diffuse S100 and SOX10, H3K27me3 retained (MPNST loses it)
    markers: { S100: 'defining', SOX10: 'supportive', H3K27me3: 'absent' },
    imaging: { macroscopicFat: 'unexpected' },
    prior: 0.03,
    evidence: 'consensus',
    sources: ['EXPERT-REVIEW'],
    discriminatingTest: 'diffuse S100/SOX10 with retained H3K27me3 (loss points to MPNST)',
  },
  {
    code: '8850/0', // lipoma: fat only, MDM2 not amplified — a retroperitoneal "lipoma" is WD-LPS until FISH says otherwise
    markers: {},
    imaging: { macroscopicFat: 'defining', solidComponent: 'absent', kidneyOrigin: 'unexpected' },
    prior: 0.01,
    evidence: 'consensus',
    sources: ['EXPERT-REVIEW'],
    discriminatingTest: 'MDM2 FISH: not amplified (amplified = well-differentiated liposarcoma)',
  },
  {
    code: '9080/0', // mature teratoma: fat and calcification, young patients
    markers: {},
    imaging: { macroscopicFat: 'supportive', calcification: 'specific' },
    prior: 0.01,
    evidence: 'consensus',
    sources: ['EXPERT-REVIEW'],
    discriminatingTest: 'calcification with fat on CT; serum AFP and β-hCG for malignant germ-cell elements',
  },
  {
    code: '8370/3', // adrenocortical carcinoma: arises from the adrenal; Melan-A (A103) positive, chromogranin negative
    markers: { melanA: 'supportive', panCK: 'unexpected' },
    imaging: { adrenalOrigin: 'defining', macroscopicFat: 'unexpected' },
    prior: 0.02,
    evidence: 'consensus',
    sources: ['EXPERT-REVIEW'],
    discriminatingTest: 'SF-1 / inhibin immunohistochemistry and adrenal hormone work-up; metanephrines first (phaeochromocytoma)',
  },
];

/** The expectation of a marker under a profile, with the lineage default. */
export function markerExpectation(profile: MarkerProfile, marker: MarkerName): Expectation | undefined {
  return profile.markers[marker] ?? (LINEAGE_MARKERS.includes(marker) ? 'absent' : undefined);
}

/** Veins whose origin points to leiomyosarcoma (REFERENCE §3.1, §5: IVC, iliac or renal vein). */
export const LARGE_VEINS: readonly string[] = ['ivc', 'renal_vein_left', 'renal_vein_right', 'iliac_vein_left', 'iliac_vein_right', 'superior_mesenteric_vein', 'portal_vein', 'gonadal_vessels_left', 'gonadal_vessels_right'];

/**
 * Patient features that change a candidate's prior weight (ordering only, never a status).
 * Germ-cell tumour in young men: REFERENCE §3.1 asks for the germ-cell work-up [C]; the age band
 * is the expert review's consensus (issue 10), not a published threshold.
 */
export interface PriorFactor {
  readonly id: 'young-man';
  readonly label: string;
  readonly sex: 'male';
  readonly minAgeYears: number;
  /** Exclusive. */
  readonly maxAgeYears: number;
  readonly factors: Readonly<Record<string, number>>;
  readonly evidence: EvidenceLevel;
  readonly sources: readonly SourceId[];
}

export const PRIOR_FACTORS: readonly PriorFactor[] = [
  { id: 'young-man', label: 'a man aged 15–49', sex: 'male', minAgeYears: 15, maxAgeYears: 50, factors: { '9064/3': 3, '9080/0': 3 }, evidence: 'consensus', sources: ['EXPERT-REVIEW'] },
];
