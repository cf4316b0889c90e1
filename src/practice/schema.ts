import { z } from 'zod';
import { CaseSchema } from '../engine/model/case.ts';
import { IntraopFindingsSchema } from '../engine/intraoperative.ts';

/**
 * A practice case (issue: hands-on practice): a short clinical story in stages,
 * each stage the case as it stands then, with questions the engine answers.
 * Cases are data — one JSON file each under `src/practice/cases/` — so an educator
 * adds one without code; `expected` holds what the engine returns, kept in step by a test.
 */

export const QUESTION_KINDS = [
  'leading-diagnosis',
  'is-sarcoma',
  'next-test',
  'red-flags',
  'stage-group',
  'grade',
  'first-priority',
  'compartment',
  'en-bloc-organs',
  'preoperative-checks',
  'intraop-decision',
  'intraop-intent',
  'surveillance-interval',
  'pseudocapsule-residual',
  'sampling-blocks',
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export const TOPICS = ['diagnosis', 'mimics', 'staging', 'strategy', 'planning', 'intraoperative', 'surveillance', 'margins', 'recurrence', 'surgery-elsewhere'] as const;
export type Topic = (typeof TOPICS)[number];

const slug = z.string({ error: 'must be text' }).regex(/^[a-z0-9][a-z0-9-]{1,79}$/, { error: 'must be a lower-case slug (letters, digits, hyphens)' });
const text = (max: number) => z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' }).max(max, { error: `must be at most ${max} characters` });

/** Parameters of the seed chapter's margin models, for the numeric exercises. */
export const ModelParametersSchema = z.strictObject({
  capsuleMm: z.number().min(0).optional(),
  satelliteMeanMm: z.number().gt(0).optional(),
  defectFraction: z.number().min(0).max(1).optional(),
  involvedFraction: z.number().gt(0).lt(1).optional(),
  detection: z.number().min(0).lt(1).optional(),
});

export const QuestionSchema = z.strictObject({
  id: slug,
  kind: z.enum(QUESTION_KINDS, { error: `must be one of ${QUESTION_KINDS.join(', ')}` }),
  /** Optional wording; otherwise the kind's standard question is asked. */
  prompt: text(500).optional(),
  parameters: ModelParametersSchema.optional(),
  /** What the engine answers for this stage — checked against the engine by the test suite. */
  expected: z.unknown(),
});

export const StageSchema = z.strictObject({
  id: slug,
  title: text(120),
  story: text(3000),
  /** The case as it stands at this stage (the engine's case model). */
  case: CaseSchema,
  /** What the surgeon finds in theatre (stages with intra-operative questions). */
  findings: IntraopFindingsSchema.optional(),
  questions: z.array(QuestionSchema).min(1, { error: 'a stage asks at least one question' }).max(12),
});

export const PracticeCaseSchema = z
  .strictObject({
    id: slug,
    title: text(160),
    topics: z.array(z.enum(TOPICS, { error: `must be one of ${TOPICS.join(', ')}` })).min(1),
    stages: z.array(StageSchema).min(1).max(8),
  })
  .superRefine((c, ctx) => {
    c.stages.forEach((stage, i) => {
      const intraop = stage.questions.some((q) => q.kind === 'intraop-decision' || q.kind === 'intraop-intent');
      if (intraop && !stage.findings) ctx.addIssue({ code: 'custom', path: ['stages', i, 'findings'], message: 'intra-operative questions need the findings' });
      for (const [j, q] of stage.questions.entries()) {
        const needs = q.kind === 'pseudocapsule-residual' ? ['capsuleMm', 'satelliteMeanMm'] : q.kind === 'sampling-blocks' ? ['involvedFraction', 'detection'] : [];
        for (const p of needs) {
          if (q.parameters?.[p as keyof typeof q.parameters] === undefined) ctx.addIssue({ code: 'custom', path: ['stages', i, 'questions', j, 'parameters', p], message: 'is required for this kind of question' });
        }
      }
    });
  });

export type PracticeCase = z.output<typeof PracticeCaseSchema>;
export type PracticeStage = PracticeCase['stages'][number];
export type PracticeQuestion = PracticeStage['questions'][number];
