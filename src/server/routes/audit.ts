import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireRole } from '../auth/guard.ts';
import { casesOf } from '../access-scope.ts';
import { AuditListSchema, AuditQuery, ErrorsSchema } from '../schemas.ts';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    {
      onRequest: requireRole('admin'),
      config: { audit: { action: 'audit.read' } },
      schema: {
        summary: 'The audit log, newest first, filtered by actor, action, object, outcome and time (admin)',
        tags: ['audit'],
        querystring: AuditQuery,
        response: { 200: AuditListSchema, 400: ErrorsSchema, 401: ErrorsSchema, 403: ErrorsSchema },
      },
    },
    async (request) => {
      const { from, to, ...rest } = request.query;
      const filter = {
        ...rest,
        from: from === undefined ? undefined : new Date(from).toISOString(),
        to: to === undefined ? undefined : new Date(to).toISOString(),
      };
      // Scoped: entries about another organisation's cases are not shown (store/scoped-cases.ts).
      const items = await casesOf(request).listAudit(filter);
      return { items, nextBefore: items.length === filter.limit ? items[items.length - 1]!.id : null };
    },
  );
};
