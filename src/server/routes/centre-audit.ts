import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IsoDateSchema, validateCase } from '../../engine/index.ts';
import { centreAudit, type AuditCase } from '../../outcomes/centre-audit.ts';
import { centreAuditCsv } from '../../outcomes/centre-audit-csv.ts';
import type { ScopedCases } from '../../store/index.ts';
import { casesOf } from '../access-scope.ts';
import { requireRole } from '../auth/guard.ts';
import { errorBody } from '../errors.ts';
import { ErrorsSchema } from '../schemas.ts';

/**
 * The centre's own audit against published benchmarks (issue 14 item 2), as the
 * CLI's `retroplan audit centre` computes it. Admin only: it reads every case of the caller's organisations (a network administrator's: every case).
 */

const PAGE = 500;

const CentreAuditQuery = z.object({
  from: IsoDateSchema.optional().describe('Operations on or after this date (YYYY-MM-DD)'),
  to: IsoDateSchema.optional().describe('Operations on or before this date (YYYY-MM-DD)'),
  by: z.enum(['surgeon', 'hospital'], { error: 'must be surgeon or hospital' }).optional().describe('Funnel-plot units'),
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
});

/** Every current, unarchived case that validates under the case model. */
async function auditCases(repo: ScopedCases): Promise<{ cases: AuditCase[]; invalid: number }> {
  const cases: AuditCase[] = [];
  let invalid = 0;
  for (let offset = 0; ; offset += PAGE) {
    const page = await repo.listCases({ limit: PAGE, offset });
    for (const summary of page.items) {
      const record = await repo.getCase(summary.id);
      const checked = record ? validateCase(record.case) : undefined;
      if (checked?.ok) cases.push({ id: summary.id, case: checked.value });
      else invalid++;
    }
    if (page.items.length < PAGE) break;
  }
  return { cases, invalid };
}

export const centreAuditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit/centre',
    {
      onRequest: requireRole('admin'),
      config: { audit: { action: 'audit.centre', objectType: 'case' } },
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        summary: "The centre's outcomes against published benchmarks (admin: reads every case); format=csv for the rates as CSV",
        tags: ['audit'],
        querystring: CentreAuditQuery,
        response: {
          200: z.union([
            z.record(z.string(), z.unknown()).describe('period, operated, excluded, volumeByYear, indicators (with funnel), overallSurvival, localRecurrence, distantMetastasis, notes'),
            z.string().describe('format=csv: one row per indicator for the centre, then one per funnel-plot unit'),
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
      const { cases, invalid } = await auditCases(casesOf(request));
      request.auditDetail = `${cases.length} cases read for the centre audit${invalid > 0 ? ` (${invalid} not valid, left out)` : ''}`;
      const result = centreAudit(cases, { from, to, by });
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
