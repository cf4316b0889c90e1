import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { evaluate } from '../../engine/index.ts';
import type { CaseRecord, WriteResult } from '../../store/index.ts';
import { requireRole } from '../auth/guard.ts';
import { auditForWrite } from '../audit.ts';
import { casesOf, homeOrganisation } from '../access-scope.ts';
import { errorBody } from '../errors.ts';
import { accessScopeOf } from '../access-scope.ts';
import { engineRecommendation, judgeDecision } from '../../boards/assess.ts';
import { sendBoardFailure } from './board-failure.ts';
import {
  CaseCreateBody,
  CaseEvaluationSchema,
  CaseListQuery,
  CaseListSchema,
  CaseRecordSchema,
  CaseReplaceBody,
  DecisionBody,
  DecisionListSchema,
  DecisionSchema,
  ErrorsSchema,
  IdParams,
  IfMatchHeaders,
  VersionListSchema,
  VersionParams,
  VersionSchema,
} from '../schemas.ts';
import { compiledSerializer } from '../serializers.ts';

/** `If-Match: "3"`, `W/"3"` or `3` → 3. */
export function parseIfMatch(header: string | undefined): number | undefined | 'invalid' {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,10})"?\s*$/.exec(header);
  return match ? Number(match[1]) : 'invalid';
}

function etag(version: number): string {
  return `"${version}"`;
}

const READ = { onRequest: requireRole('viewer') };
const WRITE = { onRequest: requireRole('clinician') };
const SECTION = ['cases'];
const errors = { 400: ErrorsSchema, 401: ErrorsSchema, 403: ErrorsSchema, 404: ErrorsSchema };
const writeErrors = { ...errors, 409: ErrorsSchema, 428: ErrorsSchema };

function sendWriteFailure(reply: FastifyReply, request: FastifyRequest, result: Exclude<WriteResult<unknown>, { ok: true }>) {
  switch (result.reason) {
    case 'not_found':
      return reply.code(404).send(errorBody('no such case'));
    case 'conflict':
      request.auditDetail = `stale version (current ${result.currentVersion ?? 'newer'})`;
      if (result.currentVersion !== undefined) reply.header('etag', etag(result.currentVersion));
      return reply
        .code(409)
        .send(errorBody(`the case has changed since version you edited (now version ${result.currentVersion ?? 'newer'}); reload and re-apply your changes`, 'headers.if-match'));
    case 'archived':
      return reply.code(409).send(errorBody('the case is archived; an admin can restore it'));
    case 'not_archived':
      return reply.code(409).send(errorBody('the case is not archived'));
    case 'forbidden':
      return reply.code(403).send(errorBody("your role in the case's organisation does not allow this change"));
  }
}

function sendRecord(reply: FastifyReply, record: CaseRecord, status = 200) {
  return reply.code(status).header('etag', etag(record.version)).send(record);
}

/** Every case query runs in the caller's organisation scope (access-scope.ts, store/scoped-cases.ts). */
export const caseRoutes: FastifyPluginAsyncZod = async (app) => {

  app.post(
    '/cases',
    {
      ...WRITE,
      config: { audit: { action: 'case.create', objectType: 'case' } },
      schema: { summary: 'Create a case (version 1)', tags: SECTION, body: CaseCreateBody, response: { 201: CaseRecordSchema, ...errors } },
    },
    async (request, reply) => {
      const { title, status, case: c, organisationId } = request.body;
      const home = await homeOrganisation(request, organisationId, 'body.organisationId');
      if (!home.ok) return reply.code(home.status).send(errorBody(home.message, home.path));
      // The audit row is committed in the write's transaction (its object id is the new case's).
      const written = await casesOf(request).createCase(
        { title, status, case: c, organisationId: home.organisationId },
        request.user!.username,
        new Date().toISOString(),
        auditForWrite(request, 201),
      );
      if (!written.ok) return sendWriteFailure(reply, request, written);
      const record = written.value;
      request.auditObjectId = record.id;
      reply.header('location', `/api/cases/${record.id}`);
      return sendRecord(reply, record, 201);
    },
  );

  app.get(
    '/cases',
    {
      ...READ,
      config: { audit: { action: 'case.list', objectType: 'case' } },
      // fast-json-stringify compiled from the zod schemas below, not a zod re-validation per response.
      serializerCompiler: compiledSerializer,
      schema: {
        summary: 'List cases (newest change first), filtered by status, stage group, histology and text in the title or next step',
        tags: SECTION,
        querystring: CaseListQuery,
        response: { 200: CaseListSchema, ...errors },
      },
    },
    async (request) => {
      const { archived, ...filter } = request.query;
      const page = await casesOf(request).listCases({ ...filter, archived: archived === 'true' });
      request.auditDetail = `${page.items.length} of ${page.total}${page.totalCapped ? '+' : ''} cases`;
      return { ...page, limit: filter.limit, offset: filter.offset };
    },
  );

  app.get(
    '/cases/:id',
    {
      ...READ,
      config: { audit: { action: 'case.read', objectType: 'case' } },
      schema: { summary: 'The current version of a case', tags: SECTION, params: IdParams, response: { 200: CaseRecordSchema, ...errors } },
    },
    async (request, reply) => {
      const record = await casesOf(request).getCase(request.params.id);
      if (!record) return reply.code(404).send(errorBody('no such case'));
      return sendRecord(reply, record);
    },
  );

  app.put(
    '/cases/:id',
    {
      ...WRITE,
      config: { audit: { action: 'case.update', objectType: 'case' } },
      schema: {
        summary: 'Replace a case: a new version, or 409 when If-Match names a version that is no longer current',
        tags: SECTION,
        params: IdParams,
        headers: IfMatchHeaders,
        body: CaseReplaceBody,
        response: { 200: CaseRecordSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const expected = parseIfMatch(request.headers['if-match']);
      if (expected === undefined) return reply.code(428).send(errorBody('send If-Match with the version you edited (its ETag)', 'headers.if-match'));
      if (expected === 'invalid') return reply.code(400).send(errorBody('must be a version number such as "3"', 'headers.if-match'));
      const current = await casesOf(request).getCase(request.params.id);
      if (!current) return reply.code(404).send(errorBody('no such case'));
      const { title, status, case: c } = request.body;
      const result = await casesOf(request).updateCase(
        request.params.id,
        expected,
        { title, status: status ?? current.status, case: c },
        request.user!.username,
        new Date().toISOString(),
        auditForWrite(request, 200, { detail: `version ${expected + 1}` }),
      );
      if (!result.ok) return sendWriteFailure(reply, request, result);
      request.auditDetail = `version ${result.value.version}`;
      return sendRecord(reply, result.value);
    },
  );

  app.delete(
    '/cases/:id',
    {
      ...WRITE,
      config: { audit: { action: 'case.archive', objectType: 'case' } },
      schema: {
        summary: 'Archive a case (soft delete: a new version; an admin can restore it); If-Match names the version archived (428 without, 409 when stale)',
        tags: SECTION,
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 200: CaseRecordSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const expected = parseIfMatch(request.headers['if-match']);
      if (expected === undefined) return reply.code(428).send(errorBody('send If-Match with the version you are archiving (its ETag)', 'headers.if-match'));
      if (expected === 'invalid') return reply.code(400).send(errorBody('must be a version number such as "3"', 'headers.if-match'));
      const result = await casesOf(request).setArchived(request.params.id, true, expected, request.user!.username, new Date().toISOString(), auditForWrite(request, 200));
      if (!result.ok) return sendWriteFailure(reply, request, result);
      return sendRecord(reply, result.value);
    },
  );

  app.post(
    '/cases/:id/restore',
    {
      onRequest: requireRole('admin'),
      config: { audit: { action: 'case.restore', objectType: 'case' } },
      schema: { summary: 'Restore an archived case (admin)', tags: SECTION, params: IdParams, response: { 200: CaseRecordSchema, ...writeErrors } },
    },
    async (request, reply) => {
      const result = await casesOf(request).setArchived(request.params.id, false, undefined, request.user!.username, new Date().toISOString(), auditForWrite(request, 200));
      if (!result.ok) return sendWriteFailure(reply, request, result);
      return sendRecord(reply, result.value);
    },
  );

  app.get(
    '/cases/:id/versions',
    {
      ...READ,
      config: { audit: { action: 'case.versions.list', objectType: 'case' } },
      schema: {
        summary: 'Every version of a case: author, time and the fields each changed',
        tags: SECTION,
        params: IdParams,
        response: { 200: VersionListSchema, ...errors },
      },
    },
    async (request, reply) => {
      const items = await casesOf(request).listVersions(request.params.id);
      if (!items) return reply.code(404).send(errorBody('no such case'));
      return { items };
    },
  );

  app.get(
    '/cases/:id/versions/:n',
    {
      ...READ,
      config: { audit: { action: 'case.version.read', objectType: 'case' } },
      schema: { summary: 'One version of a case, as it was written', tags: SECTION, params: VersionParams, response: { 200: VersionSchema, ...errors } },
    },
    async (request, reply) => {
      request.auditDetail = `version ${request.params.n}`;
      const version = await casesOf(request).getVersion(request.params.id, request.params.n);
      if (!version) return reply.code(404).send(errorBody('no such case version'));
      return version;
    },
  );

  app.get(
    '/cases/:id/evaluation',
    {
      ...READ,
      config: { audit: { action: 'case.evaluation.read', objectType: 'case' } },
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        summary: "The engine's evaluation of the current version",
        tags: SECTION,
        params: IdParams,
        response: { 200: CaseEvaluationSchema, ...errors, 422: ErrorsSchema },
      },
    },
    async (request, reply) => {
      const record = await casesOf(request).getCase(request.params.id);
      if (!record) return reply.code(404).send(errorBody('no such case'));
      // Re-validated: a case stored under an older case model may no longer be valid.
      const result = evaluate(record.case);
      if (!result.ok) return reply.code(422).send({ errors: result.errors.map((e) => ({ path: e.path ? `case.${e.path}` : 'case', message: e.message })) });
      reply.header('etag', etag(record.version));
      return { id: record.id, version: record.version, evaluation: result.value as unknown as Record<string, unknown> };
    },
  );

  app.post(
    '/cases/:id/decisions',
    {
      ...WRITE,
      config: { audit: { action: 'case.decision.create', objectType: 'case' } },
      schema: {
        summary: 'Record a tumour-board decision, kept with the case version it was taken on',
        tags: SECTION,
        params: IdParams,
        body: DecisionBody,
        response: { 201: DecisionSchema, ...errors, 409: ErrorsSchema },
      },
    },
    async (request, reply) => {
      // Who may decide: the case's organisation, or the hub it is referred to (scoped-cases.ts).
      const access = await casesOf(request).decisionAccess(request.params.id);
      if (access !== 'ok') return sendWriteFailure(reply, request, { ok: false, reason: access });
      // H38: kept with the case version it was taken on; concordance judged on that same version (H53).
      const result = await app.repo.boards.recordDecision(
        accessScopeOf(request),
        request.params.id,
        request.body,
        engineRecommendation,
        judgeDecision,
        request.user!.username,
        new Date().toISOString(),
        auditForWrite(request, 201),
      );
      if (!result.ok) return sendBoardFailure(reply, result);
      request.auditDetail = `decision ${result.value.id}`;
      return reply.code(201).send(result.value);
    },
  );

  app.get(
    '/cases/:id/decisions',
    {
      ...READ,
      config: { audit: { action: 'case.decisions.list', objectType: 'case' } },
      schema: { summary: 'Tumour-board decisions of a case, oldest first', tags: SECTION, params: IdParams, response: { 200: DecisionListSchema, ...errors } },
    },
    async (request, reply) => {
      // Visible to the caller (its organisation's, or referred to it), then every board's decision on it.
      if (!(await casesOf(request).getCase(request.params.id))) return reply.code(404).send(errorBody('no such case'));
      const items = await app.repo.boards.listCaseDecisions(request.params.id);
      if (!items) return reply.code(404).send(errorBody('no such case'));
      return { items };
    },
  );
};
