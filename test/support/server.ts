import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createServer, type ServerOptions } from '../../src/server/app.ts';
import { hashPassword } from '../../src/server/auth/passwords.ts';
import { newSecret, sha256Hex, TOKEN_PREFIX } from '../../src/server/auth/secrets.ts';
import type { OrganisationRole, Repository, Role } from '../../src/store/index.ts';
import { tempSqlite, type TestDatabase } from './databases.ts';

/** scrypt at N = 2^10 in tests only (production: 2^17), passed explicitly to createServer. */
export const TEST_SCRYPT_COST = 10;
export const PASSWORD = 'correct horse battery staple';

export interface Response {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

export interface RequestOptions {
  readonly token?: string;
  readonly cookie?: string;
  readonly body?: unknown;
  /** Sent as is (malformed JSON, huge bodies). */
  readonly rawBody?: string | Buffer;
  readonly headers?: Record<string, string>;
}

export interface TestServer {
  readonly app: FastifyInstance;
  readonly repo: Repository;
  readonly base: string;
  readonly tokens: Record<Role, string>;
  readonly userIds: Record<Role, string>;
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  close(): Promise<void>;
}

export async function request(base: string, method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  // Client and server share one event loop here: when a slow step (FHIR validation on a loaded
  // machine) blocks it past the server's keep-alive timeout, a reused socket is reset mid-request.
  // A fresh connection per request keeps what a test measures to the server's answer.
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'connection')) headers.connection = 'close';
  let body: string | Buffer | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** Creates a user with a password and an API token straight in the store. */
export async function seedUser(repo: Repository, username: string, role: Role): Promise<{ id: string; token: string }> {
  const user = await repo.createUser({ username, role, passwordHash: await hashPassword(PASSWORD, TEST_SCRYPT_COST) }, new Date().toISOString());
  const token = newSecret(TOKEN_PREFIX);
  await repo.createToken({ userId: user.id, name: 'test', tokenHash: sha256Hex(token), createdBy: 'test' }, new Date().toISOString());
  return { id: user.id, token };
}

/** The test network: the hub Hub A (`hub-a`) and the spokes Spoke B (`spoke-b`) and Spoke C (`spoke-c`), plus any `extra` organisations. */
export async function seedNetwork(repo: Repository, extra: readonly { id: string; name: string; kind: 'hub' | 'spoke' }[] = []): Promise<void> {
  const now = new Date().toISOString();
  for (const org of [{ id: 'hub-a', name: 'Hub A Sarcoma Centre', kind: 'hub' as const }, ...extra, { id: 'spoke-b', name: 'Spoke B Hospital', kind: 'spoke' as const }, { id: 'spoke-c', name: 'Spoke C Hospital', kind: 'spoke' as const }]) {
    await repo.organisations.createOrganisation(org, now);
  }
}

/** Creates a user who is a member of one organisation with `orgRole`, and returns an API token for them. */
export async function seedMember(repo: Repository, username: string, role: Role, organisationId: string, orgRole: OrganisationRole): Promise<string> {
  const now = new Date().toISOString();
  const user = await repo.createUser({ username, role, passwordHash: await hashPassword(PASSWORD, TEST_SCRYPT_COST), organisationId }, now);
  await repo.organisations.setMembership(user.id, organisationId, orgRole, now);
  const token = newSecret(TOKEN_PREFIX);
  await repo.createToken({ userId: user.id, name: 'test', tokenHash: sha256Hex(token), createdBy: 'test' }, now);
  return token;
}

/** A real server listening on an ephemeral port, with a viewer, a clinician and an admin. */
export async function startTestServer(options: Partial<ServerOptions> & { testDatabase?: TestDatabase } = {}): Promise<TestServer> {
  const database = options.testDatabase ?? tempSqlite();
  const app = await createServer({ logger: false, webRoot: null, scryptCost: TEST_SCRYPT_COST, ...options, database: options.database ?? database.config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const tokens = {} as Record<Role, string>;
  const userIds = {} as Record<Role, string>;
  for (const role of ['viewer', 'clinician', 'admin'] as const) {
    const seeded = await seedUser(app.repo, role, role);
    tokens[role] = seeded.token;
    userIds[role] = seeded.id;
  }
  return {
    app,
    repo: app.repo,
    base,
    tokens,
    userIds,
    request: (method, path, opts) => request(base, method, path, opts),
    close: async () => {
      await app.close();
      if (!options.testDatabase) await database.drop();
    },
  };
}

/** The seed chapter's 22 cm dedifferentiated liposarcoma (examples/seed-22cm-ddlps.json). */
export const SEED_CASE = {
  patient: { ageYears: 58, sex: 'male' },
  presentation: 'primary',
  tumor: { sizeCm: 22, side: 'left', imaging: { macroscopicFat: true, solidComponent: true }, contacts: ['kidney_left', 'colon_descending'] },
  pathology: { histology: '8858/3', specimen: 'core_biopsy', grade: 'G3' },
};
