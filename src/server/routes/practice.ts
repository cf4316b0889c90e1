import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { markAnswer, viewQuestion, type Answer } from '../../practice/examiner.ts';
import { loadPracticeCases } from '../../practice/load-files.ts';
import type { PracticeCase } from '../../practice/schema.ts';
import type { PracticeAttempt } from '../../store/index.ts';
import { hasRole, requireRole } from '../auth/guard.ts';
import { errorBody } from '../errors.ts';
import { ErrorsSchema } from '../schemas.ts';

/**
 * Practice cases for trainees (issue 15 items 3–4): any signed-in user is a
 * trainee. A case is served without its expected answers; an attempt is marked
 * by the engine (practice/examiner.ts), stored, and only then are the answers and
 * their explanations returned. A trainee reads their own attempts; an admin (the
 * supervisor role for now) reads anyone's.
 */

const SECTION = ['practice'];
const errors = { 400: ErrorsSchema, 401: ErrorsSchema, 403: ErrorsSchema, 404: ErrorsSchema };
const asJson = () => (data: unknown) => JSON.stringify(data);

const CaseIdParams = z.object({ id: z.string().min(1).max(100) });
const AnswerSchema = z.union([
  z.string().max(200),
  z.array(z.string().max(200)).max(50),
  z.number().finite(),
], { error: 'must be a text, a list of texts or a number' });
const AttemptBody = z.strictObject({
  answers: z
    .record(z.string().max(200), AnswerSchema, { error: 'must be an object of "<stage>/<question>": answer' })
    .describe('"<stage id>/<question id>": the answer (an option value, a list of them, or a number); unanswered questions score 0'),
});
const AttemptsQuery = z.object({
  user: z.string().min(1).max(100).optional().describe("A user's id; default: the caller. Another user's attempts need the admin role"),
});

const AttemptSchema = z.object({
  id: z.number().int(),
  userId: z.string(),
  username: z.string(),
  caseId: z.string(),
  score: z.number(),
  max: z.number().int(),
  marks: z.unknown().describe('Per question: stage, question, score, given, expected, explanation, sources, why the other options are wrong'),
  createdAt: z.string(),
});
const Open = z.record(z.string(), z.unknown());

function caseView(c: PracticeCase) {
  return {
    id: c.id,
    title: c.title,
    topics: c.topics,
    stages: c.stages.map((stage) => ({
      id: stage.id,
      title: stage.title,
      story: stage.story,
      case: stage.case,
      ...(stage.findings ? { findings: stage.findings } : {}),
      // The numeric exercises' parameters (not answers): the web app marks a stage as it is answered
      // with the same examiner, and the examiner computes these questions from them.
      questions: stage.questions.map((q) => ({ ...viewQuestion(stage, q), ...(q.parameters ? { parameters: q.parameters } : {}) })),
    })),
  };
}

function attemptsCsv(attempts: readonly PracticeAttempt[]): string {
  const rows: (string | number)[][] = [['attempt', 'at', 'user', 'case', 'attempt_score', 'attempt_max', 'stage', 'question', 'score', 'given', 'expected']];
  const text = (a: unknown) => (Array.isArray(a) ? a.join(';') : String(a));
  for (const a of attempts) {
    for (const m of a.marks as { stage: string; question: string; score: number; given: unknown; expected: unknown }[]) {
      rows.push([a.id, a.createdAt, a.username, a.caseId, a.score, a.max, m.stage, m.question, m.score, text(m.given), text(m.expected)]);
    }
  }
  return stringify(rows);
}

export const practiceRoutes: FastifyPluginAsyncZod = async (app) => {
  const repo = app.repo;
  const library = loadPracticeCases().cases;
  const byId = new Map(library.map((c) => [c.id, c]));

  /** The user whose attempts are asked for, or a reply already sent (403/404). */
  async function attemptsOwner(request: FastifyRequest, reply: FastifyReply, user: string | undefined): Promise<string | undefined> {
    const me = request.user!;
    const id = user ?? me.id;
    request.auditObjectId = id;
    if (id === me.id) return id;
    if (!hasRole(me.role, 'admin')) {
      reply.code(403).send(errorBody("another user's attempts need the admin role", 'query.user'));
      return undefined;
    }
    if (!(await repo.getUser(id))) {
      reply.code(404).send(errorBody('no such user', 'query.user'));
      return undefined;
    }
    return id;
  }

  app.get(
    '/practice/cases',
    {
      onRequest: requireRole('viewer'),
      config: { audit: { action: 'practice.cases.list', objectType: 'practice_case' } },
      schema: {
        summary: 'Practice cases: id, title, topics and number of stages',
        tags: SECTION,
        response: { 200: z.object({ items: z.array(z.object({ id: z.string(), title: z.string(), topics: z.array(z.string()), stages: z.number().int() })) }), ...errors },
      },
    },
    async () => ({ items: library.map((c) => ({ id: c.id, title: c.title, topics: [...c.topics], stages: c.stages.length })) }),
  );

  app.get(
    '/practice/cases/:id',
    {
      onRequest: requireRole('viewer'),
      config: { audit: { action: 'practice.case.read', objectType: 'practice_case' } },
      serializerCompiler: asJson,
      schema: {
        summary: "A practice case's stories and questions (prompt, mode, options) — never the expected answers",
        tags: SECTION,
        params: CaseIdParams,
        response: { 200: Open, ...errors },
      },
    },
    async (request, reply) => {
      const c = byId.get(request.params.id);
      if (!c) return reply.code(404).send(errorBody('no such practice case'));
      return caseView(c) as unknown as Record<string, unknown>;
    },
  );

  app.post(
    '/practice/cases/:id/attempts',
    {
      onRequest: requireRole('viewer'),
      config: { audit: { action: 'practice.attempt.create', objectType: 'practice_case' } },
      serializerCompiler: asJson,
      schema: {
        summary: "Submit answers: the engine marks them, the attempt is stored, and the marks come back with the engine's answers and explanations",
        tags: SECTION,
        params: CaseIdParams,
        body: AttemptBody,
        response: { 201: AttemptSchema, ...errors },
      },
    },
    async (request, reply) => {
      const c = byId.get(request.params.id);
      if (!c) return reply.code(404).send(errorBody('no such practice case'));
      const { answers } = request.body;
      const known = new Set(c.stages.flatMap((s) => s.questions.map((q) => `${s.id}/${q.id}`)));
      const unknown = Object.keys(answers).filter((k) => !known.has(k));
      if (unknown.length > 0) {
        return reply.code(400).send({ errors: unknown.map((k) => ({ path: `answers.${k}`, message: `no such question in this case; questions are ${[...known].join(', ')}` })) });
      }
      const marks = c.stages.flatMap((stage) =>
        stage.questions.map((q) => ({ stage: stage.id, ...markAnswer(stage, q, (answers[`${stage.id}/${q.id}`] as Answer | undefined) ?? '') })),
      );
      const score = Number(marks.reduce((s, m) => s + m.score, 0).toFixed(4));
      const user = request.user!;
      const attempt = await repo.addPracticeAttempt({ userId: user.id, username: user.username, caseId: c.id, score, max: marks.length, marks }, new Date().toISOString());
      request.auditDetail = `attempt ${attempt.id}: ${score} of ${marks.length}`;
      return reply.code(201).send(attempt);
    },
  );

  app.get(
    '/practice/attempts',
    {
      onRequest: requireRole('viewer'),
      config: { audit: { action: 'practice.attempts.list', objectType: 'user' } },
      serializerCompiler: asJson,
      schema: {
        summary: "A trainee's attempts, newest first (your own; anyone's with the admin role, the supervisor for now)",
        tags: SECTION,
        querystring: AttemptsQuery,
        response: { 200: z.object({ items: z.array(AttemptSchema) }), ...errors },
      },
    },
    async (request, reply) => {
      const owner = await attemptsOwner(request, reply, request.query.user);
      if (owner === undefined) return reply;
      return { items: await repo.listPracticeAttempts(owner) };
    },
  );

  app.get(
    '/practice/attempts.csv',
    {
      onRequest: requireRole('viewer'),
      config: { audit: { action: 'practice.attempts.export', objectType: 'user' } },
      schema: {
        summary: "A trainee's record as CSV, one row per marked question (your own; anyone's with the admin role)",
        tags: SECTION,
        querystring: AttemptsQuery,
        response: { 200: z.string().describe('CSV'), ...errors },
      },
    },
    async (request, reply) => {
      const owner = await attemptsOwner(request, reply, request.query.user);
      if (owner === undefined) return reply;
      const attempts = await repo.listPracticeAttempts(owner);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="practice-record.csv"')
        .send(attemptsCsv(attempts));
    },
  );
};
