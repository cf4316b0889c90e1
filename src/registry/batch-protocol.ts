/** Messages between the batch stager (main thread) and its workers. */
export type WorkerMessage =
  | { type: 'init'; mode: 'csv'; format: 'csv' | 'ndjson'; header: string[]; strict: boolean; currentYear: number }
  | { type: 'init'; mode: 'cases'; format: 'csv' | 'ndjson'; strict: boolean; currentYear: number }
  /** Whole records (CSV) or lines (NDJSON) as bytes; `firstLine` is the input line number of the first byte. */
  | { type: 'batch'; seq: number; firstLine: number; bytes: Uint8Array };

export interface BatchResult {
  readonly seq: number;
  /** The batch's output rows, serialised. */
  readonly text: string;
  readonly rows: number;
  readonly withErrors: number;
  /** Malformed-row reports, each naming its line, in order. */
  readonly malformed: string[];
  /** Strict mode met a malformed row: `text` holds only the rows before it. */
  readonly stopped: boolean;
}
