/**
 * Audit cost benchmark (not a test): GET /api/cases/:id — authenticated, and every
 * response waits for its audit row to be committed (group commit, server/audit.ts) —
 * against the same read on a route registered only here with no audit
 * (`/bench/cases/:id`: same guard, same repository call). SQLite with
 * synchronous=FULL, 16 connections, the load generator in a separate process.
 * Target: audited / unaudited time per request ≤ 1.5 (req/s ratio ≥ 0.67).
 * Run: npm run bench:audit [-- --duration 10]
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { createServer, requireRole } from '../../src/server/app.ts';
import { newSecret, sha256Hex, TOKEN_PREFIX } from '../../src/server/auth/secrets.ts';
import { openRepository } from '../../src/store/index.ts';
import { tempSqlite } from '../../test/support/databases.ts';

const argIndex = process.argv.indexOf('--duration');
const duration = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 10;
const connections = 16;
const LOAD = fileURLToPath(new URL('./load.ts', import.meta.url));

const db = tempSqlite();
const repo = await openRepository(db.config);
const now = new Date().toISOString();
const user = await repo.createUser({ username: 'bench', role: 'viewer', passwordHash: 'unused' }, now);
const token = newSecret(TOKEN_PREFIX);
await repo.createToken({ userId: user.id, name: 'bench', tokenHash: sha256Hex(token), createdBy: 'bench' }, now);
const seed: unknown = JSON.parse(readFileSync(new URL('../../examples/seed-22cm-ddlps.json', import.meta.url), 'utf8'));
const stored = await repo.createCase({ title: 'Bench case', status: 'workup', case: seed }, 'bench', now);

const app = await createServer({
  database: repo,
  logger: false,
  webRoot: null,
  extraRoutes: (a) => {
    a.get('/bench/cases/:id', { onRequest: requireRole('viewer') }, async (request, reply) => {
      const record = await a.repo.getCase((request.params as { id: string }).id);
      return reply.header('etag', `"${record!.version}"`).send(record);
    });
  },
});
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(path: string, seconds: number): Promise<Load> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', LOAD, base + path, token, String(seconds), String(connections)], { maxBuffer: 1 << 20 });
  const result = JSON.parse(stdout) as Load;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

const audited = `/api/cases/${stored.id}`;
const bare = `/bench/cases/${stored.id}`;
await load(bare, 2);
await load(audited, 2);
// Alternating halves, so drift in the shared machine's load hits both alike.
const runs = { audited: [] as Load[], bare: [] as Load[] };
for (let i = 0; i < 2; i++) {
  runs.bare.push(await load(bare, duration / 2));
  runs.audited.push(await load(audited, duration / 2));
}
const mean = (xs: Load[], key: keyof Load) => xs.reduce((a, x) => a + x[key], 0) / xs.length;
const rowsWritten = (await repo.listAudit({ action: 'case.read', limit: 10_000_000 })).length;

// The floor under an audited read: one durable commit. 16 connections can wait on one commit at a time,
// so audited req/s cannot exceed about 16 / commit time however the rows are batched.
const commitTimes: number[] = [];
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  await repo.appendAuditBatch([{ at: new Date().toISOString(), actor: 'bench', action: 'bench.commit', outcome: 'success' }]);
  commitTimes.push(performance.now() - t);
}
const commitMs = commitTimes.sort((a, b) => a - b)[10]!;

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`SQLite (synchronous=FULL), ${connections} connections, ${duration} s per route, load generator in a separate process`);
console.log(`GET /bench/cases/:id (no audit):  ${fmt(mean(runs.bare, 'rps'))} req/s  p50 ${mean(runs.bare, 'p50')} ms  p99 ${mean(runs.bare, 'p99')} ms`);
console.log(`GET /api/cases/:id (audited):     ${fmt(mean(runs.audited, 'rps'))} req/s  p50 ${mean(runs.audited, 'p50')} ms  p99 ${mean(runs.audited, 'p99')} ms  (${fmt(rowsWritten)} audit rows)`);
console.log(`one durable audit commit (median of 20): ${commitMs.toFixed(1)} ms → at most ~${fmt((connections / commitMs) * 1000)} audited req/s with ${connections} connections`);
console.log(`cost audited / unaudited (time per request): ${(mean(runs.bare, 'rps') / mean(runs.audited, 'rps')).toFixed(2)}  (target ≤ 1.5)`);

await app.close();
await repo.close();
await db.drop();
