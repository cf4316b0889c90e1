import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { evaluateCase, type Case } from '../../engine/index.ts';
import { exportBundle } from '../../interop/fhir/export.ts';
import { importBundle } from '../../interop/fhir/import.ts';
import { renderTextReport } from '../../report/text.ts';
import { requireRole } from '../auth/guard.ts';
import { errorBody } from '../errors.ts';
import { IdParams } from '../schemas.ts';

const ImportQuery = z.strictObject({
  title: z.string().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }).optional(),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' }).optional(),
});

/** FHIR R4 / mCODE over HTTP: a Bundle becomes a case; a case is exported as a Bundle. */
export const fhirRoutes: FastifyPluginAsync = async (app) => {
  // EHRs send FHIR as application/fhir+json.
  app.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  app.post(
    '/api/fhir/import',
    {
      onRequest: requireRole('clinician'),
      config: { audit: { action: 'case.create', objectType: 'case' } },
      schema: {
        summary: 'Create a case from a FHIR R4 Bundle (mCODE); the response holds the case and the import report',
        tags: ['fhir'],
        querystring: ImportQuery,
      },
    },
    async (request, reply) => {
      const query = request.query as z.output<typeof ImportQuery>;
      const now = new Date().toISOString();
      const result = importBundle(request.body, { asOf: query.asOf ?? now.slice(0, 10) });
      if (!result.ok) {
        request.auditDetail = 'not a FHIR Bundle';
        return reply.code(400).send({ errors: result.errors.map((e) => ({ path: e.path ? `body.${e.path}` : 'body', message: e.message })) });
      }
      const { case: c, report, relevant } = result.value;
      if (!relevant) {
        request.auditDetail = 'no retroperitoneal tumour in the bundle';
        return reply.code(422).send({ ...errorBody('the bundle holds no retroperitoneal tumour or sarcoma (no such Condition)', 'body'), report });
      }
      const record = await app.repo.createCase(
        { title: query.title ?? `Imported from FHIR ${now.slice(0, 10)}`, status: 'workup', case: c },
        request.user!.username,
        now,
      );
      request.auditObjectId = record.id;
      request.auditDetail = `from FHIR: ${report.used.length} resources used, ${report.ignored.length} ignored`;
      reply.header('location', `/api/cases/${record.id}`).header('etag', `"${record.version}"`);
      return reply.code(201).send({ record, report });
    },
  );

  app.get(
    '/api/cases/:id/fhir',
    {
      onRequest: requireRole('viewer'),
      config: { audit: { action: 'case.export.fhir', objectType: 'case' } },
      schema: { summary: 'The current version of a case and its evaluation as an mCODE FHIR R4 Bundle', tags: ['fhir'], params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as z.output<typeof IdParams>;
      const record = await app.repo.getCase(id);
      if (!record) return reply.code(404).send(errorBody('no such case'));
      const c = record.case as Case;
      const evaluation = evaluateCase(c);
      const bundle = exportBundle({ case: c, evaluation, reportText: renderTextReport(evaluation), issued: new Date().toISOString(), newId: randomUUID });
      return reply.type('application/fhir+json').send(JSON.stringify(bundle));
    },
  );
};
