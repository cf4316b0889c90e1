/**
 * Web app benchmark (not a test). Prints:
 * - first-load JavaScript, gzip-compressed (budget 200 KB): every script and
 *   modulepreload that web/dist/index.html loads;
 * - the time of one in-browser re-evaluation of the seed case (budget 1 ms) —
 *   validate + evaluate, as the editor does on every keystroke — in Debian's
 *   Chromium, with JSON.parse of the same case text as the same-run baseline.
 * Run: npm run bench:web [-- --iterations N]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
const argIndex = process.argv.indexOf('--iterations');
const iterations = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 20_000;
const KB = 1024;

// 1. The production build, as the server serves it.
await build({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'warn' });
const dist = join(root, 'web/dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => (m[1] ?? m[2])!);
let raw = 0;
let gz = 0;
for (const src of scripts) {
  const bytes = readFileSync(join(dist, src.replace(/^\//, '')));
  raw += bytes.length;
  gz += gzipSync(bytes, { level: 9 }).length;
}
const htmlGz = gzipSync(Buffer.from(html), { level: 9 }).length;

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

console.log(`first-load JS: ${scripts.length} file(s), ${(raw / KB).toFixed(1)} KB raw, ${(gz / KB).toFixed(1)} KB gzip (budget 200 KB) ${gz <= 200 * KB ? 'OK' : 'OVER BUDGET'}; index.html ${(htmlGz / KB).toFixed(1)} KB gzip`);
console.log(`in-browser (Chromium), seed case, median of 5 runs × ${iterations.toLocaleString('en-US')}:`);
console.log(`  JSON.parse of the case text (baseline): ${parseUs.toFixed(2)} µs`);
console.log(`  re-evaluation (validate + evaluate):    ${evaluateUs.toFixed(2)} µs = ${(evaluateUs / 1000).toFixed(4)} ms (budget 1 ms) ${evaluateUs <= 1000 ? 'OK' : 'OVER BUDGET'}`);
console.log(`  ratio re-evaluation / JSON.parse:       ${(evaluateUs / parseUs).toFixed(1)}`);
