/**
 * Server benchmark (not a test): autocannon against POST /api/evaluate
 * (token auth + zod validation + engine) and, in the same process and run, a
 * bare echo route registered only here — the baseline. 16 connections.
 * Targets: evaluate/echo req/s ratio ≥ 0.8, evaluate p99 ≤ 10 ms.
 * Run: npm run bench:server [-- --duration 10]
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { createServer } from '../../src/server/app.ts';
import { newSecret, sha256Hex, TOKEN_PREFIX } from '../../src/server/auth/secrets.ts';
import { openRepository } from '../../src/store/index.ts';
import { tempSqlite } from '../../test/support/databases.ts';

const argIndex = process.argv.indexOf('--duration');
const duration = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 10;
const connections = 16;

const db = tempSqlite();
const repo = await openRepository(db.config);
const user = await repo.createUser({ username: 'bench', role: 'viewer', passwordHash: 'unused' }, new Date().toISOString());
const token = newSecret(TOKEN_PREFIX);
await repo.createToken({ userId: user.id, name: 'bench', tokenHash: sha256Hex(token), createdBy: 'bench' }, new Date().toISOString());

const app = await createServer({
  database: repo,
  logger: false,
  webRoot: null,
  extraRoutes: (a) => {
    a.post('/bench/echo', async (request) => request.body);
  },
});
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
const body = readFileSync(new URL('../../examples/seed-22cm-ddlps.json', import.meta.url), 'utf8');

async function run(path: string, headers: Record<string, string>) {
  const result = await autocannon({ url: base + path, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, connections, duration });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

// Warm-up so both paths are JIT-compiled before measuring.
await autocannon({ url: `${base}/bench/echo`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration: 2 });
await autocannon({ url: `${base}/api/evaluate`, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body, connections, duration: 2 });

const echo = await run('/bench/echo', {});
const evaluate = await run('/api/evaluate', { authorization: `Bearer ${token}` });

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`connections: ${connections}, duration: ${duration} s each, body: examples/seed-22cm-ddlps.json (${body.length} bytes)`);
console.log(`echo (baseline):      ${fmt(echo.requests.average)} req/s  p50 ${echo.latency.p50} ms  p99 ${echo.latency.p99} ms`);
console.log(`POST /api/evaluate:   ${fmt(evaluate.requests.average)} req/s  p50 ${evaluate.latency.p50} ms  p99 ${evaluate.latency.p99} ms`);
console.log(`ratio evaluate / echo: ${(evaluate.requests.average / echo.requests.average).toFixed(2)}  (target ≥ 0.8)`);
console.log(`evaluate p99: ${evaluate.latency.p99} ms  (target ≤ 10 ms)`);

await app.close();
await repo.close();
await db.drop();
