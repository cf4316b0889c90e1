/**
 * Worker thread: parses a batch of whole records (csv-parse), stages each row, and returns the
 * batch serialised (csv-stringify or NDJSON); the main thread only cuts, orders and writes.
 */
import { parentPort } from 'node:worker_threads';
import { parse, type CsvError, type InfoRecord } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { loadAlgorithm, RETROPERITONEUM_DIR } from './load.ts';
import { OUTPUT_COLUMNS, recordStager, type RecordStager } from './naaccr-record.ts';
import type { CaseStager } from './case-record.ts';
import type { BatchResult, WorkerMessage } from './batch-protocol.ts';

const port = parentPort;
if (!port) throw new Error('stage-worker must run in a worker thread');

const algorithm = loadAlgorithm(RETROPERITONEUM_DIR);
const ERRORS_AT = OUTPUT_COLUMNS.length - 2;
// Set when cases mode loads the clinical engine (only then: CSV staging does not need it).
let ENGINE_ERRORS_AT = -1;
let CASE_ERRORS_AT = -1;

type Init = Extract<WorkerMessage, { type: 'init' }>;
let init: Init | null = null;
let columns: readonly string[] = [];
let width = 0;
let rows: RecordStager | null = null;
let cases: CaseStager | null = null;

/**
 * Output rows are serialised a few hundred at a time as they are staged, so only a handful of
 * rows are alive at once: a whole batch of parsed rows kept alive makes every young-generation
 * collection copy it.
 */
const FLUSH_ROWS = 256;

class Output {
  readonly texts: string[] = [];
  private pending: string[][] = [];
  /** CSV lines already serialised (fast path), joined when flushed. */
  private lines = '';
  rows = 0;
  withErrors = 0;
  readonly malformed: string[] = [];
  stopped = false;

  add(cells: string[]): void {
    this.pending.push(cells);
    this.rows++;
    if (this.pending.length >= FLUSH_ROWS) this.flush();
  }

  /** A row already written as one CSV line (with its newline); keeps order with `add`. */
  addLine(line: string): void {
    if (this.pending.length > 0) this.flushPending();
    this.lines += line;
    this.rows++;
  }

  flush(): void {
    if (this.lines !== '') {
      this.texts.push(this.lines);
      this.lines = '';
    }
    this.flushPending();
  }

  private flushPending(): void {
    if (this.lines !== '') {
      this.texts.push(this.lines);
      this.lines = '';
    }
    if (this.pending.length === 0) return;
    this.texts.push(serialise(this.pending));
    this.pending = [];
  }
}

/**
 * One CSV field as csv-stringify writes it with its defaults (RFC 4180): quoted when it holds a
 * comma, a quote or a line break, quotes doubled; otherwise as it is.
 */
function csvField(value: string): string {
  if (value === '') return '';
  if (value.includes('"')) return `"${value.replaceAll('"', '""')}"`;
  if (value.includes(',') || value.includes('\n') || value.includes('\r')) return `"${value}"`;
  return value;
}

function serialise(out: string[][]): string {
  if (init!.format === 'csv') return stringify(out);
  let text = '';
  for (const cells of out) {
    const obj: Record<string, string> = {};
    for (let i = 0; i < columns.length; i++) obj[columns[i]!] = cells[i] ?? '';
    text += `${JSON.stringify(obj)}\n`;
  }
  return text;
}

function stageCsvRow(record: string[], problem: string | null, out: Output): void {
  let extra: string[];
  if (problem !== null) {
    extra = OUTPUT_COLUMNS.map(() => '');
    extra[ERRORS_AT] = problem;
  } else extra = rows!.stageRecord(record);
  if (extra[ERRORS_AT]) out.withErrors++;
  const cells = record.length === width ? record : Array.from({ length: width }, (_, i) => record[i] ?? '');
  for (const e of extra) cells.push(e);
  out.add(cells);
}

/** A malformed row: reported; in strict mode it ends the batch (and the run), otherwise it is passed through unstaged. */
function malformedRow(record: string[], problem: string, out: Output): void {
  if (out.stopped) return;
  out.malformed.push(problem);
  if (init!.strict) out.stopped = true;
  else stageCsvRow(record, problem, out);
}

/** A cell's own problem (encoding), or null. Counts the newlines inside quoted cells as it goes. */
function checkCells(record: string[], line: number): { problem: string | null; newlines: number } {
  let newlines = 0;
  let problem: string | null = null;
  for (let i = 0; i < record.length; i++) {
    const cell = record[i]!;
    if (problem === null && cell.includes('\uFFFD')) problem = `line ${line}: not valid UTF-8`;
    if (cell.includes('\n')) for (let j = cell.indexOf('\n'); j >= 0; j = cell.indexOf('\n', j + 1)) newlines++;
  }
  return { problem, newlines };
}

/**
 * Fast path: the batch parsed in one call, line numbers counted from the records themselves
 * (one line each, plus the newlines inside quoted cells; blank lines kept as one-cell records).
 * A batch where csv-parse had to skip an unreadable record is parsed again record by record,
 * with the parser's own line numbers.
 */
function stageCsvBatch(bytes: Uint8Array, firstLine: number, out: Output): void {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Most registry exports quote nothing: such a batch is split on newlines and commas directly,
  // which is what csv-parse would return for it, without building a parser per batch.
  if (init!.format === 'csv' && !input.includes(QUOTE) && !input.includes(CARRIAGE_RETURN)) return stageUnquotedBatch(input.toString('utf8'), firstLine, out);
  let skipped = false;
  const records = parse(input, {
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: () => {
      skipped = true;
      return undefined;
    },
  }) as string[][];
  if (skipped) return stageCsvBatchSlowly(input, firstLine, out);
  let line = firstLine;
  for (let r = 0; r < records.length && !out.stopped; r++) {
    const record = records[r]!;
    if (record.length === 1 && record[0] === '' && width !== 1) {
      line++;
      continue;
    }
    const { problem, newlines } = checkCells(record, line);
    if (record.length !== width) malformedRow(record, `line ${line}: expected ${width} columns, found ${record.length}`, out);
    else if (problem !== null) malformedRow(record, problem, out);
    else stageCsvRow(record, null, out);
    records[r] = EMPTY;
    line += 1 + newlines;
  }
}

const EMPTY: string[] = [];
const QUOTE = 0x22;
const CARRIAGE_RETURN = 0x0d;

/**
 * A batch without quotes or carriage returns: each line is one record, its cells split on commas
 * (csv-parse's reading of such text). A well-formed row's output line is its input line as it
 * came plus the derived cells — what csv-stringify would write for cells without commas, quotes
 * or line breaks — so the input cells are never joined again.
 */
function stageUnquotedBatch(text: string, firstLine: number, out: Output): void {
  let line = firstLine;
  let start = 0;
  const end = text.endsWith('\n') ? text.length - 1 : text.length;
  while (start <= end && !out.stopped) {
    let stop = text.indexOf('\n', start);
    if (stop < 0 || stop > end) stop = end;
    const raw = text.slice(start, stop);
    start = stop + 1;
    if (raw === '' && width !== 1) {
      line++;
      if (stop === end) break;
      continue;
    }
    const record = raw.split(',');
    if (record.length !== width) malformedRow(record, `line ${line}: expected ${width} columns, found ${record.length}`, out);
    else if (raw.includes('\uFFFD')) malformedRow(record, `line ${line}: not valid UTF-8`, out);
    else {
      const extra = rows!.stageRecord(record);
      if (extra[ERRORS_AT]) out.withErrors++;
      let written = raw;
      for (let i = 0; i < extra.length; i++) written += `,${csvField(extra[i]!)}`;
      out.addLine(`${written}\n`);
    }
    line++;
    if (stop === end) break;
  }
}

function stageCsvBatchSlowly(input: Buffer, firstLine: number, out: Output): void {
  const lineOf = (lines: number) => firstLine + lines - 1;
  parse(input, {
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record: string[], context: InfoRecord) => {
      if (out.stopped) return null;
      if (record.length !== width) malformedRow(record, `line ${lineOf(context.lines)}: expected ${width} columns, found ${record.length}`, out);
      else if (record.some((cell) => cell.includes('\uFFFD'))) malformedRow(record, `line ${lineOf(context.lines)}: not valid UTF-8`, out);
      else stageCsvRow(record, null, out);
      return null;
    },
    on_skip: (error: CsvError | undefined) => {
      const where = typeof error?.lines === 'number' ? `line ${lineOf(error.lines)}` : `a record after line ${firstLine}`;
      malformedRow([], `${where}: ${error?.message.replace(/ at line \d+$/, '') ?? 'unreadable CSV'}`, out);
      return undefined;
    },
  });
}

function stageCaseBatch(bytes: Uint8Array, firstLine: number, out: Output): void {
  const lines = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const { cells, malformed } = cases!.stageLine(line, firstLine + i);
    if (malformed !== null) {
      out.malformed.push(malformed);
      if (init!.strict) {
        out.stopped = true;
        return;
      }
    }
    if (cells[CASE_ERRORS_AT] || cells[ENGINE_ERRORS_AT]) out.withErrors++;
    out.add(cells);
  }
}

/** Batches wait here until `init` has finished (cases mode loads the engine asynchronously). */
let ready: Promise<void> = Promise.resolve();

port.on('message', (message: WorkerMessage) => {
  if (message.type === 'init') {
    init = message;
    if (message.mode === 'csv') {
      rows = recordStager(algorithm, message.header, { currentYear: message.currentYear });
      width = message.header.length;
      columns = [...message.header, ...OUTPUT_COLUMNS];
    } else {
      ready = import('./case-record.ts').then((m) => {
        cases = m.caseStager(algorithm, { currentYear: message.currentYear });
        columns = m.CASE_OUTPUT_COLUMNS;
        ENGINE_ERRORS_AT = m.CASE_OUTPUT_COLUMNS.indexOf('engineErrors');
        CASE_ERRORS_AT = m.CASE_OUTPUT_COLUMNS.length - 2;
      });
    }
    return;
  }
  void ready.then(() => handleBatch(message));
});

function handleBatch(message: Extract<WorkerMessage, { type: 'batch' }>): void {
  const out = new Output();
  if (init!.mode === 'csv') stageCsvBatch(message.bytes, message.firstLine, out);
  else stageCaseBatch(message.bytes, message.firstLine, out);
  out.flush();
  const result: BatchResult = { seq: message.seq, text: out.texts.join(''), rows: out.rows, withErrors: out.withErrors, malformed: out.malformed, stopped: out.stopped };
  port!.postMessage(result);
}
