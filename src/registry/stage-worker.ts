/**
 * Worker thread: stages batches of rows and returns them already serialised (CSV or NDJSON),
 * so the main thread only parses, orders and writes.
 */
import { parentPort } from 'node:worker_threads';
import { stringify } from 'csv-stringify/sync';
import { loadAlgorithm, RETROPERITONEUM_DIR } from './load.ts';
import { recordStager, type RecordStager } from './naaccr-record.ts';
import { CASE_OUTPUT_COLUMNS, caseStager, type CaseStager } from './case-record.ts';

const ENGINE_ERRORS_AT = CASE_OUTPUT_COLUMNS.indexOf('engineErrors');
import type { BatchResult, WorkerMessage } from './batch-protocol.ts';

const port = parentPort;
if (!port) throw new Error('stage-worker must run in a worker thread');

const algorithm = loadAlgorithm(RETROPERITONEUM_DIR);
let columns: readonly string[] = [];
let format: 'csv' | 'ndjson' = 'csv';
let rows: RecordStager | null = null;
let cases: CaseStager | null = null;

function serialise(out: string[][]): string {
  if (format === 'csv') return stringify(out);
  let text = '';
  for (const cells of out) {
    const obj: Record<string, string> = {};
    for (let i = 0; i < columns.length; i++) obj[columns[i]!] = cells[i] ?? '';
    text += `${JSON.stringify(obj)}\n`;
  }
  return text;
}

port.on('message', (message: WorkerMessage) => {
  if (message.type === 'init') {
    format = message.format;
    if (message.mode === 'csv') {
      rows = recordStager(algorithm, message.header, { currentYear: message.currentYear });
      columns = message.columns;
    } else {
      cases = caseStager(algorithm, { currentYear: message.currentYear });
      columns = CASE_OUTPUT_COLUMNS;
    }
    return;
  }
  const out: string[][] = [];
  const malformed: string[] = [];
  let stopped = false;
  let withErrors = 0;
  if (message.type === 'rows') {
    const width = message.width;
    for (let i = 0; i < message.rows.length; i++) {
      const record = message.rows[i]!;
      const problem = message.problems?.[i] ?? null;
      let extra: string[];
      if (problem !== null) {
        extra = Array.from({ length: columns.length - width }, () => '');
        extra[extra.length - 2] = problem;
      } else extra = rows!.stageRecord(record);
      if (extra[extra.length - 2]) withErrors++;
      out.push(record.length === width ? [...record, ...extra] : [...record.slice(0, width), ...Array.from({ length: Math.max(0, width - record.length) }, () => ''), ...extra]);
    }
  } else {
    for (let i = 0; i < message.lines.length; i++) {
      const { cells, malformed: problem } = cases!.stageLine(message.lines[i]!, message.firstLine + i);
      if (problem !== null) {
        malformed.push(problem);
        if (message.strict) {
          stopped = true;
          break;
        }
      }
      if (cells[cells.length - 2] || cells[ENGINE_ERRORS_AT]) withErrors++;
      out.push(cells);
    }
  }
  const result: BatchResult = { seq: message.seq, text: serialise(out), rows: out.length, withErrors, malformed, stopped };
  port.postMessage(result);
});
