import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { intraoperative, IntraopFindingsSchema, validateCase } from '../../engine/index.ts';
import { requireRole } from '../auth/guard.ts';
import { errorBody } from '../errors.ts';
import { casesOf } from '../access-scope.ts';
import { ErrorsSchema, EvaluationSchema, IdParams } from '../schemas.ts';

/**
 * Intra-operative decision support on a stored case (issue 15 item 1): the engine's
 * `intraoperative` on the current version, kept as an event of the case with the
 * time, author, case version, findings and decision.
 */

const IntraopBody = z.strictObject({
  findings: IntraopFindingsSchema.describe('What the surgeon finds (see `retroplan intraop --help` for the vocabulary)'),
});

const IntraopEventSchema = z.object({
  id: z.number().int(),
  caseId: z.string(),
  caseVersion: z.number().int().describe('The case version the decision was taken on'),
  findings: z.unknown(),
  decision: EvaluationSchema.describe("The engine's intra-operative decision: actions, alternatives, updated plan, expected margin, documentation, whom to call, reasons and sources"),
  author: z.string(),
  createdAt: z.string(),
});

const SECTION = ['intra-operative'];
const errors = { 400: ErrorsSchema, 401: ErrorsSchema, 403: ErrorsSchema, 404: ErrorsSchema };
const asJson = () => (data: unknown) => JSON.stringify(data);

export const intraopRoutes: FastifyPluginAsyncZod = async (app) => {

  app.post(
    '/cases/:id/intraop',
    {
      onRequest: requireRole('clinician'),
      config: { audit: { action: 'case.intraop.create', objectType: 'case' } },
      serializerCompiler: asJson,
      schema: {
        summary: 'Intra-operative findings → the engine decides on the current version; the event is stored with the case',
        tags: SECTION,
        params: IdParams,
        body: IntraopBody,
        response: { 201: IntraopEventSchema, ...errors, 409: ErrorsSchema, 422: ErrorsSchema },
      },
    },
    async (request, reply) => {
      const { findings } = request.body;
      const result = await casesOf(request).addIntraopEvent(
        request.params.id,
        findings,
        (stored) => {
          // Re-validated: a case stored under an older case model may no longer be valid.
          const checked = validateCase(stored);
          if (!checked.ok) return { ok: false, errors: checked.errors.map((e) => ({ path: e.path ? `case.${e.path}` : 'case', message: e.message })) };
          return { ok: true, decision: intraoperative(checked.value, findings) };
        },
        request.user!.username,
        new Date().toISOString(),
      );
      if (!result.ok) {
        if (result.reason === 'not_found') return reply.code(404).send(errorBody('no such case'));
        if (result.reason === 'forbidden') return reply.code(403).send(errorBody("your role in the case's organisation does not allow this change"));
        if (result.reason === 'archived') return reply.code(409).send(errorBody('the case is archived; an admin can restore it'));
        return reply.code(422).send({ errors: result.errors });
      }
      request.auditDetail = `intra-operative event ${result.value.id} on version ${result.value.caseVersion}`;
      return reply.code(201).send(result.value as z.infer<typeof IntraopEventSchema>);
    },
  );

  app.get(
    '/cases/:id/intraop',
    {
      onRequest: requireRole('viewer'),
      config: { audit: { action: 'case.intraop.list', objectType: 'case' } },
      serializerCompiler: asJson,
      schema: {
        summary: 'Intra-operative events of a case, newest first',
        tags: SECTION,
        params: IdParams,
        response: { 200: z.object({ items: z.array(IntraopEventSchema) }), ...errors },
      },
    },
    async (request, reply) => {
      const items = await casesOf(request).listIntraopEvents(request.params.id);
      if (!items) return reply.code(404).send(errorBody('no such case'));
      return { items: items as z.infer<typeof IntraopEventSchema>[] };
    },
  );
};
