/**
 * Who may call what — stated here, by hand, for every route the server has.
 *
 * The expectations come from the product's access rules (README "API": viewers read,
 * clinicians also write cases and import FHIR, admins also restore archived cases,
 * manage users and tokens and read the audit log; a network administrator — an admin with the
 * network flag — also manages the network's organisations and memberships), not from the
 * server's guards or its OpenAPI `x-required-role` — so a guard changed by mistake fails this
 * test. Every route × every role (viewer, clinician, admin, network administrator) ×
 * unauthenticated is called. The route
 * list is read from the running server (Fastify's route tree), and a route missing
 * from the table below fails the test, so a new route cannot go untested.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from '../../src/server/app.ts';
import { tempSqlite } from '../support/databases.ts';
import { SEED_CASE, seedUser, startTestServer, type TestServer } from '../support/server.ts';

/**
 * public: anyone; a role: that role and above; network-admin: an admin with the network flag (an
 * admin of an organisation without it is refused); cds-jwt: a CDS client's signed JWT, never a
 * user's credentials.
 */
type Access = 'public' | 'viewer' | 'clinician' | 'admin' | 'network-admin' | 'cds-jwt';

const EXPECTED: Record<string, Access> = {
  'GET /api/health': 'public',
  'GET /api/openapi.json': 'public',
  'POST /api/session': 'public',
  'DELETE /api/session': 'public',
  'GET /api/setup': 'public',
  'POST /api/setup': 'public',
  'GET /api/session': 'viewer',

  'GET /api/cases': 'viewer',
  'POST /api/cases': 'clinician',
  'GET /api/cases/:id': 'viewer',
  'PUT /api/cases/:id': 'clinician',
  'DELETE /api/cases/:id': 'clinician',
  'POST /api/cases/:id/restore': 'admin',
  'GET /api/cases/:id/versions': 'viewer',
  'GET /api/cases/:id/versions/:n': 'viewer',
  'GET /api/cases/:id/evaluation': 'viewer',
  'GET /api/cases/:id/decisions': 'viewer',
  'POST /api/cases/:id/decisions': 'clinician',
  'GET /api/cases/:id/fhir': 'viewer',
  'POST /api/cases/:id/fhir/push': 'clinician',
  'POST /api/evaluate': 'viewer',
  'POST /api/fhir/import': 'clinician',

  'GET /api/users': 'admin',
  'POST /api/users': 'admin',
  'PATCH /api/users/:id': 'admin',
  'GET /api/users/:id/tokens': 'admin',
  'POST /api/users/:id/tokens': 'admin',
  'DELETE /api/tokens/:id': 'admin',
  'GET /api/audit': 'admin',

  // Issues 14–15. The centre audit reads every case: admin. Any signed-in user is a trainee.
  'POST /api/cases/:id/intraop': 'clinician',
  'GET /api/cases/:id/intraop': 'viewer',
  'GET /api/audit/centre': 'admin',
  'GET /api/practice/cases': 'viewer',
  'GET /api/practice/cases/:id': 'viewer',
  'POST /api/practice/cases/:id/attempts': 'viewer',
  'GET /api/practice/attempts': 'viewer',
  'GET /api/practice/attempts.csv': 'viewer',

  // SMART App Launch: a registered EHR's public client id is public (the launch starts before
  // sign-in); the list of EHRs and the patient lookup need a user; registering EHRs is admin work.
  'GET /api/smart/config': 'public',
  'GET /api/smart/ehrs': 'viewer',
  'GET /api/admin/smart-clients': 'admin',
  'PUT /api/admin/smart-clients': 'admin',
  'GET /api/cases/lookup': 'viewer',
  // Issue 13 part B: tumour boards. Everyone reads meetings, decisions and letters; clinicians plan
  // meetings and record decisions. Signing needs a clinician and, in the store, the meeting's chair.
  'GET /api/meetings': 'viewer',
  'POST /api/meetings': 'clinician',
  'GET /api/meetings/quality': 'viewer',
  'GET /api/meetings/:id': 'viewer',
  'GET /api/meetings/:id/invitation.ics': 'viewer',
  'PUT /api/meetings/:id/attendance': 'clinician',
  'POST /api/meetings/:id/items': 'clinician',
  'PUT /api/meetings/:id/items/order': 'clinician',
  'DELETE /api/meetings/:id/items/:itemId': 'clinician',
  'GET /api/decisions/:id': 'viewer',
  'PUT /api/decisions/:id': 'clinician',
  'POST /api/decisions/:id/sign': 'clinician',
  'POST /api/decisions/:id/amendments': 'clinician',
  'GET /api/decisions/:id/letter.pdf': 'viewer',
  'GET /api/decisions/:id/patient-summary.pdf': 'viewer',
  // Issue 13: organisations and referrals. The global role guards the route (clinicians act,
  // viewers read); the organisation role decides the step (test/server/organisations.test.ts).
  'GET /api/organisations': 'viewer',
  'POST /api/referrals': 'clinician',
  'GET /api/referrals': 'viewer',
  'GET /api/referrals/:id': 'viewer',
  'POST /api/referrals/:id/triage': 'clinician',
  'POST /api/referrals/:id/info': 'clinician',
  'POST /api/referrals/:id/schedule': 'clinician',
  'POST /api/referrals/:id/decision': 'clinician',
  'PATCH /api/referrals/:id/navigation/:item': 'clinician',
  'GET /api/referrals/:id/fhir': 'viewer',
  'GET /api/referrals/:id/fhir/decision': 'viewer',
  'POST /api/referrals/import': 'clinician',
  'POST /api/referrals/decision-import': 'clinician',
  'GET /api/network/referral-times': 'viewer',
  // The network's shape (organisations, who belongs where with which role): a network administrator.
  'GET /api/network/organisations': 'network-admin',
  'POST /api/network/organisations': 'network-admin',
  'GET /api/network/organisations/:id/members': 'network-admin',
  'POST /api/network/organisations/:id/members': 'network-admin',
  'PATCH /api/network/organisations/:id/members/:username': 'network-admin',
  'DELETE /api/network/organisations/:id/members/:username': 'network-admin',

  'GET /cds-services': 'public',
  'GET /cds-services/': 'public',
  'POST /cds-services/retroplan-patient-view': 'cds-jwt',
  'POST /cds-services/retroplan-patient-view/feedback': 'cds-jwt',
};

const RANK = { viewer: 1, clinician: 2, admin: 3, network: 3 } as const;
/** `network`: an admin who also holds the network administrator flag; `admin` does not. */
type Caller = keyof typeof RANK;
const CALLERS: Caller[] = ['viewer', 'clinician', 'admin', 'network'];

/** The status class a caller must get: 'allowed' means anything but 401/403 (a 400 for an empty body is fine). */
function expectedFor(access: Access, caller: Caller | 'anonymous'): 401 | 403 | 'allowed' {
  if (access === 'public') return 'allowed';
  if (access === 'cds-jwt' || caller === 'anonymous') return 401;
  if (access === 'network-admin') return caller === 'network' ? 'allowed' : 403;
  return RANK[caller] >= RANK[access] ? 'allowed' : 403;
}

/** Swagger UI's own files: public documentation, not part of the API. */
const isDocs = (path: string) => path === '/api/docs' || path.startsWith('/api/docs/');

/** Every METHOD path the server routes (HEAD and OPTIONS are generated: HEAD mirrors GET, OPTIONS is CORS). */
function routesOf(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.+?) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (depth > 0 ? stack[depth - 1]! : '') + match[2]!;
    stack[depth] = path;
    for (const method of match[3]!.split(',').map((m) => m.trim())) {
      if (method !== 'HEAD' && method !== 'OPTIONS' && !isDocs(path)) routes.push(`${method} ${path}`);
    }
  }
  return routes;
}

describe('access control: every route × every role, from a hand-written table', () => {
  let s: TestServer;
  let routes: string[];
  let ids: Record<string, string>;
  let tokens: Record<Caller, string>;

  before(async () => {
    // Every route is called without credentials three times: more than the per-address limit of
    // refused calls (tested in hardening.test.ts), which would answer 429 instead of 401.
    s = await startTestServer({ settings: { refusedCallsPerMinute: 1_000_000 } });
    routes = routesOf(s.app.printRoutes({ commonPrefix: false }));
    const created = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'Access', case: SEED_CASE } });
    assert.equal(created.status, 201, created.text);
    // Ids that exist, except the token id: revoking a real token would change the callers.
    ids = { ':id': created.body.id, ':n': '1' };
    const network = await seedUser(s.repo, 'network', 'admin');
    await s.repo.organisations.setNetworkAdmin(network.id, true);
    tokens = { ...s.tokens, network: network.token };
  });
  after(async () => s?.close());

  const concrete = (route: string) => {
    const [, path] = route.split(' ');
    if (path!.startsWith('/api/users/:id')) return path!.replace(':id', s.userIds.viewer);
    if (path!.startsWith('/api/tokens/:id')) return path!.replace(':id', '00000000-0000-4000-8000-000000000000');
    return path!.replace(':id', ids[':id']!).replace(':n', ids[':n']!).replace(':item', 'travel').replace(':username', 'viewer');
  };

  it('the route tree was read (the known core is there)', () => {
    for (const core of ['GET /api/cases', 'GET /api/audit', 'POST /api/session', 'PATCH /api/users/:id', 'POST /cds-services/retroplan-patient-view']) {
      assert.ok(routes.includes(core), `${core} in ${routes.join(', ')}`);
    }
  });

  it('every route the server has is in the table, and every table entry is a route', () => {
    const unknown = routes.filter((r) => !(r in EXPECTED));
    assert.deepEqual(unknown, [], 'routes without a stated expectation: add them to EXPECTED');
    const gone = Object.keys(EXPECTED).filter((r) => !routes.includes(r));
    assert.deepEqual(gone, [], 'table entries with no route');
  });

  it('each route answers each caller as the table says', async () => {
    const failures: string[] = [];
    let calls = 0;
    for (const route of routes) {
      const access = EXPECTED[route];
      if (!access) continue;
      const method = route.split(' ')[0]!;
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
      for (const caller of ['anonymous', ...CALLERS] as const) {
        const auth = caller === 'anonymous' ? {} : { token: tokens[caller] };
        const r = await s.request(method, concrete(route), { ...auth, body });
        calls++;
        const expected = expectedFor(access, caller);
        const ok = expected === 'allowed' ? r.status !== 401 && r.status !== 403 && r.status < 500 : r.status === expected;
        if (!ok) failures.push(`${route} as ${caller}: expected ${expected}, got ${r.status}`);
        if (expected !== 'allowed' && r.status === expected) assert.ok(Array.isArray(r.body?.errors), `${route} as ${caller}: {errors} body`);
      }
    }
    assert.deepEqual(failures, []);
    assert.equal(calls, routes.length * 5);
  });

  it('a bad token and a forged session cookie are anonymous (401) on every non-public route', async () => {
    for (const route of routes) {
      const access = EXPECTED[route];
      if (!access || access === 'public') continue;
      const method = route.split(' ')[0]!;
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
      for (const auth of [{ token: 'rp_not-a-real-token' }, { cookie: 'retroplan_session=forged' }]) {
        const r = await s.request(method, concrete(route), { ...auth, body });
        assert.equal(r.status, 401, `${route} with ${JSON.stringify(auth)} → ${r.status} ${r.text}`);
      }
    }
  });

  it('the published x-required-role agrees with the table (the documentation does not lie)', async () => {
    const doc = (await s.request('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, { 'x-required-role'?: string; 'x-network-admin'?: boolean }>> };
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const route = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
        const access = EXPECTED[route];
        assert.ok(access, `${route} is in the table`);
        // A network administrator's route publishes the admin role and the network flag.
        const published = op['x-network-admin'] === true ? (op['x-required-role'] === 'admin' ? 'network-admin' : `${op['x-required-role']}+network`) : (op['x-required-role'] ?? 'public');
        assert.equal(published, access, route);
      }
    }
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
