import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { stageCases, stageCsv, type BatchSummary, type OutputFormat } from '../../registry/batch.ts';
import { CliError, type CliIo } from '../io.ts';

interface StageOptions {
  output?: string;
  format: string;
  strict?: boolean;
  from?: string;
  workers?: string;
}

function openInput(file: string): { stream: Readable; size: number | null } {
  if (file === '-') return { stream: process.stdin, size: null };
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`);
  }
  return { stream: createReadStream(file, { highWaterMark: 1 << 16 }), size };
}

/** A progress line with rows/s and ETA, on a terminal only; quiet when stderr is redirected. */
function progress(input: Readable, size: number | null): { update: (rows: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const started = Date.now();
  let bytes = 0;
  input.on('data', (chunk: Buffer | string) => (bytes += chunk.length));
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: size === null ? 'staging | {rows} rows | {rate} rows/s' : 'staging {bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}',
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(size ?? 1, 0, { rows: 0, rate: 0 });
  return {
    update: (rows) => {
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      bar.update(size === null ? 0 : Math.min(bytes, size), { rows: rows.toLocaleString('en-US'), rate: Math.round(rows / seconds).toLocaleString('en-US') });
    },
    stop: () => {
      if (size !== null) bar.update(size);
      bar.stop();
    },
  };
}

async function closeOutput(output: Writable): Promise<void> {
  if (output === process.stdout) return;
  await new Promise<void>((resolve, reject) => output.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

export function registerRegistry(program: Command, io: CliIo): void {
  const registry = program.command('registry').description('cancer registry batch staging (SEER EOD 2018, retroperitoneum schema)');
  registry
    .command('stage')
    .description(
      'stage a CSV of registry records (columns named by NAACCR XML ids: primarySite, histologicTypeIcdO3, sex, eodPrimaryTumor, ' +
        'tumorSizeSummary, eodRegionalNodes, eodMets, gradeClinical, gradePathological, gradePostTherapyClin, gradePostTherapyPath; ' +
        'other columns passed through) with SEER EOD 2018; or, with --from, Retroplan cases (NDJSON) with the clinical engine and SEER side by side',
    )
    .argument('[file]', 'CSV file, or - to read stdin')
    .option('--from <cases>', 'Retroplan cases, one JSON document per line (file, or - for stdin)')
    .option('--output <file>', 'write to a file instead of stdout')
    .option('--format <format>', 'csv or ndjson', 'csv')
    .option('--strict', 'stop at the first malformed row (exit code 2)')
    .option('--workers <n>', 'worker threads for the staging (default: one per core)')
    .action(async (file: string | undefined, opts: StageOptions) => {
      if (opts.format !== 'csv' && opts.format !== 'ndjson') throw new CliError(`--format must be csv or ndjson, got ${opts.format}`);
      if ((file === undefined) === (opts.from === undefined)) throw new CliError('give either a CSV file (or -) or --from <cases.ndjson>');
      const workers = opts.workers === undefined ? Math.max(1, availableParallelism()) : Number(opts.workers);
      if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new CliError(`--workers must be a whole number from 1 to 64, got ${opts.workers}`);
      const { stream, size } = openInput(opts.from ?? file!);
      const output: Writable = opts.output ? createWriteStream(opts.output) : process.stdout;
      const bar = progress(stream, size);
      let summary: BatchSummary;
      try {
        const run = opts.from === undefined ? stageCsv : stageCases;
        summary = await run({
          input: stream,
          output,
          format: opts.format as OutputFormat,
          strict: opts.strict === true,
          workers,
          onMalformed: (message) => io.stderr(`malformed: ${message}\n`),
          onProgress: bar.update,
        });
      } finally {
        bar.stop();
        await closeOutput(output);
      }
      if (summary.stopped) throw new CliError(`stopped at the first malformed row (--strict); ${summary.rows} row${summary.rows === 1 ? "" : "s"} written before it`);
      if (process.stderr.isTTY) {
        io.stderr(`staged ${summary.rows.toLocaleString('en-US')} rows: ${summary.withErrors.toLocaleString('en-US')} with errors, ${summary.malformed} malformed\n`);
      }
    });
}
