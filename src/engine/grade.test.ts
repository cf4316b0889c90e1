import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { gradeFnclcc, gradeFromTotal, mitosesPer10HpfFromArea, mitosisScore, necrosisScore } from './grade.ts';
import { histologyByCode } from './tables/histology.ts';
import type { Pathology } from './index.ts';

describe('FNCLCC component scores (REFERENCE §2)', () => {
  const mitoses: [number, number][] = [[0, 1], [9, 1], [10, 2], [19, 2], [20, 3], [250, 3]];
  for (const [count, score] of mitoses) it(`${count} mitoses/10 HPF → ${score}`, () => assert.equal(mitosisScore(count), score));

  const necrosis: [number, number][] = [[0, 0], [0.5, 1], [1, 1], [49, 1], [49.9, 1], [50, 2], [100, 2]];
  for (const [pct, score] of necrosis) it(`${pct} % necrosis → ${score}`, () => assert.equal(necrosisScore(pct), score));

  const totals: [number, string][] = [[2, 'G1'], [3, 'G1'], [4, 'G2'], [5, 'G2'], [6, 'G3'], [7, 'G3'], [8, 'G3']];
  for (const [total, grade] of totals) it(`total ${total} → ${grade}`, () => assert.equal(gradeFromTotal(total), grade));

  it('rejects impossible values rather than guessing', () => {
    assert.throws(() => mitosisScore(-1), RangeError);
    assert.throws(() => necrosisScore(101), RangeError);
    assert.throws(() => gradeFromTotal(1), RangeError);
    assert.throws(() => gradeFromTotal(9), RangeError);
  });

  it('normalises a mitotic count over another area to 10 HPF (1.734 mm²)', () => {
    assert.equal(mitosesPer10HpfFromArea(10, 1.734), 10);
    assert.ok(Math.abs(mitosesPer10HpfFromArea(5, 1) - 8.67) < 1e-9);
  });
});

describe('gradeFnclcc', () => {
  it('scores components and explains each', () => {
    const g = gradeFnclcc({ fnclcc: { differentiation: 3, mitosesPer10Hpf: 20, necrosisPercent: 50 } });
    assert.deepEqual(
      [g.differentiationScore, g.mitosisScore, g.necrosisScore, g.totalScore, g.grade, g.basis],
      [3, 3, 2, 8, 'G3', 'fnclcc'],
    );
    assert.equal(g.reasons.length, 4);
    assert.ok(g.sources.includes('FNCLCC'));
  });

  it('9 vs 10 mitoses crosses G1 → G2 for a WD-LPS-like tumour', () => {
    assert.equal(gradeFnclcc({ fnclcc: { differentiation: 1, mitosesPer10Hpf: 9, necrosisPercent: 0 } }).grade, 'G1');
    assert.equal(gradeFnclcc({ fnclcc: { differentiation: 2, mitosesPer10Hpf: 10, necrosisPercent: 0 } }).grade, 'G2');
  });

  it('uses a reported grade without inventing scores', () => {
    const g = gradeFnclcc({ grade: 'G2' });
    assert.equal(g.grade, 'G2');
    assert.equal(g.basis, 'reported');
    assert.equal(g.totalScore, undefined);
    assert.equal(g.differentiationScore, undefined);
  });

  it('is GX when nothing is given', () => {
    const g = gradeFnclcc({});
    assert.equal(g.grade, 'GX');
    assert.equal(g.basis, 'not-assessed');
  });

  it('lets components win over a reported grade, with a warning', () => {
    const g = gradeFnclcc({ grade: 'G1', fnclcc: { differentiation: 3, mitosesPer10Hpf: 25, necrosisPercent: 60 } });
    assert.equal(g.grade, 'G3');
    assert.ok(g.warnings.some((w) => w.code === 'grade-mismatch' && w.path === 'pathology.grade'));
    const agree = gradeFnclcc({ grade: 'G3', fnclcc: { differentiation: 3, mitosesPer10Hpf: 25, necrosisPercent: 60 } });
    assert.equal(agree.warnings.length, 0);
  });

  it('warns about core-biopsy grading', () => {
    const g = gradeFnclcc({ grade: 'G2', specimen: 'core_biopsy' });
    assert.ok(g.warnings.some((w) => w.code === 'grade-core-biopsy'));
    assert.equal(gradeFnclcc({ grade: 'G2', specimen: 'resection' }).warnings.length, 0);
  });

  it('warns about limited meaning for DD-LPS and MPNST but keeps the grade', () => {
    for (const code of ['8858/3', '9540/3']) {
      const g = gradeFnclcc({ grade: 'G3', histology: code }, histologyByCode(code));
      assert.equal(g.grade, 'G3');
      assert.ok(g.warnings.some((w) => w.code === 'grade-limited-meaning'), code);
    }
    assert.ok(!gradeFnclcc({ grade: 'G3' }, histologyByCode('8890/3')).warnings.some((w) => w.code === 'grade-limited-meaning'));
  });

  it('flags a differentiation score unusual for the histology', () => {
    const g = gradeFnclcc({ fnclcc: { differentiation: 1, mitosesPer10Hpf: 2, necrosisPercent: 0 } }, histologyByCode('8858/3'));
    assert.ok(g.warnings.some((w) => w.code === 'differentiation-mismatch'));
  });

  it('never grades lower when mitoses or necrosis rise (property)', () => {
    const order = ['G1', 'G2', 'G3'];
    fc.assert(
      fc.property(
        fc.constantFrom<1 | 2 | 3>(1, 2, 3),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (d, m1, m2, n1, n2) => {
          const low: Pathology = { fnclcc: { differentiation: d, mitosesPer10Hpf: Math.min(m1, m2), necrosisPercent: Math.min(n1, n2) } };
          const high: Pathology = { fnclcc: { differentiation: d, mitosesPer10Hpf: Math.max(m1, m2), necrosisPercent: Math.max(n1, n2) } };
          return order.indexOf(gradeFnclcc(high).grade) >= order.indexOf(gradeFnclcc(low).grade);
        },
      ),
    );
  });
});
