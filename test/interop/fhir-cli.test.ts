import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli } from '../support/cli.ts';
import { r4Issues, examplePath } from './support.ts';

describe('retroplan fhir (real binary)', () => {
  it('import prints the case on stdout and the report on stderr', async () => {
    const r = await runCli(['fhir', 'import', 'test/fixtures/fhir/rps-ddlps-bundle.json', '--as-of', '2025-01-01']);
    assert.equal(r.code, 0, r.stderr);
    const c = JSON.parse(r.stdout);
    assert.equal(c.tumor.sizeCm, 22);
    assert.equal(c.pathology.histology, '8858/3');
    assert.match(r.stderr, /^FHIR import: 8 resource\(s\) used, 8 ignored/);
    assert.match(r.stderr, /ignored {2}Observation\/obs-12: its status is entered-in-error/);
  });

  it('import --report json; reading stdin; an mCODE example with unusable resources imports the rest', async () => {
    const bundle = readFileSync(examplePath('mcode-examples', 'csv-staging-bundle.json'), 'utf8');
    const r = await runCli(['fhir', 'import', '-', '--report', 'json'], bundle);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).tumor.metastasis, 'M0');
    assert.equal(JSON.parse(r.stderr).ignored.length, 2);
  });

  it('input that is not FHIR JSON exits 2 with a clear message', async () => {
    const notJson = await runCli(['fhir', 'import', '-'], '{"resourceType": ');
    assert.equal(notJson.code, 2);
    assert.match(notJson.stderr, /stdin is not valid JSON/);
    const notFhir = await runCli(['fhir', 'import', '-'], '{"name": "x"}');
    assert.equal(notFhir.code, 2);
    assert.equal(notFhir.stdout, '');
    assert.match(notFhir.stderr, /not a FHIR resource or Bundle:\n {2}resourceType: is required/);
  });

  it('export prints a valid R4 Bundle; an invalid case exits 2 with its field paths', async () => {
    const r = await runCli(['fhir', 'export', 'examples/seed-22cm-ddlps.json', '--patient', 'Patient/42']);
    assert.equal(r.code, 0, r.stderr);
    const bundle = JSON.parse(r.stdout);
    assert.equal(bundle.resourceType, 'Bundle');
    assert.deepEqual(r4Issues(bundle), []);
    const bad = await runCli(['fhir', 'export', '-'], JSON.stringify({ tumor: { sizeCm: -1 } }));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /tumor\.sizeCm: must be a positive number/);
  });

  it('export | import round-trips the seed case to stage IIIB', async () => {
    const out = await runCli(['fhir', 'export', 'examples/seed-22cm-ddlps.json']);
    const back = await runCli(['fhir', 'import', '-'], out.stdout);
    assert.equal(back.code, 0, back.stderr);
    const evaluated = await runCli(['evaluate', '-'], back.stdout);
    assert.equal(JSON.parse(evaluated.stdout).stage.group, 'IIIB');
  });
});
