import { z } from 'zod';
import { ORGAN_IDS } from '../tables/anatomy.ts';
import { MARKERS, type MarkerName } from '../tables/markers.ts';
import { ICDO3_MORPHOLOGY_PATTERN } from '../tables/histology.ts';

/**
 * The case model (version CASE_SCHEMA_VERSION): one patient's retroperitoneal mass as the
 * engine sees it. Older versions are upgraded by `upgradeCase` (model/upgrade.ts) before
 * validation, and the store's migrations rewrite stored cases the same way.
 * These schemas are the single source of truth: TypeScript types, the JSON
 * Schema (`retroplan schema case`), the server's validation and OpenAPI, and the
 * web forms all come from them. Vocabularies: REFERENCE.md §11.
 *
 * Objects are strict: an unknown key is an input error, never silently dropped.
 */

function boundedNumber(message: string, min: number, max: number, opts: { exclusiveMin?: boolean; integer?: boolean } = {}) {
  let schema = z.number({ error: message });
  if (opts.integer) schema = schema.int({ error: message });
  schema = opts.exclusiveMin ? schema.gt(min, { error: message }) : schema.min(min, { error: message });
  return schema.max(max, { error: message });
}

/** Quotes a rejected value for an error message, shortened so hostile input is not echoed whole. */
export function quoteInput(value: unknown): string {
  // Never serialise a structure: a hostile, deeply nested value would overflow the stack.
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value.length > 60 ? value.slice(0, 60) : value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

function closedEnum<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, {
    error: (issue) =>
      `unknown ${what} ${quoteInput(issue.input)}; expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
  });
}

export const ORGAN_ID_SCHEMA = z.enum(ORGAN_IDS, {
  error: (issue) => `unknown organ id ${quoteInput(issue.input)} (organ ids are listed in REFERENCE §11, e.g. "kidney_left", "colon_descending", "ivc")`,
});
export type OrganId = z.infer<typeof ORGAN_ID_SCHEMA>;

const organList = z
  .array(ORGAN_ID_SCHEMA, { error: 'must be a list of organ ids' })
  .max(ORGAN_IDS.length, { error: `must list at most ${ORGAN_IDS.length} organs` });

/** The version this engine writes; v1 (no `schemaVersion`) is upgraded by `upgradeCase`. */
export const CASE_SCHEMA_VERSION = 2;

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** A calendar date `YYYY-MM-DD` that exists (no 2025-02-30). */
export const IsoDateSchema = z
  .string({ error: 'must be a date written YYYY-MM-DD' })
  .regex(ISO_DATE, { error: 'must be a date written YYYY-MM-DD' })
  .refine((text) => {
    const d = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
  }, { error: 'must be a date that exists' });

function boundedText(max: number) {
  return z
    .string({ error: 'must be text' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });
}

/** Kinds of patient identifier: a hospital number (MRN), an identifier of another system, or the id of the patient's resource in a source FHIR server. */
export const IDENTIFIER_KINDS = ['mrn', 'national', 'fhir', 'other'] as const;
export const PatientIdentifierSchema = z.strictObject({
  kind: closedEnum(IDENTIFIER_KINDS, 'identifier kind'),
  /** The issuing system: a URI (FHIR `Identifier.system`, or the FHIR server's base URL for kind `fhir`). */
  system: boundedText(500).optional(),
  value: boundedText(200),
});

/** ECOG performance status 0 (fully active) to 4 (completely disabled); 5 (dead) is not a presenting status. */
export const ECOG_VALUES = [0, 1, 2, 3, 4] as const;

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export const PatientSchema = z.strictObject({
  ageYears: boundedNumber('must be a number of years from 0 to 120', 0, 120).optional(),
  sex: closedEnum(SEXES, 'sex').optional(),
  name: boundedText(200).optional(),
  dateOfBirth: IsoDateSchema.optional(),
  identifiers: z
    .array(PatientIdentifierSchema, { error: 'must be a list of identifiers' })
    .max(20, { error: 'must list at most 20 identifiers' })
    .optional(),
  ecog: z
    .union(ECOG_VALUES.map((v) => z.literal(v)) as unknown as [z.ZodLiteral<0>, z.ZodLiteral<1>, z.ZodLiteral<2>, z.ZodLiteral<3>, z.ZodLiteral<4>], {
      error: 'must be an ECOG performance status from 0 to 4',
    })
    .optional(),
  comorbidities: boundedText(2000).optional(),
});

/** What the tumour board is asked, and who asked. */
export const BoardSchema = z.strictObject({
  question: boundedText(2000).optional(),
  referrer: boundedText(200).optional(),
  referringHospital: boundedText(200).optional(),
});

export const IMAGING_MODALITIES = ['CT', 'MRI', 'PET-CT', 'US'] as const;

/**
 * One dated measurement of the tumour, for growth kinetics (REFERENCE-2 growth kinetics):
 * the greatest dimension, or three orthogonal diameters (ellipsoid volume).
 */
export const MeasurementSchema = z
  .strictObject({
    date: IsoDateSchema,
    modality: closedEnum(IMAGING_MODALITIES, 'imaging modality').optional(),
    greatestDimensionCm: boundedNumber('must be a positive number ≤ 100', 0, 100, { exclusiveMin: true }).optional(),
    diametersCm: z
      .tuple(
        [
          boundedNumber('must be a positive number ≤ 100', 0, 100, { exclusiveMin: true }),
          boundedNumber('must be a positive number ≤ 100', 0, 100, { exclusiveMin: true }),
          boundedNumber('must be a positive number ≤ 100', 0, 100, { exclusiveMin: true }),
        ],
        { error: 'must be three diameters in cm' },
      )
      .optional(),
  })
  .refine((m) => m.greatestDimensionCm !== undefined || m.diametersCm !== undefined, {
    error: 'must give greatestDimensionCm or diametersCm',
  });

export const ImagingSchema = z.strictObject({
  macroscopicFat: z.boolean({ error: 'must be true or false' }).optional(),
  solidComponent: z.boolean({ error: 'must be true or false' }).optional(),
  hypervascular: z.boolean({ error: 'must be true or false' }).optional(),
  calcification: z.boolean({ error: 'must be true or false' }).optional(),
  vesselOrigin: ORGAN_ID_SCHEMA.optional(),
  organOfOrigin: ORGAN_ID_SCHEMA.optional(),
  /** Date and modality of the staging imaging the findings above come from. */
  date: IsoDateSchema.optional(),
  modality: closedEnum(IMAGING_MODALITIES, 'imaging modality').optional(),
  /** Serial measurements, any order; the engine sorts them by date. */
  series: z
    .array(MeasurementSchema, { error: 'must be a list of dated measurements' })
    .max(50, { error: 'must list at most 50 measurements' })
    .optional(),
});

export const NODE_CATEGORIES = ['N0', 'N1'] as const;
export const METASTASIS_CATEGORIES = ['M0', 'M1'] as const;
export const TUMOUR_SIDES = ['left', 'right', 'midline', 'pelvic'] as const;
/** Extensions that decide resectability beyond organ involvement (REFERENCE.md §5, STRASS2 criteria). */
export const TUMOUR_EXTENSIONS = ['spinal_canal', 'right_atrium', 'sciatic_notch', 'transdiaphragmatic'] as const;

export const TumorSchema = z.strictObject({
  sizeCm: boundedNumber('must be a positive number ≤ 100', 0, 100, { exclusiveMin: true }).optional(),
  multifocal: z.boolean({ error: 'must be true or false' }).optional(),
  nodes: closedEnum(NODE_CATEGORIES, 'N category').optional(),
  metastasis: closedEnum(METASTASIS_CATEGORIES, 'M category').optional(),
  side: closedEnum(TUMOUR_SIDES, 'side').optional(),
  imaging: ImagingSchema.optional(),
  contacts: organList.optional(),
  infiltrates: organList.optional(),
  extension: z
    .array(closedEnum(TUMOUR_EXTENSIONS, 'extension'), { error: 'must be a list of extensions' })
    .max(TUMOUR_EXTENSIONS.length, { error: `must list at most ${TUMOUR_EXTENSIONS.length} extensions` })
    .optional(),
});

const markerShape = Object.fromEntries(
  (Object.entries(MARKERS) as [MarkerName, (typeof MARKERS)[MarkerName]][]).map(([name, def]) => [
    name,
    closedEnum(def.results as unknown as readonly [string, ...string[]], `${name} result`).optional(),
  ]),
) as { [M in MarkerName]: z.ZodOptional<z.ZodEnum<{ [R in (typeof MARKERS)[M]['results'][number]]: R }>> };

export const MarkersSchema = z.strictObject(markerShape);

export const FnclccComponentsSchema = z.strictObject({
  differentiation: z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'must be 1, 2 or 3' }),
  mitosesPer10Hpf: boundedNumber('must be a whole number of mitoses per 10 HPF from 0 to 1000', 0, 1000, { integer: true }),
  necrosisPercent: boundedNumber('must be a percentage from 0 to 100', 0, 100),
});

export const GRADES = ['G1', 'G2', 'G3', 'GX'] as const;
export const SPECIMENS = ['core_biopsy', 'resection'] as const;

export const PathologySchema = z.strictObject({
  histology: z
    .string({ error: 'must be an ICD-O-3 morphology code such as "8858/3"' })
    .regex(ICDO3_MORPHOLOGY_PATTERN, { error: 'must be an ICD-O-3 morphology code such as "8858/3"' })
    .optional(),
  markers: MarkersSchema.optional(),
  fnclcc: FnclccComponentsSchema.optional(),
  grade: closedEnum(GRADES, 'grade').optional(),
  specimen: closedEnum(SPECIMENS, 'specimen').optional(),
  /** Date of the pathology report. */
  date: IsoDateSchema.optional(),
});

export const MARGINS = ['R0', 'R1', 'R2'] as const;
/** Clavien–Dindo grades of the worst complication within 90 days ('0' = none). */
export const CLAVIEN_DINDO_GRADES = ['0', 'I', 'II', 'IIIa', 'IIIb', 'IVa', 'IVb', 'V'] as const;
export const SURGICAL_INTENTS = ['curative', 'palliative'] as const;

/** The resection at this centre and its immediate outcome (REFERENCE-2 §6: the audit's data items). */
export const SurgerySchema = z.strictObject({
  margin: closedEnum(MARGINS, 'margin').optional(),
  /** Date of the resection at this centre. */
  date: IsoDateSchema.optional(),
  intent: closedEnum(SURGICAL_INTENTS, 'intent').optional(),
  surgeon: boundedText(200).optional(),
  hospital: boundedText(200).optional(),
  procedure: boundedText(500).optional(),
  organsResected: organList.optional(),
  reconstruction: boundedText(500).optional(),
  rupture: z.boolean({ error: 'must be true or false' }).optional(),
  bloodLossMl: boundedNumber('must be a number of millilitres from 0 to 50000', 0, 50000).optional(),
  transfusion: z.boolean({ error: 'must be true or false' }).optional(),
  /** Worst complication within 90 days, Clavien–Dindo. */
  clavienDindo: closedEnum(CLAVIEN_DINDO_GRADES, 'Clavien–Dindo grade').optional(),
  reoperation: z.boolean({ error: 'must be true or false' }).optional(),
  lengthOfStayDays: boundedNumber('must be a whole number of days from 0 to 1000', 0, 1000, { integer: true }).optional(),
  dischargedHome: z.boolean({ error: 'must be true or false' }).optional(),
  readmittedWithin90Days: z.boolean({ error: 'must be true or false' }).optional(),
});

export const TUMOUR_RESPONSES = ['complete', 'partial', 'stable', 'progression'] as const;
const ChemotherapySchema = z.strictObject({
  regimen: boundedText(200),
  cycles: boundedNumber('must be a whole number of cycles from 1 to 50', 1, 50, { integer: true }).optional(),
});
const RadiotherapySchema = z.strictObject({
  doseGy: boundedNumber('must be a dose in Gy from 0 to 100', 0, 100, { exclusiveMin: true }),
  fractions: boundedNumber('must be a whole number of fractions from 1 to 60', 1, 60, { integer: true }).optional(),
});
/** Therapy before and after the resection. */
export const TreatmentSchema = z.strictObject({
  neoadjuvant: z
    .strictObject({
      chemotherapy: ChemotherapySchema.optional(),
      radiotherapy: RadiotherapySchema.optional(),
      response: closedEnum(TUMOUR_RESPONSES, 'response').optional(),
    })
    .optional(),
  adjuvant: z.strictObject({ chemotherapy: ChemotherapySchema.optional(), radiotherapy: RadiotherapySchema.optional() }).optional(),
});

export const FOLLOW_UP_EVENT_TYPES = ['local_recurrence', 'distant_metastasis', 'death'] as const;
export const DEATH_CAUSES = ['sarcoma', 'treatment', 'other', 'unknown'] as const;
export const FollowUpEventSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('local_recurrence'), date: IsoDateSchema, site: boundedText(200).optional() }),
    z.strictObject({ type: z.literal('distant_metastasis'), date: IsoDateSchema, site: boundedText(200).optional() }),
    z.strictObject({ type: z.literal('death'), date: IsoDateSchema, cause: closedEnum(DEATH_CAUSES, 'cause of death').optional() }),
  ],
  { error: 'must be an event with type "local_recurrence", "distant_metastasis" or "death"' },
);
/** What happened after treatment: dated events and the last contact (censoring date). */
export const FollowUpSchema = z.strictObject({
  events: z.array(FollowUpEventSchema, { error: 'must be a list of events' }).max(100, { error: 'must list at most 100 events' }).optional(),
  lastContactDate: IsoDateSchema.optional(),
});

/**
 * Where the patient is in the pathway: procedures before this presentation
 * (REFERENCE-2, surgery elsewhere; seed chapter: shell-out, piecemeal and rupture
 * turn curable disease into unresectable recurrence).
 */
export const BIOPSY_METHODS = ['core', 'fna', 'open'] as const;
export const SITES_OF_CARE = ['this_centre', 'elsewhere'] as const;
export const RESECTION_TYPES = ['complete', 'shell_out', 'piecemeal', 'intralesional', 'exploratory'] as const;
export const PriorBiopsySchema = z.strictObject({
  kind: z.literal('biopsy'),
  date: IsoDateSchema.optional(),
  method: closedEnum(BIOPSY_METHODS, 'biopsy method'),
  where: closedEnum(SITES_OF_CARE, 'place').optional(),
});
export const PriorSurgerySchema = z.strictObject({
  kind: z.literal('surgery'),
  date: IsoDateSchema.optional(),
  where: closedEnum(SITES_OF_CARE, 'place').optional(),
  resectionType: closedEnum(RESECTION_TYPES, 'resection type'),
  /** Tumour rupture or spill during the operation. */
  rupture: z.boolean({ error: 'must be true or false' }).optional(),
  margin: closedEnum(MARGINS, 'margin').optional(),
});
export const PriorProcedureSchema = z.discriminatedUnion('kind', [PriorBiopsySchema, PriorSurgerySchema], {
  error: 'must be a prior procedure with kind "biopsy" or "surgery"',
});

/**
 * Results of the work-up that must precede a biopsy or resection (REFERENCE §3.1): biochemistry for a
 * paraganglioma, germ-cell markers and the testicular ultrasound. Recorded so that a rule that asks for
 * them stops asking once they are done.
 */
export const WORKUP_RESULTS = ['normal', 'raised'] as const;
export const WorkupSchema = z.strictObject({
  /** Plasma or urine metanephrines. */
  metanephrines: closedEnum(WORKUP_RESULTS, 'metanephrines result').optional(),
  /** Serum AFP and β-hCG. */
  afpHcg: closedEnum(WORKUP_RESULTS, 'AFP/β-hCG result').optional(),
  testicularUltrasound: closedEnum(['normal', 'abnormal'] as const, 'testicular ultrasound result').optional(),
});

export const PRESENTATIONS = ['primary', 'recurrent'] as const;

export const CaseSchema = z.strictObject({
  schemaVersion: z
    .literal(CASE_SCHEMA_VERSION, { error: `must be ${CASE_SCHEMA_VERSION} (the case model version this engine reads; older cases are upgraded)` })
    .default(CASE_SCHEMA_VERSION),
  id: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }).optional(),
  patient: PatientSchema.default({}),
  presentation: closedEnum(PRESENTATIONS, 'presentation').default('primary'),
  tumor: TumorSchema.default({}),
  pathology: PathologySchema.default({}),
  surgery: SurgerySchema.optional(),
  history: z
    .array(PriorProcedureSchema, { error: 'must be a list of prior procedures' })
    .max(50, { error: 'must list at most 50 prior procedures' })
    .optional(),
  board: BoardSchema.optional(),
  treatment: TreatmentSchema.optional(),
  followUp: FollowUpSchema.optional(),
  workup: WorkupSchema.optional(),
});

/** A validated case, with defaults applied. */
export type Case = z.output<typeof CaseSchema>;
/** What a user may write: defaults may be left out. */
export type CaseInput = z.input<typeof CaseSchema>;
export type Tumor = z.output<typeof TumorSchema>;
export type Pathology = z.output<typeof PathologySchema>;
export type Markers = z.output<typeof MarkersSchema>;
export type FnclccComponents = z.output<typeof FnclccComponentsSchema>;
export type Grade = (typeof GRADES)[number];
export type Margin = (typeof MARGINS)[number];
export type PriorProcedure = z.output<typeof PriorProcedureSchema>;
export type Measurement = z.output<typeof MeasurementSchema>;
export type Workup = z.output<typeof WorkupSchema>;
export type PatientIdentifier = z.output<typeof PatientIdentifierSchema>;
export type Surgery = z.output<typeof SurgerySchema>;
export type FollowUpEvent = z.output<typeof FollowUpEventSchema>;
