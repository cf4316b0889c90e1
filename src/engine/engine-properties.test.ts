import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { propertyRuns } from '../../test/support/property-runs.ts';
import {
  evaluateCase,
  GRADES,
  HISTOLOGIES,
  MARKERS,
  MARKER_NAMES,
  METASTASIS_CATEGORIES,
  NODE_CATEGORIES,
  ORGAN_IDS,
  parseCase,
  PRESENTATIONS,
  SEXES,
  SPECIMENS,
  MARGINS,
  TUMOUR_EXTENSIONS,
  TUMOUR_SIDES,
  type CaseInput,
} from './index.ts';

/** Arbitrary valid cases built from the case model's own vocabularies. */
const organ = fc.constantFrom(...ORGAN_IDS);
const markers = fc.record(
  Object.fromEntries(MARKER_NAMES.map((m) => [m, fc.constantFrom(...MARKERS[m].results)])) as Record<string, fc.Arbitrary<string>>,
  { requiredKeys: [] },
);
const histology = fc.oneof(fc.constantFrom(...HISTOLOGIES.map((h) => h.code)), fc.constant('9999/3'));
const validCase: fc.Arbitrary<CaseInput> = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 20 }),
    patient: fc.record({ ageYears: fc.integer({ min: 0, max: 120 }), sex: fc.constantFrom(...SEXES) }, { requiredKeys: [] }),
    presentation: fc.constantFrom(...PRESENTATIONS),
    tumor: fc.record(
      {
        sizeCm: fc.double({ min: 0.1, max: 100, noNaN: true }),
        multifocal: fc.boolean(),
        nodes: fc.constantFrom(...NODE_CATEGORIES),
        metastasis: fc.constantFrom(...METASTASIS_CATEGORIES),
        side: fc.constantFrom(...TUMOUR_SIDES),
        imaging: fc.record(
          { macroscopicFat: fc.boolean(), solidComponent: fc.boolean(), hypervascular: fc.boolean(), calcification: fc.boolean(), vesselOrigin: organ, organOfOrigin: organ },
          { requiredKeys: [] },
        ),
        contacts: fc.uniqueArray(organ, { maxLength: 10 }),
        infiltrates: fc.uniqueArray(organ, { maxLength: 5 }),
        extension: fc.uniqueArray(fc.constantFrom(...TUMOUR_EXTENSIONS), { maxLength: 4 }),
      },
      { requiredKeys: [] },
    ),
    pathology: fc.record(
      {
        histology,
        markers,
        fnclcc: fc.record({ differentiation: fc.constantFrom(1 as const, 2 as const, 3 as const), mitosesPer10Hpf: fc.integer({ min: 0, max: 1000 }), necrosisPercent: fc.integer({ min: 0, max: 100 }) }),
        grade: fc.constantFrom(...GRADES),
        specimen: fc.constantFrom(...SPECIMENS),
      },
      { requiredKeys: [] },
    ),
    surgery: fc.record({ margin: fc.constantFrom(...MARGINS) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<CaseInput>;

describe('engine invariants over random valid cases', () => {
  it('random valid cases never throw, and every part explains itself', () => {
    fc.assert(
      fc.property(validCase, (input) => {
        const e = evaluateCase(parseCase(input));
        for (const part of [e.diagnosis, e.failurePattern, e.strategy, e.resectionPlan, e.surveillance, e.referral]) {
          assert.ok(part.reasons.length > 0 && part.sources.length > 0);
        }
        assert.ok(e.strategy.priorities.length > 0);
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('a non-sarcoma never gets a stage group or an en bloc resection', () => {
    fc.assert(
      fc.property(validCase, (input) => {
        const e = evaluateCase(parseCase(input));
        if (e.diagnosis.isSarcoma !== false) return true;
        return e.stage.group === null && !e.strategy.priorities.some((p) => p.id === 'en-bloc-resection') && e.resectionPlan.enBloc.length === 0;
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('en bloc resection is proposed only for an established sarcoma judged resectable', () => {
    fc.assert(
      fc.property(validCase, (input) => {
        const e = evaluateCase(parseCase(input));
        if (!e.strategy.priorities.some((p) => p.id === 'en-bloc-resection')) return true;
        return e.diagnosis.isSarcoma === true && e.resectionPlan.resectability.status !== 'unresectable';
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('adding an infiltrated organ never shrinks enBloc (whole evaluation)', () => {
    fc.assert(
      fc.property(validCase, organ, (input, extra) => {
        const before = evaluateCase(parseCase(input)).resectionPlan.enBloc;
        const tumor = input.tumor ?? {};
        const after = evaluateCase(parseCase({ ...input, tumor: { ...tumor, infiltrates: [...new Set([...(tumor.infiltrates ?? []), extra])] } })).resectionPlan;
        return before.every((id) => after.enBloc.includes(id) || after.decideAtMdt.includes(id));
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('the differential always lists every profile once, with a status', () => {
    fc.assert(
      fc.property(validCase, (input) => {
        const d = evaluateCase(parseCase(input)).diagnosis.differential;
        return new Set(d.map((x) => x.code)).size === d.length && d.every((x) => ['supported', 'possible', 'excluded'].includes(x.status));
      }),
      { numRuns: propertyRuns(100) },
    );
  });
});
