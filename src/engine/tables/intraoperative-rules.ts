import type { EvidenceLevel, SourceId } from './sources.ts';

/**
 * What to do when the operation finds what imaging did not show: REFERENCE-2 §1
 * (intra-operative decision-making). Each rule is data: the recommended action,
 * the alternatives with their consequences, who to call and the evidence. The
 * reference marks almost all of §1 as consensus [C]; the figures quoted in the
 * consequences are [V] from the cited abstracts.
 */

export type Team = 'vascular' | 'hepatobiliary' | 'urology' | 'anaesthesia' | 'plastic-reconstructive';

export const TEAM_LABELS: Record<Team, string> = {
  vascular: 'vascular surgeon',
  hepatobiliary: 'hepatobiliary (HPB) surgeon',
  urology: 'urologist',
  anaesthesia: 'anaesthetist',
  'plastic-reconstructive': 'reconstructive surgeon',
};

export interface IntraopActionDefinition {
  readonly id: string;
  readonly label: string;
  /** What follows from taking this action. */
  readonly consequences: readonly string[];
  /** Whether it stops the curative resection (abort, close, re-plan). */
  readonly stopsResection?: boolean;
  /** Whether it removes the structure with the tumour (extends the en bloc plan). */
  readonly resectsStructure?: boolean;
  readonly evidence: EvidenceLevel;
  readonly sources: readonly SourceId[];
}

export interface StructureRule {
  /** Structure bases from `tables/anatomy.ts` this rule covers. */
  readonly bases: readonly string[];
  readonly situation: string;
  readonly recommended: IntraopActionDefinition;
  readonly alternatives: readonly IntraopActionDefinition[];
  readonly call: readonly Team[];
  /** Extra checks or documentation this structure brings. */
  readonly notes?: readonly string[];
}

const STOP_AND_REPLAN: IntraopActionDefinition = {
  id: 'stop-and-replan',
  label: 'stop, take tissue if the diagnosis is still open, document the extent, and re-plan at the MDT',
  consequences: ['no oncological benefit is lost by stopping when only a gross-residual (R2) resection is achievable', 'a second operation, systemic therapy or watchful waiting is decided at the MDT'],
  stopsResection: true,
  evidence: 'consensus',
  sources: ['NG-SWALLOW-2018', 'STRASS2'],
};

/** REFERENCE-2 §1.2 (table), §1.5 (vessels), §1.6 (femoral nerve), §1.7 (kidney). */
export const STRUCTURE_RULES: readonly StructureRule[] = [
  {
    bases: ['duodenum', 'pancreas_head'],
    situation: 'unexpected infiltration of the duodenum or pancreatic head',
    recommended: {
      id: 'pancreaticoduodenectomy-if-r0',
      label: 'en bloc pancreaticoduodenectomy — only if it converts the resection to R0/R1, the patient is fit and has consented, and the team has HPB capability',
      consequences: ['pancreaticoduodenectomy is singled out as a high-morbidity pattern (Clavien–Dindo ≥ III in 16.4 % of 1,007 primary resections overall)'],
      resectsStructure: true,
      evidence: 'consensus',
      sources: ['MACNEILL-2018'],
    },
    alternatives: [{ ...STOP_AND_REPLAN, label: 'do not enter the duodenum or pancreas: stop and re-plan at the MDT' }],
    call: ['hepatobiliary'],
  },
  {
    bases: ['liver'],
    situation: 'direct invasion of the liver',
    recommended: {
      id: 'non-anatomic-liver-resection',
      label: 'non-anatomic or segmental en bloc resection of the directly invaded part of the liver',
      consequences: ['adds a major organ to the resection: morbidity rises with the number of organs resected'],
      resectsStructure: true,
      evidence: 'consensus',
      sources: ['MACNEILL-2018'],
    },
    alternatives: [STOP_AND_REPLAN],
    call: ['hepatobiliary'],
  },
  {
    bases: ['pancreas_body_tail', 'spleen'],
    situation: 'infiltration of the pancreatic body/tail or spleen by a left-sided tumour',
    recommended: {
      id: 'distal-pancreatectomy-splenectomy',
      label: 'en bloc distal pancreatectomy with or without splenectomy',
      consequences: ['vaccinate against encapsulated bacteria after the operation if it was not done before', 'distal pancreatectomy/splenectomy is a pattern singled out for morbidity'],
      resectsStructure: true,
      evidence: 'consensus',
      sources: ['MACNEILL-2018'],
    },
    alternatives: [STOP_AND_REPLAN],
    call: ['hepatobiliary'],
  },
  {
    bases: ['ivc'],
    situation: 'inferior vena cava involved',
    recommended: {
      id: 'resect-ivc-reconstruct',
      label: 'resect the involved IVC and reconstruct with a graft (patent cava); protect the renal outflow for a suprarenal or retro-hepatic segment',
      consequences: ['Milan series (67 patients): 5-year OS 56.2 %; crude cumulative incidence of local recurrence 12.4 %, distant metastasis 51.5 %', 'pooled 30-day mortality 3 % with vascular resection'],
      resectsStructure: true,
      evidence: 'consensus',
      sources: ['FERRARIS-2019', 'VASC-SR-2023', 'SCHWARZBACH-2006'],
    },
    alternatives: [
      {
        id: 'ligate-ivc',
        label: 'ligate the IVC without reconstruction — acceptable only for a chronically occluded cava with established collaterals',
        consequences: ['in series without reconstruction, adequate collaterals decided the choice (6 of 38 circumferential resections were ligated)'],
        resectsStructure: true,
        evidence: 'consensus',
        sources: ['FERRARIS-2019', 'IVC-2012'],
      },
    ],
    call: ['vascular'],
  },
  {
    bases: ['iliac_vein'],
    situation: 'iliac vein involved',
    recommended: {
      id: 'resect-iliac-vein',
      label: 'resect the involved iliac vein; ligation is often tolerated, reconstruction where collaterals are poor',
      consequences: ['ligation is paid for with leg oedema'],
      resectsStructure: true,
      evidence: 'consensus',
      sources: ['VASC-SR-2023'],
    },
    alternatives: [STOP_AND_REPLAN],
    call: ['vascular'],
  },
  {
    bases: ['iliac_artery'],
    situation: 'iliac artery involved',
    recommended: {
      id: 'resect-iliac-artery-reconstruct',
      label: 'resect and always reconstruct the iliac artery',
      consequences: ['all arterial involvement was reconstructed in the Schwarzbach series', 'major complications 27 % in pooled RPS vascular resections'],
      resectsStructure: true,
      evidence: 'consensus',
      sources: ['SCHWARZBACH-2006', 'VASC-SR-2023'],
    },
    alternatives: [STOP_AND_REPLAN],
    call: ['vascular'],
  },
  {
    bases: ['renal_vein', 'renal_artery'],
    situation: 'renal vessel involved',
    recommended: {
      id: 'resect-with-kidney',
      label: 'resect the renal vessel with the kidney en bloc (check the other kidney first — see the kidney rule)',
      consequences: ['after en bloc nephrectomy eGFR falls to about 73.5 % of baseline'],
      resectsStructure: true,
      evidence: 'consensus',
      sources: ['CHO-2018'],
    },
    alternatives: [STOP_AND_REPLAN],
    call: ['urology'],
  },
  {
    bases: ['aorta', 'superior_mesenteric_artery', 'celiac_trunk', 'portal_vein', 'superior_mesenteric_vein'],
    situation: 'infiltration of the aorta, SMA, coeliac trunk or portal/mesenteric vein',
    recommended: {
      id: 'subadventitial-dissection-if-plane',
      label: 'sub-adventitial dissection only if a plane exists; otherwise stop',
      consequences: ['infiltration of these vessels usually makes the tumour unresectable (only an R2 resection is expected without a plane)'],
      evidence: 'consensus',
      sources: ['STRASS2', 'SCHWARZBACH-2006'],
    },
    alternatives: [STOP_AND_REPLAN],
    call: ['vascular'],
  },
  {
    bases: ['spine'],
    situation: 'infiltration of bone (spine)',
    recommended: STOP_AND_REPLAN,
    alternatives: [],
    call: [],
    notes: ['bone infiltration is a STRASS2 criterion of unresectability'],
  },
  {
    bases: ['femoral_nerve', 'lumbosacral_plexus'],
    situation: 'direct infiltration of the femoral nerve or lumbosacral plexus',
    recommended: {
      id: 'sacrifice-nerve-if-infiltrated',
      label: 'sacrifice the nerve only for direct infiltration, and only with the consent recorded before the operation',
      consequences: [
        'femoral nerve: loss of active knee extension, weaker hip flexion, numbness of the anteromedial thigh and medial leg',
        'falls and fractures follow (6 fractures, 4 from falls, after 10 femoral-nerve resections)',
        'after the operation: physiotherapy, knee brace or orthosis, falls-prevention advice; follow-up asks about falls and fractures',
      ],
      resectsStructure: true,
      evidence: 'consensus',
      sources: ['PLEXOPATHY-2022', 'JONES-2010'],
    },
    alternatives: [
      {
        id: 'preserve-nerve',
        label: 'preserve the nerve and accept a close margin there (mark it with clips)',
        consequences: ['a close or microscopically positive margin along the nerve'],
        evidence: 'consensus',
        sources: ['PLEXOPATHY-2022'],
      },
    ],
    call: [],
  },
  {
    bases: ['kidney'],
    situation: 'kidney at risk',
    recommended: {
      id: 'nephrectomy-en-bloc',
      label: 'en bloc nephrectomy when the other kidney is known to be of normal size and function',
      consequences: ['eGFR about 73.5 % of baseline afterwards; 58 % rise a CKD stage; acute kidney injury 14.8 % vs 4.3 % (adjusted OR 5.16)'],
      resectsStructure: true,
      evidence: 'consensus',
      sources: ['CHO-2018', 'STAHL-USSC'],
    },
    alternatives: [
      {
        id: 'preserve-kidney',
        label: 'do not remove the kidney for a margin alone; dissect it free',
        consequences: ['a close margin on the kidney, marked with clips'],
        evidence: 'consensus',
        sources: ['CHO-2018'],
      },
    ],
    call: ['urology'],
  },
];

/** Structures the rules above do not name: extend the en bloc resection to include them (REFERENCE §5 organ classes). */
export const DEFAULT_STRUCTURE_RULE: Omit<StructureRule, 'bases'> = {
  situation: 'unexpected infiltration of a structure that can be removed with the tumour',
  recommended: {
    id: 'extend-en-bloc',
    label: 'extend the en bloc resection to include the infiltrated structure',
    consequences: ['each added organ adds morbidity; resection of ≥ 3 contiguous organs independently predicted disease-specific death at MSKCC'],
    resectsStructure: true,
    evidence: 'consensus',
    sources: ['TAN-2016', 'TARPSWG-2015'],
  },
  alternatives: [STOP_AND_REPLAN],
  call: [],
};

/** When the other kidney's function is unknown and a nephrectomy is in question (REFERENCE-2 §1.7 [C]). */
export const KIDNEY_FUNCTION_UNKNOWN: IntraopActionDefinition = {
  id: 'confirm-contralateral-kidney',
  label: 'do not remove the kidney for a margin alone: palpate and confirm the other kidney; if its function cannot be established, stop and re-plan unless the kidney is grossly infiltrated and nephrectomy is the only route to R0/R1',
  consequences: ['a nephrectomy with an unknown contralateral kidney risks renal failure'],
  evidence: 'consensus',
  sources: ['CHO-2018', 'STAHL-USSC'],
};

export const RUPTURE_EXTENTS = ['focal_capsular_breach', 'gross_spillage', 'piecemeal_removal'] as const;
export type RuptureExtent = (typeof RUPTURE_EXTENTS)[number];

/** REFERENCE-2 §1.3: rupture is its own flag, never an R status. */
export const RUPTURE_RULE: IntraopActionDefinition = {
  id: 'continue-and-document-rupture',
  label: 'complete the planned en bloc resection; record the rupture as its own finding (not as an R status); lavage; discuss at the MDT',
  consequences: ['rupture carries a high risk of peritoneal recurrence and is an independent adverse factor for overall survival'],
  evidence: 'consensus',
  sources: ['BONVALOT-2009'],
};

export const FROZEN_SECTION_TARGETS = ['diagnosis', 'margin', 'nodule'] as const;
export const FROZEN_SECTION_RESULTS = ['tumour', 'no_tumour', 'indeterminate'] as const;

/** REFERENCE-2 §1.4. */
export const FROZEN_SECTION_RULES: Record<(typeof FROZEN_SECTION_TARGETS)[number], { readonly message: string; readonly evidence: EvidenceLevel; readonly sources: readonly SourceId[] }> = {
  diagnosis: {
    message: 'a frozen section is not a basis for the primary diagnosis (interpretation is poor and IHC/MDM2 FISH are not available): the diagnosis comes from the pre-operative core biopsy',
    evidence: 'verified',
    sources: ['SCAN-2015'],
  },
  margin: {
    message: 'a frozen section of a margin of a large fatty tumour is unreliable (well-differentiated liposarcoma vs normal fat; sampling): do not extend or stop the resection on it alone',
    evidence: 'consensus',
    sources: ['SCAN-2015'],
  },
  nodule: {
    message: 'a frozen section may confirm that a separate nodule, implant or node is tumour when that changes the plan (a peritoneal deposit ends curative intent)',
    evidence: 'consensus',
    sources: ['SCAN-2015'],
  },
};

export const UNRESECTABILITY_FINDINGS = ['peritoneal_deposits', 'critical_vessel_no_plane', 'gross_residual_unavoidable', 'distant_metastasis'] as const;

/** REFERENCE-2 §1.1 rule `intraop.expected_R2` [C]; exceptions with palliative intent. */
export const EXPECTED_R2_RULE: IntraopActionDefinition = {
  ...STOP_AND_REPLAN,
  id: 'stop-expected-r2',
};

export const PALLIATIVE_EXCEPTION: IntraopActionDefinition = {
  id: 'palliative-resection',
  label: 'resect with palliative intent only for bleeding, bowel obstruction, intractable pain or another symptom the resection is expected to relieve — recorded as intent: palliative',
  consequences: ['in recurrent RPS operation palliated symptoms in 79 %; this is not to be extrapolated to primary tumours'],
  evidence: 'consensus',
  sources: ['GROBMYER-2010', 'NG-SWALLOW-2018'],
};

/** Haemorrhage or instability: the reference gives no oncological rule; control comes first. */
export const HAEMORRHAGE_RULE: IntraopActionDefinition = {
  id: 'control-haemorrhage',
  label: 'control the bleeding and stabilise the patient first; continue the oncological resection only once stable, otherwise stop and re-plan',
  consequences: ['transfusion independently predicts severe morbidity after RPS resection'],
  evidence: 'consensus',
  sources: ['MACNEILL-2018'],
};

/** REFERENCE-2 §1.8 and §1.2 (deviation record), §1.3 (rupture record). */
export const DOCUMENTATION = {
  'deviation-record': { label: 'record every deviation from the pre-operative plan (organ added, organ spared, abort) with its reason', sources: ['NG-SWALLOW-2018'] },
  'clips': { label: 'radio-opaque clips at close or positive margins and at any tumour left behind (for radiotherapy planning and surveillance)', sources: ['SCAN-2015'] },
  'orientation': { label: 'orient the specimen (sutures or a labelled diagram: posterior/psoas surface, vascular margin, cranial end) and list the organs resected', sources: ['UMICH-GROSS', 'SCAN-2015'] },
  'rupture-record': { label: 'rupture: extent, time point (before/after mobilisation), site, estimated volume, peritoneal contamination, lavage, specimen photographed', sources: ['BONVALOT-2009'] },
  'nerve-record': { label: 'record the nerve resected (e.g. femoral nerve, side) so follow-up prompts a falls and fracture check', sources: ['PLEXOPATHY-2022'] },
  'residual-extent': { label: 'document the extent of the disease left and where (clips), for the MDT', sources: ['NG-SWALLOW-2018'] },
} as const satisfies Record<string, { label: string; sources: readonly SourceId[] }>;
export type DocumentationId = keyof typeof DOCUMENTATION;
