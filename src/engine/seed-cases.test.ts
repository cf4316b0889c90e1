import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { evaluate, type Evaluation } from './index.ts';

// The seed chapter's patients end to end through `evaluate` (examples/*.json).
function run(file: string): Evaluation {
  const r = evaluate(JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8')));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
const priorityIds = (e: Evaluation) => e.strategy.priorities.map((p) => p.id);

describe('seed chapter, end to end', () => {
  it('22 cm DD-LPS: IIIB, local-dominant, radical en bloc with kidney and colon, G3 → neoadjuvant chemotherapy', () => {
    const e = run('seed-22cm-ddlps.json');
    assert.equal(e.diagnosis.leading?.code, '8858/3');
    assert.equal(e.diagnosis.isSarcoma, true);
    assert.equal(e.stage.group, 'IIIB');
    assert.equal(e.failurePattern.pattern, 'local-dominant');
    assert.deepEqual(priorityIds(e), ['en-bloc-resection', 'neoadjuvant-chemotherapy', 'refer-sarcoma-centre']);
    assert.deepEqual(e.resectionPlan.enBloc, ['kidney_left', 'colon_descending']);
    assert.equal(e.resectionPlan.resectability.status, 'resectable');
    assert.ok(e.resectionPlan.preoperativeChecks.some((c) => c.id === 'contralateral-kidney-function'));
    assert.equal(e.surveillance.lifelong, true);
    assert.equal(e.referral.recommended, true);
    // Findings agree with the pathologist: carcinoma, lymphoma and paraganglioma are excluded by their negative markers.
    for (const code of ['8312/3', '9590/3', '8693/3']) assert.equal(e.diagnosis.differential.find((d) => d.code === code)!.status, 'excluded');
  });

  it('slow-growing WD-LPS: a perfect en bloc resection is everything, no chemotherapy, G1 follow-up for life', () => {
    const e = run('seed-wdlps.json');
    assert.equal(e.failurePattern.pattern, 'local-dominant');
    assert.equal(priorityIds(e)[0], 'en-bloc-resection');
    assert.ok(priorityIds(e).includes('no-chemotherapy') && !priorityIds(e).includes('neoadjuvant-chemotherapy'));
    // Left-sided: spleen and pancreatic body/tail come out en bloc, with vaccination beforehand.
    assert.ok(e.resectionPlan.enBloc.includes('spleen') && e.resectionPlan.enBloc.includes('pancreas_body_tail'));
    assert.ok(e.resectionPlan.preoperativeChecks.some((c) => c.id === 'splenectomy-vaccination'));
    assert.equal(e.stage.group, 'IB');
    assert.equal(e.surveillance.schedule[0]!.minIntervalMonths, 4);
    assert.equal(e.surveillance.lifelong, true);
  });

  it('rapidly doubling LMS: systemic problem from day one — neoadjuvant chemotherapy first, IVC resected and reconstructed', () => {
    const e = run('seed-lms.json');
    assert.equal(e.grade.grade, 'G3');
    assert.equal(e.failurePattern.pattern, 'distant-dominant');
    assert.deepEqual(priorityIds(e).slice(0, 3), ['neoadjuvant-chemotherapy', 'en-bloc-resection', 'vein-resection-reconstruction']);
    assert.ok(e.resectionPlan.vascular.some((v) => v.organ === 'ivc' && v.action === 'resect-and-reconstruct'));
    assert.ok(e.resectionPlan.preoperativeChecks.some((c) => c.id === 'vascular-surgeon'));
    assert.deepEqual(e.resectionPlan.preserveUnlessInfiltrated, ['duodenum']);
    assert.equal(e.surveillance.schedule[0]!.imaging[1], 'chest CT');
  });

  it('fast-growing DD-LPS: dual threat — radical en bloc resection plus systemic therapy (G3)', () => {
    const e = run('seed-ddlps-fast.json');
    assert.equal(e.grade.grade, 'G3');
    assert.equal(e.stage.group, 'IIIB');
    assert.deepEqual(priorityIds(e), ['en-bloc-resection', 'neoadjuvant-chemotherapy', 'refer-sarcoma-centre']);
    assert.match(e.strategy.priorities[0]!.rationale, /radical/);
    assert.deepEqual(e.resectionPlan.enBloc, ['kidney_right', 'adrenal_right', 'colon_ascending', 'psoas_right']);
  });

  it('hypervascular adrenal mass: metanephrines before any biopsy; not yet staged as a sarcoma with confidence', () => {
    const e = run('paraganglioma-suspected.json');
    assert.equal(e.diagnosis.leading, null);
    assert.equal(priorityIds(e)[0], 'biochemical-workup');
    assert.equal(e.diagnosis.nextTests[0]!.id, 'biochemistry:metanephrines');
    assert.ok(e.warnings.some((w) => w.code === 'stage-assumes-sarcoma'));
  });

  it('lymphoma on core biopsy: no resection, no stage group, no sarcoma referral', () => {
    const e = run('lymphoma.json');
    assert.equal(e.diagnosis.leading?.code, '9590/3');
    assert.equal(e.stage.group, null);
    assert.deepEqual(priorityIds(e), ['no-resection', 'non-sarcoma-pathway']);
    assert.deepEqual(e.resectionPlan.enBloc, []);
    assert.equal(e.referral.recommended, false);
  });
});
