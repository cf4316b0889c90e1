import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evaluate } from '../../engine/index.ts';
import { agendaSlots, minutesOf, timeOf } from '../../boards/agenda.ts';
import { engineRecommendation, judgeDecision } from '../../boards/assess.ts';
import { tallyConcordance } from '../../boards/concordance.ts';
import { meetingInvitation } from '../../boards/ical.ts';
import { outcomeLetter, patientSummary, renderPdf, type LetterDocument, type LetterSource } from '../../boards/letters.ts';
import type { AgendaItem, BoardDecision, Meeting } from '../../store/meetings.ts';
import { accessScopeOf, casesOf, homeOrganisation } from '../access-scope.ts';
import { auditForWrite } from '../audit.ts';
import { hasRole, requireRole } from '../auth/guard.ts';
import { errorBody } from '../errors.ts';
import { DecisionSchema, ErrorsSchema, IdParams } from '../schemas.ts';
import {
  AgendaItemBody,
  AgendaSchema,
  AttendanceBody,
  DecisionReviseBody,
  ItemParams,
  MeetingCreateBody,
  MeetingDetailSchema,
  MeetingListQuery,
  MeetingListSchema,
  MeetingParams,
  MeetingSchema,
  QualitySchema,
  ReorderBody,
} from '../board-schemas.ts';
import { sendBoardFailure } from './board-failure.ts';

/**
 * Tumour boards (issue 13 part B): meetings with their agenda, attendance and iCalendar
 * invitation; the board's decisions (recorded on POST /api/cases/:id/decisions), their chair
 * sign-off, amendment and letters; the concordance indicator. Every read and write is
 * scoped to the caller's organisations (access-scope.ts) in the store.
 */
const READ = { onRequest: requireRole('viewer') };
const WRITE = { onRequest: requireRole('clinician') };
const MEETINGS = ['meetings'];
const DECISIONS = ['decisions'];
const errors = { 400: ErrorsSchema, 401: ErrorsSchema, 403: ErrorsSchema, 404: ErrorsSchema, 409: ErrorsSchema };

function meetingOut(m: Meeting) {
  return { ...m, endTime: timeOf(minutesOf(m.startTime) + m.durationMinutes) };
}

function agendaOut(m: Meeting, items: readonly AgendaItem[]) {
  const slots = agendaSlots(m.startTime, m.minutesPerItem, m.durationMinutes, items.length);
  return items.map(({ meetingId: _meeting, ...item }, i) => ({ ...item, slot: slots[i]! }));
}

function decisionOut(d: BoardDecision) {
  const { organisationId: _org, ...rest } = d;
  return rest;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export const meetingRoutes: FastifyPluginAsyncZod = async (app) => {
  const repo = app.repo;
  const boards = repo.boards;

  app.get(
    '/meetings',
    {
      ...READ,
      config: { audit: { action: 'meeting.list', objectType: 'meeting' } },
      schema: { summary: 'Tumour-board meetings: upcoming (soonest first) or past (newest first)', tags: MEETINGS, querystring: MeetingListQuery, response: { 200: MeetingListSchema, ...errors } },
    },
    async (request) => ({ items: (await boards.listMeetings(accessScopeOf(request), request.query.when, today())).map(meetingOut) }),
  );

  app.post(
    '/meetings',
    {
      ...WRITE,
      config: { audit: { action: 'meeting.create', objectType: 'meeting' } },
      schema: { summary: 'Create a tumour-board meeting', tags: MEETINGS, body: MeetingCreateBody, response: { 201: MeetingSchema, ...errors } },
    },
    async (request, reply) => {
      const { chair, organisationId, ...input } = request.body;
      // The board belongs to an organisation where the caller may act (issue 13: the hub's MDT).
      const home = await homeOrganisation(request, organisationId, 'organisationId');
      if (!home.ok) return reply.code(home.status).send(errorBody(home.message, home.path));
      const chairUser = await repo.findUserByUsername(chair);
      if (!chairUser || chairUser.disabled) return reply.code(400).send(errorBody('no such user', 'chair'));
      if (!hasRole(chairUser.role, 'clinician')) return reply.code(400).send(errorBody('the chair signs decisions: choose a clinician or an administrator', 'chair'));
      const meeting = await boards.createMeeting(
        accessScopeOf(request),
        home.organisationId,
        { ...input, chairUserId: chairUser.id },
        request.user!.username,
        new Date().toISOString(),
        auditForWrite(request, 201),
      );
      request.auditObjectId = meeting.id;
      reply.header('location', `/api/meetings/${meeting.id}`);
      return reply.code(201).send(meetingOut(meeting));
    },
  );

  app.get(
    '/meetings/quality',
    {
      ...READ,
      config: { audit: { action: 'meeting.quality.read', objectType: 'meeting' } },
      schema: {
        summary: "Concordance of signed board decisions with the engine's recommendation (REFERENCE-2 §9.2): rate and deviation reasons",
        tags: MEETINGS,
        response: { 200: QualitySchema, ...errors },
      },
    },
    async (request) => tallyConcordance(await boards.qualityRows(accessScopeOf(request))),
  );

  app.get(
    '/meetings/:id',
    {
      ...READ,
      config: { audit: { action: 'meeting.read', objectType: 'meeting' } },
      schema: { summary: 'A meeting with its agenda (time slots computed from the start and the minutes per item)', tags: MEETINGS, params: MeetingParams, response: { 200: MeetingDetailSchema, ...errors } },
    },
    async (request, reply) => {
      const found = await boards.getMeeting(accessScopeOf(request), request.params.id);
      if (!found) return reply.code(404).send(errorBody('no such meeting'));
      return { ...meetingOut(found.meeting), agenda: agendaOut(found.meeting, found.items) };
    },
  );

  app.get(
    '/meetings/:id/invitation.ics',
    {
      ...READ,
      config: { audit: { action: 'meeting.invitation.read', objectType: 'meeting' } },
      schema: { summary: 'The meeting as an iCalendar invitation (text/calendar) with its attendees', tags: MEETINGS, params: MeetingParams, response: { 200: z.string().describe('iCalendar'), ...errors } },
    },
    async (request, reply) => {
      const found = await boards.getMeeting(accessScopeOf(request), request.params.id);
      if (!found) return reply.code(404).send(errorBody('no such meeting'));
      const body = meetingInvitation({ ...found.meeting, agenda: found.items }, request.hostname.split(':')[0] || 'retroplan');
      return reply
        .type('text/calendar; charset=utf-8; method=REQUEST')
        .header('content-disposition', 'attachment; filename="tumour-board.ics"')
        .send(body);
    },
  );

  app.put(
    '/meetings/:id/attendance',
    {
      ...WRITE,
      config: { audit: { action: 'meeting.attendance.update', objectType: 'meeting' } },
      schema: { summary: 'Record who attended (replaces the previous record)', tags: MEETINGS, params: MeetingParams, body: AttendanceBody, response: { 200: MeetingSchema, ...errors } },
    },
    async (request, reply) => {
      const result = await boards.setAttendance(accessScopeOf(request), request.params.id, request.body.attendees, new Date().toISOString(), auditForWrite(request, 200));
      if (!result.ok) return sendBoardFailure(reply, result);
      return meetingOut(result.value);
    },
  );

  app.post(
    '/meetings/:id/items',
    {
      ...WRITE,
      config: { audit: { action: 'meeting.item.add', objectType: 'meeting' } },
      schema: { summary: 'Add a case to the agenda (at the end)', tags: MEETINGS, params: MeetingParams, body: AgendaItemBody, response: { 201: AgendaSchema, ...errors } },
    },
    async (request, reply) => {
      const scope = accessScopeOf(request);
      // Only a case the caller can see goes on the agenda: its own organisation's or one referred to it.
      if (!(await casesOf(request).getCase(request.body.caseId))) return reply.code(400).send(errorBody('no such case', 'caseId'));
      const result = await boards.addAgendaItem(scope, request.params.id, request.body, request.user!.username, new Date().toISOString(), auditForWrite(request, 201));
      if (!result.ok) return sendBoardFailure(reply, result);
      const found = (await boards.getMeeting(scope, request.params.id))!;
      return reply.code(201).send({ items: agendaOut(found.meeting, found.items) });
    },
  );

  app.put(
    '/meetings/:id/items/order',
    {
      ...WRITE,
      config: { audit: { action: 'meeting.items.reorder', objectType: 'meeting' } },
      schema: { summary: "Reorder the agenda: every item's id, in the new order", tags: MEETINGS, params: MeetingParams, body: ReorderBody, response: { 200: AgendaSchema, ...errors } },
    },
    async (request, reply) => {
      const scope = accessScopeOf(request);
      const result = await boards.reorderAgenda(scope, request.params.id, request.body.itemIds, new Date().toISOString(), auditForWrite(request, 200));
      if (!result.ok) return sendBoardFailure(reply, result);
      const found = (await boards.getMeeting(scope, request.params.id))!;
      return { items: agendaOut(found.meeting, found.items) };
    },
  );

  app.delete(
    '/meetings/:id/items/:itemId',
    {
      ...WRITE,
      config: { audit: { action: 'meeting.item.remove', objectType: 'meeting' } },
      schema: { summary: 'Remove a case from the agenda (not once the board has recorded a decision on it)', tags: MEETINGS, params: ItemParams, response: { 200: AgendaSchema, ...errors } },
    },
    async (request, reply) => {
      const scope = accessScopeOf(request);
      const result = await boards.removeAgendaItem(scope, request.params.id, request.params.itemId, new Date().toISOString(), auditForWrite(request, 200));
      if (!result.ok) return sendBoardFailure(reply, result);
      const found = (await boards.getMeeting(scope, request.params.id))!;
      return { items: agendaOut(found.meeting, found.items) };
    },
  );

  app.get(
    '/decisions/:id',
    {
      ...READ,
      config: { audit: { action: 'decision.read', objectType: 'decision' } },
      schema: { summary: 'One board decision with its concordance, sign-off and amendment links', tags: DECISIONS, params: IdParams, response: { 200: DecisionSchema, ...errors } },
    },
    async (request, reply) => {
      const d = await readableDecision(request, request.params.id);
      if (!d) return reply.code(404).send(errorBody('no such decision'));
      return decisionOut(d);
    },
  );

  app.put(
    '/decisions/:id',
    {
      ...WRITE,
      config: { audit: { action: 'decision.update', objectType: 'decision' } },
      schema: {
        summary: 'Change a decision before sign-off (409 once signed: amend it instead)',
        tags: DECISIONS,
        params: IdParams,
        body: DecisionReviseBody,
        response: { 200: DecisionSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await boards.reviseDecision(accessScopeOf(request), request.params.id, request.body, engineRecommendation, judgeDecision, request.user!.username, new Date().toISOString(), auditForWrite(request, 200));
      if (!result.ok) return sendBoardFailure(reply, result);
      return decisionOut(result.value);
    },
  );

  app.post(
    '/decisions/:id/sign',
    {
      ...WRITE,
      config: { audit: { action: 'decision.sign', objectType: 'decision' } },
      schema: { summary: "The chair's sign-off: only the meeting's chair, once; the decision is immutable afterwards", tags: DECISIONS, params: IdParams, response: { 200: DecisionSchema, ...errors } },
    },
    async (request, reply) => {
      const user = request.user!;
      const result = await boards.signDecision(accessScopeOf(request), request.params.id, { id: user.id, username: user.username }, new Date().toISOString(), auditForWrite(request, 200));
      if (!result.ok) return sendBoardFailure(reply, result);
      return decisionOut(result.value);
    },
  );

  app.post(
    '/decisions/:id/amendments',
    {
      ...WRITE,
      config: { audit: { action: 'decision.amend', objectType: 'decision' } },
      schema: {
        summary: 'Amend a signed decision: a new decision on the same agenda item that references it, signed by the chair in turn',
        tags: DECISIONS,
        params: IdParams,
        body: DecisionReviseBody,
        response: { 201: DecisionSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await boards.amendDecision(accessScopeOf(request), request.params.id, request.body, engineRecommendation, judgeDecision, request.user!.username, new Date().toISOString(), auditForWrite(request, 201));
      if (!result.ok) return sendBoardFailure(reply, result);
      reply.header('location', `/api/decisions/${result.value.id}`);
      return reply.code(201).send(decisionOut(result.value));
    },
  );

  /**
   * A decision the caller may read: one of their organisations' boards', or any board's decision on
   * a case they see — the referring spoke reads the hub's decision and letters on its own patient
   * (issue 13: the outcome letter goes back through the referral), as the case's decision list
   * already shows it. Anyone else gets 404, as for a decision that does not exist.
   */
  async function readableDecision(request: FastifyRequest, id: string): Promise<BoardDecision | undefined> {
    const own = await boards.getDecision(accessScopeOf(request), id);
    if (own) return own;
    const other = await boards.getDecisionUnscoped(id);
    return other && (await casesOf(request).getCase(other.caseId)) ? other : undefined;
  }

  /** The letter's sources, or the reply already sent. */
  async function letterSource(request: FastifyRequest, reply: FastifyReply): Promise<LetterSource | undefined> {
    const d = await readableDecision(request, (request.params as { id: string }).id);
    if (!d) return void reply.code(404).send(errorBody('no such decision'));
    // The letter names the board's meeting whoever reads it: read in the board's organisation.
    const scope = { organisationIds: [d.organisationId] };
    // H54: a letter states only what the board signed.
    if (!d.signedAt) return void reply.code(409).send(errorBody('the decision is not signed yet: letters go out only after the chair signs'));
    const version = await repo.getVersion(d.caseId, d.caseVersion);
    if (!version) return void reply.code(404).send(errorBody('no such case version'));
    const evaluated = evaluate(version.case);
    const meeting = d.meetingId ? (await boards.getMeeting(scope, d.meetingId))?.meeting : undefined;
    const previous = d.supersedesId ? ((await boards.getDecision(scope, d.supersedesId)) ?? null) : null;
    return {
      decision: d,
      previous,
      caseTitle: version.title,
      caseAtDecision: version.case,
      evaluation: evaluated.ok ? evaluated.value : null,
      meeting: meeting ? { title: meeting.title, date: meeting.date, chair: meeting.chair.username } : null,
    };
  }

  const pdfRoute = (path: string, action: string, summary: string, build: (s: LetterSource) => LetterDocument, filename: string) =>
    app.get(
      path,
      {
        ...READ,
        config: { audit: { action, objectType: 'decision' } },
        schema: { summary, tags: DECISIONS, params: IdParams, response: { 200: z.any().describe('PDF'), ...errors } },
      },
      async (request, reply) => {
        const source = await letterSource(request, reply);
        if (!source) return reply;
        const pdf = await renderPdf(build(source));
        return reply.type('application/pdf').header('content-disposition', `attachment; filename="${filename}"`).send(pdf);
      },
    );
  pdfRoute('/decisions/:id/letter.pdf', 'decision.letter.read', 'The outcome letter for the referrer (PDF) from the signed decision', outcomeLetter, 'outcome-letter.pdf');
  pdfRoute('/decisions/:id/patient-summary.pdf', 'decision.patient-summary.read', 'The plain-language summary for the patient (PDF) from the signed decision', patientSummary, 'patient-summary.pdf');
};

