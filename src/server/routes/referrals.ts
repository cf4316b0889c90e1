import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evaluateCase, type Case } from '../../engine/index.ts';
import { exportBundle } from '../../interop/fhir/export.ts';
import { importBundle } from '../../interop/fhir/import.ts';
import { decisionTask, readDecisionTask, readReferralBundle, referralBundle } from '../../interop/fhir/referral.ts';
import { fhirBodyLimitBytes } from '../../interop/limits.ts';
import { referralTimes } from '../../outcomes/referral-times.ts';
import { renderTextReport } from '../../report/text.ts';
import {
  NAVIGATION_ITEMS,
  NAVIGATION_STATUSES,
  ORGANISATION_ROLES,
  REFERRAL_DOCUMENT_KINDS,
  REFERRAL_STATUSES,
  REFERRAL_URGENCIES,
  TRIAGE_ACTIONS,
  type Referral,
  type ReferralWrite,
} from '../../store/index.ts';
import { accessScopeOf, casesOf, homeOrganisation } from '../access-scope.ts';
import { auditForWrite, auditInputOf } from '../audit.ts';
import { requireRole } from '../auth/guard.ts';
import { errorBody } from '../errors.ts';
import { ErrorsSchema } from '../schemas.ts';

/**
 * Referrals from a spoke to a hub (issue 13): refer, triage, schedule, decide, the navigation
 * checklist, the network's referral times, and the FHIR exchange between installations. The global
 * role guards the route (viewers read, clinicians act); the organisation role decides the step
 * (store/organisations.ts CAPABILITIES, checked in store/referrals.ts).
 */

const text = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });
const Id = z.string().min(1).max(100, { error: 'must be at most 100 characters' });

const DocumentSchema = z.strictObject({
  kind: z.enum(REFERRAL_DOCUMENT_KINDS, { error: 'must be imaging or pathology' }),
  reference: text(200).describe('Accession number, report id or link of the report'),
  date: z.iso.date({ error: 'must be a date YYYY-MM-DD' }).optional(),
});

const ReferBody = z.strictObject({
  caseId: Id,
  toOrganisationId: Id.describe('The hub (sarcoma centre) referred to'),
  question: text(4000).describe('The question for the board'),
  urgency: z.enum(REFERRAL_URGENCIES, { error: 'must be routine or urgent' }),
  documents: z.array(DocumentSchema).max(50, { error: 'at most 50 documents' }).default([]),
});

const TriageBody = z.strictObject({
  action: z.enum(TRIAGE_ACTIONS, { error: `must be one of ${TRIAGE_ACTIONS.join(', ')}` }),
  note: text(4000).optional().describe('Required to request information or decline (the question or the reason)'),
  toOrganisationId: Id.optional().describe('redirect: the other hub'),
});
const InfoBody = z.strictObject({ note: text(4000).describe('The information the hub asked for') });
const ScheduleBody = z.strictObject({ meetingId: Id.describe('The tumour-board meeting the referral is placed on') });
const DecisionBody = z.strictObject({
  decisionRef: Id.describe("The board decision's reference (its id)"),
  summary: text(4000).optional(),
});
const NavigationBody = z
  .strictObject({
    owner: z.union([text(200), z.null()]).optional(),
    status: z.enum(NAVIGATION_STATUSES, { error: `must be one of ${NAVIGATION_STATUSES.join(', ')}` }).optional(),
    notes: z.union([text(2000), z.null()]).optional(),
  })
  .refine((b) => b.owner !== undefined || b.status !== undefined || b.notes !== undefined, { error: 'change at least one of owner, status, notes' });

const ReferralParams = z.strictObject({ id: Id });
const NavigationParams = z.strictObject({ id: Id, item: z.enum(NAVIGATION_ITEMS, { error: `must be one of ${NAVIGATION_ITEMS.join(', ')}` }) });
const ListQuery = z.strictObject({
  direction: z.enum(['incoming', 'outgoing'], { error: 'must be incoming or outgoing' }).optional(),
  status: z.enum(REFERRAL_STATUSES, { error: `must be one of ${REFERRAL_STATUSES.join(', ')}` }).optional(),
  caseId: Id.optional(),
});
const ImportQuery = z.strictObject({ organisation: Id.optional().describe('The hub the referral is received in (when you belong to several)') });

const SECTION = ['referrals'];
/** Responses are described in the summaries; sent as JSON without re-validation. */
const Open = z.record(z.string(), z.unknown());
const errors = { 400: ErrorsSchema, 401: ErrorsSchema, 403: ErrorsSchema, 404: ErrorsSchema };
const asJson = () => (data: unknown) => JSON.stringify(data);
const READ = { onRequest: requireRole('viewer'), serializerCompiler: asJson };
const WRITE = { onRequest: requireRole('clinician'), serializerCompiler: asJson };

/**
 * The referral as the API shows it: with a signed decision of this installation, the links to its
 * outcome letter and patient summary (readable by whoever sees the case: routes/meetings.ts).
 */
function referralOut<T extends Referral>(r: T): T & { letters: { outcomeLetter: string; patientSummary: string } | null } {
  const base = `/api/decisions/${encodeURIComponent(r.decisionRef ?? '')}`;
  return { ...r, letters: r.decisionSigned ? { outcomeLetter: `${base}/letter.pdf`, patientSummary: `${base}/patient-summary.pdf` } : null };
}

function sendWrite(reply: FastifyReply, result: ReferralWrite, status = 200) {
  if (result.ok) return reply.code(status).send(referralOut(result.value));
  const code = { not_found: 404, forbidden: 403, conflict: 409, invalid: 400 }[result.reason];
  return reply.code(code).send(errorBody(result.message, result.path ?? ''));
}

const now = () => new Date().toISOString();

export const referralRoutes: FastifyPluginAsyncZod = async (app) => {
  const referrals = app.repo.referrals;
  // Referral bundles arrive as FHIR JSON too.
  app.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  app.get(
    '/organisations',
    {
      ...READ,
      config: { audit: { action: 'organisation.list', objectType: 'organisation' } },
      schema: { summary: "The network's organisations (hubs and spokes), your memberships and whether you administer the network", tags: SECTION, response: { 200: Open, ...errors } },
    },
    async (request) => {
      const scope = accessScopeOf(request);
      const [items, memberships] = await Promise.all([app.repo.organisations.listOrganisations(), app.repo.organisations.membershipsOf(scope.userId)]);
      return {
        items: items.map((o) => ({ id: o.id, name: o.name, kind: o.kind })),
        memberships: memberships.map((m) => ({ organisationId: m.organisationId, role: m.role })),
        roles: ORGANISATION_ROLES,
        network: scope.network,
      };
    },
  );

  app.post(
    '/referrals',
    {
      ...WRITE,
      config: { audit: { action: 'referral.create', objectType: 'referral' } },
      schema: { summary: 'Refer a case of your organisation to a hub: the question for the board, urgency and known reports', tags: SECTION, body: ReferBody, response: { 200: Open, 201: Open, ...errors, 409: ErrorsSchema } },
    },
    async (request, reply) => {
      const result = await referrals.create(accessScopeOf(request), request.body, request.user!.username, now(), auditForWrite(request, 201));
      if (result.ok) {
        request.auditObjectId = result.value.id;
        reply.header('location', `/api/referrals/${result.value.id}`);
      }
      return sendWrite(reply, result, 201);
    },
  );

  app.get(
    '/referrals',
    {
      ...READ,
      config: { audit: { action: 'referral.list', objectType: 'referral' } },
      schema: { summary: 'Referrals of your organisations: incoming (to your hub), outgoing (from your organisation), or both', tags: SECTION, querystring: ListQuery, response: { 200: Open, ...errors } },
    },
    async (request) => {
      const items = await referrals.list(accessScopeOf(request), request.query);
      request.auditDetail = `${items.length} referrals`;
      return { items: items.map(referralOut) };
    },
  );

  app.get(
    '/referrals/:id',
    {
      ...READ,
      config: { audit: { action: 'referral.read', objectType: 'referral' } },
      schema: { summary: 'A referral with its timeline and navigation checklist', tags: SECTION, params: ReferralParams, response: { 200: Open, ...errors } },
    },
    async (request, reply) => {
      const referral = await referrals.get(accessScopeOf(request), request.params.id);
      if (!referral) return reply.code(404).send(errorBody('no such referral'));
      return { ...referralOut(referral) };
    },
  );

  const step = (request: FastifyRequest) => ({ scope: accessScopeOf(request), author: request.user!.username, at: now(), audit: auditForWrite(request, 200) });

  app.post(
    '/referrals/:id/triage',
    {
      ...WRITE,
      config: { audit: { action: 'referral.triage', objectType: 'referral' } },
      schema: { summary: 'The hub triages: accept, request information, decline (with the reason) or redirect to another hub', tags: SECTION, params: ReferralParams, body: TriageBody, response: { 200: Open, 201: Open, ...errors, 409: ErrorsSchema } },
    },
    async (request, reply) => {
      const s = step(request);
      const { action, note, toOrganisationId } = request.body;
      return sendWrite(reply, await referrals.transition(s.scope, request.params.id, action, { note, toOrganisationId }, s.author, s.at, s.audit));
    },
  );

  app.post(
    '/referrals/:id/info',
    {
      ...WRITE,
      config: { audit: { action: 'referral.info', objectType: 'referral' } },
      schema: { summary: 'The referring organisation answers a request for information (the referral goes back to the hub)', tags: SECTION, params: ReferralParams, body: InfoBody, response: { 200: Open, 201: Open, ...errors, 409: ErrorsSchema } },
    },
    async (request, reply) => {
      const s = step(request);
      return sendWrite(reply, await referrals.transition(s.scope, request.params.id, 'provide_info', { note: request.body.note }, s.author, s.at, s.audit));
    },
  );

  app.post(
    '/referrals/:id/schedule',
    {
      ...WRITE,
      config: { audit: { action: 'referral.schedule', objectType: 'referral' } },
      schema: { summary: 'Place an accepted referral on a tumour-board meeting (status scheduled)', tags: SECTION, params: ReferralParams, body: ScheduleBody, response: { 200: Open, 201: Open, ...errors, 409: ErrorsSchema } },
    },
    async (request, reply) => {
      const s = step(request);
      return sendWrite(reply, await referrals.schedule(s.scope, request.params.id, request.body.meetingId, s.author, s.at, s.audit));
    },
  );

  app.post(
    '/referrals/:id/decision',
    {
      ...WRITE,
      config: { audit: { action: 'referral.decide', objectType: 'referral' } },
      schema: { summary: "Return the board's decision to the referrer (status decided)", tags: SECTION, params: ReferralParams, body: DecisionBody, response: { 200: Open, 201: Open, ...errors, 409: ErrorsSchema } },
    },
    async (request, reply) => {
      const s = step(request);
      const { decisionRef, summary } = request.body;
      return sendWrite(reply, await referrals.recordDecision(s.scope, request.params.id, { decisionRef, ...(summary ? { summary } : {}) }, s.author, s.at, s.audit));
    },
  );

  app.patch(
    '/referrals/:id/navigation/:item',
    {
      ...WRITE,
      config: { audit: { action: 'referral.navigation', objectType: 'referral' } },
      schema: { summary: "An item of the patient's navigation checklist: owner, status, notes", tags: SECTION, params: NavigationParams, body: NavigationBody, response: { 200: Open, ...errors } },
    },
    async (request, reply) => {
      const s = step(request);
      return sendWrite(reply, await referrals.updateNavigation(s.scope, request.params.id, request.params.item, request.body, s.author, s.at, s.audit));
    },
  );

  app.get(
    '/network/referral-times',
    {
      ...READ,
      config: { audit: { action: 'referral.times', objectType: 'referral' } },
      schema: { summary: 'Time from referral to decision against the REFERENCE-2 §8.3 targets (median, proportion within target), per urgency', tags: SECTION, response: { 200: Open, ...errors } },
    },
    async (request) => {
      const rows = await referrals.times(accessScopeOf(request));
      const at = now();
      return { asOf: at, items: referralTimes(rows.map((r) => ({ ...r, closed: r.status === 'declined' })), at) };
    },
  );

  // FHIR exchange between installations.
  app.get(
    '/referrals/:id/fhir',
    {
      ...READ,
      config: { audit: { action: 'referral.export.fhir', objectType: 'referral' } },
      schema: { summary: "The referral as a FHIR Bundle: the case's mCODE resources, a ServiceRequest and a Task", tags: SECTION, params: ReferralParams, response: { 200: Open, ...errors } },
    },
    async (request, reply) => {
      const scope = accessScopeOf(request);
      const referral = await referrals.get(scope, request.params.id);
      if (!referral) return reply.code(404).send(errorBody('no such referral'));
      const record = await casesOf(request).getCase(referral.caseId);
      if (!record) return reply.code(404).send(errorBody('no such referral'));
      const c = record.case as Case;
      const evaluation = evaluateCase(c);
      const issued = now();
      const caseBundle = exportBundle({ case: c, evaluation, reportText: renderTextReport(evaluation), issued, newId: randomUUID });
      const hub = await app.repo.organisations.getOrganisation(referral.toOrganisationId);
      const bundle = referralBundle(
        caseBundle,
        {
          referralId: referral.externalId ?? referral.id,
          fromName: referral.fromName,
          toOrganisationId: referral.toOrganisationId,
          toName: hub?.name ?? referral.toOrganisationId,
          question: referral.question,
          urgency: referral.urgency,
          documents: referral.documents,
          sentAt: referral.createdAt,
          sentBy: referral.createdBy,
        },
        randomUUID,
      );
      return reply.type('application/fhir+json').send({ ...bundle });
    },
  );

  app.post(
    '/referrals/import',
    {
      ...WRITE,
      bodyLimit: fhirBodyLimitBytes(),
      config: { audit: { action: 'referral.import', objectType: 'referral' } },
      schema: { summary: "Receive a referral bundle from another installation: a new case in the hub's organisation with its referral", tags: SECTION, querystring: ImportQuery, response: { 201: Open, ...errors, 422: ErrorsSchema } },
    },
    async (request, reply) => {
      const read = readReferralBundle(request.body);
      if (!read.ok) return reply.code(400).send({ errors: read.errors });
      const home = await homeOrganisation(request, request.query.organisation, 'query.organisation');
      if (!home.ok) return reply.code(home.status).send(errorBody(home.message, home.path));
      const at = now();
      const imported = importBundle(read.value.caseBundle, { asOf: at.slice(0, 10) });
      if (!imported.ok) return reply.code(422).send({ errors: imported.errors.map((e) => ({ path: e.path ? `body.${e.path}` : 'body', message: e.message })) });
      if (!imported.value.relevant) return reply.code(422).send(errorBody('the bundle holds no retroperitoneal tumour or sarcoma', 'body'));
      const c = imported.value.case;
      const hub = await app.repo.organisations.getOrganisation(home.organisationId);
      if (hub?.kind !== 'hub') return reply.code(400).send(errorBody('referrals are received by a hub (sarcoma centre)', 'query.organisation'));
      const created = await casesOf(request).createCase(
        { title: `Referral from ${read.value.fromName}`.slice(0, 200), status: 'tumour_board', case: c, organisationId: home.organisationId },
        request.user!.username,
        at,
        auditInputOf(request, { action: 'case.create', objectType: 'case', outcome: 'success', statusCode: 201, detail: 'from a referral bundle' }),
      );
      if (!created.ok) return reply.code(403).send(errorBody("your role in the hub does not allow creating its cases", 'query.organisation'));
      await app.repo.interop.setCaseIdentifiers(created.value.id, c.patient.identifiers ?? []);
      const { externalId, fromName, question, urgency, documents, sentAt, sentBy } = read.value;
      const result = await referrals.createImported(
        accessScopeOf(request),
        { caseId: created.value.id, toOrganisationId: home.organisationId, question, urgency, documents, fromName, externalId, sentAt, sentBy },
        request.user!.username,
        at,
        auditForWrite(request, 201),
      );
      if (result.ok) request.auditObjectId = result.value.id;
      return sendWrite(reply, result, 201);
    },
  );

  app.get(
    '/referrals/:id/fhir/decision',
    {
      ...READ,
      config: { audit: { action: 'referral.export.decision', objectType: 'referral' } },
      schema: { summary: "The decision returned to the referring installation: the referral's Task, completed", tags: SECTION, params: ReferralParams, response: { 200: Open, 201: Open, ...errors, 409: ErrorsSchema } },
    },
    async (request, reply) => {
      const referral = await referrals.get(accessScopeOf(request), request.params.id);
      if (!referral) return reply.code(404).send(errorBody('no such referral'));
      if (referral.status !== 'decided' || !referral.decisionRef || !referral.decidedAt) return reply.code(409).send(errorBody(`the referral is ${referral.status}, not decided`));
      const hub = await app.repo.organisations.getOrganisation(referral.toOrganisationId);
      const task = decisionTask(
        { referralId: referral.externalId ?? referral.id, hubName: hub?.name ?? referral.toOrganisationId, decisionRef: referral.decisionRef, summary: referral.decisionSummary, decidedAt: referral.decidedAt },
        randomUUID(),
      );
      return reply.type('application/fhir+json').send({ ...task });
    },
  );

  app.post(
    '/referrals/decision-import',
    {
      ...WRITE,
      config: { audit: { action: 'referral.decision.import', objectType: 'referral' } },
      schema: { summary: "The hub's decision received as a FHIR Task: the referral becomes decided", tags: SECTION, response: { 200: Open, 201: Open, ...errors, 409: ErrorsSchema } },
    },
    async (request, reply) => {
      const read = readDecisionTask(request.body);
      if (!read.ok) return reply.code(400).send({ errors: read.errors });
      const scope = accessScopeOf(request);
      const referral = await referrals.findByExternal(scope, read.value.referralId);
      if (!referral) return reply.code(404).send(errorBody('no such referral', 'body.identifier'));
      request.auditObjectId = referral.id;
      const summary = `${read.value.hubName}: ${read.value.summary ?? 'decision made'}`.slice(0, 4000);
      const result = await referrals.transition(
        scope,
        referral.id,
        'receive_decision',
        { decisionRef: read.value.decisionRef, decisionSummary: summary },
        request.user!.username,
        now(),
        auditForWrite(request, 200, { objectId: referral.id }),
      );
      return sendWrite(reply, result);
    },
  );
};
