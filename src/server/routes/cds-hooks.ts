import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fastifyCors from '@fastify/cors';
import { cdsHooksConfigFromEnv } from '../../interop/cds-hooks/config.ts';
import { CdsJwtVerifier } from '../../interop/cds-hooks/jwt.ts';
import { completePrefetch } from '../../interop/cds-hooks/prefetch.ts';
import { discoveryDocument, FeedbackSchema, HookRequestSchema, patientViewCards, SERVICE_ID, type HookRequest } from '../../interop/cds-hooks/service.ts';
import { outcomeOf, recordAudit } from '../audit.ts';
import { errorBody } from '../errors.ts';

/**
 * CDS Hooks 2.0 (patient-view) inside Retroplan's server. Configuration from
 * the environment (interop/cds-hooks/config.ts). Callers are EHRs, not
 * Retroplan users: they authenticate with a signed JWT when trusted issuers are
 * configured, and every call is in the audit log under `cds:<issuer>`.
 */
export const cdsHooksRoutes: FastifyPluginAsync = async (root) => {
  const config = cdsHooksConfigFromEnv(process.env);
  // Used JWT ids are kept in the database (store/security.ts): shared by instances, kept across restarts.
  const verifier = new CdsJwtVerifier(config.trustedIssuers, config.publicBaseUrl, {
    claim: (key, expiresAt, now) => root.repo.claimCdsJti(key, expiresAt, now),
  });
  if (!verifier.enabled && config.allowUnsigned) root.log.warn('CDS Hooks: RETROPLAN_CDS_ALLOW_UNSIGNED=true — hook calls are not authenticated (sandbox only)');
  const clients = new WeakMap<FastifyRequest, string>();

  await root.register(
    async (app) => {
      await app.register(fastifyCors, { origin: '*', methods: ['GET', 'POST', 'OPTIONS'], allowedHeaders: ['Authorization', 'Content-Type'], maxAge: 600 });
      app.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

      const requireJwt = async (request: FastifyRequest, reply: FastifyReply) => {
        if (!verifier.enabled) {
          if (config.allowUnsigned) {
            clients.set(request, 'cds:unauthenticated');
            return;
          }
          reply.header('www-authenticate', 'Bearer realm="retroplan-cds"');
          return reply
            .code(401)
            .send(errorBody('CDS Hooks client authentication is not configured on this server (RETROPLAN_CDS_TRUSTED_ISSUERS)', 'headers.authorization'));
        }
        const path = request.url.split('?')[0]!;
        const result = await verifier.verify(request.headers.authorization, path);
        if (!result.ok) {
          reply.header('www-authenticate', 'Bearer realm="retroplan-cds"');
          return reply.code(401).send(errorBody(result.reason, 'headers.authorization'));
        }
        clients.set(request, `cds:${result.iss}`.slice(0, 200));
      };

      // Every hook and feedback call, including refusals, is in the audit log.
      app.addHook('onSend', async (request, reply, payload) => {
        if (request.method !== 'POST') return payload;
        const body = request.body as Partial<HookRequest> | undefined;
        const patientId = typeof body?.context?.patientId === 'string' ? body.context.patientId.slice(0, 100) : null;
        await recordAudit(request, {
          actor: clients.get(request) ?? 'cds:unverified',
          action: request.url.endsWith('/feedback') ? 'cds.feedback.call' : 'cds.patient-view',
          objectType: request.url.endsWith('/feedback') ? 'cds-card' : 'patient',
          objectId: request.url.endsWith('/feedback') ? null : patientId,
          outcome: outcomeOf(reply.statusCode),
          statusCode: reply.statusCode,
        });
        return payload;
      });

      app.get('/', { schema: { hide: true } }, async () => discoveryDocument());

      app.post(`/${SERVICE_ID}`, { onRequest: requireJwt, schema: { hide: true, body: HookRequestSchema } }, async (request, reply) => {
        const hook = request.body as HookRequest;
        const prefetch = await completePrefetch(hook, config.allowedFhirServers ? { allowedFhirServers: config.allowedFhirServers } : {});
        if (!prefetch.ok) return reply.code(412).send(errorBody(prefetch.message, 'prefetch'));
        const { cards } = patientViewCards(prefetch.data, { asOf: new Date().toISOString().slice(0, 10), publicBaseUrl: config.publicBaseUrl, newUuid: randomUUID });
        return { cards };
      });

      app.post(`/${SERVICE_ID}/feedback`, { onRequest: requireJwt, schema: { hide: true, body: FeedbackSchema } }, async (request) => {
        const { feedback } = request.body as { feedback: { card: string; outcome: string; outcomeTimestamp: string; acceptedSuggestions?: { id: string }[] }[] };
        let recorded = 0;
        for (const item of feedback) {
          const detail = `${item.outcome} at ${item.outcomeTimestamp}${item.acceptedSuggestions ? ` (${item.acceptedSuggestions.length} suggestion(s))` : ''}`.slice(0, 200);
          // Idempotent: the same feedback sent again is not recorded twice.
          const earlier = await app.repo.listAudit({ action: 'cds.feedback', objectId: item.card, limit: 100 });
          if (earlier.some((e) => e.detail === detail)) continue;
          await recordAudit(request, { actor: clients.get(request) ?? 'cds:unverified', action: 'cds.feedback', objectType: 'cds-card', objectId: item.card, outcome: 'success', detail });
          recorded += 1;
        }
        request.log.info({ recorded, received: feedback.length }, 'CDS Hooks feedback');
        return {};
      });
    },
    { prefix: '/cds-services' },
  );
};
