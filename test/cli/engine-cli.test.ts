import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/cli.ts';

describe('retroplan CLI (real binary)', () => {
  it('--help lists the commands', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    for (const cmd of ['evaluate', 'model', 'schema']) assert.match(r.stdout, new RegExp(`\\b${cmd}\\b`));
  });

  it("evaluates the seed's 22 cm case to stage IIIB", async () => {
    const r = await runCli(['evaluate', 'examples/seed-22cm-ddlps.json']);
    assert.equal(r.code, 0, r.stderr);
    const evaluation = JSON.parse(r.stdout);
    assert.equal(evaluation.stage.group, 'IIIB');
    assert.equal(evaluation.stage.t, 'T4');
    assert.equal(evaluation.grade.grade, 'G3');
  });

  it('prints a readable text report with sources last', async () => {
    const r = await runCli(['evaluate', 'examples/seed-22cm-ddlps.json', '--format', 'text']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /stage IIIB/);
    const lastHeading = [...r.stdout.matchAll(/^([A-Z][^\n]*)\n-+$/gm)].map((m) => m[1]).pop();
    assert.equal(lastHeading, 'Sources');
  });

  it('reads a case from stdin', async () => {
    const r = await runCli(['evaluate', '-'], JSON.stringify({ tumor: { sizeCm: 4 }, pathology: { grade: 'G1' } }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).stage.group, 'IA');
  });

  it('invalid input → exit 2 and every problem with its JSON path', async () => {
    const r = await runCli(['evaluate', '-'], JSON.stringify({ tumor: { sizeCm: 0, contacts: ['nope'] }, pathology: { grade: 'G4' } }));
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /tumor\.sizeCm: must be a positive number ≤ 100/);
    assert.match(r.stderr, /tumor\.contacts\[0\]: unknown organ id "nope"/);
    assert.match(r.stderr, /pathology\.grade: unknown grade "G4"/);
  });

  it('malformed JSON → exit 2 with the position', async () => {
    const r = await runCli(['evaluate', '-'], '{\n  "tumor": { "sizeCm": 22,, }\n}');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not valid JSON.*line 2, column 27/);
  });

  it('a missing file → exit 2', async () => {
    const r = await runCli(['evaluate', 'no/such/case.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read no\/such\/case\.json: no such file/);
  });

  it('an unknown --format → exit 2', async () => {
    const r = await runCli(['evaluate', 'examples/seed-22cm-ddlps.json', '--format', 'xml']);
    assert.equal(r.code, 2);
  });

  it("model pseudocapsule reproduces the seed's 0.72 and 0.76", async () => {
    const r = await runCli(['model', 'pseudocapsule', '--capsule-mm', '1', '--satellite-mean-mm', '3', '--defect-fraction', '0.15']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out).sort(), ['defectFailure', 'residualDisease', 'satelliteBeyondCapsule']);
    assert.equal(out.satelliteBeyondCapsule.toFixed(2), '0.72');
    assert.equal(out.residualDisease.toFixed(2), '0.76');
  });

  it("model sampling reproduces the seed's 0.67 and 299 blocks", async () => {
    const miss = await runCli(['model', 'sampling', '--involved-fraction', '0.01', '--blocks', '40']);
    assert.equal(miss.code, 0, miss.stderr);
    const out = JSON.parse(miss.stdout);
    assert.equal(out.missProbability.toFixed(2), '0.67');
    assert.equal((out.missProbability + out.detectionProbability).toFixed(12), '1.000000000000');
    const needed = await runCli(['model', 'sampling', '--involved-fraction', '0.01', '--detection', '0.95']);
    assert.deepEqual(JSON.parse(needed.stdout), { blocksNeeded: 299 });
  });

  const outOfRange: [string, string[], RegExp][] = [
    ['P above 1', ['model', 'sampling', '--involved-fraction', '1.5', '--blocks', '3'], /--involved-fraction must be a number strictly between 0 and 1/],
    ['P of 0', ['model', 'sampling', '--involved-fraction', '0', '--blocks', '3'], /--involved-fraction/],
    ['negative N', ['model', 'sampling', '--involved-fraction', '0.1', '--blocks', '-2'], /--blocks must be a whole number ≥ 0/],
    ['both N and D', ['model', 'sampling', '--involved-fraction', '0.1', '--blocks', '2', '--detection', '0.9'], /exactly one of/],
    ['F above 1', ['model', 'pseudocapsule', '--capsule-mm', '1', '--satellite-mean-mm', '3', '--defect-fraction', '2'], /--defect-fraction must be a number from 0 to 1/],
    ['L of 0', ['model', 'pseudocapsule', '--capsule-mm', '1', '--satellite-mean-mm', '0'], /--satellite-mean-mm must be a number > 0/],
    ['not a number', ['model', 'pseudocapsule', '--capsule-mm', 'abc', '--satellite-mean-mm', '3'], /--capsule-mm must be a number ≥ 0/],
  ];
  for (const [name, args, message] of outOfRange) {
    it(`out-of-range model input (${name}) → exit 2 with a clear message`, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
    });
  }

  it('schema case prints a JSON Schema generated from the case model', async () => {
    const r = await runCli(['schema', 'case']);
    assert.equal(r.code, 0, r.stderr);
    const schema = JSON.parse(r.stdout);
    assert.equal(schema.type, 'object');
    assert.equal(schema.additionalProperties, false);
    assert.equal(schema.properties.tumor.properties.sizeCm.maximum, 100);
    assert.ok(schema.properties.tumor.properties.contacts.items.enum.includes('kidney_left'));
    const bad = await runCli(['schema', 'nope']);
    assert.equal(bad.code, 2);
  });

  it('an unknown command → exit 2', async () => {
    const r = await runCli(['frobnicate']);
    assert.equal(r.code, 2);
  });
});
