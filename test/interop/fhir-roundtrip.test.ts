import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fhirpath from 'fhirpath';
import fhirpathR4 from 'fhirpath/fhir-context/r4/index.js';
import type { Bundle } from '@medplum/fhirtypes';
import { ENGINE_VERSION, RULES_VERSION, evaluateCase, parseCase, type Case } from '../../src/engine/index.ts';
import { exportBundle } from '../../src/interop/fhir/export.ts';
import { importBundle } from '../../src/interop/fhir/import.ts';
import { renderTextReport } from '../../src/cli/report-text.ts';
import { REPO_ROOT } from '../support/cli.ts';
import { r4Issues } from './support.ts';

const AS_OF = '2025-06-01';
const MCODE = 'http://hl7.org/fhir/us/mcode/StructureDefinition';

function exported(c: Case): Bundle {
  let n = 0;
  const evaluation = evaluateCase(c);
  return exportBundle({ case: c, evaluation, reportText: renderTextReport(evaluation), issued: '2025-06-01T09:00:00Z', newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
}
const fp = (b: Bundle, e: string) => fhirpath.evaluate(b, e, undefined, fhirpathR4) as unknown[];

/**
 * The mCODE profile rules Retroplan encodes (mCODE STU3/4 FSH profiles): checked with FHIRPath on every export.
 * Each rule: a description and an expression that must be true.
 */
const MCODE_RULES: readonly [string, string][] = [
  ['primary cancer condition code is ICD-10-CM or SNOMED CT', `Bundle.entry.resource.where(meta.profile contains '${MCODE}/mcode-primary-cancer-condition').code.coding.all(system = 'http://hl7.org/fhir/sid/icd-10-cm' or system = 'http://snomed.info/sct')`],
  ['primary cancer condition bodySite has SNOMED CT', `Bundle.entry.resource.where(meta.profile contains '${MCODE}/mcode-primary-cancer-condition').bodySite.all(coding.where(system = 'http://snomed.info/sct').exists())`],
  ['tumour size focus is a Tumor BodyStructure', `Bundle.entry.resource.where(meta.profile contains '${MCODE}/mcode-tumor-size').focus.all(reference in %context.entry.where(resource.resourceType = 'BodyStructure').fullUrl)`],
  ['TNM observations use the AJCC 8 method', `Bundle.entry.resource.where(meta.profile.exists($this.startsWith('${MCODE}/mcode-tnm'))).all(method.coding.where(code = '897275008').exists())`],
  ['TNM observations focus on the primary condition', `Bundle.entry.resource.where(meta.profile.exists($this.startsWith('${MCODE}/mcode-tnm'))).all(focus.exists())`],
  ['the Tumor is linked to its condition', `Bundle.entry.resource.where(meta.profile contains '${MCODE}/mcode-tumor').all(extension.where(url = '${MCODE}/mcode-related-condition').exists())`],
  // mCODE SD_Medications.fsh / SD_Radiotherapy.fsh (issue 14):
  ['therapies state their reason (mcode-reason-required)', `Bundle.entry.resource.where(meta.profile contains '${MCODE}/mcode-cancer-related-medication-administration' or meta.profile contains '${MCODE}/mcode-radiotherapy-course-summary').all(reasonCode.exists() or reasonReference.exists())`],
  ['a radiotherapy course summary has code SNOMED 1217123003 and a performed Period', `Bundle.entry.resource.where(meta.profile contains '${MCODE}/mcode-radiotherapy-course-summary').all(code.coding.where(system = 'http://snomed.info/sct' and code = '1217123003').exists() and performed.ofType(Period).exists())`],
  ['dose delivered: a RadiotherapyVolume, the total dose in UCUM cGy', `Bundle.entry.resource.extension.where(url = '${MCODE}/mcode-radiotherapy-dose-delivered-to-volume').all(extension.where(url = 'volume').value.reference in %context.entry.where(resource.meta.profile contains '${MCODE}/mcode-radiotherapy-volume').fullUrl and extension.where(url = 'totalDoseDelivered').value.all(system = 'http://unitsofmeasure.org' and code = 'cGy'))`],
  ['a RadiotherapyVolume has a description or identifier', `Bundle.entry.resource.where(meta.profile contains '${MCODE}/mcode-radiotherapy-volume').all(description.exists() or identifier.exists())`],
  ['a cancer disease status has code LOINC 97509-4 and no hasMember or component', `Bundle.entry.resource.where(meta.profile contains '${MCODE}/mcode-cancer-disease-status').all(code.coding.where(code = '97509-4').exists() and hasMember.empty() and component.empty())`],
  ['Provenance targets exist in the bundle', `Bundle.entry.resource.where(resourceType = 'Provenance').target.all(reference in %context.entry.fullUrl)`],
  ['no invented effective time: every effectiveDateTime is a case date', `Bundle.entry.resource.where(resourceType = 'Observation').effective.all($this.toString().length() = 10)`],
];

function checkMcode(b: Bundle): string[] {
  return MCODE_RULES.filter(([, expression]) => fp(b, expression)[0] !== true).map(([rule]) => rule);
}

/** Case fields compared after a round trip: empty lists are the same as none; the case id is not clinical data. */
function normalise(c: Case): unknown {
  return JSON.parse(JSON.stringify({ ...c, id: undefined }, (_k, v) => (Array.isArray(v) && v.length === 0 ? undefined : v)));
}

const examples = readdirSync(path.join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.json'));

describe('FHIR round trip: every example case → export → import loses no coded data', () => {
  for (const file of examples) {
    const base = parseCase(JSON.parse(readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8')));
    // The same case with identity, dates, ECOG and surgery, as a hospital's case would have.
    const full = parseCase({
      ...base,
      patient: { ...base.patient, ageYears: undefined, dateOfBirth: '1966-05-14', name: 'Test Example', ecog: 1, identifiers: [{ kind: 'mrn', system: 'urn:oid:1.2.3.4', value: 'MRN-1' }, { kind: 'fhir', system: 'https://ehr.example/fhir', value: 'p-1' }, { kind: 'national', system: 'urn:oid:2.16.840.1.113883.4.1', value: '123-45-6789' }] },
      tumor: { ...base.tumor, imaging: { ...(base.tumor.imaging ?? {}), date: '2025-01-10', modality: 'CT' } },
      // A pathology date is carried by the pathology findings' observations: only where there are some.
      pathology: { ...base.pathology, ...(Object.keys(base.pathology).length > 0 ? { date: '2025-01-20' } : {}) },
      surgery: { margin: 'R1', date: '2025-03-01' },
      treatment: { neoadjuvant: { chemotherapy: { regimen: 'AIM', cycles: 3 }, radiotherapy: { doseGy: 50.4, fractions: 28 }, response: 'stable' }, adjuvant: { chemotherapy: { regimen: 'Gemcitabine + docetaxel' } } },
      followUp: { events: [{ type: 'local_recurrence', date: '2026-02-01', site: 'tumour bed' }, { type: 'death', date: '2027-01-05', cause: 'sarcoma' }], lastContactDate: '2026-12-01' },
    });
    for (const [label, c] of [['as given', base], ['with identity and dates', full]] as const) {
      it(`${file} (${label})`, () => {
        const bundle = exported(c);
        assert.deepEqual(r4Issues(bundle), []);
        assert.deepEqual(checkMcode(bundle), []);
        const back = importBundle(bundle, { asOf: AS_OF });
        assert.ok(back.ok, JSON.stringify(!back.ok && back.errors));
        assert.equal(back.value.relevant, true, JSON.stringify(back.value.report));
        const expected = normalise(c) as { patient: { ageYears?: number } };
        // With a birth date the age is recomputed at the import date.
        if (c.patient.dateOfBirth !== undefined) expected.patient.ageYears = 59;
        assert.deepEqual(normalise(back.value.case), expected);
        assert.equal(evaluateCase(back.value.case).stage.group, evaluateCase(c).stage.group);
      });
    }
  }

  it('export: Patient identifiers, Tumor laterality, ICD-10-CM code, preliminary provisional stage, pathological codes by basis, Provenance with the engine version', () => {
    const c = parseCase({
      patient: { sex: 'male', dateOfBirth: '1966-05-14', identifiers: [{ kind: 'mrn', system: 'urn:oid:1.2.3.4', value: 'MRN-1' }] },
      tumor: { sizeCm: 22, side: 'left', nodes: 'N0', metastasis: 'M0' },
      pathology: { histology: '8858/3', grade: 'G3', specimen: 'resection', date: '2025-01-20' },
    });
    const evaluation = evaluateCase(c);
    const b = exportBundle({ case: c, evaluation: { ...evaluation, stage: { ...evaluation.stage, provisional: true, basis: 'pathological' } as typeof evaluation.stage }, reportText: 'r', issued: '2025-06-01T09:00:00Z', newId: () => crypto.randomUUID() });
    assert.deepEqual(fp(b, "Bundle.entry.resource.where(resourceType='Patient').identifier.where(type.coding.code='MR').value"), ['MRN-1']);
    assert.deepEqual(fp(b, "Bundle.entry.resource.where(resourceType='BodyStructure').locationQualifier.coding.code"), ['7771000']);
    assert.deepEqual(fp(b, "Bundle.entry.resource.where(resourceType='Condition').code.coding.where(system='http://hl7.org/fhir/sid/icd-10-cm').code"), ['C48.0']);
    const group = `Bundle.entry.resource.where(meta.profile contains '${MCODE}/mcode-tnm-stage-group')`;
    assert.deepEqual(fp(b, `${group}.status`), ['preliminary']);
    assert.deepEqual((fp(b, `${group}.code.coding.code`) as string[]).sort(), ['21902-2', '399588009']);
    assert.deepEqual(fp(b, `${group}.effective`).map(String), ['2025-01-20']);
    assert.deepEqual(fp(b, "Bundle.entry.resource.where(resourceType='Device').version.value"), [ENGINE_VERSION, RULES_VERSION]);
    assert.ok((fp(b, "Bundle.entry.resource.where(resourceType='Provenance').target.reference") as string[]).length >= 2);
    const back = importBundle(b, { asOf: AS_OF });
    assert.ok(back.ok);
    assert.equal(back.value.recorded.basis, 'pathological');
  });

  it('outcomes: the operation as an mCODE cancer-related surgical procedure (Clavien–Dindo), recurrence and metastasis as CancerDiseaseStatus, death as Patient.deceasedDateTime — and back', () => {
    const c = parseCase({
      patient: { sex: 'female', dateOfBirth: '1960-02-01' },
      tumor: { sizeCm: 18, side: 'right', nodes: 'N0', metastasis: 'M0' },
      pathology: { histology: '8858/3', grade: 'G2', specimen: 'resection', date: '2020-03-20' },
      surgery: { date: '2020-03-10', margin: 'R1', clavienDindo: 'IIIa' },
      followUp: {
        events: [
          { type: 'local_recurrence', date: '2021-09-01', site: 'tumour bed' },
          { type: 'distant_metastasis', date: '2022-02-15', site: 'lung' },
          { type: 'death', date: '2023-01-05' },
        ],
      },
    });
    const b = exported(c);
    assert.deepEqual(r4Issues(b), []);
    assert.deepEqual(checkMcode(b), []);
    const procedure = `Bundle.entry.resource.where(meta.profile contains '${MCODE}/mcode-cancer-related-surgical-procedure')`;
    assert.deepEqual(fp(b, `${procedure}.performed`).map(String), ['2020-03-10']);
    assert.deepEqual(fp(b, `${procedure}.complication.coding.code`), ['clavien-dindo-IIIa']);
    assert.deepEqual(fp(b, `${procedure}.bodySite.coding.where(system='http://snomed.info/sct').exists()`), [true]);
    assert.deepEqual(fp(b, `${procedure}.reasonReference.all(reference in %context.entry.where(resource.resourceType='Condition').fullUrl)`), [true]);
    // mCODE CancerDiseaseStatus: LOINC 97509-4, SNOMED 271299001 "condition worsened" (ConditionStatusTrendVS), focus the primary.
    const status = `Bundle.entry.resource.where(meta.profile contains '${MCODE}/mcode-cancer-disease-status')`;
    assert.deepEqual(fp(b, `${status}.code.coding.code`), ['97509-4', '97509-4']);
    assert.deepEqual(fp(b, `${status}.value.coding.where(system='http://snomed.info/sct').code`), ['271299001', '271299001']);
    assert.deepEqual(fp(b, `${status}.effective`).map(String), ['2021-09-01', '2022-02-15']);
    assert.deepEqual(fp(b, `${status}.focus.all(reference in %context.entry.where(resource.resourceType='Condition').fullUrl)`), [true]);
    assert.deepEqual(fp(b, "Bundle.entry.resource.where(resourceType='Patient').deceased").map(String), ['2023-01-05']);
    const back = importBundle(b, { asOf: AS_OF });
    assert.ok(back.ok, JSON.stringify(!back.ok && back.errors));
    assert.deepEqual(back.value.case.surgery, { date: '2020-03-10', margin: 'R1', clavienDindo: 'IIIa' });
    assert.deepEqual(back.value.case.followUp, c.followUp);
  });
});
