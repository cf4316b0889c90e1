/**
 * Registry batch-staging benchmark (not a test). Generates 1,000,000 registry rows and, in the same
 * run, measures the floor — the same file parsed with csv-parse alone and written back with
 * csv-stringify — then the stager on it, each in its own process. Prints both rates and their
 * ratio (target: staging ≥ 0.5× the floor) and the stager's peak RSS at 1,000,000 rows against
 * 10,000 rows (target ≤ 1.2×). Run: npm run bench:registry [-- --rows N]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCsv } from './generate.ts';
import { REGISTRY_NODE_FLAGS } from '../../bin/registry-node-flags.mjs';

const argIndex = process.argv.indexOf('--rows');
const total = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 1_000_000;
const small = 10_000;
const child = fileURLToPath(new URL('./child.ts', import.meta.url));

interface Measure {
  ms: number;
  rows: number;
  maxRssKb: number;
  /** CPU time of the whole process, all threads, start-up included. */
  cpuMs: number;
}

function measure(mode: 'floor' | 'stage', input: string, output: string): Measure {
  // The stager runs with the node flags `retroplan registry stage` starts with.
  const flags = mode === 'stage' ? REGISTRY_NODE_FLAGS : [];
  const text = execFileSync(process.execPath, [...flags, '--import', 'tsx', child, mode, input, output], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(text) as Measure;
}

const dir = mkdtempSync(join(tmpdir(), 'retroplan-bench-registry-'));
try {
  const big = join(dir, 'big.csv');
  const little = join(dir, 'small.csv');
  await writeCsv(big, total);
  await writeCsv(little, small);

  // Warm the file cache and the tsx compile cache so neither side pays for them.
  measure('floor', little, join(dir, 'warm-floor.csv'));
  measure('stage', little, join(dir, 'warm-stage.csv'));

  const floor = measure('floor', big, join(dir, 'floor.csv'));
  const staged = measure('stage', big, join(dir, 'staged.csv'));
  const stagedSmall = measure('stage', little, join(dir, 'staged-small.csv'));
  if (floor.rows !== total || staged.rows !== total || stagedSmall.rows !== small) throw new Error(`row counts differ: ${JSON.stringify({ floor, staged, stagedSmall })}`);

  const rate = (m: Measure) => m.rows / (m.ms / 1000);
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  const ratio = rate(staged) / rate(floor);
  const rss = staged.maxRssKb / stagedSmall.maxRssKb;
  console.log(`rows: ${total.toLocaleString('en-US')}`);
  console.log(`floor (csv-parse → csv-stringify): ${fmt(rate(floor))} rows/s (${(floor.ms / 1000).toFixed(2)} s)`);
  console.log(`staging (SEER EOD 2018):            ${fmt(rate(staged))} rows/s (${(staged.ms / 1000).toFixed(2)} s)`);
  console.log(`CPU time (all threads, start-up included): floor ${(floor.cpuMs / 1000).toFixed(1)} s, staging ${(staged.cpuMs / 1000).toFixed(1)} s; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);
  console.log(`throughput ratio staging/floor: ${ratio.toFixed(2)}× (target ≥ 0.5×) ${ratio >= 0.5 ? 'OK' : 'BELOW TARGET'}`);
  console.log(`peak RSS: ${fmt(staged.maxRssKb / 1024)} MB at ${total.toLocaleString('en-US')} rows, ${fmt(stagedSmall.maxRssKb / 1024)} MB at ${small.toLocaleString('en-US')} rows`);
  console.log(`RSS ratio: ${rss.toFixed(2)}× (target ≤ 1.2×) ${rss <= 1.2 ? 'OK' : 'ABOVE TARGET'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
