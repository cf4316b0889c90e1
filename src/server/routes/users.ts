import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireRole } from '../auth/guard.ts';
import { passwordProblem } from '../auth/password-policy.ts';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/passwords.ts';
import { newSecret, sha256Hex, TOKEN_PREFIX } from '../auth/secrets.ts';
import { auditForWrite } from '../audit.ts';
import { errorBody } from '../errors.ts';
import { ErrorsSchema, IdParams, NewTokenSchema, RoleSchema, TokenListSchema, TokenSchema, UserListSchema, UserSchema, UsernameSchema } from '../schemas.ts';
import type { ServerSettings } from '../settings.ts';

const PasswordSchema = z
  .string({ error: 'must be a string' })
  .min(MIN_PASSWORD_LENGTH, { error: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(MAX_PASSWORD_LENGTH, { error: `must be at most ${MAX_PASSWORD_LENGTH} characters` });

const CreateUserBody = z.strictObject({ username: UsernameSchema, password: PasswordSchema, role: RoleSchema });
const UpdateUserBody = z
  .strictObject({ role: RoleSchema.optional(), disabled: z.boolean({ error: 'must be true or false' }).optional(), password: PasswordSchema.optional() })
  .refine((b) => b.role !== undefined || b.disabled !== undefined || b.password !== undefined, { error: 'change at least one of role, disabled, password' });
const CreateTokenBody = z.strictObject({
  name: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }),
});

const ADMIN = { onRequest: requireRole('admin') };
const SECTION = ['users and tokens'];
const errors = { 400: ErrorsSchema, 401: ErrorsSchema, 403: ErrorsSchema, 404: ErrorsSchema, 409: ErrorsSchema };

export const userRoutes: FastifyPluginAsyncZod<{ settings: ServerSettings }> = async (app, { settings }) => {
  const repo = app.repo;

  app.get(
    '/users',
    { ...ADMIN, config: { audit: { action: 'user.list', objectType: 'user' } }, schema: { summary: 'List users (admin)', tags: SECTION, response: { 200: UserListSchema, ...errors } } },
    async () => ({ items: await repo.listUsers() }),
  );

  app.post(
    '/users',
    {
      ...ADMIN,
      config: { audit: { action: 'user.create', objectType: 'user' } },
      schema: {
        summary: 'Create a user (admin)',
        description: 'The password must be at least 12 characters, not a common or easily guessed one, and not contain the username (400, path `password`).',
        tags: SECTION,
        body: CreateUserBody,
        response: { 201: UserSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { username, password, role } = request.body;
      const weak = await passwordProblem(password, username);
      if (weak) return reply.code(400).send({ errors: [weak] });
      if (await repo.findUserByUsername(username)) return reply.code(409).send(errorBody('a user with this name exists', 'username'));
      const user = await repo.createUser({ username, role, passwordHash: await hashPassword(password, settings.scryptLog2N) }, new Date().toISOString(), auditForWrite(request, 201, { detail: `role ${role}` }));
      request.auditObjectId = user.id;
      request.auditDetail = `role ${role}`;
      return reply.code(201).send(user);
    },
  );

  app.patch(
    '/users/:id',
    {
      ...ADMIN,
      config: { audit: { action: 'user.update', objectType: 'user' } },
      schema: {
        summary: 'Change a user’s role, disable or enable them, or set a new password (admin)',
        description:
          'Setting a new password or disabling the user revokes every API token of that user and ends all of their sessions ' +
          '(enabling them again does not bring the tokens back: create new ones). The password must be at least 12 characters, ' +
          'not common and not derived from the username. A change that would leave no enabled admin is refused (409), also when ' +
          'two admins change at the same moment.',
        tags: SECTION,
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: UserSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { role, disabled, password } = request.body;
      const target = await repo.getUser(request.params.id);
      if (!target) return reply.code(404).send(errorBody('no such user'));
      if (password !== undefined) {
        const weak = await passwordProblem(password, target.username);
        if (weak) return reply.code(400).send({ errors: [weak] });
      }
      const passwordHash = password === undefined ? undefined : await hashPassword(password, settings.scryptLog2N);
      const revokes = disabled === true || passwordHash !== undefined;
      request.auditDetail = [role && `role ${role}`, disabled !== undefined && (disabled ? 'disabled' : 'enabled'), password !== undefined && 'password changed']
        .filter(Boolean)
        .concat(revokes ? ['tokens revoked, sessions ended'] : [])
        .join(', ');
      const changed = await repo.changeUser(target.id, { role, disabled, passwordHash }, new Date().toISOString(), auditForWrite(request, 200, { detail: request.auditDetail }));
      if (!changed.ok) {
        return changed.reason === 'not_found' ? reply.code(404).send(errorBody('no such user')) : reply.code(409).send(errorBody('this would leave no enabled admin'));
      }
      const user = changed.user;
      return user;
    },
  );

  app.get(
    '/users/:id/tokens',
    {
      ...ADMIN,
      config: { audit: { action: 'token.list', objectType: 'user' } },
      schema: { summary: 'A user’s API tokens (never the secrets) (admin)', tags: SECTION, params: IdParams, response: { 200: TokenListSchema, ...errors } },
    },
    async (request, reply) => {
      if (!(await repo.getUser(request.params.id))) return reply.code(404).send(errorBody('no such user'));
      return { items: await repo.listTokens(request.params.id) };
    },
  );

  app.post(
    '/users/:id/tokens',
    {
      ...ADMIN,
      config: { audit: { action: 'token.create', objectType: 'user' } },
      schema: {
        summary: 'Create an API token for a user; the token is in this response only (admin)',
        tags: SECTION,
        params: IdParams,
        body: CreateTokenBody,
        response: { 201: NewTokenSchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = await repo.getUser(request.params.id);
      if (!user) return reply.code(404).send(errorBody('no such user'));
      const token = newSecret(TOKEN_PREFIX);
      const info = await repo.createToken(
        { userId: user.id, name: request.body.name, tokenHash: sha256Hex(token), createdBy: request.user!.username },
        new Date().toISOString(),
        auditForWrite(request, 201),
      );
      request.auditDetail = `token ${info.id}`;
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ ...info, token });
    },
  );

  app.delete(
    '/tokens/:id',
    {
      ...ADMIN,
      config: { audit: { action: 'token.revoke', objectType: 'token' } },
      schema: { summary: 'Revoke an API token (admin)', tags: SECTION, params: IdParams, response: { 200: TokenSchema, ...errors } },
    },
    async (request, reply) => {
      const token = await repo.revokeToken(request.params.id, new Date().toISOString(), auditForWrite(request, 200));
      if (!token) return reply.code(404).send(errorBody('no such token'));
      return token;
    },
  );
};
