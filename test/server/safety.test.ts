import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PASSWORD, SEED_CASE, startTestServer, type TestServer } from '../support/server.ts';

describe('bad input never reaches a 500', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => s?.close());

  it('malformed JSON → 400 naming the problem, without echoing the body', async () => {
    const r = await s.request('POST', '/api/cases', { token: s.tokens.clinician, rawBody: '{"title": "Mrs Example", "case": {' });
    assert.equal(r.status, 400);
    assert.match(r.body.errors[0].message, /not valid JSON/);
    assert.ok(!r.text.includes('Mrs Example'));
  });

  it('a body over 1 MB → 413', async () => {
    const r = await s.request('POST', '/api/evaluate', { token: s.tokens.viewer, rawBody: JSON.stringify({ id: 'x'.repeat(1024 * 1024 + 10) }) });
    assert.equal(r.status, 413);
    assert.match(r.body.errors[0].message, /larger than 1 MB/);
  });

  it('prototype-pollution keys → 400', async () => {
    for (const raw of ['{"__proto__": {"admin": true}, "tumor": {}}', '{"constructor": {"prototype": {"x": 1}}}']) {
      const r = await s.request('POST', '/api/evaluate', { token: s.tokens.viewer, rawBody: raw });
      assert.equal(r.status, 400, raw);
    }
    assert.equal(({} as Record<string, unknown>).admin, undefined);
  });

  it('wrong content type → 415; empty JSON body → 400; unknown API route → 404 JSON', async () => {
    assert.equal((await s.request('POST', '/api/evaluate', { token: s.tokens.viewer, rawBody: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 415);
    assert.equal((await s.request('POST', '/api/evaluate', { token: s.tokens.viewer, rawBody: '' })).status, 400);
    const r = await s.request('GET', '/api/nothing-here', { token: s.tokens.admin });
    assert.equal(r.status, 404);
    assert.match(r.body.errors[0].message, /no route GET \/api\/nothing-here/);
    assert.equal((await s.request('GET', '/elsewhere')).status, 404, 'no web app built → 404 outside /api too');
  });

  it('hostile path parameters are just unknown ids', async () => {
    for (const id of ["1' OR '1'='1", '../../etc/passwd', '%00', 'x'.repeat(100)]) {
      const r = await s.request('GET', `/api/cases/${encodeURIComponent(id)}`, { token: s.tokens.viewer });
      assert.equal(r.status, 404, id);
    }
    assert.equal((await s.request('GET', `/api/cases/${'x'.repeat(150)}`, { token: s.tokens.viewer })).status, 400);
  });

  it('sends security headers (helmet) with a CSP that allows the app’s own scripts and inline SVG styles', async () => {
    const r = await s.request('GET', '/api/health');
    assert.equal(r.body.status, 'ok');
    assert.equal(r.body.database, 'sqlite');
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self' 'unsafe-inline'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(r.headers.get('strict-transport-security'));
    assert.equal(r.headers.get('x-powered-by'), null);
  });

  it('serves OpenAPI 3 at /api/openapi.json and readable docs at /api/docs', async () => {
    const doc = await s.request('GET', '/api/openapi.json');
    assert.equal(doc.status, 200);
    assert.match(doc.body.openapi, /^3\./);
    assert.ok(doc.body.paths['/api/cases'].post.requestBody.content['application/json'].schema.properties.case);
    const ui = await s.request('GET', '/api/docs/');
    assert.equal(ui.status, 200);
    assert.match(ui.text, /swagger/i);
  });
});

describe('logging', () => {
  it('logs requests by method and path only — no tokens, passwords, cookies, query strings or bodies', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const s = await startTestServer({ logger: { level: 'info', stream } });
    try {
      const login = await s.request('POST', '/api/session', { body: { username: 'clinician', password: PASSWORD } });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      await s.request('POST', '/api/cases', { cookie, body: { title: 'Patient Zed Example', case: SEED_CASE } });
      await s.request('GET', '/api/cases?q=Patient%20Zed', { token: s.tokens.viewer });
      await s.request('POST', '/api/evaluate', { token: s.tokens.viewer, rawBody: '{"broken": "Patient Zed' });
      const log = lines.join('');
      assert.match(log, /"url":"\/api\/cases"/);
      for (const secret of [PASSWORD, s.tokens.viewer, cookie.split('=')[1]!, 'Patient Zed', 'Zed', '8858/3']) {
        assert.ok(!log.includes(secret), `the log contains ${secret}`);
      }
    } finally {
      await s.close();
    }
  });
});

describe('static web app', () => {
  it('serves web/dist at / with a fallback to index.html for client routes, never for /api', async () => {
    const root = mkdtempSync(join(tmpdir(), 'retroplan-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Retroplan</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app")');
    const s = await startTestServer({ webRoot: root });
    try {
      const index = await s.request('GET', '/');
      assert.equal(index.status, 200);
      assert.match(index.text, /<title>Retroplan<\/title>/);
      assert.ok(index.headers.get('content-security-policy'));
      const asset = await s.request('GET', '/assets/app.js');
      assert.equal(asset.status, 200);
      assert.match(asset.headers.get('content-type') ?? '', /javascript/);
      const deep = await s.request('GET', '/cases/123/versions');
      assert.equal(deep.status, 200);
      assert.match(deep.text, /<title>Retroplan<\/title>/);
      const api = await s.request('GET', '/api/unknown');
      assert.equal(api.status, 404);
      assert.ok(api.body.errors);
      assert.equal((await s.request('GET', '/api/health')).status, 200);
    } finally {
      await s.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
