/**
 * SMART launch registration over HTTP: EHRs from RETROPLAN_SMART_CLIENTS and from the admin API,
 * the public client settings the web app reads (no secret exists to leak), an unregistered
 * iss refused, the Content-Security-Policy opened to registered origins only, and the
 * patient lookup by identifier.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SEED_CASE, startTestServer, type TestServer } from '../support/server.ts';
import { smartClientsFromEnv } from '../../src/interop/smart/clients.ts';

const ENV_EHR = 'https://ehr-a.example/fhir';

describe('SMART client registration API', () => {
  let s: TestServer;
  const saved = process.env.RETROPLAN_SMART_CLIENTS;
  before(async () => {
    process.env.RETROPLAN_SMART_CLIENTS = JSON.stringify({ [`${ENV_EHR}/`]: { clientId: 'retroplan-a', name: 'Hospital A' } });
    s = await startTestServer();
  });
  after(async () => {
    if (saved === undefined) delete process.env.RETROPLAN_SMART_CLIENTS;
    else process.env.RETROPLAN_SMART_CLIENTS = saved;
    await s?.close();
  });

  it('an EHR from the environment: its public settings with the default scopes; an unregistered iss → 404 naming query.iss', async () => {
    const r = await s.request('GET', `/api/smart/config?iss=${encodeURIComponent(`${ENV_EHR}/`)}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { iss: ENV_EHR, name: 'Hospital A', clientId: 'retroplan-a', scopes: 'launch openid fhirUser patient/*.read' });
    const unknown = await s.request('GET', `/api/smart/config?iss=${encodeURIComponent('https://evil.example/fhir')}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.errors[0].path, 'query.iss');
    assert.match(unknown.body.errors[0].message, /not registered/);
  });

  it('an admin registers an EHR (audited with the write); the list, config and CSP follow; a bad body → 400 with the field path, nothing stored', async () => {
    const bad = await s.request('PUT', '/api/admin/smart-clients', { token: s.tokens.admin, body: { clients: [{ iss: 'ftp://x', name: 'X', clientId: 'c' }] } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors[0].path, 'clients[0].iss');
    const twice = await s.request('PUT', '/api/admin/smart-clients', { token: s.tokens.admin, body: { clients: [{ iss: 'https://b.example/fhir', name: 'B', clientId: 'c' }, { iss: 'https://b.example/fhir/', name: 'B2', clientId: 'd' }] } });
    assert.equal(twice.status, 400);
    assert.deepEqual(await s.repo.listSmartClients(), []);

    const put = await s.request('PUT', '/api/admin/smart-clients', {
      token: s.tokens.admin,
      body: { clients: [{ iss: 'https://b.example/r4/', name: 'Hospital B', clientId: 'retroplan-b', scopes: '  launch/patient openid   fhirUser patient/*.rs ', connectOrigins: ['https://auth.b.example/oauth/token'] }] },
    });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.body.clients, [{ iss: 'https://b.example/r4', name: 'Hospital B', clientId: 'retroplan-b', scopes: 'launch/patient openid fhirUser patient/*.rs', connectOrigins: ['https://auth.b.example'] }]);
    assert.equal(put.body.environment[0].iss, ENV_EHR);

    const audit = await s.repo.listAudit({ action: 'smart.clients.update', limit: 10 });
    assert.deepEqual(audit.map((a) => `${a.actor} ${a.outcome} ${a.statusCode}`), ['admin success 200', 'admin failure 400', 'admin failure 400']);
    assert.match(audit[0]!.detail ?? '', /https:\/\/b\.example\/r4/);

    const config = await s.request('GET', `/api/smart/config?iss=${encodeURIComponent('https://b.example/r4')}`);
    assert.equal(config.body.clientId, 'retroplan-b');
    const ehrs = await s.request('GET', '/api/smart/ehrs', { token: s.tokens.viewer });
    assert.deepEqual(ehrs.body.items, [{ iss: ENV_EHR, name: 'Hospital A' }, { iss: 'https://b.example/r4', name: 'Hospital B' }]);

    const csp = (await s.request('GET', '/api/health')).headers.get('content-security-policy') ?? '';
    const connect = /connect-src ([^;]+)/.exec(csp)![1]!.split(' ');
    assert.deepEqual(connect, ["'self'", 'https://auth.b.example', 'https://b.example', 'https://ehr-a.example']);

    // Only an admin may read or change the list.
    assert.equal((await s.request('PUT', '/api/admin/smart-clients', { token: s.tokens.clinician, body: { clients: [] } })).status, 403);
    const cleared = await s.request('PUT', '/api/admin/smart-clients', { token: s.tokens.admin, body: { clients: [] } });
    assert.equal(cleared.status, 200);
    assert.equal((await s.request('GET', `/api/smart/config?iss=${encodeURIComponent('https://b.example/r4')}`)).status, 404);
    assert.doesNotMatch((await s.request('GET', '/api/health')).headers.get('content-security-policy') ?? '', /b\.example/);
  });

  it('GET /api/cases/lookup finds the case of a FHIR patient on a server (trailing slash or not); other servers and unknown ids → 404', async () => {
    const c = { ...SEED_CASE, patient: { ...SEED_CASE.patient, identifiers: [{ kind: 'fhir', system: ENV_EHR, value: 'pat-1' }] } };
    const created = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'Lookup', case: c } });
    assert.equal(created.status, 201);
    const found = await s.request('GET', `/api/cases/lookup?kind=fhir&system=${encodeURIComponent(`${ENV_EHR}/`)}&value=pat-1`, { token: s.tokens.viewer });
    assert.equal(found.status, 200);
    assert.equal(found.body.id, created.body.id);
    assert.equal((await s.request('GET', `/api/cases/lookup?kind=fhir&system=${encodeURIComponent('https://other.example/fhir')}&value=pat-1`, { token: s.tokens.viewer })).status, 404);
    assert.equal((await s.request('GET', `/api/cases/lookup?kind=fhir&system=${encodeURIComponent(ENV_EHR)}&value=pat-2`, { token: s.tokens.viewer })).status, 404);
    const badKind = await s.request('GET', '/api/cases/lookup?kind=passport&value=1', { token: s.tokens.viewer });
    assert.equal(badKind.status, 400);
    assert.equal(badKind.body.errors[0].path, 'query.kind');
    const audit = await s.repo.listAudit({ action: 'case.lookup', limit: 10 });
    assert.equal(audit.length, 4);
  });

  it('RETROPLAN_SMART_CLIENTS that is not an object or names a bad URL is refused at start with the reason', () => {
    assert.throws(() => smartClientsFromEnv({ RETROPLAN_SMART_CLIENTS: '[1]' }), /must be a JSON object/);
    assert.throws(() => smartClientsFromEnv({ RETROPLAN_SMART_CLIENTS: '{"https://x.example/fhir": {"name": "X"}}' }), /0\.clientId/);
    assert.throws(() => smartClientsFromEnv({ RETROPLAN_SMART_CLIENTS: '{' }), /not valid JSON/);
  });
});
