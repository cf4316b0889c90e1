/**
 * Decision tables in the format of SEER's public staging algorithms (EOD 2018, TNM, CS):
 * a table has INPUT, ENDPOINT and DESCRIPTION columns; the first row whose every INPUT cell
 * matches the context wins, and its endpoints (VALUE, JUMP, ERROR, STOP, MATCH) say what to do.
 * Semantics follow the published algorithm definitions [V SEER-EOD-2.1]: cells are comma lists
 * of values or ranges (`001-050`, `C481-C482`), `*` matches anything, a blank cell matches only a
 * blank value, `{{key}}` is replaced by the context value. Pure: no I/O.
 */
import { z } from 'zod';

export type Context = Map<string, string>;

export const RawTableSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  definition: z.array(z.object({ key: z.string().min(1), name: z.string().optional(), type: z.enum(['INPUT', 'ENDPOINT', 'DESCRIPTION']) })).min(1),
  rows: z.array(z.array(z.string())),
});
export type RawTable = z.infer<typeof RawTableSchema>;

export type EndpointType = 'VALUE' | 'JUMP' | 'ERROR' | 'STOP' | 'MATCH';

export interface Endpoint {
  readonly type: EndpointType;
  /** The text after `TYPE:` (trimmed); null when there is none. */
  readonly value: string | null;
  /** The ENDPOINT column this endpoint sits in: the context key a VALUE sets. */
  readonly key: string;
}

/** One value or range of a cell. `low === high` is a single value. */
interface Range {
  readonly low: string;
  readonly high: string;
  /** Both bounds are plain numbers (no `{{…}}`) and differ: compare as numbers. */
  readonly numeric: boolean;
  readonly lowNumber: number;
  readonly highNumber: number;
  /** A bound refers to the context and is resolved at match time. */
  readonly dynamic: boolean;
}

/** null = the cell matches anything (`*`). */
type Cell = readonly Range[] | null;

export interface TableRow {
  readonly inputs: readonly Cell[];
  readonly endpoints: readonly Endpoint[];
}

export interface Table {
  readonly id: string;
  readonly name: string;
  readonly inputKeys: readonly string[];
  readonly endpointKeys: readonly string[];
  readonly rows: readonly TableRow[];
  /** For single-input tables of plain values only: value → index of the first row listing it. */
  readonly exact: ReadonlyMap<string, number> | null;
  /** Match results already computed, by the joined input values (tables without context references only). */
  readonly memo: Map<string, number> | null;
}

/** Bounds each table's memo so memory stays constant however many distinct rows a batch has. */
const MEMO_CAPACITY = 8192;

export class TableDefinitionError extends Error {
  constructor(tableId: string, message: string) {
    super(`table ${tableId}: ${message}`);
    this.name = 'TableDefinitionError';
  }
}

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)$/;
const REFERENCE = /^\{\{(.*?)\}\}$/;

export function isNumber(text: string): boolean {
  return NUMBER.test(text);
}

function isReference(text: string): boolean {
  return text.startsWith('{{') && text.endsWith('}}');
}

/** `{{key}}` → the context value (blank when absent); anything else unchanged. */
export function translate(value: string, context: Context): string {
  if (!value.startsWith('{{')) return value;
  const m = REFERENCE.exec(value);
  return m ? (context.get(m[1]!) ?? '') : value;
}

function range(low: string, high: string): Range {
  const dynamic = isReference(low) || isReference(high);
  const numeric = !dynamic && low !== high && isNumber(low) && isNumber(high);
  return { low, high, numeric, lowNumber: numeric ? Number(low) : NaN, highNumber: numeric ? Number(high) : NaN, dynamic };
}

/**
 * A cell's text → its values and ranges. A `-` makes a range only when it splits the entry in
 * two parts of equal length, both numbers, or one a context reference; otherwise the entry is a
 * single value (so `N0(mol-)` stays a value).
 */
export function parseCell(text: string): Cell {
  if (text === '*') return null;
  return text.split(',').map((entry) => {
    const parts = entry.split('-');
    while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    if (parts.length === 2) {
      const low = parts[0]!.trim();
      const high = parts[1]!.trim();
      if (low.length === high.length || (isNumber(low) && isNumber(high)) || isReference(low) || isReference(high)) return range(low, high);
    }
    const single = entry.trim();
    return range(single, single);
  });
}

export function parseEndpoint(tableId: string, text: string, key: string): Endpoint {
  const colon = text.indexOf(':');
  const type = (colon < 0 ? text : text.slice(0, colon)).trim();
  if (type !== 'VALUE' && type !== 'JUMP' && type !== 'ERROR' && type !== 'STOP' && type !== 'MATCH') {
    throw new TableDefinitionError(tableId, `invalid endpoint "${text}" (must be VALUE, JUMP, ERROR, STOP or MATCH)`);
  }
  const value = colon < 0 ? null : text.slice(colon + 1).trim();
  if (type === 'JUMP' && !value) throw new TableDefinitionError(tableId, `JUMP without a table: "${text}"`);
  return { type, value, key };
}

export function compileTable(raw: RawTable): Table {
  const inputKeys: string[] = [];
  const endpointKeys: string[] = [];
  for (const col of raw.definition) {
    if (col.type === 'INPUT') inputKeys.push(col.key);
    else if (col.type === 'ENDPOINT') endpointKeys.push(col.key);
  }
  const rows = raw.rows.map((cells, index) => {
    if (cells.length !== raw.definition.length) {
      throw new TableDefinitionError(raw.id, `row ${index + 1} has ${cells.length} cells, the definition ${raw.definition.length} columns`);
    }
    const inputs: Cell[] = [];
    const endpoints: Endpoint[] = [];
    raw.definition.forEach((col, i) => {
      if (col.type === 'INPUT') inputs.push(parseCell(cells[i]!));
      else if (col.type === 'ENDPOINT') endpoints.push(parseEndpoint(raw.id, cells[i]!, col.key));
    });
    return { inputs, endpoints };
  });
  const exact = exactIndex(inputKeys, rows);
  const dynamic = rows.some((row) => row.inputs.some((cell) => cell !== null && cell.some((r) => r.dynamic)));
  return { id: raw.id, name: raw.name ?? raw.id, inputKeys, endpointKeys, rows, exact, memo: exact || dynamic ? null : new Map() };
}

function exactIndex(inputKeys: readonly string[], rows: readonly TableRow[]): Map<string, number> | null {
  if (inputKeys.length !== 1) return null;
  const index = new Map<string, number>();
  for (let r = 0; r < rows.length; r++) {
    const cell = rows[r]!.inputs[0];
    if (cell === null || cell === undefined) return null;
    for (const v of cell) {
      if (v.low !== v.high || v.dynamic) return null;
      if (!index.has(v.low)) index.set(v.low, r);
    }
  }
  return index;
}

function rangeContains(r: Range, value: string, context: Context): boolean {
  if (!r.dynamic) {
    if (r.numeric) return isNumber(value) && !(value.includes('.') && !r.low.includes('.') && !r.high.includes('.')) && Number(value) >= r.lowNumber && Number(value) <= r.highNumber;
    if (r.low === r.high) return value === r.low;
    return value.length === r.low.length && r.low.length === r.high.length && r.low <= value && value <= r.high;
  }
  return rangeContains(range(translate(r.low, context), translate(r.high, context)), value, context);
}

function cellMatches(cell: Cell, value: string, context: Context): boolean {
  if (cell === null) return true;
  for (const r of cell) if (rangeContains(r, value, context)) return true;
  return false;
}

/** Index of the first row whose every INPUT cell matches the context (absent keys count as blank), or -1. */
export function findMatchingRow(table: Table, context: Context): number {
  const keys = table.inputKeys;
  if (keys.length === 1) {
    const value = context.get(keys[0]!) ?? '';
    if (table.exact) return table.exact.get(value) ?? -1;
    return memoised(table, value, context);
  }
  let key = '';
  for (let c = 0; c < keys.length; c++) key += c === 0 ? (context.get(keys[c]!) ?? '') : `\u0001${context.get(keys[c]!) ?? ''}`;
  return memoised(table, key, context);
}

function memoised(table: Table, key: string, context: Context): number {
  if (!table.memo) return scan(table, context);
  let r = table.memo.get(key);
  if (r === undefined) {
    r = scan(table, context);
    if (table.memo.size < MEMO_CAPACITY) table.memo.set(key, r);
  }
  return r;
}

function scan(table: Table, context: Context): number {
  const keys = table.inputKeys;
  outer: for (let r = 0; r < table.rows.length; r++) {
    const inputs = table.rows[r]!.inputs;
    for (let c = 0; c < keys.length; c++) if (!cellMatches(inputs[c]!, context.get(keys[c]!) ?? '', context)) continue outer;
    return r;
  }
  return -1;
}

/** The table's input values as SEER's messages show them: comma-joined, `<blank>` for blank. */
export function inputsAsText(table: Table, context: Context): string {
  return table.inputKeys.map((k) => (context.get(k) ?? '').trim() || '<blank>').join(',');
}
