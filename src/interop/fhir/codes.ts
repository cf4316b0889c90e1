import type { Grade } from '../../engine/index.ts';
import type { MarkerName, StageGroup } from '../../engine/index.ts';

/**
 * Code systems, codes and mCODE profile URLs Retroplan reads and writes.
 * Every code here is cited to REFERENCE.md §10 (LOINC/SNOMED staging codes,
 * grade values), the mCODE IG examples in shared/interop/mcode-ig-fsh (SNOMED
 * AJCC value ids used there), or is Retroplan's own code system. No SNOMED id
 * is added without such a source: stage values are written as
 * cancerstaging.org codes (DEPENDENCIES.md, "mCODE coding notes"). Treatment and outcome codes
 * (issue 14) cite the mCODE IG FSH profiles (HL7/fhir-mCODE-ig, input/fsh) or the MII Kerndatensatz
 * Onkologie concept maps beside each constant.
 */

export const SYSTEM = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icdo3: 'http://terminology.hl7.org/CodeSystem/icd-o-3',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  ncit: 'http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl',
  cancerstaging: 'http://cancerstaging.org',
  ucum: 'http://unitsofmeasure.org',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  /** Retroplan's own codes for what has no standard code (FNCLCC components, markers, margin). */
  retroplan: 'urn:retroplan:fhir:codesystem',
} as const;

const MCODE = 'http://hl7.org/fhir/us/mcode/StructureDefinition';

/** mCODE STU3/STU4 canonical profile URLs (ids as in the mCODE IG FSH sources). */
export const PROFILE = {
  primaryCancerCondition: `${MCODE}/mcode-primary-cancer-condition`,
  tnmStageGroup: `${MCODE}/mcode-tnm-stage-group`,
  tnmPrimaryTumorCategory: `${MCODE}/mcode-tnm-primary-tumor-category`,
  tnmRegionalNodesCategory: `${MCODE}/mcode-tnm-regional-nodes-category`,
  tnmDistantMetastasesCategory: `${MCODE}/mcode-tnm-distant-metastases-category`,
  tumorSize: `${MCODE}/mcode-tumor-size`,
  histologicGrade: `${MCODE}/mcode-histologic-grade`,
  cancerPatient: `${MCODE}/mcode-cancer-patient`,
  tumor: `${MCODE}/mcode-tumor`,
  ecog: `${MCODE}/mcode-ecog-performance-status`,
  cancerRelatedSurgicalProcedure: `${MCODE}/mcode-cancer-related-surgical-procedure`,
  cancerDiseaseStatus: `${MCODE}/mcode-cancer-disease-status`,
  /** mCODE STU3/4 SD_Medications.fsh: chemotherapy given (mCODE has no medication statement since STU2). */
  cancerRelatedMedicationAdministration: `${MCODE}/mcode-cancer-related-medication-administration`,
  /** mCODE STU3/4 SD_Radiotherapy.fsh: one course of radiotherapy (code fixed to SNOMED 1217123003). */
  radiotherapyCourseSummary: `${MCODE}/mcode-radiotherapy-course-summary`,
  /** mCODE STU3/4 SD_Radiotherapy.fsh: the irradiated volume a dose-delivered extension must name. */
  radiotherapyVolume: `${MCODE}/mcode-radiotherapy-volume`,
} as const;

/** mCODE CancerDiseaseStatus: Observation.code (LOINC 97509-4, "Cancer disease progression"). */
export const CANCER_DISEASE_STATUS_CODE: Code = { system: 'http://loinc.org', code: '97509-4', display: 'Cancer Disease Progression' };
/** ConditionStatusTrendVS (mCODE STU2–4): recurrence and metastasis are a worsening of the cancer. */
export const CONDITION_WORSENED: Code = { system: 'http://snomed.info/sct', code: '271299001', display: "Patient's condition worsened (finding)" };
/**
 * Retroplan's own codes beside the standard ones where the standard is coarser than the case
 * model: which follow-up event a disease status records, and the Clavien–Dindo grade of the
 * worst complication (no standard code system for it).
 */
export const FOLLOW_UP_EVENT_CODES = {
  local_recurrence: { system: 'urn:retroplan:fhir:codesystem', code: 'local-recurrence', display: 'Local recurrence' },
  distant_metastasis: { system: 'urn:retroplan:fhir:codesystem', code: 'distant-metastasis', display: 'Distant metastasis' },
} as const satisfies Record<string, Code>;
export const CLAVIEN_DINDO_CODE_PREFIX = 'clavien-dindo-';

export const EXTENSION = {
  histologyMorphologyBehavior: `${MCODE}/mcode-histology-morphology-behavior`,
  relatedCondition: `${MCODE}/mcode-related-condition`,
  /**
   * mCODE RadiotherapyDoseDeliveredToVolume (SD_Radiotherapy.fsh): sub-extensions `volume` (1..1,
   * Reference(RadiotherapyVolume)), `totalDoseDelivered` (Quantity fixed to UCUM cGy) and `fractionsDelivered`.
   */
  radiotherapyDoseDeliveredToVolume: `${MCODE}/mcode-radiotherapy-dose-delivered-to-volume`,
  /** mCODE ProcedureIntent (SD_Extensions.fsh, extension `treatmentIntent`): read on import only, see THERAPY_TIMING. */
  procedureIntent: `${MCODE}/mcode-procedure-intent`,
  /**
   * Number of chemotherapy cycles. Neither FHIR R4 MedicationAdministration nor mCODE has an element
   * for it (the mCODE IG example EX_Basic.fsh keeps "for 4 cycles" in note text), so Retroplan's own
   * extension (a logical URI: FHIR R4 Extension.url) carries it as a positiveInt.
   */
  chemotherapyCycles: 'urn:retroplan:fhir:extension:chemotherapy-cycles',
  /** FHIR R4 core extension: why a required value (here the dates of a therapy) is missing. */
  dataAbsentReason: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason',
} as const;

/** mCODE RadiotherapyCourseSummary.code (fixed, SD_Radiotherapy.fsh): recognises a radiotherapy course on import. */
export const RADIOTHERAPY_COURSE_CODE: Code = { system: 'http://snomed.info/sct', code: '1217123003', display: 'Radiotherapy course of treatment (regime/therapy)' };

/**
 * When a therapy was given relative to the resection, coded (never read from text) with the SNOMED CT
 * qualifiers 373847000 "Neo-adjuvant - intent" and 373846009 "Adjuvant - intent". Sources: the MII
 * Kerndatensatz Onkologie ConceptMap mii-cm-onko-therapie-stellung-sct maps oBDS "Stellung zur OP"
 * (relation to surgery, for systemic therapy and radiotherapy) N/A to exactly these two codes; mCODE
 * (VS_Other.fsh, ValueSet-mcode-treatment-intent-vs-intro.md) lists them but keeps them out of its
 * ProcedureIntentVS because they "relate to timing, not intent". Retroplan therefore writes them in
 * MedicationAdministration.category / Procedure.category (R4 example bindings), not in mCODE's
 * treatmentIntent extension; on import either place is read.
 */
export const THERAPY_TIMING = {
  neoadjuvant: { system: 'http://snomed.info/sct', code: '373847000', display: 'Neo-adjuvant - intent (qualifier value)' },
  adjuvant: { system: 'http://snomed.info/sct', code: '373846009', display: 'Adjuvant - intent (qualifier value)' },
} as const satisfies Record<string, Code>;

/**
 * Response to neoadjuvant therapy as an mCODE CancerDiseaseStatus (LOINC 97509-4): the value from
 * mCODE's ConditionStatusTrendMaxVS (VS_Other.fsh) beside Retroplan's own code, which says that the
 * status is the response to the neoadjuvant therapy (mCODE has no element for "response to what").
 * No RECIST-category code is used: none is verified in REFERENCE.md or the mCODE IG.
 * `alsoRead`: further ConditionStatusTrendMaxVS codes with the same meaning, accepted on import.
 */
export const RESPONSE_CODES = {
  complete: {
    trend: { system: 'http://snomed.info/sct', code: '103338009', display: 'In full remission (qualifier value)' },
    alsoRead: ['550991000124107'],
    own: { system: 'urn:retroplan:fhir:codesystem', code: 'neoadjuvant-response-complete', display: 'Complete response to neoadjuvant therapy' },
  },
  partial: {
    trend: { system: 'http://snomed.info/sct', code: '268910001', display: "Patient's condition improved (finding)" },
    alsoRead: ['103337004', '551001000124108'],
    own: { system: 'urn:retroplan:fhir:codesystem', code: 'neoadjuvant-response-partial', display: 'Partial response to neoadjuvant therapy' },
  },
  stable: {
    trend: { system: 'http://snomed.info/sct', code: '359746009', display: "Patient's condition stable (finding)" },
    alsoRead: [],
    own: { system: 'urn:retroplan:fhir:codesystem', code: 'neoadjuvant-response-stable', display: 'Stable disease on neoadjuvant therapy' },
  },
  progression: {
    trend: { system: 'http://snomed.info/sct', code: '271299001', display: "Patient's condition worsened (finding)" },
    alsoRead: [],
    own: { system: 'urn:retroplan:fhir:codesystem', code: 'neoadjuvant-response-progression', display: 'Progression on neoadjuvant therapy' },
  },
} as const;

/**
 * Cause of death observation codes: LOINC 69453-9 "Cause of death [US Standard Certificate of Death]"
 * (HL7 VRDR IG, CauseOfDeathPart1) and SNOMED CT 184305005 "Cause of death (observable entity)" (the
 * MII Onkologie death observation); either is recognised on import, both are written.
 */
export const CAUSE_OF_DEATH_CODES: readonly Code[] = [
  { system: 'http://loinc.org', code: '69453-9', display: 'Cause of death [US Standard Certificate of Death]' },
  { system: 'http://snomed.info/sct', code: '184305005', display: 'Cause of death (observable entity)' },
];

/**
 * The case model's causes of death. Retroplan's own code always; a SNOMED CT qualifier only where one
 * is sourced: 74964007 "Other (qualifier value)" and 261665006 "Unknown (qualifier value)" (MII Onkologie
 * ConceptMaps mii-cm-onko-therapie-stellung-sct and mii-cm-onko-therapie-ende-sct). "Death from the
 * sarcoma" and "from a treatment complication" have no verified SNOMED concept here (a certificate codes
 * the underlying cause in ICD-10, which the case does not hold), so they are Retroplan codes only.
 */
export const DEATH_CAUSE_CODES = {
  sarcoma: [{ system: 'urn:retroplan:fhir:codesystem', code: 'death-cause-sarcoma', display: 'Death from the sarcoma' }],
  treatment: [{ system: 'urn:retroplan:fhir:codesystem', code: 'death-cause-treatment', display: 'Death from a complication of treatment' }],
  other: [
    { system: 'urn:retroplan:fhir:codesystem', code: 'death-cause-other', display: 'Death from another cause' },
    { system: 'http://snomed.info/sct', code: '74964007', display: 'Other (qualifier value)' },
  ],
  unknown: [
    { system: 'urn:retroplan:fhir:codesystem', code: 'death-cause-unknown', display: 'Cause of death unknown' },
    { system: 'http://snomed.info/sct', code: '261665006', display: 'Unknown (qualifier value)' },
  ],
} as const satisfies Record<string, readonly Code[]>;

export interface Code {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

/** AJCC 8th edition staging system (REFERENCE.md §10, SNOMED 897275008). */
export const AJCC8_METHOD: Code = {
  system: SYSTEM.snomed,
  code: '897275008',
  display: 'American Joint Commission on Cancer, Cancer Staging Manual, 8th edition neoplasm staging system (tumor staging)',
};

export type StagingKind = 'T' | 'N' | 'M' | 'group';
export type StagingBasis = 'clinical' | 'pathological' | 'unspecified';

/**
 * Observation.code values that identify a staging element (REFERENCE.md §10):
 * LOINC clinical/pathological TNM and SNOMED (mCODE STU3+).
 */
export const STAGING_CODES: readonly { kind: StagingKind; basis: StagingBasis; code: Code }[] = [
  { kind: 'T', basis: 'clinical', code: { system: SYSTEM.loinc, code: '21905-5', display: 'Primary tumor.clinical [Class] Cancer' } },
  { kind: 'N', basis: 'clinical', code: { system: SYSTEM.loinc, code: '21906-3', display: 'Regional lymph nodes.clinical [Class] Cancer' } },
  { kind: 'M', basis: 'clinical', code: { system: SYSTEM.loinc, code: '21907-1', display: 'Distant metastases.clinical [Class] Cancer' } },
  { kind: 'group', basis: 'clinical', code: { system: SYSTEM.loinc, code: '21908-9', display: 'Stage group.clinical Cancer' } },
  { kind: 'T', basis: 'pathological', code: { system: SYSTEM.loinc, code: '21899-0', display: 'Primary tumor.pathology Cancer' } },
  { kind: 'N', basis: 'pathological', code: { system: SYSTEM.loinc, code: '21900-6', display: 'Regional lymph nodes.pathology Cancer' } },
  { kind: 'M', basis: 'pathological', code: { system: SYSTEM.loinc, code: '21901-4', display: 'Distant metastases.pathology Cancer' } },
  { kind: 'group', basis: 'pathological', code: { system: SYSTEM.loinc, code: '21902-2', display: 'Stage group.pathology Cancer' } },
  { kind: 'T', basis: 'unspecified', code: { system: SYSTEM.snomed, code: '78873005', display: 'T category' } },
  { kind: 'T', basis: 'clinical', code: { system: SYSTEM.snomed, code: '399504009', display: 'cT category' } },
  { kind: 'T', basis: 'pathological', code: { system: SYSTEM.snomed, code: '384625004', display: 'pT category' } },
  { kind: 'N', basis: 'unspecified', code: { system: SYSTEM.snomed, code: '277206009', display: 'N category' } },
  { kind: 'N', basis: 'clinical', code: { system: SYSTEM.snomed, code: '399534004', display: 'cN category' } },
  { kind: 'N', basis: 'pathological', code: { system: SYSTEM.snomed, code: '371494008', display: 'pN category' } },
  { kind: 'M', basis: 'unspecified', code: { system: SYSTEM.snomed, code: '277208005', display: 'M category' } },
  { kind: 'M', basis: 'clinical', code: { system: SYSTEM.snomed, code: '399387003', display: 'cM category' } },
  { kind: 'M', basis: 'pathological', code: { system: SYSTEM.snomed, code: '371497001', display: 'pM category' } },
  { kind: 'group', basis: 'unspecified', code: { system: SYSTEM.snomed, code: '399390009', display: 'TNM stage grouping' } },
  { kind: 'group', basis: 'clinical', code: { system: SYSTEM.snomed, code: '399537006', display: 'Clinical TNM stage grouping' } },
  { kind: 'group', basis: 'pathological', code: { system: SYSTEM.snomed, code: '399588009', display: 'Pathological TNM stage grouping' } },
];

/** The SNOMED + LOINC codes written for each staging element, by basis. */
export function stagingCodesFor(kind: StagingKind, basis: 'clinical' | 'pathological'): Code[] {
  return STAGING_CODES.filter((row) => row.kind === kind && row.basis === basis).map((row) => row.code);
}

/**
 * SNOMED ids of AJCC category values, only those used in the mCODE IG examples
 * (shared/interop/mcode-ig-fsh): accepted on import, never needed for export.
 */
export const SNOMED_AJCC_VALUES: Readonly<Record<string, string>> = {
  '1228938002': 'cT3',
  '1229859000': 'pT3',
  '1229901006': 'cM0',
  '1229947003': 'pN0',
  '1229967007': 'cN0',
  '1229984001': 'cN3',
};

/**
 * AJCC stage groups as cancerstaging.org codes (the form of the mCODE examples, e.g. `3C`)
 * and the engine's roman numerals.
 */
export const STAGE_GROUP_CODES: readonly { group: StageGroup; code: string }[] = [
  { group: 'IA', code: '1A' },
  { group: 'IB', code: '1B' },
  { group: 'II', code: '2' },
  { group: 'IIIA', code: '3A' },
  { group: 'IIIB', code: '3B' },
  { group: 'IV', code: '4' },
];

/** Histologic grade observation code: NCIt C18000 (mCODE STU4) and LOINC 33732-9 (older mCODE); REFERENCE.md §10. */
export const GRADE_CODES: readonly Code[] = [
  { system: SYSTEM.ncit, code: 'C18000', display: 'Histologic Grade' },
  { system: SYSTEM.loinc, code: '33732-9', display: 'Histology grade [Identifier] in Cancer specimen' },
];

/** mCODE histologic grade values (SNOMED, REFERENCE.md §10) and the FNCLCC grade each stands for. */
export const GRADE_VALUES: readonly { grade: Exclude<Grade, 'GX'>; code: Code }[] = [
  { grade: 'G1', code: { system: SYSTEM.snomed, code: '1155708003', display: 'Low histologic grade' } },
  { grade: 'G2', code: { system: SYSTEM.snomed, code: '1286893008', display: 'Intermediate histologic grade' } },
  { grade: 'G3', code: { system: SYSTEM.snomed, code: '1155707008', display: 'High histologic grade' } },
];

/** Tumour size: LOINC 21889-1 with component 33728-7, longest dimension (REFERENCE.md §10). */
export const TUMOR_SIZE_CODE: Code = { system: SYSTEM.loinc, code: '21889-1', display: 'Size Tumor' };
export const TUMOR_LONGEST_DIMENSION_CODE: Code = { system: SYSTEM.loinc, code: '33728-7', display: 'Size.maximum dimension in Tumor' };

/** mCODE STU4 HistologicBehaviorAndType observation: LOINC 31206-6, value ICD-O-3 (mCODE IG profile source). */
export const HISTOLOGIC_BEHAVIOR_AND_TYPE_CODE: Code = { system: SYSTEM.loinc, code: '31206-6', display: 'Behavior ICD-O-3 Cancer' };

/** Retroperitoneum: ICD-O-3 topography and ICD-10 C48.0 (REFERENCE.md §10). */
export const RETROPERITONEUM_TOPOGRAPHY = 'C48.0';
export const RETROPERITONEUM_ICD10: Code = { system: SYSTEM.icd10, code: 'C48.0', display: 'Malignant neoplasm of retroperitoneum' };
/** mCODE binds Condition.code to ICD-10-CM or SNOMED CT: C48.0 is the same code in ICD-10-CM. */
export const RETROPERITONEUM_ICD10CM: Code = { system: SYSTEM.icd10cm, code: 'C48.0', display: 'Malignant neoplasm of retroperitoneum' };

/** Retroplan's own codes, for FNCLCC components, the surgical margin and markers, which have no verified standard code. */
export const RETROPLAN_CODES = {
  fnclccGrade: { system: SYSTEM.retroplan, code: 'fnclcc-grade', display: 'FNCLCC grade' },
  differentiationScore: { system: SYSTEM.retroplan, code: 'fnclcc-differentiation-score', display: 'FNCLCC differentiation score' },
  mitosisScore: { system: SYSTEM.retroplan, code: 'fnclcc-mitosis-score', display: 'FNCLCC mitotic count score' },
  necrosisScore: { system: SYSTEM.retroplan, code: 'fnclcc-necrosis-score', display: 'FNCLCC necrosis score' },
  totalScore: { system: SYSTEM.retroplan, code: 'fnclcc-total-score', display: 'FNCLCC total score' },
  mitosesPer10Hpf: { system: SYSTEM.retroplan, code: 'mitoses-per-10-hpf', display: 'Mitotic count per 10 high-power fields' },
  necrosisPercent: { system: SYSTEM.retroplan, code: 'necrosis-percent', display: 'Tumour necrosis (percent of tumour)' },
  margin: { system: SYSTEM.retroplan, code: 'surgical-margin', display: 'Surgical margin (R classification)' },
  marker: { system: SYSTEM.retroplan, code: 'marker', display: 'Tumour marker' },
  evaluation: { system: SYSTEM.retroplan, code: 'evaluation', display: 'Retroplan evaluation' },
  ageYears: { system: SYSTEM.retroplan, code: 'age-years', display: 'Age in years (no birth date recorded)' },
  imagingFindings: { system: SYSTEM.retroplan, code: 'imaging-findings', display: 'Imaging findings of the retroperitoneal tumour' },
  organInvolvement: { system: SYSTEM.retroplan, code: 'organ-involvement', display: 'Organs contacted or infiltrated by the tumour' },
  organContact: { system: SYSTEM.retroplan, code: 'organ-contact', display: 'Organ contacted' },
  organInfiltration: { system: SYSTEM.retroplan, code: 'organ-infiltration', display: 'Organ infiltrated' },
  sourceFhirId: { system: SYSTEM.retroplan, code: 'source-fhir-id', display: 'Patient id in the source FHIR server' },
  nationalId: { system: SYSTEM.retroplan, code: 'national-id', display: 'National patient identifier' },
  /**
   * The last date the patient was known alive (follow-up censoring date). mCODE has no element for it and
   * no LOINC code is verified here; an Encounter would invent a visit (a letter or a call also counts), so
   * it is an Observation with Retroplan's code and the date as valueDateTime.
   */
  lastContact: { system: SYSTEM.retroplan, code: 'last-contact', display: 'Date of last contact (patient known alive)' },
} as const satisfies Record<string, Code>;

/** ECOG performance status: LOINC 89247-1 (mCODE IG example ECOGPerformanceStatus). */
export const ECOG_CODE: Code = { system: SYSTEM.loinc, code: '89247-1', display: 'ECOG Performance Status score' };

/** HL7 v2 table 0203 identifier type for a medical record number. */
export const IDENTIFIER_TYPE_MR: Code = { system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' };

/** HL7 v2 table 0487 specimen type "tumor" (mCODE IG example tumor specimen). */
export const SPECIMEN_TYPE_TUMOR: Code = { system: 'http://terminology.hl7.org/CodeSystem/v2-0487', code: 'TUMOR', display: 'Tumor' };

/**
 * How a marker is recognised in Observation.code text or display. No LOINC code
 * for these markers is verified in REFERENCE.md, so matching is by name (whole
 * words, case-insensitive) and the import report says so. The marker's own
 * Retroplan code (`marker-<name>`) is recognised exactly.
 */
export const MARKER_NAME_PATTERNS: Readonly<Record<MarkerName, RegExp>> = {
  MDM2: /\bmdm2\b/i,
  CDK4: /\bcdk4\b/i,
  panCK: /\b(pan[- ]?cytokeratins?|pan[- ]?ck|ae1\/ae3|cytokeratin ae1\/ae3)\b/i,
  PAX8: /\bpax[- ]?8\b/i,
  CD45: /\b(cd45|lca|leu[ck]ocyte common antigen)\b/i,
  chromogranin: /\bchromogranin( a)?\b/i,
  synaptophysin: /\bsynaptophysin\b/i,
  desmin: /\bdesmin\b/i,
  SMA: /\b(sma|smooth muscle actin|alpha[- ]smooth muscle actin)\b/i,
  caldesmon: /\b(h-?caldesmon|caldesmon)\b/i,
  S100: /\bs-?100\b/i,
  SOX10: /\bsox-?10\b/i,
  KIT: /\b(kit|cd117|c-kit)\b/i,
  DOG1: /\bdog-?1\b/i,
  STAT6: /\bstat-?6\b/i,
  betaCatenin: /(\bbeta[- ]?catenin\b|β-?catenin)/i,
  HMB45: /\bhmb-?45\b/i,
  melanA: /\b(melan-?a|mart-?1)\b/i,
  SALL4: /\bsall-?4\b/i,
  OCT34: /\b(oct ?3\/4|oct-?4|pou5f1)\b/i,
  CD34: /\bcd34\b/i,
  H3K27me3: /\bh3 ?k27 ?me3\b/i,
};

/** LOINC answer codes seen in the mCODE IG tumour-marker examples (EX_ExtendedExample.fsh). */
export const LOINC_ANSWER_TEXT: Readonly<Record<string, string>> = {
  'LA6576-8': 'positive',
  'LA6577-6': 'negative',
};

export function codingOf(code: Code): { system: string; code: string; display?: string } {
  return code.display ? { system: code.system, code: code.code, display: code.display } : { system: code.system, code: code.code };
}
