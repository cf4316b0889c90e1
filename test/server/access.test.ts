/**
 * Every operation in the OpenAPI document is checked: without credentials it
 * answers 401 (unless it is explicitly public), with a role below the one it
 * declares it answers 403. A new route cannot escape: the server refuses to
 * start with an /api route that has no access rule, and this test finds every
 * documented one.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from '../../src/server/app.ts';
import type { Role } from '../../src/store/index.ts';
import { tempSqlite } from '../support/databases.ts';
import { SEED_CASE, startTestServer, type TestServer } from '../support/server.ts';

const PUBLIC = new Set(['GET /api/health', 'POST /api/session', 'DELETE /api/session', 'GET /api/setup', 'POST /api/setup']);
const BELOW: Record<Role, Role | undefined> = { viewer: undefined, clinician: 'viewer', admin: 'clinician' };

interface Operation {
  method: string;
  path: string;
  role?: Role;
  security: unknown[];
}

describe('access control on every documented route', () => {
  let s: TestServer;
  let operations: Operation[];
  let caseId: string;

  before(async () => {
    s = await startTestServer();
    const doc = (await s.request('GET', '/api/openapi.json')).body;
    operations = Object.entries(doc.paths as Record<string, Record<string, { 'x-required-role'?: Role; security: unknown[] }>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, role: op['x-required-role'], security: op.security })),
    );
    caseId = (await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'Access', case: SEED_CASE } })).body.id;
  });
  after(async () => s?.close());

  const concrete = (path: string) => path.replace('{id}', caseId).replace('{n}', '1');

  it('the document lists the API (at least the routes of the issue)', () => {
    const names = new Set(operations.map((o) => `${o.method} ${o.path}`));
    for (const expected of [
      'POST /api/cases',
      'GET /api/cases',
      'GET /api/cases/{id}',
      'PUT /api/cases/{id}',
      'DELETE /api/cases/{id}',
      'POST /api/cases/{id}/restore',
      'GET /api/cases/{id}/versions',
      'GET /api/cases/{id}/versions/{n}',
      'GET /api/cases/{id}/evaluation',
      'POST /api/evaluate',
      'POST /api/cases/{id}/decisions',
      'GET /api/cases/{id}/decisions',
      'GET /api/audit',
      'POST /api/session',
      'DELETE /api/session',
      'GET /api/session',
      'GET /api/users',
      'POST /api/users',
      'PATCH /api/users/{id}',
      'GET /api/users/{id}/tokens',
      'POST /api/users/{id}/tokens',
      'DELETE /api/tokens/{id}',
      'GET /api/health',
    ]) {
      assert.ok(names.has(expected), `${expected} is documented`);
    }
  });

  it('only the known public routes are public; every other route declares a role and security', () => {
    for (const op of operations) {
      const name = `${op.method} ${op.path}`;
      if (PUBLIC.has(name)) assert.deepEqual(op.security, [], name);
      else {
        assert.ok(op.role, `${name} declares x-required-role`);
        assert.ok(op.security.length > 0, `${name} declares security`);
      }
    }
  });

  it('every non-public route → 401 without credentials, with a bad token, and with a forged cookie', async () => {
    for (const op of operations) {
      const name = `${op.method} ${op.path}`;
      if (PUBLIC.has(name)) continue;
      const body = ['POST', 'PUT', 'PATCH'].includes(op.method) ? {} : undefined;
      for (const auth of [{}, { token: 'rp_not-a-real-token' }, { cookie: 'retroplan_session=forged' }]) {
        const r = await s.request(op.method, concrete(op.path), { ...auth, body });
        assert.equal(r.status, 401, `${name} with ${JSON.stringify(auth)} → ${r.status} ${r.text}`);
        assert.equal(r.body.errors[0].path, '');
      }
    }
  });

  it('every role-restricted route → 403 for the role just below', async () => {
    let checked = 0;
    for (const op of operations) {
      const below = op.role && BELOW[op.role];
      if (!below) continue;
      const body = ['POST', 'PUT', 'PATCH'].includes(op.method) ? {} : undefined;
      const r = await s.request(op.method, concrete(op.path), { token: s.tokens[below], body });
      assert.equal(r.status, 403, `${op.method} ${op.path} as ${below} → ${r.status} ${r.text}`);
      checked++;
    }
    assert.ok(checked >= 12, `checked ${checked} restricted routes`);
  });

  it('public routes answer without credentials', async () => {
    assert.equal((await s.request('GET', '/api/health')).status, 200);
    assert.equal((await s.request('DELETE', '/api/session')).status, 204);
    assert.equal((await s.request('POST', '/api/session', { body: { username: 'x', password: 'y' } })).status, 401);
    // First-run state: nobody signed in, setup closed once users exist; setup itself refused.
    const state = await s.request('GET', '/api/setup');
    assert.equal(state.status, 200);
    assert.deepEqual([state.body.user, state.body.setupRequired], [null, false]);
    assert.equal((await s.request('POST', '/api/setup', { body: { token: 'x', username: 'mallory', password: 'correct horse battery staple' } })).status, 409);
  });

  it('a server with an /api route lacking an access rule refuses to start', async () => {
    const db = tempSqlite();
    await assert.rejects(
      createServer({
        database: db.config,
        logger: false,
        webRoot: null,
        extraRoutes: (app) => {
          app.get('/api/leak', async () => ({ secret: true }));
        },
      }),
      /GET \/api\/leak has no access rule/,
    );
    await db.drop();
  });
});
