import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTable, findMatchingRow, parseCell, type RawTable, type Table } from '../../src/registry/table-engine.ts';
import { runSchema, type Algorithm, type RawSchema } from '../../src/registry/schema-runner.ts';

const table = (raw: Omit<RawTable, 'definition'> & { definition: [string, 'INPUT' | 'ENDPOINT' | 'DESCRIPTION'][] }): Table =>
  compileTable({ ...raw, definition: raw.definition.map(([key, type]) => ({ key, type })) });
const ctx = (entries: Record<string, string>) => new Map(Object.entries(entries));

test('cells: lists, numeric ranges of any width, equal-width string ranges, "*", and values with a dash that are not ranges', () => {
  const t = table({
    id: 't',
    definition: [['v', 'INPUT'], ['r', 'ENDPOINT']],
    rows: [['C481-C482, C488', 'VALUE:site'], ['001-050', 'VALUE:small'], ['N0(mol-)', 'VALUE:mol'], ['', 'VALUE:blank'], ['*', 'VALUE:any']],
  });
  const row = (v: string) => findMatchingRow(t, ctx({ v }));
  assert.equal(row('C482'), 0);
  assert.equal(row('C488'), 0);
  assert.equal(row('C483'), 4, 'C483 is outside C481-C482');
  assert.equal(row('025'), 1);
  assert.equal(row('50'), 1, 'numeric ranges compare as numbers, as SEER does');
  assert.equal(row('050.0'), 4, 'a decimal does not match a range written without decimals');
  assert.equal(row('N0(mol-)'), 2);
  assert.equal(row(''), 3, 'a blank cell matches only a blank value');
  assert.equal(row('zzz'), 4);
  assert.equal(parseCell('*'), null);
});

test('the first matching row wins, across several input columns; absent keys count as blank', () => {
  const t = table({
    id: 't',
    definition: [['a', 'INPUT'], ['b', 'INPUT'], ['r', 'ENDPOINT']],
    rows: [['1', '*', 'VALUE:first'], ['*', 'x', 'VALUE:second'], ['1', 'x', 'VALUE:never']],
  });
  assert.equal(findMatchingRow(t, ctx({ a: '1', b: 'x' })), 0);
  assert.equal(findMatchingRow(t, ctx({ a: '2', b: 'x' })), 1);
  assert.equal(findMatchingRow(t, ctx({ a: '2' })), -1);
});

test('context references are resolved in ranges at match time', () => {
  const t = table({ id: 'years', definition: [['year', 'INPUT']], rows: [['2018-{{ctx_year_current}},9999']] });
  assert.equal(findMatchingRow(t, ctx({ year: '2026', ctx_year_current: '2026' })), 0);
  assert.equal(findMatchingRow(t, ctx({ year: '2027', ctx_year_current: '2026' })), -1);
  assert.equal(findMatchingRow(t, ctx({ year: '9999', ctx_year_current: '2026' })), 0);
});

function algorithm(tables: Table[], mappings: RawSchema['mappings']): { algo: Algorithm; schema: RawSchema } {
  const schema: RawSchema = {
    id: 's',
    name: 'S',
    algorithm: 'test',
    version: '1',
    schema_selection_table: 'sel',
    inputs: [{ key: 'x', default: 'd' }],
    outputs: [{ key: 'out', default: 'none' }, { key: 'other', default: '' }],
    mappings,
  };
  return { algo: { id: 'test', version: '1', schemas: [schema], tables: new Map(tables.map((t) => [t.id, t])) }, schema };
}

test('JUMP continues in another table, VALUE substitutes {{key}}, ERROR is collected and processing goes on', () => {
  const first = table({ id: 'first', definition: [['x', 'INPUT'], ['out', 'ENDPOINT'], ['other', 'ENDPOINT']], rows: [['a', 'JUMP:second', 'VALUE:after-jump'], ['b', 'ERROR:b is wrong', 'VALUE:{{x}}']] });
  const second = table({ id: 'second', definition: [['x', 'INPUT'], ['out', 'ENDPOINT']], rows: [['a', 'VALUE:from-second']] });
  const { algo, schema } = algorithm([first, second], [{ id: 'm', tables: [{ id: 'first' }] }]);
  const a = runSchema(algo, schema, { x: 'a' }, { currentYear: 2026 });
  assert.deepEqual(a.outputs, { out: 'from-second', other: 'after-jump' });
  const b = runSchema(algo, schema, { x: 'b' }, { currentYear: 2026 });
  assert.deepEqual(b.outputs, { out: 'none', other: 'b' }, 'a VALUE that is exactly {{key}} takes the context value');
  assert.deepEqual(b.errors.map((e) => e.message), ['b is wrong']);
  const c = runSchema(algo, schema, { x: 'c' }, { currentYear: 2026 });
  assert.deepEqual(c.errors.map((e) => e.message), ["Match not found in table 'first' (c)"]);
  const d = runSchema(algo, schema, {}, { currentYear: 2026 });
  assert.deepEqual(d.errors.map((e) => e.message), ["Match not found in table 'first' (d)"], 'an input not supplied takes its default');
});

test('STOP ends the mapping: later tables of that mapping are not processed, later mappings are', () => {
  const stop = table({ id: 'stop', definition: [['x', 'INPUT'], ['out', 'ENDPOINT']], rows: [['a', 'STOP'], ['*', 'VALUE:went-on']] });
  const set = table({ id: 'set', definition: [['x', 'INPUT'], ['out', 'ENDPOINT']], rows: [['*', 'VALUE:second-table']] });
  const other = table({ id: 'other', definition: [['x', 'INPUT'], ['other', 'ENDPOINT']], rows: [['*', 'VALUE:second-mapping']] });
  const { algo, schema } = algorithm([stop, set, other], [
    { id: 'm1', tables: [{ id: 'stop' }, { id: 'set' }] },
    { id: 'm2', tables: [{ id: 'other' }] },
  ]);
  assert.deepEqual(runSchema(algo, schema, { x: 'a' }, { currentYear: 2026 }).outputs, { out: 'none', other: 'second-mapping' });
  assert.deepEqual(runSchema(algo, schema, { x: 'b' }, { currentYear: 2026 }).outputs, { out: 'second-table', other: 'second-mapping' });
});

test('a JUMP back to a table already on the path is reported, not followed forever', () => {
  const loop = table({ id: 'loop', definition: [['x', 'INPUT'], ['out', 'ENDPOINT']], rows: [['*', 'JUMP:loop']] });
  const { algo, schema } = algorithm([loop], [{ id: 'm', tables: [{ id: 'loop' }] }]);
  assert.equal(runSchema(algo, schema, { x: 'a' }, { currentYear: 2026 }).errors[0]?.type, 'INFINITE_LOOP');
});
