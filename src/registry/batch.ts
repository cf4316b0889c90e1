/**
 * Streaming batch staging. The main thread reads the input stream, cuts it into batches of whole
 * records (without parsing) and writes results in input order; worker threads parse (csv-parse),
 * stage and serialise (csv-stringify / NDJSON) each batch — all the CPU work. Memory stays
 * constant: at most 4 batches per worker are in flight, reading pauses until one is written, and
 * writing waits for the output to drain (backpressure end to end).
 */
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { BatchResult, WorkerMessage } from './batch-protocol.ts';
import { OUTPUT_COLUMNS } from './naaccr-record.ts';
import { CASE_OUTPUT_COLUMNS } from './case-record.ts';
import { RecordSplitter, type Cut } from './record-splitter.ts';

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

/** Bytes of whole records per batch: about 2,000 registry rows, or a few hundred cases. */
const CSV_BATCH_BYTES = 64 << 10;
const CASE_BATCH_BYTES = 128 << 10;
/**
 * Worker heaps are capped so V8 collects instead of growing with the input: peak memory stays
 * that of a few batches. A batch of registry rows needs a few MB live; the young generation is
 * what grows first (measured 1 December 2026, bench/registry's child on 10,000 / 300,000 /
 * 1,000,000 rows: young 16 MB → peak RSS 209 / 239 / ~275 MB, ratio 1.31×; young 4 MB, old 32 MB
 * → 192 / 212 / 212 MB, ratio 1.10×, for ~10 % more CPU time). The clinical engine (--from cases)
 * gets more room.
 */
const IN_FLIGHT_PER_WORKER = 4;
const CSV_HEAP = { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 };
const CASES_HEAP = { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 16 };

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

  malformed = 0;
  private readonly output: Writable;

  constructor(
    count: number,
    init: WorkerMessage,
    private readonly options: BatchOptions,
  ) {
    this.output = options.output;
    // Several batches per worker, so a descheduled worker does not stall the ordered writer and the others.
    this.max = count * IN_FLIGHT_PER_WORKER;
    this.workers = Array.from({ length: count }, () => {
      // execArgv [] : the worker entry registers tsx itself, the same way bin/retroplan.mjs does.
      const w = new Worker(new URL('./stage-worker.mjs', import.meta.url), { execArgv: [], resourceLimits: init.type === 'init' && init.mode === 'cases' ? CASES_HEAP : CSV_HEAP });
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
          this.malformed += r.malformed.length;
          for (const message of r.malformed) this.options.onMalformed(message);
          if (r.stopped) this.stopped = true;
          if (r.text && !this.output.write(r.text)) await once(this.output, 'drain');
          this.options.onProgress?.(this.rows);
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

  /** Hands a batch to a worker (its bytes are transferred, not copied) once fewer than the maximum are in flight. */
  async submit(cut: Cut): Promise<void> {
    while (this.inFlight >= this.max && !this.failure) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure) throw this.failure;
    const seq = this.assigned++;
    this.inFlight++;
    const message: WorkerMessage = { type: 'batch', seq, firstLine: cut.firstLine, bytes: cut.bytes };
    this.workers[seq % this.workers.length]!.postMessage(message, [cut.bytes.buffer as ArrayBuffer]);
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

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Feeds the input through a splitter into the pool. `start` creates the pool: for CSV
 * (`quoteAware`) with the first whole record, the header; for NDJSON with null.
 */
async function run(options: BatchOptions, quoteAware: boolean, batchBytes: number, start: (first: Cut | null) => Promise<WorkerPool>): Promise<BatchSummary> {
  const splitter = new RecordSplitter(quoteAware);
  let pool: WorkerPool | null = null;
  let first = true;
  try {
    for await (const chunk of options.input as AsyncIterable<Buffer | string>) {
      let bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (first && bytes.length > 0) {
        if (bytes.subarray(0, 3).equals(BOM)) bytes = bytes.subarray(3);
        first = false;
      }
      splitter.append(bytes);
      if (!pool) {
        if (quoteAware) {
          const header = splitter.takeFirst();
          if (!header) continue;
          pool = await start(header);
        } else pool = await start(null);
      }
      for (let cut = splitter.take(batchBytes); cut; cut = splitter.take(batchBytes)) {
        await pool.submit(cut);
        if (pool.stopped) break;
      }
      if (pool.stopped) break;
    }
    if (!pool && quoteAware) {
      const header = splitter.takeRest();
      if (!header) return { rows: 0, withErrors: 0, malformed: 0, stopped: false };
      pool = await start(header);
    }
    pool ??= await start(null);
    const rest = pool.stopped ? null : splitter.takeRest();
    if (rest) await pool.submit(rest);
    await pool.finish();
    return { rows: pool.rows, withErrors: pool.withErrors, malformed: pool.malformed, stopped: pool.stopped };
  } finally {
    await pool?.close();
  }
}

/** Stages a CSV of registry records (header row of NAACCR XML ids). */
export async function stageCsv(options: BatchOptions): Promise<BatchSummary> {
  return run(options, true, CSV_BATCH_BYTES, async (first) => {
    const parsed = parse(Buffer.from(first!.bytes), { relax_column_count: true }) as string[][];
    const header = (parsed[0] ?? []).map((h) => h.trim());
    if (options.format === 'csv') await write(options.output, stringify([[...header, ...OUTPUT_COLUMNS]]));
    return new WorkerPool(options.workers, { type: 'init', mode: 'csv', format: options.format, header, strict: options.strict, currentYear: currentYear(options) }, options);
  });
}

/** Stages Retroplan cases, one JSON document per line, with the clinical engine and SEER side by side. */
export async function stageCases(options: BatchOptions): Promise<BatchSummary> {
  return run(options, false, CASE_BATCH_BYTES, async () => {
    if (options.format === 'csv') await write(options.output, stringify([CASE_OUTPUT_COLUMNS as string[]]));
    return new WorkerPool(options.workers, { type: 'init', mode: 'cases', format: options.format, strict: options.strict, currentYear: currentYear(options) }, options);
  });
}
