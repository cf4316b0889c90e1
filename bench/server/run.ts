/**
 * Server benchmark (not a test): POST /api/evaluate (token auth + zod validation + engine +
 * serialisation) against two bench-only routes of the same server (bench/server/server.ts):
 * - same-bytes: sends the very bytes /api/evaluate returned for the posted case (the fair
 *   baseline: same response size, none of the work);
 * - echo: returns the ~1 KB request (the old baseline, kept for reference).
 * The server runs in a child process; autocannon runs here. 16 connections, each cycling
 * through 200 different generated cases, so no single case is hot.
 * The routes are measured in interleaved slices (5 per route, order rotating), so a change in the
 * machine's load during the run affects a route and its baseline alike.
 * Targets: evaluate / same-bytes ≥ 0.8 (req/s), evaluate p99 ≤ 10 ms.
 * Run: npm run bench:server [-- --duration 10]
 */
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { startChildServer } from '../support/child-server.ts';
import { benchCases } from './cases.ts';

const argIndex = process.argv.indexOf('--duration');
const duration = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 10;
const connections = 16;
const bodies = benchCases();

const server = await startChildServer(new URL('./server.ts', import.meta.url));
try {
  const auth = { authorization: `Bearer ${server.token}` };
  const run = (path: string, seconds: number) =>
    autocannon({
      url: server.base,
      connections,
      duration: seconds,
      headers: { 'content-type': 'application/json', ...auth },
      requests: bodies.map((body) => ({ method: 'POST', path, body })),
    });
  const check = (path: string, r: Awaited<ReturnType<typeof run>>) => {
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${path}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return r;
  };

  // The baseline must really send what evaluate sends.
  for (const body of bodies.slice(0, 5)) {
    const [a, b] = await Promise.all(
      ['/api/evaluate', '/bench/same-bytes'].map(async (p) => (await fetch(server.base + p, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body })).text()),
    );
    if (a !== b) throw new Error('same-bytes differs from /api/evaluate');
  }

  // Warm-up so every path is JIT-compiled before measuring.
  for (const path of ['/bench/echo', '/bench/same-bytes', '/api/evaluate']) await run(path, 2);
  // Interleaved slices: on a shared machine the load changes from one 10 s window to the next, so
  // each route is measured in `rounds` short slices taken in turn (order rotating), and every
  // route's figure covers the same stretch of time as its baseline's.
  const rounds = 5;
  const slice = Math.max(1, Math.round(duration / rounds));
  const paths = ['/bench/echo', '/bench/same-bytes', '/api/evaluate'] as const;
  const slices = new Map<string, Awaited<ReturnType<typeof run>>[]>(paths.map((p) => [p, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < paths.length; k++) {
      const path = paths[(r + k) % paths.length]!;
      slices.get(path)!.push(check(path, await run(path, slice)));
    }
  }
  const combine = (path: string) => {
    const rs = slices.get(path)!;
    const requests = rs.reduce((n, x) => n + x.requests.total, 0) / (rounds * slice);
    const sorted = (f: (x: (typeof rs)[number]) => number) => rs.map(f).sort((a, b) => a - b);
    return {
      requests: { average: requests },
      latency: { p50: sorted((x) => x.latency.p50)[Math.floor(rounds / 2)]!, p99: sorted((x) => x.latency.p99)[rounds - 1]! },
    };
  };
  const echo = combine('/bench/echo');
  const same = combine('/bench/same-bytes');
  const evaluate = combine('/api/evaluate');

  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  const line = (name: string, r: typeof echo) => console.log(`${name.padEnd(30)} ${fmt(r.requests.average).padStart(7)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms`);
  const meanRequest = Math.round(bodies.reduce((n, b) => n + b.length, 0) / bodies.length);
  console.log(`connections: ${connections}, ${rounds} interleaved slices of ${slice} s per route (p50: median slice, p99: worst slice), server in a child process; 200 generated cases rotated (request ≈ ${meanRequest} B, evaluation ≈ ${server.extra.meanResponseBytes} B); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  line('echo (reference)', echo);
  line('same-bytes (baseline)', same);
  line('POST /api/evaluate', evaluate);
  const ratio = evaluate.requests.average / same.requests.average;
  console.log(`ratio evaluate / same-bytes: ${ratio.toFixed(2)}  (target ≥ 0.8) ${ratio >= 0.8 ? 'OK' : 'MISSED'}`);
  console.log(`ratio evaluate / echo:       ${(evaluate.requests.average / echo.requests.average).toFixed(2)}  (reference)`);
  console.log(`evaluate p99: ${evaluate.latency.p99} ms  (target ≤ 10 ms) ${evaluate.latency.p99 <= 10 ? 'OK' : 'MISSED'}`);
} finally {
  await server.stop();
}
