/**
 * Worker thread: parses a batch of whole records (csv-parse), stages each row, and returns the
 * batch serialised (csv-stringify or NDJSON); the main thread only cuts, orders and writes.
 */
import { parentPort } from 'node:worker_threads';
import { parse, type CsvError, type InfoRecord } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { loadAlgorithm, RETROPERITONEUM_DIR } from './load.ts';
import { OUTPUT_COLUMNS, recordStager, type RecordStager } from './naaccr-record.ts';
import { CASE_OUTPUT_COLUMNS, caseStager, type CaseStager } from './case-record.ts';
import type { BatchResult, WorkerMessage } from './batch-protocol.ts';

const port = parentPort;
if (!port) throw new Error('stage-worker must run in a worker thread');

const algorithm = loadAlgorithm(RETROPERITONEUM_DIR);
const ERRORS_AT = OUTPUT_COLUMNS.length - 2;
const ENGINE_ERRORS_AT = CASE_OUTPUT_COLUMNS.indexOf('engineErrors');
const CASE_ERRORS_AT = CASE_OUTPUT_COLUMNS.length - 2;

type Init = Extract<WorkerMessage, { type: 'init' }>;
let init: Init | null = null;
let columns: readonly string[] = [];
let width = 0;
let rows: RecordStager | null = null;
let cases: CaseStager | null = null;

function serialise(out: string[][]): string {
  if (init!.format === 'csv') return out.length === 0 ? '' : stringify(out);
  let text = '';
  for (const cells of out) {
    const obj: Record<string, string> = {};
    for (let i = 0; i < columns.length; i++) obj[columns[i]!] = cells[i] ?? '';
    text += `${JSON.stringify(obj)}\n`;
  }
  return text;
}

interface Parsed {
  readonly record: string[];
  readonly problem: string | null;
}

function parseBatch(bytes: Uint8Array, firstLine: number): Parsed[] {
  const items: Parsed[] = [];
  const lineOf = (lines: number) => firstLine + lines - 1;
  parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record: string[], context: InfoRecord) => {
      let problem: string | null = null;
      if (record.length !== width) problem = `line ${lineOf(context.lines)}: expected ${width} columns, found ${record.length}`;
      else {
        for (let i = 0; i < record.length; i++) {
          if (record[i]!.includes('\uFFFD')) {
            problem = `line ${lineOf(context.lines)}: not valid UTF-8`;
            break;
          }
        }
      }
      items.push({ record, problem });
      return null;
    },
    on_skip: (error: CsvError | undefined) => {
      const where = typeof error?.lines === 'number' ? `line ${lineOf(error.lines)}` : `a record after line ${firstLine}`;
      items.push({ record: [], problem: `${where}: ${error?.message.replace(/ at line \d+$/, '') ?? 'unreadable CSV'}` });
      return undefined;
    },
  });
  return items;
}

function stageCsvBatch(bytes: Uint8Array, firstLine: number, result: { out: string[][]; malformed: string[]; stopped: boolean; withErrors: number }): void {
  for (const { record, problem } of parseBatch(bytes, firstLine)) {
    let extra: string[];
    if (problem !== null) {
      result.malformed.push(problem);
      if (init!.strict) {
        result.stopped = true;
        return;
      }
      extra = OUTPUT_COLUMNS.map(() => '');
      extra[ERRORS_AT] = problem;
    } else extra = rows!.stageRecord(record);
    if (extra[ERRORS_AT]) result.withErrors++;
    const cells = record.length === width ? record : Array.from({ length: width }, (_, i) => record[i] ?? '');
    for (const e of extra) cells.push(e);
    result.out.push(cells);
  }
}

function stageCaseBatch(bytes: Uint8Array, firstLine: number, result: { out: string[][]; malformed: string[]; stopped: boolean; withErrors: number }): void {
  const lines = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const { cells, malformed } = cases!.stageLine(line, firstLine + i);
    if (malformed !== null) {
      result.malformed.push(malformed);
      if (init!.strict) {
        result.stopped = true;
        return;
      }
    }
    if (cells[CASE_ERRORS_AT] || cells[ENGINE_ERRORS_AT]) result.withErrors++;
    result.out.push(cells);
  }
}

port.on('message', (message: WorkerMessage) => {
  if (message.type === 'init') {
    init = message;
    if (message.mode === 'csv') {
      rows = recordStager(algorithm, message.header, { currentYear: message.currentYear });
      width = message.header.length;
      columns = [...message.header, ...OUTPUT_COLUMNS];
    } else {
      cases = caseStager(algorithm, { currentYear: message.currentYear });
      columns = CASE_OUTPUT_COLUMNS;
    }
    return;
  }
  const acc = { out: [] as string[][], malformed: [] as string[], stopped: false, withErrors: 0 };
  if (init!.mode === 'csv') stageCsvBatch(message.bytes, message.firstLine, acc);
  else stageCaseBatch(message.bytes, message.firstLine, acc);
  const result: BatchResult = { seq: message.seq, text: serialise(acc.out), rows: acc.out.length, withErrors: acc.withErrors, malformed: acc.malformed, stopped: acc.stopped };
  port.postMessage(result);
});
