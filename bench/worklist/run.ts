/**
 * Worklist benchmark (not a test): GET /api/cases at scale, 16 connections, against the real
 * server in a child process (autocannon runs here, in its own process), on each database given.
 * Scenarios: the first page (newest change first); a stage + status filter; a text search for a
 * surname (title) and one for next-step text. Baseline of the same run: GET /api/health (no
 * authentication, one small query). Every list request is audited (one row written) as in
 * production; each scenario is also run on an audit-free twin of the server (server.ts,
 * BENCH_UNAUDITED: the same routes, authentication, scope, queries and serialisers, audit rows
 * dropped), so `audited / unaudited` is the cost of the audit row alone (target ≤ 1.5×).
 * The three are measured in interleaved slices, so a change in the machine's load during the run
 * affects a scenario and its baselines alike.
 * Target: p99 ≤ 50 ms and no error at 100,000 cases.
 *
 * Run: npm run bench:worklist -- --database-url sqlite:/tmp/w.sqlite --database-url postgres://…/db
 *      [--cases 100000] [--duration 10]
 * A database with fewer cases than --cases is first filled with `retroplan seed load`.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import { describeDatabase, parseDatabaseUrl } from '../../src/store/index.ts';
import { openDatabase } from '../../src/store/database.ts';
import { startChildServer } from '../support/child-server.ts';

function option(name: string): string[] {
  const values: string[] = [];
  process.argv.forEach((arg, i) => {
    if (arg === name && process.argv[i + 1] !== undefined) values.push(process.argv[i + 1]!);
  });
  return values;
}

const urls = option('--database-url');
if (urls.length === 0) {
  console.error('give one or more --database-url sqlite:<path> | postgres://… (filled to --cases if smaller)');
  process.exit(2);
}
const wanted = Number(option('--cases')[0] ?? 100_000);
const duration = Number(option('--duration')[0] ?? 10);
const connections = 16;
const TARGET_P99_MS = 50;
const root = fileURLToPath(new URL('../..', import.meta.url));

const SCENARIOS = [
  { name: 'first page (newest change)', path: '/api/cases' },
  { name: 'filter stage IIIB + status', path: '/api/cases?stageGroup=IIIB&status=tumour_board' },
  { name: 'search surname (title)', path: '/api/cases?q=Kowalski' },
  { name: 'search next step text', path: '/api/cases?q=metanephrines' },
] as const;

async function caseCount(url: string): Promise<number> {
  const { db } = await openDatabase(parseDatabaseUrl(url));
  try {
    const row = await db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await db.destroy();
  }
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
let failed = false;

for (const url of urls) {
  const config = parseDatabaseUrl(url);
  const have = await caseCount(url);
  if (have < wanted) {
    console.log(`${describeDatabase(config)}: ${fmt(have)} cases, loading ${fmt(wanted - have)} more…`);
    const load = spawnSync(process.execPath, ['bin/retroplan.mjs', 'seed', 'load', '--cases', String(wanted - have), '--database-url', url], { cwd: root, stdio: 'inherit' });
    if (load.status !== 0) throw new Error('seed load failed');
  }
  const cases = await caseCount(url);
  const server = await startChildServer(new URL('./server.ts', import.meta.url), { DATABASE_URL: url });
  const twin = await startChildServer(new URL('./server.ts', import.meta.url), { DATABASE_URL: url, BENCH_UNAUDITED: '1' });
  try {
    // Every response time is kept, so a scenario's percentiles are those of all its requests.
    const run = async (path: string, auth: boolean, seconds: number, on = server) => {
      const latencies: number[] = [];
      const result = await new Promise<Result>((resolve, reject) => {
        const headers: Record<string, string> = auth ? { authorization: `Bearer ${on.token}` } : {};
        const options = { url: on.base + path, headers, connections, duration: seconds };
        const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
        instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
      });
      return { ...result, latencies };
    };
    // Warm-up: JIT, statement caches, database buffers.
    await run('/api/health', false, 2);
    for (const s of SCENARIOS) {
      await run(s.path, true, 2);
      await run(s.path, true, 2, twin);
    }

    // Interleaved slices: on a shared machine the load changes from one window to the next, so
    // each scenario, its unaudited twin and the health baseline are measured in `rounds` short
    // slices taken in turn; the ratios compare figures from the same stretch of time.
    const rounds = 5;
    const slice = Math.max(1, Math.round(duration / rounds));
    type Slice = Awaited<ReturnType<typeof run>>;
    const combine = (rs: Slice[]) => {
      const all = rs.flatMap((x) => x.latencies).sort((a, b) => a - b);
      const at = (q: number) => Math.round(all[Math.min(all.length - 1, Math.floor(q * all.length))] ?? 0);
      return {
        rate: rs.reduce((n, x) => n + x.requests.total, 0) / (rounds * slice),
        p50: at(0.5),
        p99: at(0.99),
        worstSliceP99: Math.max(...rs.map((x) => x.latency.p99)),
        errors: rs.reduce((n, x) => n + x.non2xx + x.errors, 0),
      };
    };
    console.log(
      `\n${describeDatabase(config)} — ${fmt(cases)} cases, ${connections} connections, ${rounds} interleaved slices of ${slice} s per route and scenario ` +
        `(p50, p99: of every request of the scenario; worst slice: the highest p99 of one slice), server in a child process; ` +
        `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    );
    const row = (name: string, r: ReturnType<typeof combine>, health: ReturnType<typeof combine>, verdict = '') =>
      console.log(
        `  ${name.padEnd(30)} ${fmt(r.rate).padStart(6)} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(3)} ms  ` +
          `(worst slice ${String(r.worstSliceP99).padStart(3)} ms)  ` +
          `${(r.rate / health.rate).toFixed(2)} × health${verdict}`,
      );
    for (const s of SCENARIOS) {
      const routes = [
        { key: 'health', path: '/api/health', auth: false, on: server },
        { key: 'audited', path: s.path, auth: true, on: server },
        // The same request on the audit-free twin: everything but the audit row.
        { key: 'bare', path: s.path, auth: true, on: twin },
      ] as const;
      const slices: Record<string, Slice[]> = { health: [], audited: [], bare: [] };
      for (let r = 0; r < rounds; r++) {
        for (let k = 0; k < routes.length; k++) {
          const route = routes[(r + k) % routes.length]!;
          slices[route.key]!.push(await run(route.path, route.auth, slice, route.on));
        }
      }
      const health = combine(slices.health!);
      const audited = combine(slices.audited!);
      const bare = combine(slices.bare!);
      if (audited.errors + bare.errors > 0) failed = true;
      const ok = audited.errors === 0 && audited.p99 <= TARGET_P99_MS;
      console.log(`  ${s.name}`);
      row('  GET /api/health (baseline)', health, health);
      row('  GET /api/cases (audited)', audited, health, `  errors ${audited.errors}  ${ok ? 'OK' : `MISSED (p99 ≤ ${TARGET_P99_MS} ms, no error)`}`);
      const cost = bare.rate / audited.rate;
      row('  same, audit-free twin', bare, health, `  audited costs ${cost.toFixed(2)} × unaudited (target ≤ 1.5) ${cost <= 1.5 ? 'OK' : 'MISSED'}`);
    }
  } finally {
    await server.stop();
    await twin.stop();
  }
}
if (failed) {
  console.error('\nsome requests failed');
  process.exit(1);
}
