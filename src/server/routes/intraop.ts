import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { intraoperative, IntraopFindingsSchema, validateCase } from '../../engine/index.ts';
import { INTRAOP_ENTRY_KINDS } from '../../store/clinical-events.ts';
import { requireRole } from '../auth/guard.ts';
import { errorBody } from '../errors.ts';
import { casesOf } from '../access-scope.ts';
import { ErrorsSchema, EvaluationSchema, IdParams } from '../schemas.ts';

/**
 * Intra-operative decision support on a stored case (issue 15 item 1): the engine's
 * `intraoperative` on the current version, kept as an event of the case with the
 * time, author, case version, findings and decision.
 */

/*
 * The theatre screen records offline and sends later (web/src/theatre): an entry carries the id the
 * tablet gave it (a repeat is answered with the stored event, never stored twice), the case version
 * the surgeon saw and when it was taken. A finding is decided by the engine on the current version;
 * a decision or a note is the surgeon's own text.
 */
const IntraopBody = z
  .strictObject({
    kind: z.enum(INTRAOP_ENTRY_KINDS, { error: `must be one of ${INTRAOP_ENTRY_KINDS.join(', ')}` }).optional().describe('finding (default): the engine decides; decision: what the surgeon decided; note: free text'),
    findings: IntraopFindingsSchema.optional().describe('What the surgeon finds (see `retroplan intraop --help` for the vocabulary); a finding entry only'),
    note: z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' }).max(2000, { error: 'must be at most 2000 characters' }).optional().describe('The text of a decision or note; a finding may carry one too'),
    clientId: z.string({ error: 'must be text' }).regex(/^[A-Za-z0-9-]{8,64}$/, { error: 'must be 8 to 64 letters, digits or hyphens' }).optional().describe('The id the client gave the entry: a repeat with the same id is not stored twice'),
    takenOnVersion: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).optional().describe('The case version the surgeon saw when the entry was taken'),
    recordedAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional().describe('When the entry was taken in theatre (the client clock)'),
  })
  .superRefine((b, ctx) => {
    const kind = b.kind ?? 'finding';
    if (kind === 'finding' && b.findings === undefined) ctx.addIssue({ code: 'custom', path: ['findings'], message: 'is required' });
    if (kind !== 'finding' && b.findings !== undefined) ctx.addIssue({ code: 'custom', path: ['findings'], message: 'only a finding entry lists findings' });
    if (kind !== 'finding' && b.note === undefined) ctx.addIssue({ code: 'custom', path: ['note'], message: 'is required' });
  });

const IntraopEventSchema = z.object({
  id: z.number().int(),
  caseId: z.string(),
  caseVersion: z.number().int().describe('The case version the decision was taken on'),
  kind: z.enum(INTRAOP_ENTRY_KINDS),
  findings: z.unknown(),
  note: z.string().nullable(),
  clientId: z.string().nullable(),
  takenOnVersion: z.number().int().nullable().describe('The case version the surgeon saw when the entry was taken (null: not sent)'),
  recordedAt: z.string().nullable().describe('When the entry was taken in theatre (null: createdAt)'),
  decision: EvaluationSchema.describe("The engine's intra-operative decision: actions, alternatives, updated plan, expected margin, documentation, whom to call, reasons and sources"),
  author: z.string(),
  createdAt: z.string(),
});

const IntraopWriteSchema = IntraopEventSchema.extend({
  duplicate: z.boolean().describe('true: this client id was stored before; nothing new was stored'),
  caseChanged: z.boolean().describe('true: the case changed after the surgeon saw it (takenOnVersion ≠ caseVersion); the decision is re-derived on the current version'),
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
        response: { 201: IntraopWriteSchema, 200: IntraopWriteSchema.describe('A repeat of an entry already stored (same client id): the stored event'), ...errors, 409: ErrorsSchema, 422: ErrorsSchema },
      },
    },
    async (request, reply) => {
      const { findings, note, clientId, takenOnVersion, recordedAt } = request.body;
      const kind = request.body.kind ?? 'finding';
      const result = await casesOf(request).addIntraopEvent(
        request.params.id,
        { kind, findings: findings ?? [], note, clientId, takenOnVersion, recordedAt },
        (stored) => {
          // Re-validated: a case stored under an older case model may no longer be valid.
          const checked = validateCase(stored);
          if (!checked.ok) return { ok: false, errors: checked.errors.map((e) => ({ path: e.path ? `case.${e.path}` : 'case', message: e.message })) };
          return { ok: true, decision: intraoperative(checked.value, findings ?? []) };
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
      const event = result.value;
      const caseChanged = event.takenOnVersion !== null && event.takenOnVersion !== event.caseVersion;
      request.auditDetail = `intra-operative ${event.kind} ${event.id} on version ${event.caseVersion}${caseChanged ? ` (taken on version ${event.takenOnVersion})` : ''}${result.duplicate ? ': repeat, not stored again' : ''}`;
      return reply.code(result.duplicate ? 200 : 201).send({ ...(event as z.infer<typeof IntraopEventSchema>), duplicate: result.duplicate, caseChanged });
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
