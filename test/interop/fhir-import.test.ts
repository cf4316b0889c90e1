import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluateCase, validateCase } from '../../src/engine/index.ts';
import { importBundle, type ImportResult } from '../../src/interop/fhir/import.ts';
import { readFixture, readExample } from './support.ts';

const AS_OF = { asOf: '2025-01-01' };

function imported(input: unknown): ImportResult {
  const r = importBundle(input, AS_OF);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  return r.value;
}

function importOpt(input: unknown): ImportResult {
  const r = importBundle(input, { ...AS_OF, acceptText: true });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  return r.value;
}

const ignoredReason = (r: ImportResult, resource: string) => r.report.ignored.find((i) => i.resource === resource)?.reason;

describe('FHIR import: the mCODE example resources (test/fixtures/mcode-examples)', () => {
  it('staging bundle: cT3 is recorded, cM0 read; cN3 and stage 3C are reported as not AJCC 8 sarcoma values', () => {
    const r = imported(readExample('mcode-examples', 'csv-staging-bundle.json'));
    assert.equal(r.recorded.t, 'T3');
    assert.equal(r.case.tumor.metastasis, 'M0');
    assert.equal(r.case.tumor.nodes, undefined);
    assert.match(ignoredReason(r, 'Observation/4469acab85a889d722f5b8b1cb786df8adbfc5f0b50ac23393ec42b8ecfd49e9')!, /N3 is not an AJCC 8 soft tissue sarcoma N category/);
    assert.match(ignoredReason(r, 'Observation/8fca0c2922335ea3c92022b4b2d4de17ba0645ce72d884b1e1c71a757c300a10')!, /"3C" is not an AJCC 8 stage group/);
    assert.equal(r.relevant, false);
    assert.match(r.report.notes.join('\n'), /No retroperitoneal tumour/);
  });

  it('a breast cancer condition (ICD-10 C50.211) is not a retroperitoneal tumour', () => {
    const r = imported(readExample('mcode-examples', 'primary-cancer-condition.json'));
    assert.match(ignoredReason(r, 'Condition/TQ5-lmYpARvptztb1K4wGKgB')!, /not the retroperitoneum \(code ICD-10-CM .*\(C50\.211\)\)/);
    assert.equal(r.relevant, false);
    assert.deepEqual(r.case.pathology, {});
  });

  it('the patient bundle gives sex and the age at the given date', () => {
    const r = imported(readExample('mcode-examples', 'extended-patient-bundle.json'));
    assert.equal(r.case.patient.sex, 'male');
    assert.equal(r.case.patient.ageYears, 30);
    assert.ok(r.case.patient.identifiers?.some((i) => i.kind === 'fhir' && i.value === '119147111821125'));
    assert.equal(imported(readExample('mcode-examples', 'extended-patient-bundle.json')).patientId, '119147111821125');
  });

  it('a single stage resource (not a Bundle) is read and reported as such; unknown observations are ignored with a reason', () => {
    const r = imported(readExample('mcode-examples', 'maximal-staging-resource.json'));
    assert.match(r.report.notes[0]!, /single "Observation" resource/);
    const status = imported(readExample('mcode-examples', 'csv-cancer-disease-status-bundle.json'));
    assert.match(status.report.ignored[0]!.reason, /does not read/);
  });

  it('every example imports to a case that passes validateCase; a JSON array is an error value, not an exception', () => {
    for (const file of ['csv-cancer-disease-status-bundle', 'csv-condition-bundle', 'csv-staging-bundle', 'extended-patient-bundle', 'maximal-staging-resource', 'minimal-staging-clinical-resource', 'minimal-staging-pathologic-resource', 'primary-cancer-condition']) {
      const r = imported(readExample('mcode-examples', `${file}.json`));
      assert.ok(validateCase(r.case).ok, file);
    }
    const array = importBundle(readExample('mcode-examples', 'csv-staging-module-response.json'), AS_OF);
    assert.equal(array.ok, false);
    assert.deepEqual(!array.ok && array.errors, [{ path: '', message: 'a FHIR resource must be a JSON object' }]);
  });

  it('SNOMED AJCC values used in the mCODE IG examples (cT3 1228938002, cN0 1229967007, cM0 1229901006) are understood', () => {
    const obs = (code: string, value: string) => ({ resource: { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://snomed.info/sct', code }] }, valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: value }] } } });
    const r = imported({ resourceType: 'Bundle', type: 'collection', entry: [obs('399504009', '1228938002'), obs('399534004', '1229967007'), obs('399387003', '1229901006')] });
    assert.equal(r.recorded.t, 'T3');
    assert.equal(r.case.tumor.nodes, 'N0');
    assert.equal(r.case.tumor.metastasis, 'M0');
  });
});

describe('FHIR import: a retroperitoneal dedifferentiated liposarcoma (test/fixtures/fhir)', () => {
  const r = imported(readFixture('rps-ddlps-bundle.json'));
  const withText = importBundle(readFixture('rps-ddlps-bundle.json'), { ...AS_OF, acceptText: true });

  it('imports the staging inputs, histology, grade and markers, and stages IIIB like the EHR', () => {
    assert.equal(r.case.patient.ageYears, 58);
    assert.equal(r.case.patient.sex, 'male');
    assert.equal(r.case.patient.dateOfBirth, '1966-05-14');
    assert.deepEqual(r.case.tumor, { sizeCm: 22, nodes: 'N0', metastasis: 'M0', imaging: { date: '2024-03-04' } });
    assert.equal(r.case.pathology.histology, '8858/3');
    assert.equal(r.case.pathology.grade, 'G3');
    // Marker names in text only are read only by opt-in.
    assert.deepEqual(r.case.pathology.markers, undefined);
    assert.ok(withText.ok);
    assert.deepEqual(withText.ok && withText.value.case.pathology.markers, { MDM2: 'amplified', CDK4: 'amplified', panCK: 'negative' });
    assert.ok(validateCase(r.case).ok);
    const e = evaluateCase(r.case);
    assert.equal(e.stage.group, 'IIIB');
    assert.equal(e.stage.t, 'T4');
    assert.equal(r.recorded.group, 'IIIB');
    assert.equal(r.recorded.basis, 'clinical');
    assert.equal(r.relevant, true);
    assert.ok(!r.report.notes.some((n) => /please review/.test(n)), 'the recorded stage agrees');
  });

  it('the latest of two tumour sizes wins and the report says so', () => {
    assert.match(ignoredReason(r, 'Observation/obs-1')!, /superseded: the later tumour size Observation\/obs-2 \(2024-03-04\)/);
    assert.ok(r.report.notes.includes('2 tumour size observations: Observation/obs-2 is used.'));
  });

  it('reports every unusable resource with its reason and still imports the rest', () => {
    assert.match(ignoredReason(r, 'Condition/hypertension')!, /neither a retroperitoneal site nor a sarcoma/);
    assert.match(ignoredReason(r, 'Observation/obs-11')!, /does not read \(code "http:\/\/loinc.org\|718-7"\)/);
    assert.match(ignoredReason(r, 'Observation/obs-12')!, /entered-in-error/);
    assert.match(ignoredReason(r, 'MedicationStatement/amlodipine')!, /does not read MedicationStatement/);
    assert.match(ignoredReason(r, 'Observation/obs-8')!, /text only, not used/);
    assert.ok(withText.ok && withText.value.report.notes.some((n) => /MDM2 recognised by the name .*opt-in/.test(n)), 'text-matched markers are reported');
    assert.equal(r.report.used.length + r.report.ignored.length, 16);
  });

  it('a disagreeing recorded stage is flagged for review, never silently adopted', () => {
    const bundle = structuredClone(readFixture('rps-ddlps-bundle.json')) as { entry: { resource: Record<string, unknown> }[] };
    const group = bundle.entry.find((e) => e.resource.id === 'obs-6')!.resource;
    group.valueCodeableConcept = { coding: [{ system: 'http://cancerstaging.org', code: '1B' }] };
    const changed = imported(bundle);
    assert.equal(evaluateCase(changed.case).stage.group, 'IIIB');
    assert.ok(changed.report.notes.some((n) => /records stage IB; Retroplan computes IIIB/.test(n)));
  });

  it('resources of another patient and observations about another condition are not read', () => {
    const bundle = structuredClone(readFixture('rps-ddlps-bundle.json')) as { entry: { resource: Record<string, unknown> }[] };
    bundle.entry.find((e) => e.resource.id === 'obs-4')!.resource.subject = { reference: 'Patient/someone-else' };
    bundle.entry.push({ resource: { resourceType: 'Condition', id: 'breast', code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'C50.9' }] } } });
    bundle.entry.find((e) => e.resource.id === 'obs-5')!.resource.focus = [{ reference: 'Condition/breast' }];
    const r2 = imported(bundle);
    assert.match(ignoredReason(r2, 'Observation/obs-4')!, /subject is not the patient being imported/);
    assert.match(ignoredReason(r2, 'Observation/obs-5')!, /about Condition\/breast/);
    assert.equal(r2.case.tumor.nodes, undefined);
    assert.equal(r2.case.tumor.metastasis, undefined);
  });
});

describe('FHIR import: codes and units', () => {
  const bundle = (...resources: object[]) => ({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) });
  const rpCondition = { resourceType: 'Condition', id: 'c', code: { text: 'Retroperitoneal leiomyosarcoma' }, bodySite: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/icd-o-3', code: 'C48.0' }] }] };

  it('sizes in mm are converted; sizes outside 0–100 cm and other units are ignored with a reason', () => {
    const size = (value: number, unit: string, id: string) => ({ resourceType: 'Observation', id, status: 'final', effectiveDateTime: `2024-01-0${id.length}`, code: { coding: [{ system: 'http://loinc.org', code: '21889-1' }] }, component: [{ code: { coding: [{ system: 'http://loinc.org', code: '33728-7' }] }, valueQuantity: { value, unit, code: unit } }] });
    assert.equal(imported(bundle(rpCondition, size(125, 'mm', 'a'))).case.tumor.sizeCm, 12.5);
    const far = imported(bundle(rpCondition, size(150, 'cm', 'a')));
    assert.equal(far.case.tumor.sizeCm, undefined);
    assert.match(ignoredReason(far, 'Observation/a')!, /outside 0–100 cm/);
    assert.match(ignoredReason(imported(bundle(rpCondition, size(3, 'in', 'a'))), 'Observation/a')!, /unit "in" is not a UCUM length/);
    assert.equal(imported(bundle(rpCondition, size(5, '[in_i]', 'a'))).case.tumor.sizeCm, 12.7);
    assert.equal(imported(bundle(rpCondition, size(0.2, 'm', 'a'))).case.tumor.sizeCm, 20);
  });

  it('histology by name is read only by opt-in and reported as a name match; recurrence sets the presentation', () => {
    const plain = imported(bundle({ ...rpCondition, clinicalStatus: { coding: [{ code: 'recurrence' }] } }));
    assert.equal(plain.case.pathology.histology, undefined);
    const opt = importBundle(bundle({ ...rpCondition, clinicalStatus: { coding: [{ code: 'recurrence' }] } }), { ...AS_OF, acceptText: true });
    assert.ok(opt.ok);
    const r = opt.value;
    assert.equal(r.case.pathology.histology, '8890/3');
    assert.equal(r.case.presentation, 'recurrent');
    assert.match(r.report.used[0]!.as, /matched by name/);
  });

  it('FNCLCC components as separate observations are combined; incomplete components are reported', () => {
    const own = (code: string, value: object) => ({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'urn:retroplan:fhir:codesystem', code }] }, ...value });
    const r = imported(bundle(rpCondition, own('fnclcc-differentiation-score', { valueInteger: 2 }), own('mitoses-per-10-hpf', { valueQuantity: { value: 12 } }), own('necrosis-percent', { valueQuantity: { value: 30, unit: '%' } })));
    assert.deepEqual(r.case.pathology.fnclcc, { differentiation: 2, mitosesPer10Hpf: 12, necrosisPercent: 30 });
    assert.equal(evaluateCase(r.case).grade.grade, 'G2');
    const partial = imported(bundle(rpCondition, own('fnclcc-differentiation-score', { valueInteger: 2 })));
    assert.equal(partial.case.pathology.fnclcc, undefined);
    assert.ok(partial.report.notes.some((n) => /incomplete \(missing mitotic count, necrosis\)/.test(n)));
  });

  it('histologic grade by LOINC 33732-9 with G-codes, and H3K27me3 loss by name (opt-in)', () => {
    const r = importOpt(
      bundle(
        rpCondition,
        { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '33732-9' }] }, valueCodeableConcept: { coding: [{ system: 'http://cancerstaging.org', code: 'G2' }] } },
        { resourceType: 'Observation', status: 'final', code: { text: 'H3K27me3 immunohistochemistry' }, valueString: 'loss of expression' },
      ),
    );
    assert.equal(r.case.pathology.grade, 'G2');
    assert.equal(r.case.pathology.markers?.H3K27me3, 'lost');
  });

  it('a partial birth date gives the youngest possible age and says so', () => {
    const r = imported(bundle({ resourceType: 'Patient', birthDate: '1960' }));
    assert.equal(r.case.patient.ageYears, 64);
    assert.ok(r.report.notes.some((n) => /partial/.test(n)));
  });

  it('input that is not FHIR is an error value with a path', () => {
    assert.deepEqual(importBundle({ hello: 1 }, AS_OF), { ok: false, kind: 'input', errors: [{ path: 'resourceType', message: 'is required: this is not a FHIR resource' }] });
    assert.deepEqual(importBundle({ resourceType: 'Bundle', entry: 'x' }, AS_OF), { ok: false, kind: 'input', errors: [{ path: 'entry', message: 'must be an array of bundle entries' }] });
    assert.equal(importBundle('Bundle', AS_OF).ok, false);
    assert.equal(importBundle({ resourceType: 'Bundle' }, { asOf: 'today' }).ok, false);
  });
});

describe('FHIR import: hostile and random input (fast-check)', () => {
  const fhirish = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom('Patient', 'Condition', 'Observation', 'Procedure', 'Bundle', 'http://loinc.org', '21889-1', '33728-7', 'cm', 'mm', 'C48.0', '8858/3', 'cT4', '3B', 'G3', '__proto__', 'constructor', ''),
      fc.string(),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom('resourceType', 'entry', 'resource', 'code', 'coding', 'system', 'component', 'valueQuantity', 'value', 'unit', 'valueCodeableConcept', 'subject', 'reference', 'extension', 'url', 'birthDate', 'gender', 'status', 'focus', 'bodySite', 'text', '__proto__'), tie('value'), { maxKeys: 6 }),
    ),
  })).value;

  it('never throws; every success is a valid case', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fhirish, fhirish.map((v) => ({ resourceType: 'Bundle', entry: [{ resource: v }, { resource: { resourceType: 'Observation', code: v, component: [v], valueQuantity: v } }] }))), (input) => {
        const r = importBundle(input, AS_OF);
        if (r.ok) assert.ok(validateCase(r.value.case).ok);
        else assert.ok(r.errors.length > 0);
      }),
      { numRuns: 1500 },
    );
  });
});
