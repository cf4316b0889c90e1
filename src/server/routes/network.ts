import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ORGANISATION_ID_PATTERN, ORGANISATION_ID_RULE, ORGANISATION_KINDS, ORGANISATION_ROLES, type Membership, type Organisation } from '../../store/index.ts';
import { requireNetworkAdmin } from '../auth/guard.ts';
import { auditForWrite } from '../audit.ts';
import { errorBody } from '../errors.ts';
import { ErrorsSchema, UsernameSchema } from '../schemas.ts';

/**
 * The network's administration over HTTP (issue 13): organisations (hub = sarcoma centre, spoke =
 * referring hospital) and who is a member of each with which role — what `retroplan org` does on
 * the command line, with the same store calls (store/organisations.ts), for a network
 * administrator (admin role and network flag, auth/guard.ts `requireNetworkAdmin`). Every change
 * is audited in its own transaction with the action names the command line uses.
 *
 * The network administrator flag itself stays on the command line (`retroplan org network-admin`):
 * a membership change never touches it, so no call here can leave the network without an
 * administrator.
 */

const OrganisationId = z.string({ error: 'must be a string' }).regex(ORGANISATION_ID_PATTERN, { error: ORGANISATION_ID_RULE });
const CreateOrganisationBody = z.strictObject({
  id: OrganisationId.describe('Short id used in URLs, FHIR identifiers and logs, e.g. royal-marsden'),
  name: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }),
  kind: z.enum(ORGANISATION_KINDS, { error: `must be one of ${ORGANISATION_KINDS.join(', ')}` }).describe('hub = sarcoma centre, spoke = referring hospital'),
});
const Role = z.enum(ORGANISATION_ROLES, { error: `must be one of ${ORGANISATION_ROLES.join(', ')}` });
const AddMemberBody = z.strictObject({ username: UsernameSchema, role: Role });
const ChangeMemberBody = z.strictObject({ role: Role });
const OrganisationParams = z.strictObject({ id: z.string().max(100) });
const MemberParams = z.strictObject({ id: z.string().max(100), username: z.string().max(100) });

const OrganisationSchema = z.object({ id: z.string(), name: z.string(), kind: z.enum(ORGANISATION_KINDS), createdAt: z.string() });
const MembershipSchema = z.object({ userId: z.string(), username: z.string(), organisationId: z.string(), role: z.enum(ORGANISATION_ROLES), createdAt: z.string() });

const ADMIN = { onRequest: requireNetworkAdmin() };
const SECTION = ['network administration'];
const errors = { 400: ErrorsSchema, 401: ErrorsSchema, 403: ErrorsSchema, 404: ErrorsSchema, 409: ErrorsSchema };

const organisationOut = (o: Organisation) => ({ id: o.id, name: o.name, kind: o.kind, createdAt: o.createdAt });
const membershipOut = (m: Membership) => ({ userId: m.userId, username: m.username, organisationId: m.organisationId, role: m.role, createdAt: m.createdAt });

/** A second insert of the same id that lost the race to the first: the primary key refuses it. */
const isUniqueViolation = (error: unknown) => error instanceof Error && /unique|duplicate key/i.test(error.message);

export const networkRoutes: FastifyPluginAsyncZod = async (app) => {
  const organisations = app.repo.organisations;
  const now = () => new Date().toISOString();

  app.get(
    '/network/organisations',
    {
      ...ADMIN,
      config: { audit: { action: 'organisation.list', objectType: 'organisation' } },
      schema: { summary: "The network's organisations (network administrator)", tags: SECTION, response: { 200: z.object({ items: z.array(OrganisationSchema) }), ...errors } },
    },
    async () => ({ items: (await organisations.listOrganisations()).map(organisationOut) }),
  );

  app.post(
    '/network/organisations',
    {
      ...ADMIN,
      config: { audit: { action: 'organisation.create', objectType: 'organisation' } },
      schema: { summary: 'Add an organisation: a hub (sarcoma centre) or a spoke (referring hospital)', tags: SECTION, body: CreateOrganisationBody, response: { 201: OrganisationSchema, ...errors } },
    },
    async (request, reply) => {
      const { id, name, kind } = request.body;
      request.auditObjectId = id;
      if (await organisations.getOrganisation(id)) return reply.code(409).send(errorBody('an organisation with this id exists', 'id'));
      try {
        const created = await organisations.createOrganisation({ id, name, kind }, now(), auditForWrite(request, 201, { objectId: id, detail: kind }));
        reply.header('location', `/api/network/organisations/${id}/members`);
        return reply.code(201).send(organisationOut(created));
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        return reply.code(409).send(errorBody('an organisation with this id exists', 'id'));
      }
    },
  );

  app.get(
    '/network/organisations/:id/members',
    {
      ...ADMIN,
      config: { audit: { action: 'organisation.member.list', objectType: 'organisation' } },
      schema: { summary: "An organisation's members and their roles there", tags: SECTION, params: OrganisationParams, response: { 200: z.object({ items: z.array(MembershipSchema) }), ...errors } },
    },
    async (request, reply) => {
      if (!(await organisations.getOrganisation(request.params.id))) return reply.code(404).send(errorBody('no such organisation'));
      return { items: (await organisations.membersOf(request.params.id)).map(membershipOut) };
    },
  );

  app.post(
    '/network/organisations/:id/members',
    {
      ...ADMIN,
      config: { audit: { action: 'organisation.member.set', objectType: 'organisation' } },
      schema: {
        summary: 'Make a user a member of the organisation with a role (viewer, clinician, coordinator, chair, admin)',
        description: 'A user who is already a member: 409 (change the role with PATCH).',
        tags: SECTION,
        params: OrganisationParams,
        body: AddMemberBody,
        response: { 201: MembershipSchema, ...errors },
      },
    },
    async (request, reply) => {
      const organisationId = request.params.id;
      const { username, role } = request.body;
      if (!(await organisations.getOrganisation(organisationId))) return reply.code(404).send(errorBody('no such organisation'));
      const user = await app.repo.findUserByUsername(username);
      if (!user) return reply.code(400).send(errorBody('no such user', 'username'));
      if (await organisations.roleIn(user.id, organisationId)) return reply.code(409).send(errorBody(`${user.username} is already a member; change the role instead`, 'username'));
      const detail = `${user.username} as ${role}`;
      request.auditDetail = detail;
      await organisations.setMembership(user.id, organisationId, role, now(), auditForWrite(request, 201, { detail }));
      const added = (await organisations.membersOf(organisationId)).find((m) => m.userId === user.id)!;
      return reply.code(201).send(membershipOut(added));
    },
  );

  app.patch(
    '/network/organisations/:id/members/:username',
    {
      ...ADMIN,
      config: { audit: { action: 'organisation.member.set', objectType: 'organisation' } },
      schema: { summary: "Change a member's role in the organisation", tags: SECTION, params: MemberParams, body: ChangeMemberBody, response: { 200: MembershipSchema, ...errors } },
    },
    async (request, reply) => {
      const { id: organisationId, username } = request.params;
      const user = await app.repo.findUserByUsername(username);
      if (!user || !(await organisations.roleIn(user.id, organisationId))) return reply.code(404).send(errorBody('no such member of this organisation'));
      const detail = `${user.username} as ${request.body.role}`;
      request.auditDetail = detail;
      await organisations.setMembership(user.id, organisationId, request.body.role, now(), auditForWrite(request, 200, { detail }));
      return membershipOut((await organisations.membersOf(organisationId)).find((m) => m.userId === user.id)!);
    },
  );

  app.delete(
    '/network/organisations/:id/members/:username',
    {
      ...ADMIN,
      config: { audit: { action: 'organisation.member.remove', objectType: 'organisation' } },
      schema: { summary: 'Remove a user from the organisation (their cases stay with the organisation)', tags: SECTION, params: MemberParams, response: { 204: z.void().describe('Removed'), ...errors } },
    },
    async (request, reply) => {
      const { id: organisationId, username } = request.params;
      const user = await app.repo.findUserByUsername(username);
      if (!user) return reply.code(404).send(errorBody('no such member of this organisation'));
      request.auditDetail = user.username;
      const removed = await organisations.removeMembership(user.id, organisationId, auditForWrite(request, 204, { detail: user.username }));
      // Nothing removed, nothing audited in the write: the 404 is audited on its way out.
      if (!removed) return reply.code(404).send(errorBody('no such member of this organisation'));
      return reply.code(204).send();
    },
  );
};
