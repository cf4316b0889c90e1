import fc from 'fast-check';
import {
  BIOPSY_METHODS,
  DEATH_CAUSES,
  GRADES,
  HISTOLOGIES,
  MARKERS,
  MARKER_NAMES,
  METASTASIS_CATEGORIES,
  NODE_CATEGORIES,
  ORGAN_IDS,
  PRESENTATIONS,
  RESECTION_TYPES,
  SEXES,
  SITES_OF_CARE,
  SPECIMENS,
  MARGINS,
  TUMOUR_EXTENSIONS,
  TUMOUR_RESPONSES,
  TUMOUR_SIDES,
  type CaseInput,
} from '../../src/engine/index.ts';

/** Arbitrary valid cases built from the case model's own vocabularies (shared by the engine's property tests). */
export const organ = fc.constantFrom(...ORGAN_IDS);
const markers = fc.record(
  Object.fromEntries(MARKER_NAMES.map((m) => [m, fc.constantFrom(...MARKERS[m].results)])) as Record<string, fc.Arbitrary<string>>,
  { requiredKeys: [] },
);
const histology = fc.oneof(fc.constantFrom(...HISTOLOGIES.map((h) => h.code)), fc.constant('9999/3'));
export const validCase: fc.Arbitrary<CaseInput> = fc.record(
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

const priorProcedure = fc.oneof(
  fc.record({ kind: fc.constant('biopsy' as const), method: fc.constantFrom(...BIOPSY_METHODS), where: fc.constantFrom(...SITES_OF_CARE) }, { requiredKeys: ['kind', 'method'] }),
  fc.record(
    { kind: fc.constant('surgery' as const), resectionType: fc.constantFrom(...RESECTION_TYPES), where: fc.constantFrom(...SITES_OF_CARE), rupture: fc.boolean(), margin: fc.constantFrom(...MARGINS) },
    { requiredKeys: ['kind', 'resectionType'] },
  ),
);

/** Valid cases that may also carry prior procedures (the pathway's and the recurrence triage's texts). */
export const caseWithHistory: fc.Arbitrary<CaseInput> = fc
  .tuple(validCase, fc.array(priorProcedure, { maxLength: 3 }))
  .map(([c, history]) => (history.length ? { ...c, history } : c) as CaseInput);

/** A calendar day `YYYY-MM-DD` from 1990 to 2039. */
export const isoDay = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2039-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
/** Free text as the case model keeps it: trimmed, not empty. */
const text = (max: number) => fc.oneof(fc.string({ minLength: 1, maxLength: max }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: max })).map((s) => s.trim()).filter((s) => s.length > 0 && s.length <= max);
const chemotherapy = fc.record(
  { regimen: fc.oneof(fc.constantFrom('AIM', 'Doxorubicin + ifosfamide', 'Gemcitabine/docetaxel', 'Trabectedin'), text(200)), cycles: fc.integer({ min: 1, max: 50 }) },
  { requiredKeys: ['regimen'] },
);
/**
 * Radiotherapy doses in Gy: cGy-exact values and any double of up to 15 significant digits (every
 * dose anyone records; a 17-digit double has no exact decimal spelling to carry across units).
 */
export const doseGy = fc.oneof(
  fc.integer({ min: 1, max: 10_000 }).map((cGy) => cGy / 100),
  fc.double({ min: 1e-6, max: 100, noNaN: true }).map((x) => Number(x.toPrecision(15))),
);
const radiotherapy = fc.record({ doseGy, fractions: fc.integer({ min: 1, max: 60 }) }, { requiredKeys: ['doseGy'] });

/** Treatment before and after the resection (issue 14), every field optional as in the case model. */
export const treatment: fc.Arbitrary<NonNullable<CaseInput['treatment']>> = fc.record(
  {
    neoadjuvant: fc.record({ chemotherapy, radiotherapy, response: fc.constantFrom(...TUMOUR_RESPONSES) }, { requiredKeys: [] }),
    adjuvant: fc.record({ chemotherapy, radiotherapy }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

/** Follow-up: recurrences and metastases on distinct days, at most one death (with or without a cause), a last contact. */
export const followUp: fc.Arbitrary<NonNullable<CaseInput['followUp']>> = fc.record(
  {
    events: fc
      .tuple(
        fc.uniqueArray(fc.record({ type: fc.constantFrom('local_recurrence' as const, 'distant_metastasis' as const), date: isoDay, site: text(200) }, { requiredKeys: ['type', 'date'] }), {
          maxLength: 4,
          selector: (e) => `${e.type}|${e.date}`,
        }),
        fc.option(fc.record({ type: fc.constant('death' as const), date: isoDay, cause: fc.constantFrom(...DEATH_CAUSES) }, { requiredKeys: ['type', 'date'] }), { nil: undefined }),
      )
      .map(([events, death]) => (death ? [...events, death] : events)),
    lastContactDate: isoDay,
  },
  { requiredKeys: [] },
);
