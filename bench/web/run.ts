/**
 * Web app benchmark (not a test). Prints:
 * - first-load JavaScript as the server sends it (budget 200 KB gzip; exit code 1 when over):
 *   every script and modulepreload that web/dist/index.html loads, fetched from the real server
 *   with Accept-Encoding "br, gzip", "gzip" and none — the bytes on the wire;
 * - the time of one in-browser re-evaluation of the seed case (budget 1 ms) —
 *   validate + evaluate, as the editor does on every keystroke — in Debian's
 *   Chromium, with JSON.parse of the same case text as the same-run baseline.
 * Run: npm run bench:web [-- --iterations N]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium } from 'playwright-core';
import { compressWebBuild } from '../../scripts/compress-web.mjs';
import { createServer } from '../../src/server/app.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const argIndex = process.argv.indexOf('--iterations');
const iterations = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 20_000;
const KB = 1024;

// 1. The production build (with its .br/.gz files), fetched from the real server as a browser
//    would: the bytes on the wire for index.html and every script it loads.
await build({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn' });
const dist = join(root, 'web/dist');
compressWebBuild(dist);
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => (m[1] ?? m[2])!);
const server = await createServer({ database: { kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'retroplan-bench-web-db-')), 'db.sqlite') }, logger: false, webRoot: dist });
await server.listen({ port: 0, host: '127.0.0.1' });
const origin = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;

/** Bytes on the wire (undecoded) and the encoding the server chose. */
function served(path: string, acceptEncoding: string | null): Promise<{ bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    get(origin + path, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${path}: HTTP ${res.statusCode}`));
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ bytes, encoding: String(res.headers['content-encoding'] ?? 'identity') }));
    }).on('error', reject);
  });
}
const total = async (accept: string | null, paths: string[]) => {
  let bytes = 0;
  const encodings = new Set<string>();
  for (const p of paths) {
    const r = await served(p, accept);
    bytes += r.bytes;
    encodings.add(r.encoding);
  }
  return { bytes, encodings: [...encodings].join('/') };
};
const wireBrGzip = await total('br, gzip', scripts);
const wireGzip = await total('gzip', scripts);
const wireIdentity = await total(null, scripts);
const htmlWire = await total('br, gzip', ['/']);
await server.close();

// 2. The engine bundled for the browser, timed in Chromium.
const out = mkdtempSync(join(tmpdir(), 'retroplan-bench-web-'));
await build({
  configFile: false,
  logLevel: 'warn',
  build: { outDir: out, emptyOutDir: true, minify: true, target: 'es2022', lib: { entry: join(root, 'bench/web/entry.ts'), formats: ['es'], fileName: () => 'bench.js' },
    rollupOptions: { onwarn: (w, warn) => (w.code === 'INVALID_ANNOTATION' ? undefined : warn(w)) },
  },
});
const bundle = readFileSync(join(out, 'bench.js'), 'utf8');
const caseText = readFileSync(join(root, 'examples/seed-22cm-ddlps.json'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage();
await page.route('http://bench.test/**', (route) =>
  route.request().url().endsWith('/bench.js')
    ? route.fulfill({ body: bundle, contentType: 'text/javascript' })
    : route.fulfill({ body: '<!doctype html><script type="module" src="/bench.js"></script>', contentType: 'text/html' }),
);
await page.goto('http://bench.test/');
await page.waitForFunction(() => typeof window.retroplanBench === 'function');
const runs = [];
for (let i = 0; i < 5; i++) runs.push(await page.evaluate(([text, n]) => window.retroplanBench(text, n), [caseText, iterations] as const));
await browser.close();
rmSync(out, { recursive: true, force: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const parseUs = median(runs.map((r) => r.parseUs));
const evaluateUs = median(runs.map((r) => r.evaluateUs));

const BUDGET = 200 * KB;
const overBudget = wireGzip.bytes > BUDGET || wireBrGzip.bytes > BUDGET;
console.log(`first-load JS as served (${scripts.length} file(s)), bytes on the wire:`);
console.log(`  Accept-Encoding: br, gzip → ${(wireBrGzip.bytes / KB).toFixed(1)} KB (${wireBrGzip.encodings})`);
console.log(`  Accept-Encoding: gzip     → ${(wireGzip.bytes / KB).toFixed(1)} KB (${wireGzip.encodings})  budget 200 KB gzip ${overBudget ? 'OVER BUDGET' : 'OK'}`);
console.log(`  no Accept-Encoding        → ${(wireIdentity.bytes / KB).toFixed(1)} KB (${wireIdentity.encodings})`);
console.log(`  index.html                → ${(htmlWire.bytes / KB).toFixed(1)} KB (${htmlWire.encodings})`);
console.log(`in-browser (Chromium), seed case, median of 5 runs × ${iterations.toLocaleString('en-US')}:`);
console.log(`  JSON.parse of the case text (baseline): ${parseUs.toFixed(2)} µs`);
console.log(`  re-evaluation (validate + evaluate):    ${evaluateUs.toFixed(2)} µs = ${(evaluateUs / 1000).toFixed(4)} ms (budget 1 ms) ${evaluateUs <= 1000 ? 'OK' : 'OVER BUDGET'}`);
console.log(`  ratio re-evaluation / JSON.parse:       ${(evaluateUs / parseUs).toFixed(1)}`);
if (overBudget) {
  console.error(`first-load JavaScript exceeds the 200 KB gzip budget: ${(wireGzip.bytes / KB).toFixed(1)} KB gzip, ${(wireBrGzip.bytes / KB).toFixed(1)} KB as sent to a brotli browser`);
  process.exit(1);
}
