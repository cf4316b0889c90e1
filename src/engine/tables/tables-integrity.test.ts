import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as ajcc8 from './ajcc8.ts';
import * as anatomy from './anatomy.ts';
import * as anatomyDiagram from './anatomy-diagram.ts';
import * as failurePatterns from './failure-patterns.ts';
import * as fnclcc from './fnclcc.ts';
import * as histology from './histology.ts';
import * as intraoperativeRules from './intraoperative-rules.ts';
import * as markerProfiles from './marker-profiles.ts';
import * as markers from './markers.ts';
import * as referralEvidence from './referral-evidence.ts';
import * as resectability from './resectability.ts';
import * as strategyRules from './strategy-rules.ts';
import * as surveillanceSchedules from './surveillance-schedules.ts';
import { SOURCES } from './sources.ts';

/**
 * The guideline tables as data (one source of truth each) keep the project's rule that every clinical
 * rule names its source, in every entry: whatever the table, an entry's `sources` is a non-empty list
 * of known sources, its `evidence` a known level, and no text a person reads is empty. Entries of one
 * table carry the same kind of fields, and ids and labels are not repeated within a table.
 */
const TABLES: Record<string, Record<string, unknown>> = {
  ajcc8,
  anatomy,
  anatomyDiagram,
  failurePatterns,
  fnclcc,
  histology,
  intraoperativeRules,
  markerProfiles,
  markers,
  referralEvidence,
  resectability,
  strategyRules,
  surveillanceSchedules,
};
const EVIDENCE = new Set(['verified', 'secondary', 'consensus', 'illustrative']);
/** Fields every entry of a table has once one entry has it. */
const SHARED_FIELDS = ['id', 'label', 'text', 'message', 'sources', 'evidence', 'rationale'];
/** Fields whose values are unique within one table. */
const UNIQUE_FIELDS = ['id', 'label', 'code'];

function problems(value: unknown, path: string, out: string[], seen: Set<unknown>): void {
  if (typeof value === 'string') {
    if (value.trim() === '') out.push(`${path}: empty text`);
    return;
  }
  if (value === null || typeof value !== 'object' || value instanceof RegExp || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map) {
    for (const [k, v] of value) problems(v, `${path}.get(${String(k)})`, out, seen);
    return;
  }
  if (Array.isArray(value)) {
    const entries = value.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v));
    if (entries.length === value.length && entries.length > 1) {
      for (const field of SHARED_FIELDS) {
        if (entries.some((e) => field in e)) entries.forEach((e, i) => field in e || out.push(`${path}[${i}]: no ${field}, unlike the other entries`));
      }
      for (const field of UNIQUE_FIELDS) {
        const values = entries.map((e) => e[field]).filter((v) => v !== undefined).map((v) => JSON.stringify(v));
        const repeated = values.filter((v, i) => values.indexOf(v) !== i);
        if (repeated.length) out.push(`${path}: ${field} repeated: ${[...new Set(repeated)].join(', ')}`);
      }
    }
    value.forEach((v, i) => problems(v, `${path}[${i}]`, out, seen));
    return;
  }
  const record = value as Record<string, unknown>;
  if ('sources' in record) {
    const sources = record.sources;
    if (!Array.isArray(sources) || sources.length === 0) out.push(`${path}.sources: must name at least one source`);
    else for (const s of sources) if (!(typeof s === 'string' && s in SOURCES)) out.push(`${path}.sources: unknown source ${JSON.stringify(s)}`);
  }
  if ('evidence' in record && !EVIDENCE.has(record.evidence as string)) out.push(`${path}.evidence: unknown level ${JSON.stringify(record.evidence)}`);
  for (const [k, v] of Object.entries(record)) problems(v, `${path}.${k}`, out, seen);
}

describe('guideline tables: every entry names its sources and evidence; no empty text', () => {
  for (const [name, module] of Object.entries(TABLES)) {
    it(name, () => {
      const out: string[] = [];
      for (const [exported, value] of Object.entries(module)) problems(value, `${name}.${exported}`, out, new Set());
      assert.deepEqual(out, []);
    });
  }
  it('the checker finds what it looks for', () => {
    const out: string[] = [];
    problems(
      { rows: [{ id: 'a', label: 'A', sources: ['STRASS2'], evidence: 'verified' }, { id: 'a', label: '', sources: [], evidence: 'x' }, { id: 'b', label: 'B' }, { id: 'c', label: 'C', sources: ['NOPE'], evidence: 'consensus' }] },
      't',
      out,
      new Set(),
    );
    assert.deepEqual(out, [
      't.rows[2]: no sources, unlike the other entries',
      't.rows[2]: no evidence, unlike the other entries',
      't.rows: id repeated: "a"',
      't.rows[1].sources: must name at least one source',
      't.rows[1].evidence: unknown level "x"',
      't.rows[1].label: empty text',
      't.rows[3].sources: unknown source "NOPE"',
    ]);
  });
});
