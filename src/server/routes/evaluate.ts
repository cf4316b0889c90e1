import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CaseSchema } from '../../engine/index.ts';
import { requireRole } from '../auth/guard.ts';
import { RequestValidationError } from '../errors.ts';
import { ErrorsSchema, EvaluationSchema } from '../schemas.ts';

/**
 * Evaluates a case without storing it. Nothing is read from or written to the
 * case store, so it is not a case access for the audit log.
 */
export const evaluateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/evaluate',
    {
      onRequest: requireRole('viewer'),
      // Nothing is read from the case store, so the caller's organisations are not needed.
      config: { accessScope: false },
      // The body is checked against CaseSchema where it is evaluated (evaluation-job.ts, in an
      // evaluation thread), with the same field errors: checking it here too would double the work.
      validatorCompiler: () => (data) => ({ value: data }),
      schema: {
        summary: 'Evaluate a case (the body is the case model) without storing it',
        tags: ['evaluation'],
        body: CaseSchema,
        response: { 200: EvaluationSchema, 400: ErrorsSchema, 401: ErrorsSchema, 403: ErrorsSchema },
      },
    },
    async (request, reply) => {
      const outcome = await app.evaluations.run(request.body);
      if (!outcome.ok) throw new RequestValidationError(outcome.errors);
      // The evaluation's JSON as the job wrote it (serializers.ts serializeEvaluation); a string is sent as is.
      return reply.type('application/json; charset=utf-8').send(outcome.json as unknown as Record<string, unknown>);
    },
  );
};
