import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IsoDateSchema } from '../../engine/index.ts';
import { AUDIT_PAGE_SIZE, auditCasesFrom } from '../../outcomes/audit-cases.ts';
import { centreAudit } from '../../outcomes/centre-audit.ts';
import { centreAuditCsv } from '../../outcomes/centre-audit-csv.ts';
import { centreAuditPdf } from '../../outcomes/centre-audit-pdf.ts';
import { accessScopeOf } from '../access-scope.ts';
import { requireRole } from '../auth/guard.ts';
import { errorBody } from '../errors.ts';
import { ErrorsSchema } from '../schemas.ts';

/**
 * The centre's own audit against published benchmarks (issue 14 item 2), as the
 * CLI's `retroplan audit centre` computes it. Admin only: it reads every case of the caller's organisations (a network administrator's: every case); cases only referred to them are another centre's operations and are left out.
 */

const CentreAuditQuery = z.object({
  from: IsoDateSchema.optional().describe('Operations on or after this date (YYYY-MM-DD)'),
  to: IsoDateSchema.optional().describe('Operations on or before this date (YYYY-MM-DD)'),
  by: z.enum(['surgeon', 'hospital'], { error: 'must be surgeon or hospital' }).optional().describe('Funnel-plot units'),
  format: z.enum(['json', 'csv', 'pdf'], { error: 'must be json, csv or pdf' }).default('json'),
});

export const centreAuditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit/centre',
    {
      onRequest: requireRole('admin'),
      config: { audit: { action: 'audit.centre', objectType: 'case' } },
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        summary: "The centre's outcomes against published benchmarks (admin: reads every case); format=csv for the rates as CSV, format=pdf for the audit as a PDF",
        tags: ['audit'],
        querystring: CentreAuditQuery,
        response: {
          200: z.union([
            z.record(z.string(), z.unknown()).describe('period, operated, excluded, volumeByYear, indicators (with funnel), overallSurvival, localRecurrence, distantMetastasis, notes'),
            z.string().describe('format=csv: one row per indicator for the centre, then one per funnel-plot unit; format=pdf: the figures, benchmarks and tables as a PDF document (application/pdf)'),
          ]),
          400: ErrorsSchema,
          401: ErrorsSchema,
          403: ErrorsSchema,
        },
      },
    },
    async (request, reply) => {
      const { from, to, by, format } = request.query;
      if (from !== undefined && to !== undefined && from > to) return reply.code(400).send(errorBody(`must be on or after from (${from})`, 'query.to'));
      // The centre's own cases: those of the caller's organisations (a network administrator: all).
      const scope = accessScopeOf(request);
      const { cases, invalid } = await auditCasesFrom(app.repo.caseBodies(AUDIT_PAGE_SIZE, scope.network ? undefined : scope.organisationIds));
      request.auditDetail = `${cases.length} cases read for the centre audit${invalid > 0 ? ` (${invalid} not valid, left out)` : ''}`;
      const result = centreAudit(cases, { from, to, by });
      if (format === 'pdf') {
        return reply
          .type('application/pdf')
          .header('content-disposition', 'attachment; filename="centre-audit.pdf"')
          // Bytes, sent as they are (Fastify does not serialize a Buffer); the schema documents the PDF under the string type.
          .send((await centreAuditPdf(result)) as unknown as string);
      }
      if (format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="centre-audit.csv"')
          .send(centreAuditCsv(result));
      }
      return result as unknown as Record<string, unknown>;
    },
  );
};
