import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCase } from '../../src/engine/index.ts';
import { importBundle, type ImportResult } from '../../src/interop/fhir/import.ts';
import { readFixture } from './support.ts';

/** Each bundle in test/fixtures/fhir/defects holds one class of EHR data issue 11 found misread. */
const AS_OF = { asOf: '2025-01-01' };
const defect = (name: string) => readFixture(`defects/${name}.json`);
function ok(input: unknown, extra: object = {}): ImportResult {
  const r = importBundle(input, { ...AS_OF, ...extra });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  return r.value;
}
const reason = (r: ImportResult, label: string) => r.report.ignored.find((i) => i.resource === label)?.reason ?? '';
const usedAs = (r: ImportResult, label: string) => r.report.used.find((u) => u.resource === label)?.as ?? '';

describe('FHIR import: issue 11 defect classes (test/fixtures/fhir/defects)', () => {
  it('a sarcoma coded at the thigh (SNOMED CT 68367000) is not imported, and the report says what was found', () => {
    const r = ok(defect('thigh-snomed'));
    assert.equal(r.relevant, false);
    assert.ok(r.rejection);
    assert.match(r.rejection.found.join(' '), /SNOMED CT Thigh \(SNOMED 68367000\)/);
    assert.match(reason(r, 'Condition/rps'), /not the retroperitoneum/);
  });

  it('a sarcoma coded ICD-10-CM C49.22 in urn:oid form is not imported', () => {
    const r = ok(defect('thigh-icd10cm-oid'));
    assert.equal(r.relevant, false);
    assert.match(r.rejection!.found.join(' '), /ICD-10-CM .*lower limb.*\(C49\.22\)/);
  });

  it('without a Patient, resources about two subjects are an error, never one merged case', () => {
    const r = importBundle(defect('two-subjects-no-patient'), AS_OF);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.kind, 'patient');
    assert.match(!r.ok ? r.errors[0]!.message : '', /2 different subjects/);
  });

  it('with a requested patient, the other subject is ignored and reported; a contradicting Patient is an error', () => {
    const r = ok(defect('two-subjects-no-patient'), { patientId: 'A' });
    assert.equal(r.case.tumor.sizeCm, 22);
    assert.match(reason(r, 'Observation/sB'), /subject is not the patient being imported \(Patient\/A\)/);
    const wrong = importBundle(defect('tnf-alpha-lab'), { ...AS_OF, patientId: 'someone-else' });
    assert.equal(wrong.ok, false);
    assert.match(!wrong.ok ? wrong.errors[0]!.message : '', /Patient\/p1, not the requested Patient\/someone-else/);
  });

  it('TNF-alpha 60 pg/mL is not FNCLCC necrosis: a text-only code is reported "text only, not used"', () => {
    const r = ok(defect('tnf-alpha-lab'));
    assert.equal(r.case.pathology.fnclcc, undefined);
    assert.match(reason(r, 'Observation/tnf'), /text only, not used/);
    assert.equal(r.case.pathology.grade, 'G2');
    assert.equal(evaluateCase(r.case).stage.group, 'IIIB');
  });

  it('a metastasis recorded as an mCODE secondary cancer condition gives M1 with its site: stage IV', () => {
    const r = ok(defect('metastasis-condition'));
    assert.equal(r.case.tumor.metastasis, 'M1');
    assert.match(usedAs(r, 'Condition/met-lung'), /M1 \(distant metastasis: lung; ICD-10-CM C78\.01\)/);
    assert.equal(evaluateCase(r.case).stage.group, 'IV');
  });

  it("another cancer's grade is not the sarcoma's; an unlinked grade is not guessed when there are two cancers", () => {
    const r = ok(defect('breast-grade-other-condition'));
    assert.equal(r.case.pathology.grade, undefined);
    assert.match(reason(r, 'Observation/g-breast'), /about Condition\/breast/);
    assert.match(reason(r, 'Observation/g-unlinked'), /not linked to the retroperitoneal tumour .*Condition\/breast/);
    assert.equal(r.case.tumor.sizeCm, 12);
  });

  it('final beats a later preliminary; entered-in-error is ignored', () => {
    const r = ok(defect('preliminary-vs-final'));
    assert.equal(r.case.tumor.sizeCm, 12);
    assert.match(reason(r, 'Observation/prelim'), /preliminary result: the final tumour size Observation\/final is used/);
    assert.match(reason(r, 'Observation/err'), /entered-in-error/);
  });

  it('an unknown modifierExtension makes the resource unusable, and says so', () => {
    const r = ok(defect('unknown-modifier-extension'));
    assert.equal(r.case.tumor.sizeCm, 8);
    assert.match(reason(r, 'Observation/s1'), /unknown modifierExtension "https:\/\/ehr.example\/fhir\/StructureDefinition\/not-measured"/);
  });

  it('"> 10 cm" is a bound, not 10 cm: no size, and the report gives T3 or T4', () => {
    const r = ok(defect('size-comparator'));
    assert.equal(r.case.tumor.sizeCm, undefined);
    assert.ok(r.report.notes.some((n) => /> 10 cm, a bound .* T would be T3 or T4/.test(n)), r.report.notes.join('\n'));
  });

  it('versioned, absolute and identifier references are resolved to the Patient and Condition', () => {
    const r = ok(defect('versioned-references'));
    assert.equal(r.relevant, true);
    assert.equal(r.case.tumor.sizeCm, 22);
    assert.equal(r.case.tumor.nodes, 'N0');
    assert.deepEqual(r.report.ignored, []);
  });

  it('a history bundle uses the latest version of each resource and reports the older ones', () => {
    const r = ok(defect('history-bundle'));
    assert.equal(r.case.tumor.sizeCm, 15);
    assert.equal(r.case.pathology.histology, '8858/3');
    assert.match(reason(r, 'Observation/s1/_history/1'), /older version of Observation\/s1: the latest \(version 2\) is used/);
    assert.match(reason(r, 'Condition/rps/_history/1'), /older version/);
  });

  it('a resolved Condition is reported, not read as the current tumour', () => {
    const r = ok(defect('resolved-condition'));
    assert.equal(r.relevant, false);
    assert.match(reason(r, 'Condition/rps'), /clinical status is resolved/);
  });

  it('patient identity: MRN and the FHIR id with the source system are read', () => {
    const r = ok(defect('tnf-alpha-lab'));
    assert.deepEqual(r.case.patient.identifiers, [
      { kind: 'mrn', system: 'urn:oid:1.2.3.4.5.6', value: 'MRN-p1' },
      { kind: 'fhir', system: 'https://ehr.example/fhir', value: 'p1' },
    ]);
    assert.equal(r.case.patient.dateOfBirth, '1961-02-03');
  });
});
