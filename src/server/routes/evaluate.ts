import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CaseSchema, evaluateCase } from '../../engine/index.ts';
import { requireRole } from '../auth/guard.ts';
import { ErrorsSchema, EvaluationSchema } from '../schemas.ts';
import { serializeEvaluation } from '../serializers.ts';

/**
 * Evaluates a case without storing it. Nothing is read from or written to the
 * case store, so it is not a case access for the audit log.
 */
export const evaluateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/evaluate',
    {
      onRequest: requireRole('viewer'),
      // The evaluation is the engine's own output (~18 kB): written as is, without a zod re-encode,
      // its shared frozen parts from their cached JSON (serializers.ts).
      serializerCompiler: ({ httpStatus }) => (httpStatus === '200' ? (data) => serializeEvaluation(data as object) : (data) => JSON.stringify(data)),
      schema: {
        summary: 'Evaluate a case (the body is the case model) without storing it',
        tags: ['evaluation'],
        body: CaseSchema,
        response: { 200: EvaluationSchema, 400: ErrorsSchema, 401: ErrorsSchema, 403: ErrorsSchema },
      },
    },
    async (request) => evaluateCase(request.body) as unknown as Record<string, unknown>,
  );
};
