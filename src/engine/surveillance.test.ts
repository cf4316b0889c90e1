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

// Reason lines, rules and sources of each kind of plan, written out by hand from REFERENCE §7 and
// REFERENCE-2 §4–§5 (the mutation run of surveillance.ts found them asserted only by presence).
describe('planSurveillance: each kind of plan, exactly', () => {
  const HIGH = 'every 3–4 months for the first 2–3 years; year 3: every 3–4 months (up to 3 years) or every 6 months (from 2 years); every 6 months to year 5; then yearly';
  const LOW = 'every 4–6 months for 3–5 years; years 4–5: every 4–6 months (up to 5 years) or yearly (from 3 years); then yearly';
  const ABDOMEN = 'contrast-enhanced CT of abdomen and pelvis';

  it('G2 UPS: the intermediate/high-grade schedule, chest CT, no end date', () => {
    const p = planSurveillance('G2', h('8802/3'), true);
    assert.deepEqual(p.reasons, [`Intermediate/high grade (G2): ${HIGH}.`, `Imaging at each visit: ${ABDOMEN} and chest CT.`, 'Yearly visits continue after year 5; the reference sets no end date for this histology.']);
    assert.deepEqual(p.rules, [{ id: 'esmo-schedule', evidence: 'verified' }]);
    assert.deepEqual(p.sources, ['ESMO-2010']);
    assert.equal(p.lifelong, null);
    assert.deepEqual(p.missing, []);
  });

  it('G1 DD-LPS: low-grade schedule, chest CT or X-ray, lifelong-leaning', () => {
    const p = planSurveillance('G1', h('8858/3'), true);
    assert.deepEqual(p.reasons, [
      'dedifferentiated liposarcoma: recurrences occur beyond 10 years — follow-up is long-term, lifelong-leaning [consensus on the schedule].',
      `Low grade (G1): ${LOW}.`,
      `Imaging at each visit: ${ABDOMEN} and chest CT or chest X-ray.`,
    ]);
    assert.deepEqual(p.rules, [{ id: 'esmo-schedule', evidence: 'verified' }, { id: 'lifelong-liposarcoma', evidence: 'consensus' }]);
    assert.deepEqual([...p.sources].sort(), ['ESMO-2010', 'HAAS-2019', 'SEED']);
    assert.equal(p.lifelong, true);
  });

  it('G3 and LMS: chest CT every visit, said and cited', () => {
    const g3 = planSurveillance('G3', h('8802/3'), true);
    assert.ok(g3.reasons.includes('G3: chest CT at every visit [consensus].'));
    assert.deepEqual(g3.rules, [{ id: 'esmo-schedule', evidence: 'verified' }, { id: 'chest-ct-every-visit', evidence: 'consensus' }]);
    assert.deepEqual([...g3.sources].sort(), ['ESMO-2010', 'SEED']);
    const lms = planSurveillance('G1', h('8890/3'), true);
    assert.ok(lms.reasons.includes('Leiomyosarcoma (distant metastasis dominates): chest CT at every visit [consensus].'));
    assert.ok(lms.reasons.includes(`Imaging at each visit: ${ABDOMEN} and chest CT.`));
    assert.deepEqual(lms.schedule[0]!.imaging, [ABDOMEN, 'chest CT']);
    assert.ok(!planSurveillance('G2', h('8802/3'), true).reasons.some((r) => /every visit \[consensus\]/.test(r)));
  });

  it('an unestablished diagnosis says the schedule assumes a sarcoma; a confirmed one does not', () => {
    assert.ok(planSurveillance('G2', h('8802/3'), null).reasons.includes('The diagnosis is not established: this schedule assumes a sarcoma.'));
    assert.ok(!planSurveillance('G2', h('8802/3'), true).reasons.some((r) => /not established/.test(r)));
  });

  it('GX WD-LPS takes the low-grade schedule only when confirmed as a sarcoma, citing FNCLCC', () => {
    const p = planSurveillance('GX', h('8851/3'), true);
    assert.equal(p.schedule[0]!.minIntervalMonths, 4);
    assert.match(p.reasons[0]!, /^Grade not reported: well-differentiated liposarcoma is low grade by definition/);
    assert.ok(p.sources.includes('FNCLCC'));
    assert.deepEqual(planSurveillance('GX', h('8851/3'), null).schedule, [], 'not when the diagnosis is open');
    assert.deepEqual(planSurveillance('GX', h('8858/3'), true).schedule, [], 'not for DD-LPS');
    assert.deepEqual(planSurveillance('GX', undefined, true).schedule, []);
    assert.deepEqual(planSurveillance('GX', h('8802/3'), true).sources, ['ESMO-2010'], 'the undetermined schedule still cites ESMO');
    assert.ok(planSurveillance('G3', undefined, true).reasons.includes('G3: chest CT at every visit [consensus].'), 'G3 without a histology');
  });

  it('not a sarcoma: its own pathway, named; the residual-disease plan only for a (possible) sarcoma', () => {
    const lymphoma = planSurveillance('G2', h('9590/3'), false);
    assert.deepEqual([lymphoma.schedule, lymphoma.missing, lymphoma.rules, lymphoma.sources], [[], [], [], ['SEED']]);
    assert.deepEqual(lymphoma.reasons, ['lymphoma, NOS is not a sarcoma: sarcoma follow-up does not apply; its own pathway sets the follow-up.']);
    assert.deepEqual(planSurveillance('G2', undefined, false).reasons, ['This tumour is not a sarcoma: sarcoma follow-up does not apply; its own pathway sets the follow-up.']);
    const residual = planSurveillance('G2', h('8802/3'), true, true);
    assert.deepEqual([residual.schedule, residual.rules, residual.sources], [[], [], ['NG-SWALLOW-2018', 'ESMO-2010']]);
    assert.match(residual.reasons[0]!, /^After an incomplete resection \(R2, shell-out or piecemeal\): not routine follow-up/);
    assert.equal(planSurveillance('G2', h('9590/3'), false, true).reasons[0], lymphoma.reasons[0], 'a non-sarcoma never gets the residual-disease plan');
  });

  it('every grade × histology × status combination, called in turn, gets its own plan (no shared-cache mix-up)', () => {
    const codes = ['8851/3', '8858/3', '8890/3', '8802/3', '9590/3'];
    const expected = (grade: string, code: string, isSarcoma: boolean | null) => {
      if (isSarcoma === false) return 'none';
      const g = grade === 'GX' && code === '8851/3' && isSarcoma === true ? 'G1' : grade;
      return g === 'GX' ? 'none' : g === 'G1' ? 4 : 3;
    };
    for (let round = 0; round < 2; round += 1) {
      for (const grade of ['G1', 'G2', 'G3', 'GX'] as const) {
        for (const code of codes) {
          for (const isSarcoma of [true, null, false]) {
            const p = planSurveillance(grade, h(code), isSarcoma);
            const want = expected(grade, code, isSarcoma);
            assert.equal(want === 'none' ? 'none' : p.schedule[0]?.minIntervalMonths, want === 'none' ? 'none' : want, `${grade} ${code} ${isSarcoma}`);
            if (want === 'none') assert.deepEqual(p.schedule, [], `${grade} ${code} ${isSarcoma}`);
            assert.equal(p.reasons.includes('The diagnosis is not established: this schedule assumes a sarcoma.'), isSarcoma === null && want !== 'none');
            assert.equal(p.lifelong === true, isSarcoma !== false && ['8851/3', '8858/3'].includes(code));
          }
        }
      }
    }
  });

  it('the visit calendar carries each period’s imaging and stops at the horizon', () => {
    const visits = surveillanceVisits(planSurveillance('G2', h('8802/3'), true), 30);
    assert.deepEqual(visits.map((v) => v.month), [3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    assert.deepEqual(visits[0]!.imaging, [ABDOMEN, 'chest CT']);
    assert.deepEqual(surveillanceVisits(planSurveillance('GX', undefined, true)), []);
  });
});
