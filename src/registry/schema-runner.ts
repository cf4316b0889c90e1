/**
 * Runs a SEER staging schema (EOD 2018 and the like) over its decision tables: schema selection
 * by site/histology/discriminators, input defaults and validation, output defaults, then each
 * mapping whose inclusion/exclusion tables allow it — its initial context and its table paths with
 * their input/output key mappings, following JUMPs, collecting ERRORs, ending the mapping at STOP.
 * The order of these steps is SEER's staging engine's [V SEER-EOD-2.1]; everything specific to a
 * schema is data (see `seer-eod/`), so an updated table set is a data change. Pure: no I/O.
 */
import { z } from 'zod';
import { findMatchingRow, inputsAsText, translate, TableDefinitionError, type Context, type Table } from './table-engine.ts';

const KeyMapping = z.object({ from: z.string(), to: z.string() });
const TablePath = z.object({
  id: z.string(),
  inputs: z.array(z.string()).optional(),
  outputs: z.array(z.string()).optional(),
  input_mapping: z.array(KeyMapping).optional(),
  output_mapping: z.array(KeyMapping).optional(),
});
const KeyValue = z.object({ key: z.string(), value: z.string() });

export const RawSchemaSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  algorithm: z.string(),
  version: z.string(),
  schema_selection_table: z.string(),
  schema_discriminators: z.array(z.string()).optional(),
  initial_context: z.array(KeyValue).optional(),
  inputs: z.array(
    z.object({
      key: z.string(),
      name: z.string().optional(),
      naaccr_item: z.number().optional(),
      naaccr_xml_id: z.string().optional(),
      default: z.string().optional(),
      table: z.string().optional(),
      used_for_staging: z.boolean().optional(),
    }),
  ),
  outputs: z.array(z.object({ key: z.string(), name: z.string().optional(), naaccr_xml_id: z.string().optional(), default: z.string().optional(), table: z.string().optional() })),
  mappings: z
    .array(
      z.object({
        id: z.string(),
        name: z.string().optional(),
        initial_context: z.array(KeyValue).optional(),
        inclusion_tables: z.array(TablePath).optional(),
        exclusion_tables: z.array(TablePath).optional(),
        tables: z.array(TablePath).optional(),
      }),
    )
    .optional(),
  involved_tables: z.array(z.string()).optional(),
  on_invalid_input: z.enum(['CONTINUE', 'FAIL', 'FAIL_WHEN_USED_FOR_STAGING']).optional(),
});
export type RawSchema = z.infer<typeof RawSchemaSchema>;
type Path = z.infer<typeof TablePath>;

export type StagingErrorType =
  | 'INVALID_REQUIRED_INPUT'
  | 'INVALID_NON_REQUIRED_INPUT'
  | 'MATCH_NOT_FOUND'
  | 'STAGING_ERROR'
  | 'UNKNOWN_INPUT_MAPPING'
  | 'INFINITE_LOOP'
  | 'UNKNOWN_TABLE'
  | 'INVALID_OUTPUT'
  | 'NO_SCHEMA'
  | 'INVALID_YEAR_DX';

export interface StagingError {
  readonly type: StagingErrorType;
  readonly message: string;
  /** Schema input key the error is about, when it is about one. */
  readonly key?: string;
  readonly table?: string;
}

export type StagingStatus = 'staged' | 'failed-input' | 'no-schema' | 'invalid-year';

export interface StagingResult {
  readonly status: StagingStatus;
  readonly schemaId: string | null;
  /** Every schema output (by its key) → code; empty unless a schema was selected. */
  readonly outputs: Readonly<Record<string, string>>;
  readonly errors: readonly StagingError[];
}

/** Inputs by schema key (`site`, `hist`, `sex`, …); undefined = not supplied (the schema default applies). */
export type StagingInput = Readonly<Record<string, string | undefined>>;

export interface Algorithm {
  readonly id: string;
  readonly version: string;
  readonly schemas: readonly RawSchema[];
  readonly tables: ReadonlyMap<string, Table>;
}

/** Keys the engine puts in the context for tables to refer to (`{{ctx_year_current}}`). */
export interface StagingOptions {
  readonly currentYear: number;
}

const SITE = 'site';
const HIST = 'hist';
const YEAR_DX = 'year_dx';

export function checkAlgorithm(algorithm: Algorithm): void {
  const need = (schema: RawSchema, id: string | undefined) => {
    if (id !== undefined && !algorithm.tables.has(id)) throw new TableDefinitionError(id, `named by schema ${schema.id} but not loaded`);
  };
  for (const schema of algorithm.schemas) {
    need(schema, schema.schema_selection_table);
    for (const input of schema.inputs) need(schema, input.table);
    for (const m of schema.mappings ?? []) for (const p of [...(m.inclusion_tables ?? []), ...(m.exclusion_tables ?? []), ...(m.tables ?? [])]) need(schema, p.id);
    for (const table of algorithm.tables.values())
      for (const row of table.rows) for (const e of row.endpoints) if (e.type === 'JUMP') need(schema, e.value!);
  }
}

function table(algorithm: Algorithm, id: string): Table {
  const t = algorithm.tables.get(id);
  if (!t) throw new TableDefinitionError(id, 'not loaded');
  return t;
}

function isValidCode(algorithm: Algorithm, tableId: string, key: string, value: string): boolean {
  const t = algorithm.tables.get(tableId);
  return t !== undefined && findMatchingRow(t, new Map([[key, value]])) >= 0;
}

/** Schema selection results already computed, by site, histology and discriminators (bounded). */
const selectionMemo = new WeakMap<Algorithm, Map<string, RawSchema[]>>();
const SELECTION_MEMO_CAPACITY = 16384;

/** Schemas whose selection table matches the site, histology and any supplied (non-blank) discriminator. */
export function selectSchemas(algorithm: Algorithm, input: StagingInput): RawSchema[] {
  const site = input[SITE]?.trim() ?? '';
  const hist = input[HIST]?.trim() ?? '';
  if (!site || !hist) return [];
  let memo = selectionMemo.get(algorithm);
  if (!memo) selectionMemo.set(algorithm, (memo = new Map()));
  let key = `${site}\u0001${hist}`;
  for (const d of discriminators(algorithm)) key += `\u0001${input[d]?.trim() ?? ''}`;
  let found = memo.get(key);
  if (!found) {
    found = selectUncached(algorithm, site, hist, input);
    if (memo.size < SELECTION_MEMO_CAPACITY) memo.set(key, found);
  }
  return found;
}

const discriminatorCache = new WeakMap<Algorithm, string[]>();
function discriminators(algorithm: Algorithm): string[] {
  let list = discriminatorCache.get(algorithm);
  if (!list) discriminatorCache.set(algorithm, (list = [...new Set(algorithm.schemas.flatMap((s) => s.schema_discriminators ?? []))].sort()));
  return list;
}

function selectUncached(algorithm: Algorithm, site: string, hist: string, input: StagingInput): RawSchema[] {
  // SEER validates site and histology against the algorithm's code lists before selecting.
  if (!isValidCode(algorithm, 'primary_site', SITE, site) || !isValidCode(algorithm, 'histology', HIST, hist)) return [];
  return algorithm.schemas.filter((schema) => {
    const t = table(algorithm, schema.schema_selection_table);
    const context: Context = new Map([
      [SITE, site],
      [HIST, hist],
    ]);
    // A discriminator not supplied is not matched on (its column is left out, as SEER's lookup does).
    const keys = new Set([SITE, HIST]);
    for (const d of schema.schema_discriminators ?? []) {
      const v = input[d]?.trim();
      if (v) {
        context.set(d, v);
        keys.add(d);
      }
    }
    return matchOnKeys(t, context, keys);
  });
}

/** The selection table restricted to the supplied keys, built once per key set. */
const restricted = new WeakMap<Table, Map<string, Table>>();

function matchOnKeys(t: Table, context: Context, keys: ReadonlySet<string>): boolean {
  let byKeys = restricted.get(t);
  if (!byKeys) restricted.set(t, (byKeys = new Map()));
  const id = [...keys].sort().join(',');
  let sub = byKeys.get(id);
  if (!sub) {
    sub = {
      ...t,
      exact: null,
      memo: t.memo ? new Map() : null,
      inputKeys: t.inputKeys.filter((k) => keys.has(k)),
      rows: t.rows.map((row) => ({ endpoints: row.endpoints, inputs: row.inputs.filter((_, i) => keys.has(t.inputKeys[i]!)) })),
    };
    byKeys.set(id, sub);
  }
  return findMatchingRow(sub, context) >= 0;
}

/** Stages one case. Never throws for bad data: problems are errors in the result. */
export function stage(algorithm: Algorithm, input: StagingInput, options: StagingOptions): StagingResult {
  const schemas = selectSchemas(algorithm, input);
  if (schemas.length !== 1) {
    return {
      status: 'no-schema',
      schemaId: null,
      outputs: {},
      errors: [{ type: 'NO_SCHEMA', message: schemas.length === 0 ? 'no matching schema' : `${schemas.length} matching schemas` }],
    };
  }
  return runSchema(algorithm, schemas[0]!, input, options);
}

const yearInputs = new WeakMap<RawSchema, RawSchema['inputs'][number] | null>();
function yearInputOf(schema: RawSchema): RawSchema['inputs'][number] | undefined {
  let found = yearInputs.get(schema);
  if (found === undefined) yearInputs.set(schema, (found = schema.inputs.find((i) => i.key === YEAR_DX) ?? null));
  return found ?? undefined;
}

export function runSchema(algorithm: Algorithm, schema: RawSchema, input: StagingInput, options: StagingOptions): StagingResult {
  const errors: StagingError[] = [];
  const context: Context = new Map();
  for (const key in input) {
    const v = input[key];
    if (v !== undefined) context.set(key, v.trim());
  }
  context.set('ctx_alg_version', algorithm.version);
  context.set('ctx_year_current', String(options.currentYear));

  // SEER refuses a case whose year of diagnosis is outside the algorithm's years; a batch row
  // without a Date of Diagnosis is staged (the batch's columns do not require it).
  const year = context.get(YEAR_DX);
  const yearInput = year === undefined || year === '' ? undefined : yearInputOf(schema);
  if (yearInput?.table && year !== undefined && year !== '' && findMatchingRow(table(algorithm, yearInput.table), context) < 0) {
    return { status: 'invalid-year', schemaId: schema.id, outputs: {}, errors: [{ type: 'INVALID_YEAR_DX', message: `Invalid 'year_dx' value (${year})`, key: YEAR_DX }] };
  }

  let failed = false;
  for (const def of schema.inputs) {
    let value = context.get(def.key);
    if (value === undefined) {
      value = def.default !== undefined ? translate(def.default, context) : '';
      context.set(def.key, value);
    }
    if (value !== '' && def.table !== undefined && findMatchingRow(table(algorithm, def.table), context) < 0) {
      const required = def.used_for_staging === true;
      errors.push({ type: required ? 'INVALID_REQUIRED_INPUT' : 'INVALID_NON_REQUIRED_INPUT', message: `Invalid '${def.key}' value (${value})`, key: def.key, table: def.table });
      if (schema.on_invalid_input === 'FAIL' || (required && schema.on_invalid_input === 'FAIL_WHEN_USED_FOR_STAGING')) failed = true;
    }
  }
  if (failed) return { status: 'failed-input', schemaId: schema.id, outputs: {}, errors };

  for (const out of schema.outputs) context.set(out.key, out.default !== undefined ? translate(out.default, context) : '');
  for (const kv of schema.initial_context ?? []) context.set(kv.key, translate(kv.value, context));

  for (const mapping of schema.mappings ?? []) {
    if (!mappingApplies(algorithm, mapping.inclusion_tables, mapping.exclusion_tables, context)) continue;
    for (const kv of mapping.initial_context ?? []) context.set(kv.key, kv.value);
    for (const path of mapping.tables ?? []) {
      for (const km of path.input_mapping ?? []) {
        const from = context.get(km.from);
        if (from === undefined) {
          errors.push({ type: 'UNKNOWN_INPUT_MAPPING', message: `Input mapping '${km.from}' does not exist for table '${path.id}'`, key: km.from, table: path.id });
          continue;
        }
        context.set(km.to, from);
      }
      const goOn = processTable(algorithm, path.id, path, context, errors, []);
      for (const km of path.input_mapping ?? []) context.delete(km.to);
      if (!goOn) break;
    }
  }

  const outputs: Record<string, string> = {};
  for (const out of schema.outputs) {
    outputs[out.key] = context.get(out.key) ?? '';
    if (out.table !== undefined && findMatchingRow(table(algorithm, out.table), context) < 0) {
      errors.push({ type: 'INVALID_OUTPUT', message: `Invalid '${out.key}' value (${outputs[out.key] || '<blank>'})`, key: out.key, table: out.table });
    }
  }
  return { status: 'staged', schemaId: schema.id, outputs, errors };
}

function pathMatches(algorithm: Algorithm, path: Path, context: Context): boolean {
  const mapping = path.input_mapping;
  if (!mapping?.length) return findMatchingRow(table(algorithm, path.id), context) >= 0;
  // The mapped keys are set on the row's own context for the lookup and put back after it
  // (copying the whole context for every row cost more than the lookup itself).
  const saved: [string, string | undefined][] = [];
  for (const km of mapping) {
    if (!context.has(km.from)) continue;
    saved.push([km.to, context.get(km.to)]);
    context.set(km.to, context.get(km.from)!);
  }
  try {
    return findMatchingRow(table(algorithm, path.id), context) >= 0;
  } finally {
    for (let i = saved.length - 1; i >= 0; i--) {
      const [key, value] = saved[i]!;
      if (value === undefined) context.delete(key);
      else context.set(key, value);
    }
  }
}

function mappingApplies(algorithm: Algorithm, inclusion: readonly Path[] | undefined, exclusion: readonly Path[] | undefined, context: Context): boolean {
  if (inclusion) for (const path of inclusion) if (!pathMatches(algorithm, path, context)) return false;
  if (exclusion) for (const path of exclusion) if (pathMatches(algorithm, path, context)) return false;
  return true;
}

/** Processes one table (and the tables it JUMPs to); false = a STOP was reached. */
function processTable(algorithm: Algorithm, tableId: string, path: Path, context: Context, errors: StagingError[], stack: string[]): boolean {
  const t = algorithm.tables.get(tableId);
  if (!t) {
    errors.push({ type: 'UNKNOWN_TABLE', message: `The processing of '${path.id}' contains a reference to an unknown table: '${tableId}'`, table: tableId });
    return true;
  }
  if (stack.includes(tableId)) {
    errors.push({ type: 'INFINITE_LOOP', message: `The processing of '${path.id}' entered table '${tableId}' twice`, table: tableId });
    return true;
  }
  stack.push(tableId);
  let goOn = true;
  const r = findMatchingRow(t, context);
  if (r < 0) {
    errors.push({ type: 'MATCH_NOT_FOUND', message: `Match not found in table '${tableId}' (${inputsAsText(t, context)})`, table: tableId });
  } else {
    for (const e of t.rows[r]!.endpoints) {
      if (e.type === 'STOP') goOn = false;
      else if (e.type === 'JUMP') goOn = processTable(algorithm, e.value!, path, context, errors, stack);
      else if (e.type === 'ERROR') {
        const message = e.value || `Matching resulted in an error in table '${tableId}' for column '${e.key}' (${inputsAsText(t, context)})`;
        errors.push({ type: 'STAGING_ERROR', message, table: tableId });
      } else if (e.type === 'VALUE') {
        let mapped = false;
        for (const km of path.output_mapping ?? []) {
          if (km.from !== e.key) continue;
          mapped = true;
          setValue(context, km.to, e.value);
        }
        if (!mapped) setValue(context, e.key, e.value);
      }
    }
  }
  stack.pop();
  return goOn;
}

function setValue(context: Context, key: string, value: string | null): void {
  if (value === null) context.delete(key);
  else context.set(key, translate(value, context));
}
