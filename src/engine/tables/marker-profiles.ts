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
export type ImagingFeature = 'macroscopicFat' | 'solidComponent' | 'hypervascular' | 'veinOrigin' | 'kidneyOrigin' | 'adrenalOrigin';

export const IMAGING_FEATURE_LABELS: Readonly<Record<ImagingFeature, string>> = {
  macroscopicFat: 'macroscopic fat on imaging',
  solidComponent: 'a solid non-fatty component',
  hypervascular: 'a hypervascular mass',
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
}

export const MARKER_PROFILES: readonly MarkerProfile[] = [
  {
    code: '8851/3', // well-differentiated liposarcoma: fat only, MDM2 amplified [V]
    markers: { MDM2: 'defining', CDK4: 'supportive' },
    imaging: { macroscopicFat: 'defining', solidComponent: 'absent' },
    prior: 0.125,
    evidence: 'verified',
    sources: ['PATHOLOGYOUTLINES', 'SEED'],
  },
  {
    code: '8858/3', // dedifferentiated liposarcoma: MDM2 amplified [V], fat plus a solid non-lipogenic component
    markers: { MDM2: 'defining', CDK4: 'supportive' },
    imaging: { macroscopicFat: 'supportive', solidComponent: 'specific' },
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
    imaging: { macroscopicFat: 'defining', kidneyOrigin: 'specific' },
    prior: 0.03,
    evidence: 'consensus',
    sources: ['SEED'],
  },
];

/** The expectation of a marker under a profile, with the lineage default. */
export function markerExpectation(profile: MarkerProfile, marker: MarkerName): Expectation | undefined {
  return profile.markers[marker] ?? (LINEAGE_MARKERS.includes(marker) ? 'absent' : undefined);
}

/** Veins whose origin points to leiomyosarcoma (REFERENCE §3.1, §5: IVC, iliac or renal vein). */
export const LARGE_VEINS: readonly string[] = ['ivc', 'renal_vein_left', 'renal_vein_right', 'iliac_vein_left', 'iliac_vein_right', 'superior_mesenteric_vein', 'portal_vein', 'gonadal_vessels_left', 'gonadal_vessels_right'];
