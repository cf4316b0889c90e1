import type {
  BodyStructure,
  Bundle,
  BundleEntry,
  CodeableConcept,
  Condition,
  Device,
  DiagnosticReport,
  Identifier,
  MedicationAdministration,
  Observation,
  ObservationComponent,
  Patient,
  Procedure,
  Provenance,
  Period,
  Reference,
  Resource,
  Specimen,
} from '@medplum/fhirtypes';
import { MARKERS, histologyByCode, type Case, type Evaluation, type MarkerName } from '../../engine/index.ts';
import {
  AJCC8_METHOD,
  CANCER_DISEASE_STATUS_CODE,
  CLAVIEN_DINDO_CODE_PREFIX,
  CONDITION_WORSENED,
  DEATH_CAUSE_CODES,
  CAUSE_OF_DEATH_CODES,
  FOLLOW_UP_EVENT_CODES,
  RADIOTHERAPY_COURSE_CODE,
  RESPONSE_CODES,
  THERAPY_TIMING,
  ECOG_CODE,
  EXTENSION,
  GRADE_CODES,
  GRADE_VALUES,
  IDENTIFIER_TYPE_MR,
  PROFILE,
  RETROPERITONEUM_ICD10CM,
  RETROPERITONEUM_TOPOGRAPHY,
  RETROPLAN_CODES,
  SPECIMEN_TYPE_TUMOR,
  STAGE_GROUP_CODES,
  SYSTEM,
  TUMOR_LONGEST_DIMENSION_CODE,
  TUMOR_SIZE_CODE,
  codingOf,
  stagingCodesFor,
  type Code,
} from './codes.ts';
import { SNOMED_RETROPERITONEUM } from './terminology/sites.ts';
import { gyToCgy } from './terminology/units.ts';

/**
 * Case + evaluation → a FHIR R4 collection Bundle following the mCODE profiles
 * (REFERENCE.md §10; DEPENDENCIES.md "mCODE coding notes"): the Patient with its
 * identifiers, the primary cancer condition (ICD-10-CM C48.0, SNOMED CT and ICD-O-3
 * site), a Tumor BodyStructure (site and laterality) that the tumour size is about,
 * TNM categories and stage group (clinical or pathological by `stage.basis`,
 * `preliminary` while the stage is provisional), the histologic grade with the
 * FNCLCC score, markers, margin, specimen, ECOG, the case's dates, a Provenance
 * naming what Retroplan derived and its engine version, and a DiagnosticReport
 * with the readable report; neoadjuvant/adjuvant chemotherapy and radiotherapy, the response to
 * neoadjuvant therapy, the cause of death and the last contact (issue 14, see codes.ts for each code's
 * source). Values without a verified standard code use
 * Retroplan's own code system so a round trip loses nothing.
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
  /** A Patient the EHR already holds (e.g. `Patient/123`); without it a Patient is included. */
  readonly patientReference?: string;
}

/** Meta.source of resources whose ids exist only in a Retroplan export. */
export const EXPORT_SOURCE = 'urn:retroplan:export';

/** SNOMED CT laterality qualifiers (HL7 laterality value set, mCODE IG examples). */
const LATERALITY: Readonly<Record<string, Code>> = {
  left: { system: SYSTEM.snomed, code: '7771000', display: 'Left (qualifier value)' },
  right: { system: SYSTEM.snomed, code: '24028007', display: 'Right (qualifier value)' },
  midline: { system: SYSTEM.retroplan, code: 'side-midline', display: 'Midline' },
  pelvic: { system: SYSTEM.retroplan, code: 'side-pelvic', display: 'Pelvic' },
};
export const SIDE_CODES = LATERALITY;

function concept(codes: readonly Code[], text?: string): CodeableConcept {
  return { coding: codes.map(codingOf), ...(text !== undefined ? { text } : {}) };
}

function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function identifiersOf(c: Case): Identifier[] {
  return (c.patient.identifiers ?? []).map((i) => {
    const type =
      i.kind === 'mrn' ? concept([IDENTIFIER_TYPE_MR]) : i.kind === 'national' ? concept([RETROPLAN_CODES.nationalId]) : i.kind === 'fhir' ? concept([RETROPLAN_CODES.sourceFhirId]) : undefined;
    return { ...(type ? { type } : {}), ...(i.system !== undefined ? { system: i.system } : {}), value: i.value };
  });
}

/**
 * The case records no dates for chemotherapy or radiotherapy, but FHIR R4 requires
 * MedicationAdministration.effective[x] and US Core (us-core-7) a performed[x] for a completed
 * procedure: the period is present and says why it is empty (FHIR data-absent-reason), not invented.
 */
const UNKNOWN_PERIOD: Period = { extension: [{ url: EXTENSION.dataAbsentReason, valueCode: 'unknown' }] };

function deathDate(c: Case): string | undefined {
  let found: string | undefined;
  for (const e of c.followUp?.events ?? []) if (e.type === 'death' && (found === undefined || e.date < found)) found = e.date;
  return found;
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
  const derived: Reference[] = [];

  let subject: Reference<Patient>;
  if (input.patientReference !== undefined) {
    subject = { reference: input.patientReference, type: 'Patient' };
  } else {
    const identifier = identifiersOf(c);
    const patient: Patient = {
      resourceType: 'Patient',
      // The id is local to this export (not a source system's patient id): marked so an import does not store it.
      meta: { source: EXPORT_SOURCE },
      ...(identifier.length > 0 ? { identifier } : {}),
      ...(c.patient.name !== undefined ? { name: [{ text: c.patient.name }] } : {}),
      ...(c.patient.sex ? { gender: c.patient.sex } : {}),
      ...(c.patient.dateOfBirth !== undefined ? { birthDate: c.patient.dateOfBirth } : {}),
      ...(deathDate(c) !== undefined ? { deceasedDateTime: deathDate(c) } : {}),
    };
    subject = add<Patient>(patient);
  }

  const histology = histologyByCode(c.pathology.histology);
  const isSarcoma = histology?.category === 'sarcoma';
  const siteConcept = concept(
    [
      { system: SYSTEM.snomed, code: SNOMED_RETROPERITONEUM.code, display: SNOMED_RETROPERITONEUM.display },
      { system: SYSTEM.icdo3, code: RETROPERITONEUM_TOPOGRAPHY, display: 'Retroperitoneum' },
    ],
    'Retroperitoneum',
  );
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
      ? concept([RETROPERITONEUM_ICD10CM], `Retroperitoneal ${histology!.name}`)
      : { text: histology ? `Retroperitoneal ${histology.name}` : 'Retroperitoneal tumour, histology not established' },
    bodySite: [siteConcept],
    subject,
    ...(c.pathology.date !== undefined ? { recordedDate: c.pathology.date } : c.tumor.imaging?.date !== undefined ? { recordedDate: c.tumor.imaging.date } : {}),
  };
  const focus = add<Condition>(condition);

  // mCODE Tumor: the tumour as a body structure, with its laterality; the size is about it.
  const side = c.tumor.side !== undefined ? LATERALITY[c.tumor.side] : undefined;
  const tumor = add<BodyStructure>({
    resourceType: 'BodyStructure',
    meta: { profile: [PROFILE.tumor] },
    extension: [{ url: EXTENSION.relatedCondition, valueReference: focus }],
    location: siteConcept,
    ...(side ? { locationQualifier: [concept([side])] } : {}),
    patient: subject,
  });

  const results: Reference<Observation>[] = [];
  const observation = (o: Omit<Observation, 'resourceType' | 'status' | 'subject'> & { status?: Observation['status'] }, date?: string): Reference<Observation> => {
    // The clinical date from the case; without one no effective time is invented (the export time is `issued`).
    const ref = add<Observation>({ resourceType: 'Observation', status: 'final', subject, ...(date !== undefined ? { effectiveDateTime: date } : {}), issued, ...o });
    results.push(ref);
    return ref;
  };
  const imagingDate = c.tumor.imaging?.date;
  const pathologyDate = c.pathology.date;

  if (c.patient.ageYears !== undefined && c.patient.dateOfBirth === undefined) {
    observation({ code: concept([RETROPLAN_CODES.ageYears]), valueQuantity: { value: c.patient.ageYears, unit: 'years', system: SYSTEM.ucum, code: 'a' } });
  }
  if (c.patient.ecog !== undefined) {
    observation({ meta: { profile: [PROFILE.ecog] }, category: [concept([{ system: SYSTEM.observationCategory, code: 'survey' }])], code: concept([ECOG_CODE]), valueInteger: c.patient.ecog });
  }

  if (c.tumor.sizeCm !== undefined) {
    observation(
      {
        meta: { profile: [PROFILE.tumorSize] },
        code: concept([TUMOR_SIZE_CODE]),
        focus: [tumor],
        component: [{ code: concept([TUMOR_LONGEST_DIMENSION_CODE]), valueQuantity: { value: c.tumor.sizeCm, unit: 'cm', system: SYSTEM.ucum, code: 'cm' } }],
      },
      imagingDate,
    );
  }

  const imaging = c.tumor.imaging;
  const imagingComponents: ObservationComponent[] = [];
  for (const key of ['macroscopicFat', 'solidComponent', 'hypervascular', 'calcification'] as const) {
    if (imaging?.[key] !== undefined) imagingComponents.push({ code: concept([{ system: SYSTEM.retroplan, code: `imaging-${key}` }]), valueBoolean: imaging[key] });
  }
  for (const key of ['vesselOrigin', 'organOfOrigin', 'modality'] as const) {
    if (imaging?.[key] !== undefined) imagingComponents.push({ code: concept([{ system: SYSTEM.retroplan, code: `imaging-${key}` }]), valueCodeableConcept: concept([{ system: SYSTEM.retroplan, code: imaging[key] }]) });
  }
  if (imagingComponents.length > 0) observation({ code: concept([RETROPLAN_CODES.imagingFindings]), focus: [tumor], component: imagingComponents }, imagingDate);

  const involvement: ObservationComponent[] = [
    ...(c.tumor.contacts ?? []).map((organ) => ({ code: concept([RETROPLAN_CODES.organContact]), valueCodeableConcept: concept([{ system: SYSTEM.retroplan, code: organ }]) })),
    ...(c.tumor.infiltrates ?? []).map((organ) => ({ code: concept([RETROPLAN_CODES.organInfiltration]), valueCodeableConcept: concept([{ system: SYSTEM.retroplan, code: organ }]) })),
  ];
  if (involvement.length > 0) observation({ code: concept([RETROPLAN_CODES.organInvolvement]), focus: [tumor], component: involvement }, imagingDate);

  const stage = evaluation.stage;
  // Pathological vs clinical staging by the engine's stage.basis (AJCC 8 prefixes c/p); before that field
  // exists, pathological once a resection specimen was examined.
  const declared = (stage as { basis?: unknown }).basis;
  const basis: 'clinical' | 'pathological' = declared === 'pathological' || declared === 'clinical' ? declared : c.pathology.specimen === 'resection' ? 'pathological' : 'clinical';
  const provisional = (stage as { provisional?: unknown }).provisional === true;
  const stageStatus: Observation['status'] = provisional ? 'preliminary' : 'final';
  const stageDate = basis === 'pathological' ? (pathologyDate ?? c.surgery?.date) : imagingDate;
  const prefix = basis === 'pathological' ? 'p' : 'c';
  // AJCC 8 has no pathological M0 (pM0): without a resected metastasis, M0 stays cM0 in a pathological stage.
  const categoryCode = (kind: 'T' | 'N' | 'M', value: string) => `${kind === 'M' && value === 'M0' ? 'c' : prefix}${value}`;
  const category = (kind: 'T' | 'N' | 'M', profile: string, value: string) => {
    const ref = observation(
      {
        status: stageStatus,
        meta: { profile: [profile] },
        category: [concept([{ system: SYSTEM.observationCategory, code: 'survey' }])],
        code: concept(stagingCodesFor(kind, basis)),
        method: concept([AJCC8_METHOD]),
        focus: [focus],
        valueCodeableConcept: concept([{ system: SYSTEM.cancerstaging, code: categoryCode(kind, value) }], categoryCode(kind, value)),
      },
      stageDate,
    );
    return ref;
  };
  const members: Reference<Observation>[] = [];
  // T from the size only where the retroperitoneal sarcoma system applies; N and M only when recorded:
  // AJCC 8 stages an unknown N as N0 and an unrecorded M as M0, which are not findings to write back.
  if (stage.t !== 'TX' && evaluation.stage.group !== null) {
    const t = category('T', PROFILE.tnmPrimaryTumorCategory, stage.t);
    members.push(t);
    derived.push(t);
  }
  if (c.tumor.nodes) members.push(category('N', PROFILE.tnmRegionalNodesCategory, c.tumor.nodes));
  if (c.tumor.metastasis) members.push(category('M', PROFILE.tnmDistantMetastasesCategory, c.tumor.metastasis));
  if (stage.group !== null) {
    const groupCode = STAGE_GROUP_CODES.find((row) => row.group === stage.group)!.code;
    derived.push(
      observation(
        {
          status: stageStatus,
          meta: { profile: [PROFILE.tnmStageGroup] },
          category: [concept([{ system: SYSTEM.observationCategory, code: 'survey' }])],
          code: concept(stagingCodesFor('group', basis)),
          method: concept([AJCC8_METHOD]),
          focus: [focus],
          valueCodeableConcept: concept([{ system: SYSTEM.cancerstaging, code: groupCode }], `${provisional ? 'Provisional stage' : 'Stage'} ${stage.group}${stage.recurrent ? ' (recurrent)' : ''}`),
          hasMember: members,
          note: [{ text: `${provisional ? 'Provisional: the diagnosis is not confirmed by tissue. ' : ''}${stage.reasons.join(' ')}` }],
        },
        stageDate,
      ),
    );
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
    const ref = observation(
      {
        meta: { profile: [PROFILE.histologicGrade] },
        extension: [{ url: EXTENSION.relatedCondition, valueReference: focus }],
        category: [concept([{ system: SYSTEM.observationCategory, code: 'laboratory' }])],
        code: concept(GRADE_CODES),
        method: { text: 'FNCLCC grading system (French Federation of Cancer Centers Sarcoma Group)' },
        valueCodeableConcept: concept([value.code], `FNCLCC ${grade.grade}${grade.totalScore !== undefined ? ` (score ${grade.totalScore})` : ''}`),
        component,
      },
      pathologyDate,
    );
    // A grade Retroplan computed from the FNCLCC components (not one recorded in the case) is derived.
    if (c.pathology.grade === undefined) derived.push(ref);
  }

  for (const [name, result] of Object.entries(c.pathology.markers ?? {}) as [MarkerName, string | undefined][]) {
    if (result === undefined) continue;
    observation(
      {
        category: [concept([{ system: SYSTEM.observationCategory, code: 'laboratory' }])],
        code: concept([{ system: SYSTEM.retroplan, code: `marker-${name}`, display: MARKERS[name].label }], MARKERS[name].label),
        focus: [focus],
        valueCodeableConcept: concept([{ system: SYSTEM.retroplan, code: result }], result.replace('_', ' ')),
      },
      pathologyDate,
    );
  }

  if (c.pathology.specimen !== undefined) {
    add<Specimen>({
      resourceType: 'Specimen',
      status: 'available',
      type: concept([SPECIMEN_TYPE_TUMOR]),
      subject,
      collection: {
        method: concept([{ system: SYSTEM.retroplan, code: `specimen-${c.pathology.specimen}`, display: c.pathology.specimen === 'resection' ? 'Resection specimen' : 'Core needle biopsy' }]),
        bodySite: siteConcept,
        ...(pathologyDate !== undefined ? { collectedDateTime: pathologyDate } : {}),
      },
    });
  }

  if (c.surgery?.margin || c.surgery?.date) {
    const procedure = add<Procedure>({
      resourceType: 'Procedure',
      meta: { profile: [PROFILE.cancerRelatedSurgicalProcedure] },
      status: 'completed',
      code: { text: 'Resection of retroperitoneal tumour' },
      subject,
      reasonReference: [focus],
      bodySite: [siteConcept],
      ...(c.surgery.date !== undefined ? { performedDateTime: c.surgery.date } : {}),
      ...(c.surgery.margin ? { outcome: concept([{ system: SYSTEM.retroplan, code: c.surgery.margin }], c.surgery.margin) } : {}),
      ...(c.surgery.clavienDindo !== undefined
        ? { complication: [concept([{ system: SYSTEM.retroplan, code: `${CLAVIEN_DINDO_CODE_PREFIX}${c.surgery.clavienDindo}`, display: `Clavien–Dindo grade ${c.surgery.clavienDindo}` }], `Worst complication within 90 days: Clavien–Dindo grade ${c.surgery.clavienDindo}`)] }
        : {}),
    });
    if (c.surgery.margin) {
      observation(
        {
          category: [concept([{ system: SYSTEM.observationCategory, code: 'laboratory' }])],
          code: concept([RETROPLAN_CODES.margin], 'Surgical margin (R classification)'),
          partOf: [procedure],
          focus: [focus],
          valueCodeableConcept: concept([{ system: SYSTEM.retroplan, code: c.surgery.margin }], c.surgery.margin),
        },
        c.surgery.date,
      );
    }
  }

  // Neoadjuvant and adjuvant therapy: chemotherapy as mCODE CancerRelatedMedicationAdministration (the
  // regimen as text: regimens have no code system FHIR or mCODE bind, RxNorm codes single drugs), radiotherapy
  // as mCODE RadiotherapyCourseSummary with the dose in cGy (fixed by mCODE) and the fractions delivered to
  // the retroperitoneal volume. The timing relative to the resection is coded in `category` (THERAPY_TIMING).
  const neoadjuvantTherapy: Reference[] = [];
  for (const timing of ['neoadjuvant', 'adjuvant'] as const) {
    const phase = c.treatment?.[timing];
    if (!phase) continue;
    const when = concept([THERAPY_TIMING[timing]], timing === 'neoadjuvant' ? 'Neoadjuvant (before the resection)' : 'Adjuvant (after the resection)');
    const given: Reference[] = [];
    if (phase.chemotherapy) {
      const chemo = phase.chemotherapy;
      given.push(
        add<MedicationAdministration>({
          resourceType: 'MedicationAdministration',
          meta: { profile: [PROFILE.cancerRelatedMedicationAdministration] },
          ...(chemo.cycles !== undefined ? { extension: [{ url: EXTENSION.chemotherapyCycles, valuePositiveInt: chemo.cycles }] } : {}),
          status: 'completed',
          category: when,
          medicationCodeableConcept: { text: chemo.regimen },
          subject,
          effectivePeriod: UNKNOWN_PERIOD,
          reasonReference: [focus],
          note: [{ text: `${timing === 'neoadjuvant' ? 'Neoadjuvant' : 'Adjuvant'} chemotherapy: ${chemo.regimen}${chemo.cycles !== undefined ? `, ${chemo.cycles} cycle${chemo.cycles === 1 ? '' : 's'}` : ''}` }],
        }),
      );
    }
    if (phase.radiotherapy) {
      const rt = phase.radiotherapy;
      const volume = add<BodyStructure>({
        resourceType: 'BodyStructure',
        meta: { profile: [PROFILE.radiotherapyVolume] },
        description: timing === 'neoadjuvant' ? 'Retroperitoneal tumour' : 'Retroperitoneal tumour bed',
        location: siteConcept,
        patient: subject,
      });
      given.push(
        add<Procedure>({
          resourceType: 'Procedure',
          meta: { profile: [PROFILE.radiotherapyCourseSummary] },
          extension: [
            {
              url: EXTENSION.radiotherapyDoseDeliveredToVolume,
              extension: [
                { url: 'volume', valueReference: volume },
                { url: 'totalDoseDelivered', valueQuantity: { value: gyToCgy(rt.doseGy), unit: 'cGy', system: SYSTEM.ucum, code: 'cGy' } },
                ...(rt.fractions !== undefined ? [{ url: 'fractionsDelivered', valueUnsignedInt: rt.fractions }] : []),
              ],
            },
          ],
          status: 'completed',
          category: when,
          code: concept([RADIOTHERAPY_COURSE_CODE]),
          subject,
          performedPeriod: UNKNOWN_PERIOD,
          reasonReference: [focus],
          bodySite: [siteConcept],
        }),
      );
    }
    if (timing === 'neoadjuvant') neoadjuvantTherapy.push(...given);
  }
  const response = c.treatment?.neoadjuvant?.response;
  if (response !== undefined) {
    // The response as an mCODE CancerDiseaseStatus, part of the neoadjuvant therapy it judges; undated (the case holds no date).
    const codes = RESPONSE_CODES[response];
    observation({
      meta: { profile: [PROFILE.cancerDiseaseStatus] },
      category: [concept([{ system: SYSTEM.observationCategory, code: 'survey' }])],
      code: concept([CANCER_DISEASE_STATUS_CODE]),
      focus: [focus],
      ...(neoadjuvantTherapy.length > 0 ? { partOf: neoadjuvantTherapy as Observation['partOf'] } : {}),
      valueCodeableConcept: concept([codes.trend, codes.own], codes.own.display),
    });
  }

  // Cause of death (LOINC 69453-9, SNOMED 184305005) beside Patient.deceasedDateTime, dated on the death.
  for (const e of c.followUp?.events ?? []) {
    if (e.type !== 'death' || e.cause === undefined) continue;
    observation(
      {
        code: concept(CAUSE_OF_DEATH_CODES),
        focus: [focus],
        valueCodeableConcept: concept(DEATH_CAUSE_CODES[e.cause], DEATH_CAUSE_CODES[e.cause][0].display),
      },
      e.date,
    );
  }
  const lastContact = c.followUp?.lastContactDate;
  if (lastContact !== undefined) observation({ code: concept([RETROPLAN_CODES.lastContact]), valueDateTime: lastContact }, lastContact);

  // mCODE CancerDiseaseStatus for each recurrence or metastasis recorded in follow-up (death is Patient.deceasedDateTime).
  for (const e of c.followUp?.events ?? []) {
    if (e.type !== 'local_recurrence' && e.type !== 'distant_metastasis') continue;
    add<Observation>({
      resourceType: 'Observation',
      meta: { profile: [PROFILE.cancerDiseaseStatus] },
      status: 'final',
      category: [concept([{ system: SYSTEM.observationCategory, code: 'survey' }])],
      code: concept([CANCER_DISEASE_STATUS_CODE]),
      subject,
      focus: [focus],
      effectiveDateTime: e.date,
      valueCodeableConcept: concept([CONDITION_WORSENED, FOLLOW_UP_EVENT_CODES[e.type]], FOLLOW_UP_EVENT_CODES[e.type].display),
      ...(e.site !== undefined ? { bodySite: { text: e.site } } : {}),
    });
  }

  const summary = [
    stage.group ? `${provisional ? 'Provisional ' : ''}AJCC 8 stage ${stage.group} (${stage.t} ${stage.n} ${stage.m} ${stage.g})` : `No AJCC 8 stage group (${stage.t} ${stage.n} ${stage.m} ${stage.g})`,
    `FNCLCC ${grade.grade}`,
    histology ? histology.name : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  const report = add<DiagnosticReport>({
    resourceType: 'DiagnosticReport',
    status: provisional ? 'preliminary' : 'final',
    code: concept([RETROPLAN_CODES.evaluation], 'Retroplan evaluation'),
    subject,
    effectiveDateTime: issued,
    issued,
    result: results,
    conclusion: summary,
    presentedForm: [{ contentType: 'text/plain', language: 'en', title: 'Retroplan evaluation report', data: base64Utf8(input.reportText) }],
  });
  derived.push(report);

  // The release (Device with engine and clinical-rules versions) assembled every resource; what
  // Retroplan derived (stage, computed grade, the report) is also recorded as created by it.
  const device = addReleaseProvenance(add, entries, evaluation, issued);
  add<Provenance>({
    resourceType: 'Provenance',
    target: derived,
    recorded: issued,
    activity: concept([{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'CREATE', display: 'create' }]),
    agent: [{ type: concept([{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'assembler', display: 'Assembler' }]), who: device }],
  });
  return { resourceType: 'Bundle', type: 'collection', timestamp: issued, entry: entries };
}

/**
 * The release that produced the bundle: a Device carrying the engine and clinical-rules
 * versions, and a Provenance naming it as the assembler of every other resource, so any
 * exported answer can be traced to the safety case of that release (safety/hazards.yaml).
 */
function addReleaseProvenance(add: <R extends Resource>(r: R) => Reference<R>, entries: readonly BundleEntry[], evaluation: Evaluation, issued: string): Reference<Device> {
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
  return device;
}
