import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import fhirpath from 'fhirpath';
import fhirpathR4 from 'fhirpath/fhir-context/r4/index.js';
import type { Bundle } from '@medplum/fhirtypes';
import { evaluateCase, HISTOLOGIES, parseCase, type Case } from '../../src/engine/index.ts';
import { exportBundle } from '../../src/interop/fhir/export.ts';
import { importBundle } from '../../src/interop/fhir/import.ts';
import { renderTextReport } from '../../src/cli/report-text.ts';
import { readFixture, r4Issues } from './support.ts';

const ISSUED = '2025-01-01T09:00:00Z';

function exported(c: Case, patientReference?: string): Bundle {
  let n = 0;
  const evaluation = evaluateCase(c);
  return exportBundle({
    case: c,
    evaluation,
    reportText: renderTextReport(evaluation),
    issued: ISSUED,
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    ...(patientReference ? { patientReference } : {}),
  });
}

/** FHIRPath over the bundle (R4 model): the profile rules are checked this way. */
function fp(bundle: Bundle, expression: string): unknown[] {
  return fhirpath.evaluate(bundle, expression, undefined, fhirpathR4) as unknown[];
}

const MCODE = 'http://hl7.org/fhir/us/mcode/StructureDefinition';
const byProfile = (id: string) => `Bundle.entry.resource.where(meta.profile contains '${MCODE}/${id}')`;

const DDLPS = parseCase({
  patient: { ageYears: 58, sex: 'male' },
  tumor: { sizeCm: 22, nodes: 'N0', metastasis: 'M0' },
  pathology: { histology: '8858/3', fnclcc: { differentiation: 3, mitosesPer10Hpf: 25, necrosisPercent: 60 }, markers: { MDM2: 'amplified' } },
  surgery: { margin: 'R1' },
});

describe('FHIR export: mCODE Bundle of an evaluation', () => {
  const bundle = exported(DDLPS);

  it('is valid FHIR R4 (base definitions, @medplum/core validateResource)', () => {
    assert.deepEqual(r4Issues(bundle), []);
    assert.deepEqual(r4Issues(exported(parseCase({}))), []);
  });

  it('TNM stage group: AJCC 8 method, focus on the condition, T/N/M as members, cancerstaging.org value', () => {
    const group = byProfile('mcode-tnm-stage-group');
    assert.equal(fp(bundle, `${group}.count()`)[0], 1);
    // A margin is recorded (the tumour was resected): pathological staging codes (LOINC 21902-2, SNOMED 399588009).
    assert.deepEqual((fp(bundle, `${group}.code.coding.code`) as string[]).sort(), ['21902-2', '399588009']);
    assert.deepEqual(fp(bundle, `${group}.method.coding.where(system='http://snomed.info/sct').code`), ['897275008']);
    assert.deepEqual(fp(bundle, `${group}.valueCodeableConcept.coding.where(system='http://cancerstaging.org').code`), ['3B']);
    assert.deepEqual(fp(bundle, `${group}.status`), ['final']);
    const condition = fp(bundle, `Bundle.entry.where(resource.meta.profile contains '${MCODE}/mcode-primary-cancer-condition').fullUrl`);
    assert.deepEqual(fp(bundle, `${group}.focus.reference`), condition);
    const members = fp(bundle, `${group}.hasMember.reference`) as string[];
    assert.equal(members.length, 3);
    for (const [profile, value, loinc] of [['mcode-tnm-primary-tumor-category', 'pT4', '21899-0'], ['mcode-tnm-regional-nodes-category', 'pN0', '21900-6'], ['mcode-tnm-distant-metastases-category', 'cM0', '21901-4']] as const) {
      const url = fp(bundle, `Bundle.entry.where(resource.meta.profile contains '${MCODE}/${profile}').fullUrl`)[0] as string;
      assert.ok(members.includes(url), profile);
      assert.deepEqual(fp(bundle, `${byProfile(profile)}.valueCodeableConcept.coding.code`), [value]);
      assert.ok((fp(bundle, `${byProfile(profile)}.code.coding.code`) as string[]).includes(loinc));
      assert.deepEqual(fp(bundle, `${byProfile(profile)}.method.coding.code`), ['897275008']);
      assert.equal(fp(bundle, `${byProfile(profile)}.subject.exists() and ${byProfile(profile)}.focus.exists()`)[0], true);
    }
  });

  it('histologic grade: NCIt C18000 and LOINC 33732-9, SNOMED high grade, FNCLCC scores kept as components', () => {
    const grade = byProfile('mcode-histologic-grade');
    assert.deepEqual(fp(bundle, `${grade}.code.coding.code`), ['C18000', '33732-9']);
    assert.deepEqual(fp(bundle, `${grade}.valueCodeableConcept.coding.code`), ['1155707008']);
    const component = (code: string) => fp(bundle, `${grade}.component.where(code.coding.code='${code}').value`);
    assert.deepEqual(component('fnclcc-total-score'), [8]);
    assert.deepEqual(component('fnclcc-differentiation-score'), [3]);
    assert.equal(fp(bundle, `${grade}.component.where(code.coding.code='fnclcc-grade').valueCodeableConcept.coding.code`)[0], 'G3');
  });

  it('tumour size: LOINC 21889-1 with the longest dimension 33728-7 in cm', () => {
    const size = byProfile('mcode-tumor-size');
    assert.deepEqual(fp(bundle, `${size}.code.coding.code`), ['21889-1']);
    assert.deepEqual(fp(bundle, `${size}.component.where(code.coding.code='33728-7').valueQuantity.value`), [22]);
    assert.deepEqual(fp(bundle, `${size}.component.valueQuantity.code`), ['cm']);
  });

  it('primary cancer condition: ICD-O-3 histology extension, SNOMED CT 82849001 and ICD-O-3 C48.0 site, ICD-10-CM C48.0', () => {
    const condition = byProfile('mcode-primary-cancer-condition');
    assert.deepEqual(fp(bundle, `${condition}.extension.where(url='${MCODE}/mcode-histology-morphology-behavior').value.coding.code`), ['8858/3']);
    assert.deepEqual(fp(bundle, `${condition}.bodySite.coding.code`), ['82849001', 'C48.0']);
    assert.deepEqual(fp(bundle, `${condition}.code.coding.system`), ['http://hl7.org/fhir/sid/icd-10-cm']);
    assert.deepEqual(fp(bundle, `${condition}.code.coding.code`), ['C48.0']);
  });

  it('a DiagnosticReport references every observation and carries the readable report (base64 text/plain)', () => {
    const report = "Bundle.entry.resource.ofType(DiagnosticReport)";
    const observationUrls = fp(bundle, "Bundle.entry.where(resource is Observation).fullUrl");
    assert.deepEqual(fp(bundle, `${report}.result.reference`), observationUrls);
    assert.deepEqual(fp(bundle, `${report}.presentedForm.contentType`), ['text/plain']);
    const text = Buffer.from(fp(bundle, `${report}.presentedForm.data`)[0] as string, 'base64').toString('utf8');
    assert.equal(text, renderTextReport(evaluateCase(DDLPS)));
    assert.match(fp(bundle, `${report}.conclusion`)[0] as string, /stage IIIB/);
  });

  it('every reference resolves inside the bundle; an EHR patient reference replaces the minimal Patient', () => {
    const urls = new Set(fp(bundle, 'Bundle.entry.fullUrl') as string[]);
    for (const ref of fp(bundle, 'Bundle.descendants().ofType(Reference).reference') as string[]) assert.ok(urls.has(ref), ref);
    const linked = exported(DDLPS, 'Patient/123');
    assert.equal(fp(linked, 'Bundle.entry.resource.ofType(Patient).count()')[0], 0);
    assert.deepEqual([...new Set(fp(linked, 'Bundle.entry.resource.subject.reference'))], ['Patient/123']);
  });

  it('no stage group is written when none applies (not a sarcoma, or size unknown)', () => {
    const lymphoma = exported(parseCase({ tumor: { sizeCm: 12 }, pathology: { histology: '9590/3' } }));
    assert.equal(fp(lymphoma, `${byProfile('mcode-tnm-stage-group')}.count()`)[0], 0);
    assert.equal(fp(lymphoma, `${byProfile('mcode-primary-cancer-condition')}.count()`)[0], 0);
    assert.equal(fp(exported(parseCase({ pathology: { histology: '8858/3' } })), `${byProfile('mcode-tnm-stage-group')}.count()`)[0], 0);
  });
});

describe('FHIR round trip: case → export → import', () => {
  it('the DD-LPS fixture: import → export → import gives the same case and stage', () => {
    const first = importBundle(readFixture('rps-ddlps-bundle.json'), { asOf: '2025-01-01' });
    assert.ok(first.ok);
    const again = importBundle(exported(first.value.case), { asOf: '2025-01-01' });
    assert.ok(again.ok);
    assert.deepEqual({ ...again.value.case, patient: { ...again.value.case.patient, ageYears: 58 } }, first.value.case);
    assert.equal(evaluateCase(again.value.case).stage.group, 'IIIB');
  });

  const sarcomaCodes = HISTOLOGIES.map((h) => h.code);
  const arbitraryCase = fc.record(
    {
      presentation: fc.constantFrom('primary', 'recurrent'),
      tumor: fc.record({ sizeCm: fc.integer({ min: 1, max: 1000 }).map((n) => n / 10), nodes: fc.constantFrom('N0', 'N1'), metastasis: fc.constantFrom('M0', 'M1') }, { requiredKeys: [] }),
      pathology: fc.record(
        {
          histology: fc.constantFrom(...sarcomaCodes),
          grade: fc.constantFrom('G1', 'G2', 'G3', 'GX'),
          fnclcc: fc.record({ differentiation: fc.constantFrom(1, 2, 3), mitosesPer10Hpf: fc.integer({ min: 0, max: 60 }), necrosisPercent: fc.integer({ min: 0, max: 100 }) }),
          specimen: fc.constantFrom('core_biopsy', 'resection'),
        },
        { requiredKeys: [] },
      ),
      surgery: fc.record({ margin: fc.constantFrom('R0', 'R1', 'R2') }),
    },
    { requiredKeys: ['tumor', 'pathology'] },
  );

  it('any case keeps its staging inputs and its stage (fast-check)', () => {
    fc.assert(
      fc.property(arbitraryCase, (input) => {
        const c = parseCase(input);
        const back = importBundle(exported(c), { asOf: '2025-01-01' });
        assert.ok(back.ok);
        const d = back.value.case;
        const before = evaluateCase(c);
        const after = evaluateCase(d);
        assert.equal(d.tumor.sizeCm, c.tumor.sizeCm);
        assert.equal(d.pathology.histology, c.pathology.histology);
        assert.equal(d.presentation, c.presentation);
        assert.equal(d.surgery?.margin, c.surgery?.margin);
        assert.deepEqual([after.stage.t, after.stage.n, after.stage.m, after.stage.g, after.stage.group], [before.stage.t, before.stage.n, before.stage.m, before.stage.g, before.stage.group]);
        if (before.stage.group !== null) {
          assert.equal(d.tumor.nodes, c.tumor.nodes);
          assert.equal(d.tumor.metastasis, c.tumor.metastasis);
        }
        assert.deepEqual(d.pathology.fnclcc, c.pathology.fnclcc);
      }),
      { numRuns: 200 },
    );
  });
});
