import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { normaliseIss, SmartClientListSchema } from '../../interop/smart/clients.ts';
import { IDENTIFIER_KINDS } from '../../engine/model/case.ts';
import { casesOf } from '../access-scope.ts';
import { requireRole } from '../auth/guard.ts';
import { auditForWrite } from '../audit.ts';
import { errorBody } from '../errors.ts';

/**
 * SMART App Launch support (docs/architecture.md, "SMART on FHIR"): the web app does the OAuth
 * flow and reads the EHR itself; the server only says which EHRs are registered (public client
 * ids, no secrets), lets an administrator register them, and finds the case of a patient by
 * identifier. No EHR access token reaches these routes.
 */

const ConfigQuery = z.strictObject({ iss: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(500, { error: 'must be at most 500 characters' }) });
const ReplaceBody = z.strictObject({ clients: SmartClientListSchema });
const LookupQuery = z.strictObject({
  kind: z.enum(IDENTIFIER_KINDS, { error: `must be one of ${IDENTIFIER_KINDS.join(', ')}` }),
  system: z.string().max(500, { error: 'must be at most 500 characters' }).optional(),
  value: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(200, { error: 'must be at most 200 characters' }),
});

const SECTION = ['smart'];

export const smartRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/smart/config',
    {
      config: { public: true },
      schema: { summary: 'The SMART client settings for one EHR (iss): client id and scopes; 404 when the EHR is not registered', tags: SECTION, querystring: ConfigQuery },
    },
    async (request, reply) => {
      const found = app.smart.find(request.query.iss);
      if (!found) return reply.code(404).send(errorBody('this EHR is not registered for SMART launch with Retroplan (an administrator registers it: RETROPLAN_SMART_CLIENTS or PUT /api/admin/smart-clients)', 'query.iss'));
      return { iss: found.iss, name: found.name, clientId: found.clientId, scopes: found.scopes };
    },
  );

  app.get(
    '/smart/ehrs',
    { onRequest: requireRole('viewer'), schema: { summary: 'The EHRs a standalone SMART launch can start from (name and iss)', tags: SECTION } },
    async () => ({ items: app.smart.all().map((c) => ({ iss: c.iss, name: c.name })) }),
  );

  app.get(
    '/admin/smart-clients',
    {
      onRequest: requireRole('admin'),
      config: { audit: { action: 'smart.clients.read', objectType: 'smart-client' } },
      schema: { summary: 'The EHRs registered for SMART launch: stored ones (editable) and those from RETROPLAN_SMART_CLIENTS', tags: SECTION },
    },
    async () => ({ clients: await app.repo.listSmartClients(), environment: app.smart.environment() }),
  );

  app.put(
    '/admin/smart-clients',
    {
      onRequest: requireRole('admin'),
      config: { audit: { action: 'smart.clients.update', objectType: 'smart-client' } },
      schema: { summary: 'Replace the stored list of EHRs registered for SMART launch (admin)', tags: SECTION, body: ReplaceBody },
    },
    async (request) => {
      const { clients } = request.body;
      const detail = `${clients.length} EHR(s): ${clients.map((c) => c.iss).join(', ')}`.slice(0, 400);
      await app.repo.replaceSmartClients(clients, request.user!.username, new Date().toISOString(), auditForWrite(request, 200, { detail }));
      request.auditDetail = detail;
      app.smart.setStored(clients);
      return { clients: await app.repo.listSmartClients(), environment: app.smart.environment() };
    },
  );

  app.get(
    '/cases/lookup',
    {
      onRequest: requireRole('viewer'),
      config: { audit: { action: 'case.lookup', objectType: 'case' } },
      schema: { summary: 'The case of the patient with this identifier (kind, system, value); 404 when none', tags: ['cases'], querystring: LookupQuery },
    },
    async (request, reply) => {
      const { kind, system, value } = request.query;
      // A FHIR id's system is the server's base URL, stored without a trailing slash.
      // Only among the cases the caller may see (issue 13): another organisation's patient is "none".
      const cases = casesOf(request);
      const id = await cases.findCaseByIdentifiers([{ kind, system: system !== undefined && kind === 'fhir' ? normaliseIss(system) : system, value }]);
      const record = id ? await cases.getCase(id) : undefined;
      if (!record || record.archived) return reply.code(404).send(errorBody('no case of this patient', 'query.value'));
      request.auditObjectId = record.id;
      return { id: record.id, title: record.title, version: record.version };
    },
  );
};
