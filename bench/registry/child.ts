/**
 * One measured run in its own process (so its peak RSS is its own): `floor` parses the file with
 * csv-parse and writes it back with csv-stringify (streams); `stage` runs the batch stager.
 * Prints {ms, rows, maxRssKb} as JSON. Usage: child.ts floor|stage <in.csv> <out>
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { stageCsv } from '../../src/registry/batch.ts';

const [mode, input, output] = process.argv.slice(2);
if ((mode !== 'floor' && mode !== 'stage') || !input || !output) throw new Error('usage: child.ts floor|stage <in.csv> <out>');

const started = performance.now();
let rows = 0;
if (mode === 'floor') {
  const counter = parse();
  counter.on('data', () => rows++);
  await pipeline(createReadStream(input, { highWaterMark: 1 << 16 }), counter, stringify(), createWriteStream(output));
  rows -= 1;
} else {
  const out = createWriteStream(output);
  const summary = await stageCsv({
    input: createReadStream(input, { highWaterMark: 1 << 16 }),
    output: out,
    format: 'csv',
    strict: false,
    workers: Math.max(1, availableParallelism()),
    onMalformed: (m) => {
      throw new Error(`generated file has a malformed row: ${m}`);
    },
  });
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  rows = summary.rows;
}
const ms = performance.now() - started;
const usage = process.resourceUsage();
process.stdout.write(JSON.stringify({ ms, rows, maxRssKb: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
