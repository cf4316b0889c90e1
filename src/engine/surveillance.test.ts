import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planSurveillance, surveillanceVisits } from './surveillance.ts';
import { histologyByCode } from './tables/histology.ts';
import { failurePatternFor } from './failure-pattern.ts';

const h = (code: string) => histologyByCode(code)!;

describe('surveillance schedules (REFERENCE §7, ESMO-2010)', () => {
  it('G2–G3: 3–4 months to 2–3 years, 6 months to year 5, then yearly (open-ended)', () => {
    for (const g of ['G2', 'G3'] as const) {
      const s = planSurveillance(g, h('8890/3'), true).schedule;
      assert.deepEqual(
        s.map((p) => [p.fromMonth, p.toMonth, p.minIntervalMonths, p.maxIntervalMonths]),
        [[0, 24, 3, 4], [24, 36, 3, 6], [36, 60, 6, 6], [60, null, 12, 12]],
      );
    }
  });
  it('G1: 4–6 months for 3–5 years, then yearly', () => {
    const s = planSurveillance('G1', h('8851/3'), true).schedule;
    assert.deepEqual(s.map((p) => [p.fromMonth, p.toMonth, p.minIntervalMonths, p.maxIntervalMonths]), [[0, 36, 4, 6], [36, 60, 4, 12], [60, null, 12, 12]]);
  });
  it('imaging: CT abdomen/pelvis always; chest CT or X-ray for low grade; chest CT for G3 and LMS', () => {
    assert.deepEqual(planSurveillance('G1', h('8851/3'), true).schedule[0]!.imaging, ['contrast-enhanced CT of abdomen and pelvis', 'chest CT or chest X-ray']);
    assert.equal(planSurveillance('G1', h('8890/3'), true).schedule[0]!.imaging[1], 'chest CT');
    assert.equal(planSurveillance('G3', h('8858/3'), true).schedule[0]!.imaging[1], 'chest CT');
    assert.equal(planSurveillance('G2', h('8858/3'), true).schedule[0]!.imaging[1], 'chest CT');
  });
  it('the ESMO schedule is verified; chest CT at every visit and lifelong follow-up are labelled consensus', () => {
    assert.deepEqual(planSurveillance('G3', h('8858/3'), true).rules, [
      { id: 'esmo-schedule', evidence: 'verified' },
      { id: 'lifelong-liposarcoma', evidence: 'consensus' },
      { id: 'chest-ct-every-visit', evidence: 'consensus' },
    ]);
    assert.deepEqual(planSurveillance('G2', h('9540/3'), true).rules, [{ id: 'esmo-schedule', evidence: 'verified' }]);
  });
  it('WD/DD-LPS: lifelong-leaning; other histologies: not determined', () => {
    assert.equal(planSurveillance('G1', h('8851/3'), true).lifelong, true);
    assert.equal(planSurveillance('G3', h('8858/3'), true).lifelong, true);
    assert.equal(planSurveillance('G3', h('8890/3'), true).lifelong, null);
  });
  it('WD-LPS without a reported grade: the low-grade schedule, with a note (FNCLCC differentiation 1)', () => {
    const s = planSurveillance('GX', h('8851/3'), true);
    assert.deepEqual(s.schedule.map((p) => [p.fromMonth, p.minIntervalMonths, p.maxIntervalMonths]), [[0, 4, 6], [36, 4, 12], [60, 12, 12]]);
    assert.match(s.reasons[0]!, /low grade by definition/);
  });
  it('after an incomplete resection: no routine schedule, the MDT decides first', () => {
    const s = planSurveillance('G3', h('8858/3'), true, true);
    assert.deepEqual(s.schedule, []);
    assert.match(s.missing[0]!, /MDT/);
  });
  it('GX: no schedule, says the grade is missing instead of guessing', () => {
    const s = planSurveillance('GX', h('8858/3'), true);
    assert.deepEqual(s.schedule, []);
    assert.match(s.missing[0]!, /grade/);
    assert.match(s.reasons[0]!, /not determined/);
  });
  it('not a sarcoma: no sarcoma follow-up', () => {
    assert.deepEqual(planSurveillance('G3', h('9590/3'), false).schedule, []);
  });
  it('sarcoma not established: provisional, said so', () => {
    assert.ok(planSurveillance('G2', undefined, null).reasons.some((r) => /assumes a sarcoma/.test(r)));
  });
  it('visit calendar uses the earliest date of each interval', () => {
    const months = surveillanceVisits(planSurveillance('G3', h('8858/3'), true), 120).map((v) => v.month);
    assert.deepEqual(months.slice(0, 12), [3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36]);
    assert.deepEqual(months.slice(12), [42, 48, 54, 60, 72, 84, 96, 108, 120]);
    const low = surveillanceVisits(planSurveillance('G1', h('8851/3'), true), 120).map((v) => v.month);
    assert.deepEqual(low, [4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 72, 84, 96, 108, 120]);
  });
});

describe('failure pattern (REFERENCE §4)', () => {
  const golden: [string, string | null, RegExp][] = [
    ['8851/3', 'local-dominant', /39 %/],
    ['8858/3', 'local-dominant', /57 %.*44 %/],
    ['8890/3', 'distant-dominant', /half/],
    ['9540/3', 'comparable', /High-risk/],
    ['8815/1', 'distant-dominant', /90 %/],
    ['8802/3', null, /not determined/],
  ];
  for (const [code, pattern, figure] of golden) {
    it(`${code} → ${pattern}`, () => {
      const r = failurePatternFor(h(code), true);
      assert.equal(r.pattern, pattern);
      assert.ok(r.reasons.some((x) => figure.test(x)), r.reasons.join(' | '));
      assert.ok(r.reasons.some((x) => /31\.3 %/.test(x)), 'whole-cohort figures');
    });
  }
  it('SFT pattern is labelled consensus', () => assert.equal(failurePatternFor(h('8815/1'), true).evidence, 'consensus'));
  it('no histology or a non-sarcoma: null', () => {
    assert.equal(failurePatternFor(undefined, null).pattern, null);
    assert.equal(failurePatternFor(h('9590/3'), false).pattern, null);
  });
});
