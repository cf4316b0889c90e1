import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { adviseReferral, assessMargin, evaluate, evaluateCase, failurePatternFor, histologyByCode, planSurveillance, validateCase, type Evaluation } from './index.ts';

/**
 * The evaluation of every example case, as recorded in test/fixtures/evaluations:
 * speed work on the engine must not change a single conclusion, reason or source.
 * Regenerate a fixture only for a deliberate change of the output, and say why.
 */
const examples = new URL('../../examples/', import.meta.url);
const fixtures = new URL('../../test/fixtures/evaluations/', import.meta.url);

function evaluateExample(file: string): Evaluation {
  const result = evaluate(JSON.parse(readFileSync(new URL(file, examples), 'utf8')));
  assert.ok(result.ok, `${file} is a valid case`);
  return result.value;
}

describe('evaluations of the example cases are unchanged', () => {
  const files = readdirSync(examples).filter((f) => f.endsWith('.json'));
  it('there is a recorded evaluation for every example', () => {
    assert.ok(files.length >= 6);
    assert.deepEqual(files.sort(), readdirSync(fixtures).filter((f) => f.endsWith('.json')).sort());
  });
  for (const file of files) {
    it(file, () => {
      const expected: unknown = JSON.parse(readFileSync(new URL(file, fixtures), 'utf8'));
      assert.deepEqual(JSON.parse(JSON.stringify(evaluateExample(file))), expected);
    });
  }
  it('evaluating the same case twice gives the same document (shared parts stay untouched)', () => {
    for (const file of files) assert.deepEqual(JSON.stringify(evaluateExample(file)), JSON.stringify(evaluateExample(file)));
  });
});

function assertDeepFrozen(value: unknown, path: string): void {
  if (typeof value !== 'object' || value === null) return;
  assert.ok(Object.isFrozen(value), `${path} is frozen`);
  for (const [key, child] of Object.entries(value)) assertDeepFrozen(child, `${path}.${key}`);
}

describe('parts shared between evaluations are deeply frozen', () => {
  const sample = evaluateExample('seed-22cm-ddlps.json');
  it('referral, surveillance, failure pattern, strategy and margin', () => {
    assertDeepFrozen(sample.referral, 'referral');
    assertDeepFrozen(sample.surveillance, 'surveillance');
    assertDeepFrozen(sample.failurePattern, 'failurePattern');
    assertDeepFrozen(sample.strategy, 'strategy');
    assertDeepFrozen(sample.margin, 'margin');
  });
  it('findings, red flags and next tests', () => {
    for (const d of sample.diagnosis.differential) {
      for (const f of [...d.findingsFor, ...d.findingsAgainst]) assertDeepFrozen(f, `finding ${f.item}`);
      assertDeepFrozen(d.sources, `${d.code}.sources`);
    }
    const pgl = evaluateExample('paraganglioma-suspected.json');
    assert.ok(pgl.diagnosis.redFlags.length > 0);
    for (const f of pgl.diagnosis.redFlags) assertDeepFrozen(f, `redFlag ${f.id}`);
    for (const t of pgl.diagnosis.nextTests) if (t.informationGainBits === null) assertDeepFrozen(t, `nextTest ${t.id}`);
  });
  it('a caller cannot change a shared part for everyone', () => {
    const referral = adviseReferral(sample as never, true);
    assert.throws(() => (referral.reasons as string[]).push('tampered'), TypeError);
    assert.throws(() => {
      (assessMargin('R0') as { status: string }).status = 'R2';
    }, TypeError);
    const plan = planSurveillance('G3', histologyByCode('8858/3'), true);
    assert.throws(() => (plan.schedule as unknown[]).pop(), TypeError);
    assert.equal(failurePatternFor(histologyByCode('8858/3'), true), failurePatternFor(histologyByCode('8858/3'), true));
  });
});

describe('excluded candidates keep their decisive findings', () => {
  it('every excluded candidate lists at least one strong finding against it, and nothing merely consistent', () => {
    const checked = validateCase(JSON.parse(readFileSync(new URL('seed-22cm-ddlps.json', examples), 'utf8')));
    assert.ok(checked.ok);
    const excluded = evaluateCase(checked.value).diagnosis.differential.filter((d) => d.status === 'excluded');
    assert.ok(excluded.length > 0);
    for (const d of excluded) {
      assert.ok(d.findingsAgainst.length > 0 && d.findingsAgainst.every((f) => f.strength === 'strong'), d.code);
      assert.ok(d.findingsFor.every((f) => f.strength !== 'consistent'), d.code);
    }
  });
});
