import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { compressWebBuild } from '../../scripts/compress-web.mjs';
import { startTestServer, type TestServer } from '../support/server.ts';

/** A raw GET (fetch would decode the body and send its own Accept-Encoding). */
function rawGet(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(base + path, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

const SCRIPT = `export const greeting = ${JSON.stringify('retroperitoneal '.repeat(400))};\n`;
const INDEX = `<!doctype html><html><head><script type="module" src="/assets/app-3f9a1c.js"></script></head><body>${'<div></div>'.repeat(200)}</body></html>`;

describe('static web app: pre-compressed files and cache headers', () => {
  let root: string;
  let s: TestServer;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'retroplan-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'assets', 'app-3f9a1c.js'), SCRIPT);
    writeFileSync(join(root, 'index.html'), INDEX);
    const written = compressWebBuild(root);
    assert.equal(written.length, 2, 'the build step compressed the script and index.html');
    s = await startTestServer({ webRoot: root });
  });
  after(async () => {
    await s.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('sends a hashed asset as brotli when the browser accepts it, cacheable for a year', async () => {
    const res = await rawGet(s.base, '/assets/app-3f9a1c.js', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], 'br');
    assert.match(String(res.headers['content-type']), /^(application|text)\/javascript/);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(String(res.headers.vary), /accept-encoding/i);
    assert.ok(res.body.length < SCRIPT.length / 5, `compressed (${res.body.length} of ${SCRIPT.length} bytes)`);
    assert.equal(brotliDecompressSync(res.body).toString('utf8'), SCRIPT);
  });

  it('falls back to gzip, then to the file itself', async () => {
    const gz = await rawGet(s.base, '/assets/app-3f9a1c.js', { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.body).toString('utf8'), SCRIPT);
    assert.equal(gz.headers['cache-control'], 'public, max-age=31536000, immutable');

    const refusedBr = await rawGet(s.base, '/assets/app-3f9a1c.js', { 'accept-encoding': 'br;q=0, gzip' });
    assert.equal(refusedBr.headers['content-encoding'], 'gzip');

    const identity = await rawGet(s.base, '/assets/app-3f9a1c.js');
    assert.equal(identity.headers['content-encoding'], undefined);
    assert.equal(identity.body.toString('utf8'), SCRIPT);
    assert.match(String(identity.headers.vary), /accept-encoding/i);
    assert.equal(identity.headers['cache-control'], 'public, max-age=31536000, immutable');
  });

  it('serves index.html (at / and for client-side routes) compressed but never cached unrevalidated', async () => {
    for (const path of ['/', '/index.html', '/cases/123/anatomy']) {
      const res = await rawGet(s.base, path, { 'accept-encoding': 'br, gzip' });
      assert.equal(res.status, 200, path);
      assert.equal(res.headers['cache-control'], 'no-cache', path);
      assert.equal(res.headers['content-encoding'], 'br', path);
      assert.match(String(res.headers['content-type']), /^text\/html/, path);
      assert.equal(brotliDecompressSync(res.body).toString('utf8'), INDEX, path);
    }
    const plain = await rawGet(s.base, '/');
    assert.equal(plain.headers['cache-control'], 'no-cache');
    assert.equal(plain.body.toString('utf8'), INDEX);
  });

  it('leaves API responses alone', async () => {
    const res = await rawGet(s.base, '/api/health', { 'accept-encoding': 'br, gzip' });
    assert.equal(res.status, 200);
    assert.notEqual(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(JSON.parse(res.body.toString('utf8')).status, 'ok');
  });
});
