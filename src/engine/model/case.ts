import { z } from 'zod';
import { ORGAN_IDS } from '../tables/anatomy.ts';
import { MARKERS, type MarkerName } from '../tables/markers.ts';
import { ICDO3_MORPHOLOGY_PATTERN } from '../tables/histology.ts';

/**
 * The case model v1: one patient's retroperitoneal mass as the engine sees it.
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
  const text = JSON.stringify(value) ?? String(value);
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

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export const PatientSchema = z.strictObject({
  ageYears: boundedNumber('must be a number of years from 0 to 120', 0, 120).optional(),
  sex: closedEnum(SEXES, 'sex').optional(),
});

export const ImagingSchema = z.strictObject({
  macroscopicFat: z.boolean({ error: 'must be true or false' }).optional(),
  solidComponent: z.boolean({ error: 'must be true or false' }).optional(),
  hypervascular: z.boolean({ error: 'must be true or false' }).optional(),
  calcification: z.boolean({ error: 'must be true or false' }).optional(),
  vesselOrigin: ORGAN_ID_SCHEMA.optional(),
  organOfOrigin: ORGAN_ID_SCHEMA.optional(),
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
});

export const MARGINS = ['R0', 'R1', 'R2'] as const;
export const SurgerySchema = z.strictObject({
  margin: closedEnum(MARGINS, 'margin').optional(),
});

export const PRESENTATIONS = ['primary', 'recurrent'] as const;

export const CaseSchema = z.strictObject({
  id: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }).optional(),
  patient: PatientSchema.default({}),
  presentation: closedEnum(PRESENTATIONS, 'presentation').default('primary'),
  tumor: TumorSchema.default({}),
  pathology: PathologySchema.default({}),
  surgery: SurgerySchema.optional(),
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
