/**
 * Streaming batch staging. The main thread parses (csv-parse stream) and writes; worker threads
 * stage and serialise batches; results are written in input order. Memory stays constant: at most
 * `2 × workers` batches are in flight, parsing pauses until one is written, and writing waits for
 * the output to drain (backpressure end to end).
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { parse, type CsvError, type InfoRecord, type Options as ParseOptions } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import type { BatchResult, WorkerMessage } from './batch-protocol.ts';
import { OUTPUT_COLUMNS } from './naaccr-record.ts';
import { CASE_OUTPUT_COLUMNS } from './case-record.ts';

export type OutputFormat = 'csv' | 'ndjson';

export interface BatchOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly format: OutputFormat;
  /** Stop at the first malformed row (the caller exits 2). */
  readonly strict: boolean;
  readonly workers: number;
  /** Called once per malformed row, in input order, with a message naming its line. */
  readonly onMalformed: (message: string) => void;
  /** Called as rows are handed to the workers, with the running count. */
  readonly onProgress?: (rows: number) => void;
  readonly currentYear?: number;
}

export interface BatchSummary {
  readonly rows: number;
  readonly withErrors: number;
  readonly malformed: number;
  /** Strict mode stopped at a malformed row. */
  readonly stopped: boolean;
}

const CSV_BATCH = 2000;
const CASE_BATCH = 250;

/** A malformed CSV record as the parser hands it on: where it is and what is wrong. */
interface Malformed {
  readonly malformed: string;
  readonly record: string[];
}

class WorkerPool {
  private readonly workers: Worker[];
  private readonly results = new Map<number, BatchResult>();
  private readonly max: number;
  private nextSeq = 0;
  private assigned = 0;
  private inFlight = 0;
  private writing = false;
  private waiters: (() => void)[] = [];
  private failure: Error | null = null;
  rows = 0;
  withErrors = 0;
  stopped = false;

  constructor(
    count: number,
    init: WorkerMessage,
    private readonly output: Writable,
    private readonly onResult: (r: BatchResult) => void,
  ) {
    this.max = count * 2;
    this.workers = Array.from({ length: count }, () => {
      const w = new Worker(new URL('./stage-worker.mjs', import.meta.url));
      w.on('message', (r: BatchResult) => {
        this.results.set(r.seq, r);
        void this.flush();
      });
      w.on('error', (e) => this.fail(e));
      w.postMessage(init);
      return w;
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const wake of this.waiters.splice(0)) wake();
  }

  private async flush(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.results.has(this.nextSeq)) {
        const r = this.results.get(this.nextSeq)!;
        this.results.delete(this.nextSeq);
        this.nextSeq++;
        if (!this.stopped) {
          this.rows += r.rows;
          this.withErrors += r.withErrors;
          this.onResult(r);
          if (r.stopped) this.stopped = true;
          if (r.text && !this.output.write(r.text)) await once(this.output, 'drain');
        }
        this.inFlight--;
        for (const wake of this.waiters.splice(0)) wake();
      }
    } catch (error) {
      this.fail(error as Error);
    } finally {
      this.writing = false;
    }
  }

  /** Hands a batch to a worker once fewer than the maximum are in flight. */
  async submit(make: (seq: number) => WorkerMessage): Promise<void> {
    while (this.inFlight >= this.max && !this.failure) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure) throw this.failure;
    const seq = this.assigned++;
    this.inFlight++;
    this.workers[seq % this.workers.length]!.postMessage(make(seq));
  }

  /** Waits until every submitted batch is written. */
  async finish(): Promise<void> {
    while (this.inFlight > 0 && !this.failure) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

async function write(output: Writable, text: string): Promise<void> {
  if (!output.write(text)) await once(output, 'drain');
}

function currentYear(options: BatchOptions): number {
  return options.currentYear ?? new Date().getUTCFullYear();
}

/** Stages a CSV of registry records (header row of NAACCR XML ids). */
export async function stageCsv(options: BatchOptions): Promise<BatchSummary> {
  const { output, format, strict } = options;
  let header: string[] | null = null;
  // Set by the parser from the first record (it runs ahead of the loop below).
  let width = -1;
  let malformedCount = 0;
  let firstMalformed: string | null = null;

  const parseOptions: ParseOptions<string[] | Malformed, string[]> = {
    bom: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_record: (record: string[], context: InfoRecord): string[] | Malformed => {
      if (width < 0) {
        width = record.length;
        return record;
      }
      let problem: string | null = null;
      if (record.length !== width) problem = `line ${context.lines}: expected ${width} columns, found ${record.length}`;
      else if (record.some((cell) => cell.includes('\uFFFD'))) problem = `line ${context.lines}: not valid UTF-8`;
      return problem === null ? record : { malformed: problem, record };
    },
    on_skip: (error: CsvError | undefined) => {
      const where = typeof error?.lines === 'number' ? `line ${error.lines}` : 'a record';
      parser.push({ malformed: `${where}: ${error?.message ?? 'unreadable CSV'}`, record: [] } satisfies Malformed);
      return undefined;
    },
  };
  const parser = parse(parseOptions as ParseOptions);
  options.input.on('error', (e) => parser.destroy(e));
  options.input.pipe(parser);

  let pool: WorkerPool | null = null;
  let rows: string[][] = [];
  let problems: (string | null)[] | null = null;
  let seen = 0;
  const submit = async () => {
    if (rows.length === 0) return;
    const batch = rows;
    const batchProblems = problems;
    rows = [];
    problems = null;
    await pool!.submit((seq) => ({ type: 'rows', seq, width, rows: batch, problems: batchProblems }));
    options.onProgress?.(seen);
  };

  try {
    for await (const item of parser as AsyncIterable<string[] | Malformed>) {
      if (header === null) {
        header = (item as string[]).map((h) => h.trim());
        const columns = [...header, ...OUTPUT_COLUMNS];
        if (format === 'csv') await write(output, stringify([columns]));
        pool = new WorkerPool(options.workers, { type: 'init', mode: 'csv', format, header, columns, currentYear: currentYear(options) }, output, () => {});
        continue;
      }
      seen++;
      if (Array.isArray(item)) {
        rows.push(item);
        if (problems) problems.push(null);
      } else {
        malformedCount++;
        options.onMalformed(item.malformed);
        if (strict) {
          firstMalformed = item.malformed;
          break;
        }
        problems ??= rows.map(() => null);
        rows.push(item.record);
        problems.push(item.malformed);
      }
      if (rows.length >= CSV_BATCH) await submit();
    }
    if (pool) {
      await submit();
      await pool.finish();
    }
    return { rows: pool?.rows ?? 0, withErrors: pool?.withErrors ?? 0, malformed: malformedCount, stopped: firstMalformed !== null };
  } finally {
    parser.destroy();
    await pool?.close();
  }
}

/** Stages Retroplan cases, one JSON document per line, with the clinical engine and SEER side by side. */
export async function stageCases(options: BatchOptions): Promise<BatchSummary> {
  const { output, format, strict } = options;
  if (format === 'csv') await write(output, stringify([CASE_OUTPUT_COLUMNS as string[]]));
  let malformedCount = 0;
  const pool = new WorkerPool(options.workers, { type: 'init', mode: 'cases', format, currentYear: currentYear(options) }, output, (r) => {
    for (const message of r.malformed) {
      if (pool.stopped) break;
      malformedCount++;
      options.onMalformed(message);
      if (strict) break;
    }
  });
  const lines = createInterface({ input: options.input, crlfDelay: Infinity });
  let batch: string[] = [];
  let firstLine = 1;
  let lineNo = 0;
  let seen = 0;
  const submit = async () => {
    if (batch.length === 0) return;
    const b = batch;
    const first = firstLine;
    batch = [];
    await pool.submit((seq) => ({ type: 'cases', seq, firstLine: first, lines: b, strict }));
    options.onProgress?.(seen);
  };
  try {
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === '') {
        // A blank line ends the current batch so every batch's lines stay consecutive.
        await submit();
        firstLine = lineNo + 1;
        continue;
      }
      if (batch.length === 0) firstLine = lineNo;
      batch.push(line);
      seen++;
      if (batch.length >= CASE_BATCH) await submit();
      if (pool.stopped) break;
    }
    await submit();
    await pool.finish();
    return { rows: pool.rows, withErrors: pool.withErrors, malformed: malformedCount, stopped: pool.stopped };
  } finally {
    lines.close();
    await pool.close();
  }
}
