/** Messages between the batch stager (main thread) and its workers. */
export type WorkerMessage =
  | { type: 'init'; mode: 'csv'; format: 'csv' | 'ndjson'; header: string[]; columns: string[]; currentYear: number }
  | { type: 'init'; mode: 'cases'; format: 'csv' | 'ndjson'; currentYear: number }
  /** Rows of a CSV batch; `problems[i]` set = row i is malformed (reported, passed through, not staged). */
  | { type: 'rows'; seq: number; width: number; rows: string[][]; problems: (string | null)[] | null }
  /** NDJSON case lines, the first at line `firstLine`. */
  | { type: 'cases'; seq: number; firstLine: number; lines: string[]; strict: boolean };

export interface BatchResult {
  readonly seq: number;
  readonly text: string;
  readonly rows: number;
  readonly withErrors: number;
  /** Malformed-line reports (NDJSON lines that are not JSON), in order. */
  readonly malformed: string[];
  /** Strict mode met a malformed line: `text` holds only the rows before it. */
  readonly stopped: boolean;
}
