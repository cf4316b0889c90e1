import { createHash, randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fastifyCors from '@fastify/cors';
import { cdsHooksConfigFromEnv } from '../../interop/cds-hooks/config.ts';
import { CdsJwtVerifier } from '../../interop/cds-hooks/jwt.ts';
import { completePrefetch } from '../../interop/cds-hooks/prefetch.ts';
import { cardsFor, discoveryDocument, FeedbackSchema, HookRequestSchema, importForHook, SERVICE_ID, type Card, type Feedback, type HookRequest } from '../../interop/cds-hooks/service.ts';
import { fhirBodyLimitBytes } from '../../interop/limits.ts';
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
  // A `smart` card link only for an EHR registered for SMART launch (or an explicit RETROPLAN_SMART_LAUNCH_URL):
  // the EHR opens it with its iss and launch, which the web app serves at /smart/launch.
  const smartLaunchFor = (fhirServer: string): { smartLaunchUrl?: string } => {
    if (process.env.RETROPLAN_SMART_LAUNCH_URL) return { smartLaunchUrl: process.env.RETROPLAN_SMART_LAUNCH_URL };
    return fhirServer && root.smart.find(fhirServer) ? { smartLaunchUrl: `${config.publicBaseUrl}/smart/launch` } : {};
  };

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

      app.post(`/${SERVICE_ID}`, { onRequest: requireJwt, bodyLimit: fhirBodyLimitBytes(), schema: { hide: true, body: HookRequestSchema } }, async (request, reply) => {
        const hook = request.body as HookRequest;
        const prefetch = await completePrefetch(hook, config.allowedFhirServers ? { allowedFhirServers: config.allowedFhirServers } : {});
        if (!prefetch.ok) return reply.code(412).send(errorBody(prefetch.message, 'prefetch'));
        const now = new Date().toISOString();
        const data = importForHook(prefetch.data, { asOf: now.slice(0, 10), patientId: hook.context.patientId });
        if (!data.ok) return reply.code(400).send(errorBody(data.message, 'prefetch.patient'));
        if (!data.imported || !data.evaluation) return { cards: [] };
        const source = hook.fhirServer?.replace(/\/+$/, '') ?? '';
        // Only the configured organisations' cases are linked (RETROPLAN_CDS_ORGANISATIONS).
        const cdsScope = { userId: clients.get(request) ?? 'cds:unverified', organisationIds: config.organisationIds, network: false };
        const caseId = await app.repo.scoped(cdsScope).findCaseByIdentifiers([
          { kind: 'fhir', system: source, value: hook.context.patientId },
          ...(data.imported.case.patient.identifiers ?? []).filter((i) => i.kind === 'mrn' || i.kind === 'national'),
        ]);
        const issued = cardsFor(data.imported, data.evaluation, {
          asOf: now.slice(0, 10),
          publicBaseUrl: config.publicBaseUrl,
          newUuid: randomUUID,
          ...(caseId ? { caseId } : {}),
          ...(source ? { fhirServer: source } : {}),
          ...smartLaunchFor(source),
        });
        // De-duplicate: a card already shown in this encounter (when the EHR names one), or overridden with a reason, is not shown again for the same data.
        const patientKey = `${source}|${hook.context.patientId}`;
        const encounterId = hook.context.encounterId ?? '';
        const cards: Card[] = [];
        const rows = [];
        for (const { key, card } of issued) {
          const dataHash = createHash('sha256').update(JSON.stringify([key, card.summary, card.detail ?? '', data.imported.case])).digest('hex').slice(0, 32);
          const earlier = await app.repo.interop.cardsFor(patientKey, key);
          const same = earlier.filter((e) => e.dataHash === dataHash);
          if ((encounterId !== '' && same.some((e) => e.encounterId === encounterId)) || same.some((e) => e.outcome === 'overridden' && e.overrideCode !== null)) continue;
          cards.push(card);
          rows.push({ uuid: card.uuid, patientKey, encounterId, cardKey: key, dataHash, issuedAt: now });
        }
        await app.repo.interop.recordCards(rows);
        return { cards };
      });

      app.post(`/${SERVICE_ID}/feedback`, { onRequest: requireJwt, schema: { hide: true, body: FeedbackSchema } }, async (request, reply) => {
        const { feedback } = request.body as { feedback: Feedback[] };
        for (const [i, item] of feedback.entries()) {
          if (!(await app.repo.interop.getCard(item.card))) return reply.code(400).send(errorBody('is not a card this service issued', `feedback[${i}].card`));
        }
        let recorded = 0;
        for (const item of feedback) {
          const reason = item.overrideReason?.reason?.code ?? null;
          const comment = item.overrideReason?.userComment ?? null;
          const detail = `${item.outcome} at ${item.outcomeTimestamp}${reason ? ` (${reason})` : ''}${item.acceptedSuggestions ? ` (${item.acceptedSuggestions.length} suggestion(s))` : ''}`.slice(0, 200);
          // Idempotent: the same feedback sent again is not recorded twice.
          const earlier = await app.repo.listAudit({ action: 'cds.feedback', objectId: item.card, limit: 100 });
          if (earlier.some((e) => e.detail === detail)) continue;
          await app.repo.interop.recordFeedback(item.card, { outcome: item.outcome, outcomeAt: item.outcomeTimestamp, overrideCode: reason, userComment: comment });
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
