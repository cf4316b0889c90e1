import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import fhirpath from 'fhirpath';
import fhirpathR4 from 'fhirpath/fhir-context/r4/index.js';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { evaluateCase, parseCase, type Case } from '../../src/engine/index.ts';
import { exportBundle } from '../../src/interop/fhir/export.ts';
import { importBundle, type ImportResult } from '../../src/interop/fhir/import.ts';
import { mergeImported } from '../../src/interop/fhir/merge.ts';
import { importBundleStream, importNdjsonStream } from '../../src/interop/fhir/stream.ts';
import { followUp, treatment, validCase } from '../support/case-arbitrary.ts';
import { r4Issues } from './support.ts';

/**
 * Issue 14: neoadjuvant/adjuvant chemotherapy and radiotherapy, the response to neoadjuvant therapy,
 * the cause of death and the last contact — exported as FHIR R4/mCODE and read back. The expected
 * resources and codes below are written by hand from the mCODE IG (SD_Medications.fsh,
 * SD_Radiotherapy.fsh, VS_Other.fsh), the MII Onkologie concept maps, LOINC 69453-9 and UCUM.
 */

const AS_OF = { asOf: '2025-06-01' };
const MCODE = 'http://hl7.org/fhir/us/mcode/StructureDefinition';
const SCT = 'http://snomed.info/sct';
const UCUM = 'http://unitsofmeasure.org';
const OWN = 'urn:retroplan:fhir:codesystem';
const DAR = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] };

function exported(c: Case, patientReference?: string): Bundle {
  let n = 0;
  return exportBundle({
    case: c,
    evaluation: evaluateCase(c),
    reportText: 'report',
    issued: '2025-06-01T09:00:00Z',
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    ...(patientReference ? { patientReference } : {}),
  });
}

function imported(input: unknown): ImportResult {
  const r = importBundle(input, AS_OF);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  return r.value;
}

const fp = (b: unknown, e: string) => fhirpath.evaluate(b, e, undefined, fhirpathR4) as unknown[];
const resources = (b: Bundle) => (b.entry ?? []).map((e) => e.resource as Resource & Record<string, unknown>);
const urlOf = (b: Bundle, r: Resource) => b.entry!.find((e) => e.resource === r)!.fullUrl!;
/** A resource without its id and the references that point into the bundle (checked separately). */
function content(r: Record<string, unknown>, drop: readonly string[] = ['subject', 'patient', 'reasonReference', 'focus', 'partOf']): Record<string, unknown> {
  const copy = structuredClone(r);
  for (const key of ['id', 'issued', ...drop]) delete copy[key];
  return copy;
}
const ignoredReason = (r: ImportResult, resource: string) => r.report.ignored.find((i) => i.resource === resource)?.reason;

/** Empty objects and lists carry no data (an empty `neoadjuvant: {}` is not exported). */
function pruned(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(pruned);
  if (value !== null && typeof value === 'object') {
    const out = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pruned(v)]).filter(([, v]) => v !== undefined));
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}
/** Follow-up events in date order (the import sorts them), ties by type. */
function sortedFollowUp(f: Case['followUp']): unknown {
  if (!f) return undefined;
  return pruned({ ...f, events: [...(f.events ?? [])].sort((a, b) => a.date.localeCompare(b.date) || a.type.localeCompare(b.type)) });
}

const SITE = {
  coding: [
    { system: SCT, code: '82849001', display: 'Retroperitoneum' },
    { system: 'http://terminology.hl7.org/CodeSystem/icd-o-3', code: 'C48.0', display: 'Retroperitoneum' },
  ],
  text: 'Retroperitoneum',
};

const TREATED = parseCase({
  patient: { sex: 'female', dateOfBirth: '1960-02-01' },
  tumor: { sizeCm: 18, nodes: 'N0', metastasis: 'M0' },
  pathology: { histology: '8858/3', grade: 'G2', specimen: 'resection', date: '2020-03-20' },
  surgery: { date: '2020-03-10', margin: 'R1' },
  treatment: {
    neoadjuvant: { chemotherapy: { regimen: 'Doxorubicin + ifosfamide', cycles: 3 }, radiotherapy: { doseGy: 50.4, fractions: 28 }, response: 'partial' },
    adjuvant: { radiotherapy: { doseGy: 10, fractions: 5 } },
  },
  followUp: { events: [{ type: 'death', date: '2023-01-05', cause: 'treatment' }], lastContactDate: '2022-12-20' },
});

describe('FHIR export of treatment and outcomes (issue 14): golden resources', () => {
  const b = exported(TREATED);
  const all = resources(b);
  const patient = all.find((r) => r.resourceType === 'Patient')!;
  const primary = all.find((r) => r.resourceType === 'Condition')!;
  const administrations = all.filter((r) => r.resourceType === 'MedicationAdministration');
  const courses = all.filter((r) => (r.meta as { profile?: string[] } | undefined)?.profile?.includes(`${MCODE}/mcode-radiotherapy-course-summary`));
  const volumes = all.filter((r) => (r.meta as { profile?: string[] } | undefined)?.profile?.includes(`${MCODE}/mcode-radiotherapy-volume`));

  it('is valid FHIR R4 (base definitions)', () => {
    assert.deepEqual(r4Issues(b), []);
  });

  it('neoadjuvant chemotherapy: mCODE CancerRelatedMedicationAdministration, regimen as text, cycles, SNOMED 373847000 in category, no invented date', () => {
    assert.equal(administrations.length, 1);
    assert.deepEqual(content(administrations[0]!), {
      resourceType: 'MedicationAdministration',
      meta: { profile: [`${MCODE}/mcode-cancer-related-medication-administration`] },
      extension: [{ url: 'urn:retroplan:fhir:extension:chemotherapy-cycles', valuePositiveInt: 3 }],
      status: 'completed',
      category: { coding: [{ system: SCT, code: '373847000', display: 'Neo-adjuvant - intent (qualifier value)' }], text: 'Neoadjuvant (before the resection)' },
      medicationCodeableConcept: { text: 'Doxorubicin + ifosfamide' },
      effectivePeriod: DAR,
      note: [{ text: 'Neoadjuvant chemotherapy: Doxorubicin + ifosfamide, 3 cycles' }],
    });
    assert.equal((administrations[0]!.subject as { reference: string }).reference, urlOf(b, patient));
    assert.deepEqual((administrations[0]!.reasonReference as { reference: string }[]).map((r) => r.reference), [urlOf(b, primary)]);
  });

  it('radiotherapy: mCODE RadiotherapyCourseSummary, 50.4 Gy written 5040 cGy (UCUM, the unit mCODE fixes), 28 fractions, neoadjuvant and adjuvant coded', () => {
    assert.equal(courses.length, 2);
    assert.equal(volumes.length, 2);
    const course = (timing: string, cGy: number, fractions: number, volume: Resource) => ({
      resourceType: 'Procedure',
      meta: { profile: [`${MCODE}/mcode-radiotherapy-course-summary`] },
      extension: [
        {
          url: `${MCODE}/mcode-radiotherapy-dose-delivered-to-volume`,
          extension: [
            { url: 'volume', valueReference: { reference: urlOf(b, volume), type: 'BodyStructure' } },
            { url: 'totalDoseDelivered', valueQuantity: { value: cGy, unit: 'cGy', system: UCUM, code: 'cGy' } },
            { url: 'fractionsDelivered', valueUnsignedInt: fractions },
          ],
        },
      ],
      status: 'completed',
      category:
        timing === 'neoadjuvant'
          ? { coding: [{ system: SCT, code: '373847000', display: 'Neo-adjuvant - intent (qualifier value)' }], text: 'Neoadjuvant (before the resection)' }
          : { coding: [{ system: SCT, code: '373846009', display: 'Adjuvant - intent (qualifier value)' }], text: 'Adjuvant (after the resection)' },
      code: { coding: [{ system: SCT, code: '1217123003', display: 'Radiotherapy course of treatment (regime/therapy)' }] },
      performedPeriod: DAR,
      bodySite: [SITE],
    });
    assert.deepEqual(content(courses[0]!), course('neoadjuvant', 5040, 28, volumes[0]!));
    assert.deepEqual(content(courses[1]!), course('adjuvant', 1000, 5, volumes[1]!));
    assert.deepEqual(content(volumes[0]!), { resourceType: 'BodyStructure', meta: { profile: [`${MCODE}/mcode-radiotherapy-volume`] }, description: 'Retroperitoneal tumour', location: SITE });
    assert.deepEqual(content(volumes[1]!), { resourceType: 'BodyStructure', meta: { profile: [`${MCODE}/mcode-radiotherapy-volume`] }, description: 'Retroperitoneal tumour bed', location: SITE });
    for (const c of courses) assert.deepEqual((c.reasonReference as { reference: string }[]).map((r) => r.reference), [urlOf(b, primary)]);
  });

  it('response to neoadjuvant therapy: mCODE CancerDiseaseStatus, SNOMED 268910001 "improved" + Retroplan code, part of the neoadjuvant chemotherapy and radiotherapy, undated', () => {
    const status = all.filter((r) => (r.meta as { profile?: string[] } | undefined)?.profile?.includes(`${MCODE}/mcode-cancer-disease-status`));
    assert.equal(status.length, 1);
    assert.deepEqual(content(status[0]!), {
      resourceType: 'Observation',
      status: 'final',
      meta: { profile: [`${MCODE}/mcode-cancer-disease-status`] },
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '97509-4', display: 'Cancer Disease Progression' }] },
      valueCodeableConcept: {
        coding: [
          { system: SCT, code: '268910001', display: "Patient's condition improved (finding)" },
          { system: OWN, code: 'neoadjuvant-response-partial', display: 'Partial response to neoadjuvant therapy' },
        ],
        text: 'Partial response to neoadjuvant therapy',
      },
    });
    assert.deepEqual((status[0]!.partOf as { reference: string }[]).map((r) => r.reference), [urlOf(b, administrations[0]!), urlOf(b, courses[0]!)]);
    assert.deepEqual((status[0]!.focus as { reference: string }[]).map((r) => r.reference), [urlOf(b, primary)]);
  });

  it('cause of death: LOINC 69453-9 and SNOMED 184305005, Retroplan code for "treatment", dated on the death; last contact: Retroplan code with valueDateTime', () => {
    const cause = all.filter((r) => fp(r, "code.coding.where(code = '69453-9').exists()")[0] === true);
    assert.equal(cause.length, 1);
    assert.deepEqual(content(cause[0]!), {
      resourceType: 'Observation',
      status: 'final',
      effectiveDateTime: '2023-01-05',
      code: {
        coding: [
          { system: 'http://loinc.org', code: '69453-9', display: 'Cause of death [US Standard Certificate of Death]' },
          { system: SCT, code: '184305005', display: 'Cause of death (observable entity)' },
        ],
      },
      valueCodeableConcept: { coding: [{ system: OWN, code: 'death-cause-treatment', display: 'Death from a complication of treatment' }], text: 'Death from a complication of treatment' },
    });
    assert.equal((cause[0]!.subject as { reference: string }).reference, urlOf(b, patient));
    const last = all.filter((r) => fp(r, "code.coding.where(code = 'last-contact').exists()")[0] === true);
    assert.deepEqual(last.map((r) => content(r, ['subject'])), [
      {
        resourceType: 'Observation',
        status: 'final',
        effectiveDateTime: '2022-12-20',
        code: { coding: [{ system: OWN, code: 'last-contact', display: 'Date of last contact (patient known alive)' }] },
        valueDateTime: '2022-12-20',
      },
    ]);
    assert.deepEqual(fp(b, "Bundle.entry.resource.where(resourceType='Patient').deceased").map(String), ['2023-01-05']);
  });

  it('"other" and "unknown" causes carry the SNOMED qualifiers 74964007 and 261665006 beside Retroplan\'s code', () => {
    for (const [cause, snomed] of [['other', '74964007'], ['unknown', '261665006']] as const) {
      const c = parseCase({ ...TREATED, followUp: { events: [{ type: 'death', date: '2023-01-05', cause }] } });
      const b2 = exported(c);
      assert.deepEqual(fp(b2, "Bundle.entry.resource.where(code.coding.code contains '69453-9').value.coding.code"), [`death-cause-${cause}`, snomed]);
    }
  });

  it('reads back what it wrote', () => {
    const back = imported(b);
    assert.deepEqual(back.case.treatment, TREATED.treatment);
    assert.deepEqual(back.case.followUp, TREATED.followUp);
    assert.ok(back.report.used.some((u) => u.as === 'treatment.neoadjuvant.radiotherapy = 50.4 Gy (5040 cGy) in 28 fractions'));
    assert.deepEqual(
      back.report.used.filter((u) => u.as.startsWith('the irradiated volume of')).map((u) => u.resource),
      volumes.map((v) => `BodyStructure/${v.id}`),
    );
  });

  it('streamed (Bundle in chunks, and NDJSON): the same treatment and follow-up as the in-memory import', async () => {
    const withRecurrence = parseCase({ ...TREATED, followUp: { ...TREATED.followUp, events: [{ type: 'local_recurrence', date: '2021-09-01', site: 'tumour bed' }, ...(TREATED.followUp?.events ?? [])] } });
    const source = exported(withRecurrence);
    async function* chunks(text: string, size: number): AsyncGenerator<Uint8Array> {
      const bytes = new TextEncoder().encode(text);
      for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
    }
    const streamed = await importBundleStream(chunks(JSON.stringify(source), 700), AS_OF);
    // NDJSON has no fullUrl: the export's urn:uuid references become relative ones (Type/id), as a bulk export writes them.
    const relative = new Map(source.entry!.map((e) => [e.fullUrl!, `${e.resource!.resourceType}/${e.resource!.id}`]));
    const lines = source.entry!.map((e) => JSON.stringify(e.resource).replace(/"urn:uuid:[0-9a-f-]+"/g, (ref) => JSON.stringify(relative.get(JSON.parse(ref) as string))));
    const ndjson = await importNdjsonStream(chunks(lines.join('\n'), 512), AS_OF);
    for (const r of [streamed, ndjson]) {
      assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
      assert.deepEqual(r.value.case.treatment, withRecurrence.treatment);
      assert.deepEqual(r.value.case.followUp, withRecurrence.followUp);
    }
  });

  it('with the EHR\'s own Patient reference (no Patient in the bundle), the death and its cause come back from the cause-of-death observation', () => {
    const back = imported(exported(TREATED, 'Patient/123'));
    assert.deepEqual(back.case.followUp, TREATED.followUp);
  });
});

describe('FHIR round trip of treatment and follow-up (fast-check)', () => {
  it('export → import gives back the same treatment and follow-up for random valid cases', () => {
    fc.assert(
      fc.property(validCase, treatment, followUp, (base, t, f) => {
        const c = parseCase({ ...base, treatment: t, followUp: f });
        const back = importBundle(exported(c), AS_OF);
        assert.ok(back.ok, JSON.stringify(!back.ok && back.errors));
        assert.deepEqual(pruned(back.value.case.treatment), pruned(c.treatment));
        assert.deepEqual(sortedFollowUp(back.value.case.followUp), sortedFollowUp(c.followUp));
      }),
      { numRuns: 150 },
    );
  });

  it('the exported treatment resources are valid FHIR R4 for random treatments', () => {
    fc.assert(
      fc.property(treatment, followUp, (t, f) => {
        assert.deepEqual(r4Issues(exported(parseCase({ ...TREATED, treatment: t, followUp: f }))), []);
      }),
      { numRuns: 25 },
    );
  });
});

// ——— hand-written resources, as another EHR would send them ———

const PATIENT = { resourceType: 'Patient', id: 'p1', gender: 'male', birthDate: '1958-04-02', deceasedDateTime: '2024-02-11' };
const PRIMARY = {
  resourceType: 'Condition',
  id: 'rps',
  extension: [{ url: `${MCODE}/mcode-histology-morphology-behavior`, valueCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/icd-o-3', code: '8858/3' }] } }],
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
  code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'C48.0' }] },
  subject: { reference: 'Patient/p1' },
};
const BREAST = {
  resourceType: 'Condition',
  id: 'breast',
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'C50.211' }] },
  subject: { reference: 'Patient/p1' },
};
const NEO = { coding: [{ system: SCT, code: '373847000' }] };
const ADJ = { coding: [{ system: SCT, code: '373846009' }] };
const bundle = (...resources: object[]) => ({ resourceType: 'Bundle', type: 'collection', entry: [PATIENT, PRIMARY, ...resources].map((resource) => ({ resource })) });

function administration(id: string, extra: Record<string, unknown>) {
  return {
    resourceType: 'MedicationAdministration',
    id,
    status: 'completed',
    medicationCodeableConcept: { text: 'AIM (doxorubicin, ifosfamide, mesna)' },
    subject: { reference: 'Patient/p1' },
    effectivePeriod: { start: '2023-01-10', end: '2023-03-20' },
    reasonReference: [{ reference: 'Condition/rps' }],
    ...extra,
  };
}
function course(id: string, dose: Record<string, unknown>, extra: Record<string, unknown> = {}, fractions = 25) {
  return {
    resourceType: 'Procedure',
    id,
    status: 'completed',
    category: ADJ,
    code: { coding: [{ system: SCT, code: '1217123003' }] },
    subject: { reference: 'Patient/p1' },
    performedPeriod: { start: '2023-06-01', end: '2023-07-06' },
    reasonReference: [{ reference: 'Condition/rps' }],
    extension: [
      {
        url: `${MCODE}/mcode-radiotherapy-dose-delivered-to-volume`,
        extension: [{ url: 'volume', valueReference: { reference: 'BodyStructure/bed' } }, { url: 'totalDoseDelivered', valueQuantity: dose }, { url: 'fractionsDelivered', valueUnsignedInt: fractions }],
      },
    ],
    ...extra,
  };
}
const VOLUME = { resourceType: 'BodyStructure', id: 'bed', meta: { profile: [`${MCODE}/mcode-radiotherapy-volume`] }, description: 'Tumour bed', patient: { reference: 'Patient/p1' } };

describe('FHIR import of treatment and outcomes written by hand (another EHR)', () => {
  it('timing from mCODE\'s treatmentIntent extension, regimen from the RxNorm display, a dose in cGy converted to Gy, the response by partOf, an unknown cause of death on the death date', () => {
    const r = imported(
      bundle(
        administration('chemo', {
          extension: [{ url: `${MCODE}/mcode-procedure-intent`, valueCodeableConcept: NEO }],
          medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '3639', display: 'DOXOrubicin' }] },
        }),
        course('rt', { value: 5000, unit: 'cGy', system: UCUM, code: 'cGy' }),
        VOLUME,
        {
          resourceType: 'Observation',
          id: 'response',
          status: 'final',
          code: { coding: [{ system: 'http://loinc.org', code: '97509-4' }] },
          subject: { reference: 'Patient/p1' },
          partOf: [{ reference: 'MedicationAdministration/chemo' }],
          effectiveDateTime: '2023-04-01',
          valueCodeableConcept: { coding: [{ system: SCT, code: '359746009' }] },
        },
        {
          resourceType: 'Observation',
          id: 'cause',
          status: 'final',
          code: { coding: [{ system: SCT, code: '184305005' }] },
          subject: { reference: 'Patient/p1' },
          effectiveDateTime: '2024-02-11',
          valueCodeableConcept: { coding: [{ system: SCT, code: '261665006' }] },
        },
      ),
    );
    assert.deepEqual(r.case.treatment, {
      neoadjuvant: { chemotherapy: { regimen: 'DOXOrubicin' }, response: 'stable' },
      adjuvant: { radiotherapy: { doseGy: 50, fractions: 25 } },
    });
    assert.deepEqual(r.case.followUp, { events: [{ type: 'death', date: '2024-02-11', cause: 'unknown' }] });
    assert.deepEqual(
      r.report.used.filter((u) => ['MedicationAdministration/chemo', 'Procedure/rt', 'BodyStructure/bed', 'Observation/response', 'Observation/cause'].includes(u.resource)).map((u) => u.as),
      [
        'treatment.neoadjuvant.chemotherapy = "DOXOrubicin"',
        'treatment.adjuvant.radiotherapy = 50 Gy (5000 cGy) in 25 fractions',
        'treatment.neoadjuvant.response = stable',
        'followUp.events death 2024-02-11: cause = unknown',
        'the irradiated volume of Procedure/rt',
      ],
    );
    // The course is a radiotherapy course, not a resection: the surgery is not touched.
    assert.equal(r.case.surgery, undefined);
  });

  it('a regimen named by a referenced Medication; radiotherapy dose units: Gy read as is; rad, a unit in text only, a non-UCUM system, a bound and doses to two volumes are refused with their reason', () => {
    const medication = { resourceType: 'Medication', id: 'trabectedin', code: { text: 'Trabectedin' } };
    const byReference = imported(bundle(administration('chemo', { category: ADJ, medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/trabectedin' } }), medication));
    assert.deepEqual(byReference.case.treatment, { adjuvant: { chemotherapy: { regimen: 'Trabectedin' } } });
    assert.deepEqual(byReference.report.used.find((u) => u.resource === 'Medication/trabectedin')?.as, 'the regimen of MedicationAdministration/chemo');
    const gy = imported(bundle(course('rt', { value: 45, unit: 'Gy', system: UCUM, code: 'Gy' }, {}, 25), VOLUME));
    assert.deepEqual(gy.case.treatment, { adjuvant: { radiotherapy: { doseGy: 45, fractions: 25 } } });
    const refused: [Record<string, unknown>, RegExp][] = [
      [{ value: 5000, unit: 'rad', system: UCUM, code: 'RAD' }, /the radiotherapy dose unit "RAD" is not one Retroplan reads \(UCUM Gy, cGy\)/],
      [{ value: 50, unit: 'Gy' }, /the radiotherapy dose unit "Gy" has no UCUM code: text only, not used/],
      [{ value: 50, unit: 'Gy', system: 'http://example.org/units', code: 'Gy' }, /not a UCUM code/],
      [{ value: 50, comparator: '>=', unit: 'Gy', system: UCUM, code: 'Gy' }, /a bound \(comparator\)/],
      [{ value: 12000, unit: 'cGy', system: UCUM, code: 'cGy' }, /the radiotherapy dose 12000 cGy is outside 0–100 Gy/],
    ];
    for (const [dose, reason] of refused) {
      const r = imported(bundle(course('rt', dose), VOLUME));
      assert.equal(r.case.treatment, undefined, JSON.stringify(dose));
      assert.match(ignoredReason(r, 'Procedure/rt') ?? '', reason);
      assert.match(ignoredReason(r, 'BodyStructure/bed') ?? '', /a radiotherapy volume of no radiotherapy course that was read/);
    }
    const twoVolumes = course('rt', { value: 4500, unit: 'cGy', system: UCUM, code: 'cGy' });
    twoVolumes.extension.push({ ...twoVolumes.extension[0]! });
    const r = imported(bundle(twoVolumes, VOLUME));
    assert.equal(r.case.treatment, undefined);
    assert.match(ignoredReason(r, 'Procedure/rt')!, /doses to 2 volumes: which one is the course dose is not coded/);
  });

  it('therapies that must be ignored: no timing code, both timings, not given, for another cancer, several regimens for one phase', () => {
    const r = imported(
      bundle(
        BREAST,
        administration('untimed', {}),
        administration('both', { category: { coding: [...NEO.coding, ...ADJ.coding] } }),
        administration('not-done', { category: NEO, status: 'not-done' }),
        administration('breast', { category: ADJ, reasonReference: [{ reference: 'Condition/breast' }] }),
        administration('gem', { category: ADJ, medicationCodeableConcept: { text: 'Gemcitabine' } }),
        administration('doc', { category: ADJ, medicationCodeableConcept: { text: 'Docetaxel' } }),
        course('rt-running', { value: 2000, unit: 'cGy', system: UCUM, code: 'cGy' }, { status: 'in-progress' }),
      ),
    );
    assert.equal(r.case.treatment, undefined);
    assert.match(ignoredReason(r, 'MedicationAdministration/untimed')!, /its timing relative to the resection is not coded \(SNOMED CT 373847000 neo-adjuvant or 373846009 adjuvant/);
    assert.match(ignoredReason(r, 'MedicationAdministration/both')!, /coded both neoadjuvant and adjuvant/);
    assert.match(ignoredReason(r, 'MedicationAdministration/not-done')!, /its status is "not-done": not chemotherapy given/);
    assert.match(ignoredReason(r, 'MedicationAdministration/breast')!, /it treats Condition\/breast, not the retroperitoneal tumour/);
    assert.match(ignoredReason(r, 'MedicationAdministration/gem')!, /one of 2 adjuvant chemotherapy resources: the case records one regimen per phase/);
    assert.match(ignoredReason(r, 'MedicationAdministration/doc')!, /one of 2 adjuvant chemotherapy resources/);
    assert.match(ignoredReason(r, 'Procedure/rt-running')!, /its status is "in-progress": not radiotherapy given/);
    assert.ok(r.report.notes.includes('2 adjuvant chemotherapy resources were found; none is read — enter the adjuvant chemotherapy.'));
  });

  it('outcomes that must be ignored: a trend not tied to neoadjuvant therapy, a cause of death in text only or on another day, several last contacts (the latest is used)', () => {
    const observation = (id: string, code: object, extra: Record<string, unknown>) => ({ resourceType: 'Observation', id, status: 'final', code, subject: { reference: 'Patient/p1' }, ...extra });
    const r = imported(
      bundle(
        observation('trend', { coding: [{ system: 'http://loinc.org', code: '97509-4' }] }, { effectiveDateTime: '2023-04-01', valueCodeableConcept: { coding: [{ system: SCT, code: '268910001' }] } }),
        observation('cause-text', { coding: [{ system: 'http://loinc.org', code: '69453-9' }] }, { effectiveDateTime: '2024-02-11', valueCodeableConcept: { text: 'sarcoma' } }),
        observation('cause-other-day', { coding: [{ system: 'http://loinc.org', code: '69453-9' }] }, { effectiveDateTime: '2024-01-01', valueCodeableConcept: { coding: [{ system: OWN, code: 'death-cause-sarcoma' }] } }),
        observation('contact-1', { coding: [{ system: OWN, code: 'last-contact' }] }, { valueDateTime: '2023-11-02' }),
        observation('contact-2', { coding: [{ system: OWN, code: 'last-contact' }] }, { valueDateTime: '2024-01-20' }),
      ),
    );
    assert.equal(r.case.treatment, undefined);
    assert.deepEqual(r.case.followUp, { events: [{ type: 'death', date: '2024-02-11' }], lastContactDate: '2024-01-20' });
    assert.match(ignoredReason(r, 'Observation/trend')!, /nor is it the response to neoadjuvant therapy/);
    assert.match(ignoredReason(r, 'Observation/cause-text')!, /a cause of death: text only, not used/);
    assert.match(ignoredReason(r, 'Observation/cause-other-day')!, /a cause of death dated 2024-01-01, not on the recorded death \(2024-02-11\)/);
    assert.match(ignoredReason(r, 'Observation/contact-1')!, /an earlier last contact: Observation\/contact-2 \(2024-01-20\) is used/);
  });

  it('merging into the existing case: the imported neoadjuvant therapy joins the adjuvant radiotherapy only Retroplan knew', () => {
    const existing = parseCase({ ...TREATED, treatment: { adjuvant: { radiotherapy: { doseGy: 10, fractions: 5 } } }, board: { question: 'Adjuvant therapy?' } });
    const r = imported(bundle(administration('chemo', { category: NEO, extension: [{ url: 'urn:retroplan:fhir:extension:chemotherapy-cycles', valuePositiveInt: 4 }] })));
    const merged = mergeImported(existing, r.case);
    assert.ok(merged);
    assert.deepEqual(merged.case.treatment, {
      neoadjuvant: { chemotherapy: { regimen: 'AIM (doxorubicin, ifosfamide, mesna)', cycles: 4 } },
      adjuvant: { radiotherapy: { doseGy: 10, fractions: 5 } },
    });
    assert.equal(merged.case.board?.question, 'Adjuvant therapy?');
    assert.ok(merged.changes.includes('treatment.neoadjuvant'));
  });

  it('merging: a death the EHR sends again without its cause keeps the cause Retroplan recorded; a new death date replaces it', () => {
    const existing = parseCase({ ...TREATED, followUp: { events: [{ type: 'death', date: '2024-02-11', cause: 'sarcoma' }] } });
    const again = mergeImported(existing, imported(bundle()).case);
    assert.ok(again);
    assert.deepEqual(again.case.followUp?.events, [{ type: 'death', date: '2024-02-11', cause: 'sarcoma' }]);
    const corrected = mergeImported(existing, imported(bundle({ ...PATIENT, deceasedDateTime: '2024-02-12' })).case);
    assert.ok(corrected);
    assert.deepEqual(corrected.case.followUp?.events, [{ type: 'death', date: '2024-02-12' }]);
  });
});
