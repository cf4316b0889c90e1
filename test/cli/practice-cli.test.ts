import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'retroplan-practice-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('retroplan practice (real binary)', () => {
  it('--list by topic', async () => {
    const r = await runCli(['practice', '--list', '--topic', 'margins']);
    assert.equal(r.code, 0, r.stderr);
    const ids = r.stdout.trim().split('\n').map((l) => l.split('\t')[0]);
    assert.ok(ids.includes('28-pseudocapsule-model') && ids.includes('29-margin-sampling'));
    assert.ok(!ids.includes('04-hypervascular-para-aortic-mass'));
  });

  it('--answers marks a scripted attempt with the engine as examiner', async () => {
    const file = join(dir, 'answers.json');
    writeFileSync(file, JSON.stringify({ '29-margin-sampling': { 'model/blocks-95': 299, 'model/blocks-50': 10 } }));
    const r = await runCli(['practice', '--case', '29-margin-sampling', '--answers', file]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.max, 2);
    assert.equal(report.score, 1);
    assert.deepEqual(report.cases[0].marks.map((m: { score: number; expected: number }) => [m.score, m.expected]), [[1, 299], [0, 69]]);
  });

  it('--check: the shipped cases are in step with the engine', async () => {
    const r = await runCli(['practice', '--check']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /in step with the engine/);
  });

  it('bad input exits 2: unknown topic, unknown case, no terminal and no answers', async () => {
    assert.equal((await runCli(['practice', '--topic', 'cooking'])).code, 2);
    assert.match((await runCli(['practice', '--case', 'nope'])).stderr, /no practice case "nope"/);
    const noTty = await runCli(['practice', '--case', '29-margin-sampling']);
    assert.equal(noTty.code, 2);
    assert.match(noTty.stderr, /needs a terminal/);
  });
});
