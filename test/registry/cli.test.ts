/** `retroplan registry stage` through the real binary: CSV and NDJSON output, malformed rows, --strict, --from cases. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli } from '../support/cli.ts';

const HEADER =
  'primarySite,histologicTypeIcdO3,behaviorCodeIcdO3,sex,eodPrimaryTumor,tumorSizeSummary,eodRegionalNodes,eodMets,gradeClinical,gradePathological,gradePostTherapyClin,gradePostTherapyPath,registryId,note';
const OUT = ['derivedEod2018T', 'derivedEod2018N', 'derivedEod2018M', 'derivedEod2018StageGroup', 'derivedSummaryStage2018', 'stagingErrors', 'stagingNotes'];

// Line 1 header; lines 2–3 one record (quoted newline in a pass-through column); 4 outside the schema;
// 5 too few columns; 6 invalid UTF-8 bytes; 7 non-AJCC histology.
function batchFile(dir: string): string {
  const file = join(dir, 'batch.csv');
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.from(`${HEADER}\n`),
      Buffer.from('C480,8858,3,1,200,120,000,00,9,3,,,R1,"two\nlines"\n'),
      Buffer.from('C490,8858,3,2,100,040,000,00,1,9,,,R2,soft tissue\n'),
      Buffer.from('C480,8858,3\n'),
      Buffer.from('C480,8858,3,1,100,040,000,00,1,9,,,R4,'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\nC480,8851,3,2,200,200,000,00,1,9,,,R5,wdlps\n'),
    ]),
  );
  return file;
}

function withDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retroplan-registry-cli-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'CSV: every input column passed through in order, SEER outputs appended, one row per input row; malformed rows reported by line',
  withDir(async (dir) => {
    const run = await runCli(['registry', 'stage', batchFile(dir)]);
    assert.equal(run.code, 0, run.stderr);
    const rows = parse(run.stdout) as string[][];
    assert.deepEqual(rows[0], [...HEADER.split(','), ...OUT]);
    assert.equal(rows.length, 6);
    // Row 1: extension 200 + 120 mm → T3; grade 3 → 3B; SS2018 2 (see retroperitoneum.test.ts for the table rows).
    assert.deepEqual(rows[1], ['C480', '8858', '3', '1', '200', '120', '000', '00', '9', '3', '', '', 'R1', 'two\nlines', 'T3', 'N0', 'M0', '3B', '2', '', '']);
    assert.deepEqual(rows[2]!.slice(12, 19), ['R2', 'soft tissue', '', '', '', '', '']);
    assert.match(rows[2]![19]!, /^not in the Retroperitoneum schema \(primarySite C490, histologicTypeIcdO3 8858, sex 2\)/);
    assert.deepEqual(rows[3]!.slice(0, 3), ['C480', '8858', '3']);
    assert.equal(rows[3]![19], 'line 5: expected 14 columns, found 3');
    assert.equal(rows[4]![12], 'R4');
    assert.equal(rows[4]![19], 'line 6: not valid UTF-8');
    assert.deepEqual(rows[5]!.slice(12, 19), ['R5', 'wdlps', '88', '88', '88', '88', '2']);
    assert.match(rows[5]![20]!, /not AJCC-staged/);
    assert.deepEqual(run.stderr.trim().split('\n'), ['malformed: line 5: expected 14 columns, found 3', 'malformed: line 6: not valid UTF-8']);
  }),
);

test(
  'NDJSON to a file: one object per input row, keyed by column',
  withDir(async (dir) => {
    const out = join(dir, 'out.ndjson');
    const run = await runCli(['registry', 'stage', batchFile(dir), '--format', 'ndjson', '--output', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    assert.equal(lines.length, 5);
    assert.equal(lines[0]!.registryId, 'R1');
    assert.equal(lines[0]!.note, 'two\nlines');
    assert.equal(lines[0]!.derivedEod2018StageGroup, '3B');
    assert.equal(lines[3]!.stagingErrors, 'line 6: not valid UTF-8');
    assert.equal(lines[4]!.derivedEod2018T, '88');
  }),
);

test(
  '--strict stops at the first malformed row with exit code 2, keeping the rows before it',
  withDir(async (dir) => {
    const run = await runCli(['registry', 'stage', batchFile(dir), '--strict']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /malformed: line 5: expected 14 columns, found 3/);
    assert.match(run.stderr, /stopped at the first malformed row/);
    assert.doesNotMatch(run.stderr, /line 6/);
    const rows = parse(run.stdout) as string[][];
    assert.deepEqual(rows.map((r) => r[12]), ['registryId', 'R1', 'R2']);
  }),
);

test('stdin, an unclosed quote reported with its line, and bad arguments exit 2', async () => {
  const run = await runCli(['registry', 'stage', '-'], `${HEADER}\nC480,8858,3,1,100,020,000,00,1,9,,,R1,ok\n"C480,8858\n`);
  assert.equal(run.code, 0, run.stderr);
  const rows = parse(run.stdout) as string[][];
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[1]!.slice(14, 19), ['T1', 'N0', 'M0', '1A', '1']);
  assert.match(rows[2]![19]!, /^line 3: Quote Not Closed/);
  assert.equal((await runCli(['registry', 'stage', '-', '--format', 'xml'], '')).code, 2);
  assert.equal((await runCli(['registry', 'stage'], '')).code, 2);
  assert.equal((await runCli(['registry', 'stage', 'no-such-file.csv'])).code, 2);
});

test(
  '--from cases: the clinical engine and SEER side by side, labelled; a line that is not JSON is reported',
  withDir(async (dir) => {
    const file = join(dir, 'cases.ndjson');
    const seed = JSON.parse(readFileSync(new URL('../../examples/seed-22cm-ddlps.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const resected = { ...seed, id: 'resected', tumor: { ...(seed.tumor as object), infiltrates: ['kidney_left'] } };
    writeFileSync(file, `${JSON.stringify(seed)}\n{not json\n\n${JSON.stringify(resected)}\n`);
    const run = await runCli(['registry', 'stage', '--from', file, '--format', 'ndjson']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, 'malformed: line 2: not valid JSON (Expected property name or \'}\' in JSON at position 1)\n');
    const rows = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(rows.map((r) => r.line), ['1', '2', '4']);
    // The seed case: 22 cm, G3 → the engine's AJCC 8 stage IIIB (T4). Extension not recorded → SEER default 999 → TX; grade 3 → 99.
    assert.deepEqual([rows[0]!.engineStageGroup, rows[0]!.engineT, rows[0]!.engineG], ['IIIB', 'T4', 'G3']);
    assert.deepEqual([rows[0]!.derivedEod2018T, rows[0]!.derivedEod2018StageGroup, rows[0]!.tumorSizeSummary], ['TX', '99', '220']);
    assert.match(rows[0]!.stagingNotes!, /tumor\.infiltrates not recorded/);
    assert.match(rows[1]!.engineErrors!, /line 2: not valid JSON/);
    // Kidney infiltrated → EOD Primary Tumor 200; 220 mm → T4 (size row 151-989); grade 3 → tnm8 "4,0,0,3" → 3B; SS2018 RE → 2.
    assert.deepEqual([rows[2]!.eodPrimaryTumor, rows[2]!.derivedEod2018T, rows[2]!.derivedEod2018StageGroup, rows[2]!.derivedSummaryStage2018], ['200', 'T4', '3B', '2']);
    assert.equal(rows[2]!.engineStageGroup, 'IIIB');
  }),
);
