import type {
  Bundle,
  BundleEntry,
  CodeableConcept,
  Condition,
  Device,
  DiagnosticReport,
  Observation,
  ObservationComponent,
  Patient,
  Procedure,
  Provenance,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { MARKERS, histologyByCode, type Case, type Evaluation, type MarkerName } from '../../engine/index.ts';
import {
  AJCC8_METHOD,
  EXTENSION,
  GRADE_CODES,
  GRADE_VALUES,
  PROFILE,
  RETROPERITONEUM_ICD10,
  RETROPERITONEUM_TOPOGRAPHY,
  RETROPLAN_CODES,
  STAGE_GROUP_CODES,
  SYSTEM,
  TUMOR_LONGEST_DIMENSION_CODE,
  TUMOR_SIZE_CODE,
  codingOf,
  stagingCodesFor,
  type Code,
} from './codes.ts';

/**
 * Case + evaluation → a FHIR R4 collection Bundle following the mCODE profiles
 * (REFERENCE.md §10; DEPENDENCIES.md "mCODE coding notes"): primary cancer
 * condition, tumour size, TNM categories and stage group (AJCC 8 method,
 * cancerstaging.org values), histologic grade with the FNCLCC score kept as
 * components, markers and margin, and a DiagnosticReport carrying the readable report.
 * Pure: the time stamp and id generator are parameters.
 */

export interface ExportInput {
  readonly case: Case;
  readonly evaluation: Evaluation;
  /** The readable report, carried base64 in DiagnosticReport.presentedForm. */
  readonly reportText: string;
  /** When the export was made (FHIR instant, e.g. 2025-01-01T10:00:00Z). */
  readonly issued: string;
  /** Returns a new UUID for each resource (crypto.randomUUID in adapters, a counter in tests). */
  readonly newId: () => string;
  /** A Patient the EHR already holds (e.g. `Patient/123`); without it a minimal Patient is included. */
  readonly patientReference?: string;
}

function concept(codes: readonly Code[], text?: string): CodeableConcept {
  return { coding: codes.map(codingOf), ...(text !== undefined ? { text } : {}) };
}

function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function exportBundle(input: ExportInput): Bundle {
  const { case: c, evaluation, issued } = input;
  const entries: BundleEntry[] = [];
  const add = <R extends Resource>(resource: R): Reference<R> => {
    const id = input.newId();
    const fullUrl = `urn:uuid:${id}`;
    entries.push({ fullUrl, resource: { ...resource, id } });
    return { reference: fullUrl, type: resource.resourceType } as Reference<R>;
  };

  let subject: Reference<Patient>;
  if (input.patientReference !== undefined) {
    subject = { reference: input.patientReference, type: 'Patient' };
  } else {
    const patient: Patient = { resourceType: 'Patient', ...(c.patient.sex ? { gender: c.patient.sex } : {}) };
    subject = add<Patient>(patient);
  }

  const histology = histologyByCode(c.pathology.histology);
  const isSarcoma = histology?.category === 'sarcoma';
  const condition: Condition = {
    resourceType: 'Condition',
    ...(isSarcoma ? { meta: { profile: [PROFILE.primaryCancerCondition] } } : {}),
    ...(c.pathology.histology
      ? {
          extension: [
            {
              url: EXTENSION.histologyMorphologyBehavior,
              valueCodeableConcept: concept([{ system: SYSTEM.icdo3, code: c.pathology.histology, ...(histology ? { display: histology.name } : {}) }]),
            },
          ],
        }
      : {}),
    clinicalStatus: concept([{ system: SYSTEM.conditionClinical, code: c.presentation === 'recurrent' ? 'recurrence' : 'active' }]),
    verificationStatus: concept([{ system: SYSTEM.conditionVerification, code: c.pathology.histology ? 'confirmed' : 'provisional' }]),
    category: [concept([{ system: SYSTEM.conditionCategory, code: 'problem-list-item' }])],
    code: isSarcoma
      ? concept([RETROPERITONEUM_ICD10], `Retroperitoneal ${histology!.name}`)
      : { text: histology ? `Retroperitoneal ${histology.name}` : 'Retroperitoneal tumour, histology not established' },
    bodySite: [concept([{ system: SYSTEM.icdo3, code: RETROPERITONEUM_TOPOGRAPHY, display: 'Retroperitoneum' }])],
    subject,
  };
  const focus = add<Condition>(condition);
  const results: Reference<Observation>[] = [];
  const observation = (o: Omit<Observation, 'resourceType' | 'status' | 'subject'>): Reference<Observation> => {
    const ref = add<Observation>({ resourceType: 'Observation', status: 'final', subject, effectiveDateTime: issued, issued, ...o });
    results.push(ref);
    return ref;
  };

  if (c.tumor.sizeCm !== undefined) {
    observation({
      meta: { profile: [PROFILE.tumorSize] },
      code: concept([TUMOR_SIZE_CODE]),
      focus: [focus],
      component: [
        {
          code: concept([TUMOR_LONGEST_DIMENSION_CODE]),
          valueQuantity: { value: c.tumor.sizeCm, unit: 'cm', system: SYSTEM.ucum, code: 'cm' },
        },
      ],
    });
  }

  const stage = evaluation.stage;
  // Pathological staging once a resection specimen was examined; clinical otherwise (AJCC 8 prefixes c/p).
  const basis = c.pathology.specimen === 'resection' ? 'pathological' : 'clinical';
  const prefix = basis === 'pathological' ? 'p' : 'c';
  const category = (kind: 'T' | 'N' | 'M', profile: string, value: string) =>
    observation({
      meta: { profile: [profile] },
      category: [concept([{ system: SYSTEM.observationCategory, code: 'survey' }])],
      code: concept(stagingCodesFor(kind, basis)),
      method: concept([AJCC8_METHOD]),
      focus: [focus],
      valueCodeableConcept: concept([{ system: SYSTEM.cancerstaging, code: `${prefix}${value}` }], `${prefix}${value}`),
    });
  const members: Reference<Observation>[] = [];
  // T from the size only where the retroperitoneal sarcoma system applies; N and M only when recorded:
  // AJCC 8 stages an unknown N as N0 and an unrecorded M as M0, which are not findings to write back.
  if (stage.t !== 'TX' && evaluation.stage.group !== null) members.push(category('T', PROFILE.tnmPrimaryTumorCategory, stage.t));
  if (c.tumor.nodes) members.push(category('N', PROFILE.tnmRegionalNodesCategory, c.tumor.nodes));
  if (c.tumor.metastasis) members.push(category('M', PROFILE.tnmDistantMetastasesCategory, c.tumor.metastasis));
  if (stage.group !== null) {
    const groupCode = STAGE_GROUP_CODES.find((row) => row.group === stage.group)!.code;
    observation({
      meta: { profile: [PROFILE.tnmStageGroup] },
      category: [concept([{ system: SYSTEM.observationCategory, code: 'survey' }])],
      code: concept(stagingCodesFor('group', basis)),
      method: concept([AJCC8_METHOD]),
      focus: [focus],
      valueCodeableConcept: concept([{ system: SYSTEM.cancerstaging, code: groupCode }], `Stage ${stage.group}${stage.recurrent ? ' (recurrent)' : ''}`),
      hasMember: members,
      note: [{ text: stage.reasons.join(' ') }],
    });
  }

  const grade = evaluation.grade;
  if (grade.grade !== 'GX') {
    const value = GRADE_VALUES.find((row) => row.grade === grade.grade)!;
    const component: ObservationComponent[] = [
      { code: concept([RETROPLAN_CODES.fnclccGrade]), valueCodeableConcept: concept([{ system: SYSTEM.retroplan, code: grade.grade }], `FNCLCC ${grade.grade}`) },
    ];
    const score = (code: Code, v: number | undefined) => {
      if (v !== undefined) component.push({ code: concept([code]), valueInteger: v });
    };
    score(RETROPLAN_CODES.differentiationScore, grade.differentiationScore);
    score(RETROPLAN_CODES.mitosisScore, grade.mitosisScore);
    score(RETROPLAN_CODES.necrosisScore, grade.necrosisScore);
    score(RETROPLAN_CODES.totalScore, grade.totalScore);
    const fnclcc = c.pathology.fnclcc;
    if (fnclcc) {
      component.push(
        { code: concept([RETROPLAN_CODES.mitosesPer10Hpf]), valueQuantity: { value: fnclcc.mitosesPer10Hpf, unit: 'mitoses per 10 HPF' } },
        { code: concept([RETROPLAN_CODES.necrosisPercent]), valueQuantity: { value: fnclcc.necrosisPercent, unit: '%', system: SYSTEM.ucum, code: '%' } },
      );
    }
    observation({
      meta: { profile: [PROFILE.histologicGrade] },
      extension: [{ url: EXTENSION.relatedCondition, valueReference: focus }],
      category: [concept([{ system: SYSTEM.observationCategory, code: 'laboratory' }])],
      code: concept(GRADE_CODES),
      method: { text: 'FNCLCC grading system (French Federation of Cancer Centers Sarcoma Group)' },
      valueCodeableConcept: concept([value.code], `FNCLCC ${grade.grade}${grade.totalScore !== undefined ? ` (score ${grade.totalScore})` : ''}`),
      component,
    });
  }

  for (const [name, result] of Object.entries(c.pathology.markers ?? {}) as [MarkerName, string | undefined][]) {
    if (result === undefined) continue;
    observation({
      category: [concept([{ system: SYSTEM.observationCategory, code: 'laboratory' }])],
      code: concept([{ system: SYSTEM.retroplan, code: `marker-${name}`, display: MARKERS[name].label }], MARKERS[name].label),
      focus: [focus],
      valueCodeableConcept: concept([{ system: SYSTEM.retroplan, code: result }], result.replace('_', ' ')),
    });
  }

  if (c.surgery?.margin) {
    const procedure = add<Procedure>({
      resourceType: 'Procedure',
      status: 'completed',
      code: { text: 'Resection of retroperitoneal tumour' },
      subject,
      reasonReference: [focus],
    });
    observation({
      category: [concept([{ system: SYSTEM.observationCategory, code: 'laboratory' }])],
      code: concept([RETROPLAN_CODES.margin], 'Surgical margin (R classification)'),
      partOf: [procedure],
      focus: [focus],
      valueCodeableConcept: concept([{ system: SYSTEM.retroplan, code: c.surgery.margin }], c.surgery.margin),
    });
  }

  const summary = [
    stage.group ? `AJCC 8 stage ${stage.group} (${stage.t} ${stage.n} ${stage.m} ${stage.g})` : `No AJCC 8 stage group (${stage.t} ${stage.n} ${stage.m} ${stage.g})`,
    `FNCLCC ${grade.grade}`,
    histology ? histology.name : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  add<DiagnosticReport>({
    resourceType: 'DiagnosticReport',
    status: 'final',
    code: concept([RETROPLAN_CODES.evaluation], 'Retroplan evaluation'),
    subject,
    effectiveDateTime: issued,
    issued,
    result: results,
    conclusion: summary,
    presentedForm: [{ contentType: 'text/plain', language: 'en', title: 'Retroplan evaluation report', data: base64Utf8(input.reportText) }],
  });

  addReleaseProvenance(add, entries, evaluation, issued);
  return { resourceType: 'Bundle', type: 'collection', timestamp: issued, entry: entries };
}

/**
 * The release that produced the bundle: a Device carrying the engine and clinical-rules
 * versions, and a Provenance naming it as the assembler of every other resource, so any
 * exported answer can be traced to the safety case of that release (safety/hazards.yaml).
 */
function addReleaseProvenance(add: <R extends Resource>(r: R) => Reference<R>, entries: readonly BundleEntry[], evaluation: Evaluation, issued: string): void {
  const engine = evaluation.engine as Evaluation['engine'] & { rulesVersion?: string };
  const targets = entries.flatMap((e) => (e.fullUrl ? [{ reference: e.fullUrl }] : []));
  const device = add<Device>({
    resourceType: 'Device',
    deviceName: [{ name: 'Retroplan', type: 'manufacturer-name' }],
    version: [
      { type: { text: 'engine' }, value: engine.version },
      ...(engine.rulesVersion ? [{ type: { text: 'clinical rules' }, value: engine.rulesVersion }] : []),
    ],
  });
  add<Provenance>({
    resourceType: 'Provenance',
    target: targets,
    recorded: issued,
    agent: [{ type: concept([{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'assembler' }]), who: device }],
  });
}
