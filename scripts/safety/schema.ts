import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * Schemas of the clinical risk management file kept in safety/ (DCB0129-style):
 * the risk matrix, the hazard log, the rule registry and the SOUP list.
 * A file that does not match is reported with the path of every problem.
 */

export const SEVERITIES = ['minor', 'significant', 'considerable', 'major', 'catastrophic'] as const;
export const LIKELIHOODS = ['very-low', 'low', 'medium', 'high', 'very-high'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Likelihood = (typeof LIKELIHOODS)[number];

const text = z.string().trim().min(1);
const rating = z.number().int().min(1).max(5);

export const RiskMatrixSchema = z
  .object({
    source: text,
    severity: z.array(z.object({ id: z.enum(SEVERITIES), name: text, description: text }).strict()).length(5),
    likelihood: z.array(z.object({ id: z.enum(LIKELIHOODS), name: text, description: text }).strict()).length(5),
    /** Rows: likelihood; columns: severity in the order of SEVERITIES. */
    matrix: z.object(Object.fromEntries(LIKELIHOODS.map((l) => [l, z.array(rating).length(5)])) as Record<Likelihood, z.ZodArray<typeof rating>>).strict(),
    ratings: z.array(z.object({ rating, name: text, action: text }).strict()).length(5),
  })
  .strict();
export type RiskMatrix = z.infer<typeof RiskMatrixSchema>;

/** `path/to/file.ts#symbol` (a rule, check or UI behaviour in the code). */
export const CODE_REF = /^(src|web|scripts|bin)\/[\w./-]+\.(ts|tsx|mjs)#[A-Za-z_$][\w$]*$/;
/** `<file>::<suite> > <test>` as written by scripts/safety-test-reporter.mjs and the vitest results. */
export const TEST_ID = /^(src|test|web)\/[\w./-]+\.test\.(ts|tsx)::.+$/;

const Risk = z.object({ severity: z.enum(SEVERITIES), likelihood: z.enum(LIKELIHOODS) }).strict();

export const ControlSchema = z
  .object({
    id: z.string().regex(/^H\d{2}-C\d+$/, { error: 'control ids look like H01-C1' }),
    kind: z.enum(['rule', 'check', 'ui', 'access', 'labelling']),
    description: text,
    ref: z.string().regex(CODE_REF, { error: 'a code reference: path/to/module.ts#symbol' }),
    tests: z.array(z.string().regex(TEST_ID, { error: 'a test id: <file>::<suite> > <test>' })).min(1, { error: 'a control needs at least one test that proves it' }),
  })
  .strict();

export const HazardSchema = z
  .object({
    id: z.string().regex(/^H\d{2}$/, { error: 'hazard ids look like H01' }),
    title: text,
    origin: z.enum(['review', 'analysis']),
    causes: z.array(text).min(1),
    harm: text,
    before: Risk,
    after: Risk,
    /** Clinical rules whose error would cause or worsen this hazard (`path#export`). */
    rules: z.array(z.string().regex(CODE_REF)).default([]),
    controls: z.array(ControlSchema).min(1, { error: 'every hazard needs at least one control' }),
    openItems: z.array(text).default([]),
  })
  .strict();
export type Hazard = z.infer<typeof HazardSchema>;
export type Control = z.infer<typeof ControlSchema>;

export const HazardLogSchema = z
  .object({
    product: text,
    reviewClasses: z.array(z.object({ id: text, finding: text, hazards: z.array(z.string().regex(/^H\d{2}$/)).min(1), status: z.enum(['controlled', 'partly-controlled', 'open']) }).strict()),
    hazards: z.array(HazardSchema).min(1),
  })
  .strict();
export type HazardLog = z.infer<typeof HazardLogSchema>;

export const RuleRegistrySchema = z
  .object({
    noSafetyImpact: z.array(z.object({ rule: z.string().regex(CODE_REF), why: z.string().trim().min(20, { error: 'say why (at least a sentence)' }) }).strict()),
  })
  .strict();
export type RuleRegistry = z.infer<typeof RuleRegistrySchema>;

export const SoupSchema = z
  .object({
    components: z.array(
      z
        .object({
          name: text,
          role: text,
          failureShowsAs: text,
          caughtBy: z.array(z.string().regex(/^(H\d{2}-C\d+|H\d{2})$/)).min(1),
          knownAnomalies: text,
        })
        .strict(),
    ),
  })
  .strict();
export type Soup = z.infer<typeof SoupSchema>;

export class SafetyFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly { path: string; message: string }[],
  ) {
    super(`${file}: ${problems.map((p) => `${p.path || '(root)'}: ${p.message}`).join('; ')}`);
    this.name = 'SafetyFileError';
  }
}

/** Parses YAML text against a schema; a problem names the file and the field path. */
export function parseSafetyYaml<T>(schema: z.ZodType<T>, yamlText: string, file: string): T {
  let data: unknown;
  try {
    data = parse(yamlText);
  } catch (error) {
    throw new SafetyFileError(file, [{ path: '', message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` }]);
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new SafetyFileError(
      file,
      result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  }
  return result.data;
}

export function loadSafetyYaml<T>(schema: z.ZodType<T>, file: string): T {
  return parseSafetyYaml(schema, readFileSync(file, 'utf8'), file);
}

/** Risk rating of a severity and likelihood: a lookup in the matrix table, never a formula. */
export function riskRating(matrix: RiskMatrix, r: { severity: Severity; likelihood: Likelihood }): number {
  return matrix.matrix[r.likelihood][SEVERITIES.indexOf(r.severity)]!;
}
