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

// Each error, reason line and warning written out by hand from REFERENCE §2 and the FNCLCC tables
// (the mutation run of grade.ts found them asserted only by presence).
describe('gradeFnclcc: each reason, warning and refusal, exactly', () => {
  const LPS_NOS = histologyByCode('8850/3')!;
  const LMS = histologyByCode('8890/3')!;
  const DDLPS = histologyByCode('8858/3')!;

  it('refusals name the value: negative necrosis, impossible totals and counts, a zero, negative or missing area', () => {
    assert.throws(() => mitosisScore(-1), { name: 'RangeError', message: 'mitotic count must be ≥ 0, got -1' });
    assert.throws(() => necrosisScore(-1), { name: 'RangeError', message: 'necrosis must be 0–100 %, got -1' });
    assert.throws(() => necrosisScore(101), { name: 'RangeError', message: 'necrosis must be 0–100 %, got 101' });
    assert.throws(() => gradeFromTotal(9), { name: 'RangeError', message: 'FNCLCC total score must be 2–8, got 9' });
    for (const area of [0, -1, Number.NaN]) assert.throws(() => mitosesPer10HpfFromArea(3, area), { name: 'RangeError', message: 'area must be > 0 mm²' }, String(area));
  });

  it('components: the four reason lines, FNCLCC and AJCC 8 as sources, no warnings', () => {
    const g = gradeFnclcc({ fnclcc: { differentiation: 2, mitosesPer10Hpf: 12, necrosisPercent: 30 } });
    assert.deepEqual(g.reasons, [
      'Differentiation score 2 (histological typing certain).',
      'Mitosis score 2: 12 mitoses per 10 HPF (10–19 mitoses per 10 HPF).',
      'Necrosis score 1: 30 % (necrosis < 50 %).',
      'Total 5 → G2 (FNCLCC: 2–3 G1, 4–5 G2, 6–8 G3).',
    ]);
    assert.deepEqual(g.sources, ['FNCLCC', 'AJCC8']);
    assert.deepEqual(g.warnings, []);
  });

  it('a reported grade that disagrees: the exact warning; one that agrees: none', () => {
    const components = { differentiation: 3, mitosesPer10Hpf: 25, necrosisPercent: 60 } as const;
    assert.deepEqual(gradeFnclcc({ fnclcc: components, grade: 'G1' }).warnings, [
      {
        code: 'grade-mismatch',
        path: 'pathology.grade',
        message: 'The reported grade G1 disagrees with the FNCLCC components, which give G3; the components are used. Please check the pathology report.',
        sources: ['FNCLCC'],
      },
    ]);
    assert.deepEqual(gradeFnclcc({ fnclcc: components, grade: 'G3' }).warnings, []);
  });

  it('an unusual differentiation score: the exact warning, with the histology note when there is one; none when usual', () => {
    assert.deepEqual(gradeFnclcc({ fnclcc: { differentiation: 3, mitosesPer10Hpf: 5, necrosisPercent: 0 } }, LMS).warnings, [
      {
        code: 'differentiation-mismatch',
        path: 'pathology.fnclcc.differentiation',
        message:
          'A differentiation score of 3 is unusual for leiomyosarcoma, which usually scores 2 (conventional LMS 2; well-differentiated LMS 1; poorly differentiated or pleomorphic LMS 3).',
        sources: ['FNCLCC'],
      },
    ]);
    const myxoid = histologyByCode('8852/3')!;
    assert.equal(
      gradeFnclcc({ fnclcc: { differentiation: 3, mitosesPer10Hpf: 5, necrosisPercent: 0 } }, myxoid).warnings[0]!.message,
      'A differentiation score of 3 is unusual for myxoid liposarcoma, which usually scores 2.',
    );
    assert.deepEqual(gradeFnclcc({ fnclcc: { differentiation: 2, mitosesPer10Hpf: 5, necrosisPercent: 0 } }, LMS).warnings, []);
    assert.deepEqual(gradeFnclcc({ fnclcc: { differentiation: 2, mitosesPer10Hpf: 5, necrosisPercent: 0 } }, LPS_NOS).warnings, [], 'no usual score, no warning');
  });

  it('a reported grade alone: its reason line; GX reported stays GX and is not "graded"', () => {
    assert.deepEqual(gradeFnclcc({ grade: 'G2' }).reasons, ['Grade G2 as reported by the pathologist; FNCLCC component scores were not given.']);
    const gx = gradeFnclcc({ grade: 'GX', specimen: 'core_biopsy' }, DDLPS);
    assert.deepEqual([gx.grade, gx.basis, gx.reasons], ['GX', 'reported', ['Grade reported as GX (cannot be assessed).']]);
    assert.deepEqual(gx.warnings, [], 'no core-biopsy or limited-meaning warning without a grade');
    assert.deepEqual(gx.sources, ['FNCLCC', 'AJCC8']);
  });

  it('nothing given: GX, and for a sarcoma what is still needed (known or unknown differentiation score); nothing more for a non-sarcoma', () => {
    const none = 'No grade and no FNCLCC components given: grade cannot be assessed (GX).';
    assert.deepEqual(gradeFnclcc({}).reasons, [none]);
    assert.deepEqual(gradeFnclcc({}, DDLPS).reasons, [none, 'For dedifferentiated liposarcoma the differentiation score is 3; the mitotic count and necrosis are still needed.']);
    assert.deepEqual(gradeFnclcc({}, LPS_NOS).reasons, [none, 'For liposarcoma, NOS there is no verified differentiation score: the pathologist must give it.']);
    assert.deepEqual(gradeFnclcc({}, histologyByCode('9590/3')).reasons, [none]);
    assert.deepEqual(gradeFnclcc({}, DDLPS).warnings, []);
  });

  it('core biopsy and DD-LPS / MPNST: the exact warnings and sources', () => {
    const g = gradeFnclcc({ grade: 'G2', specimen: 'core_biopsy' }, DDLPS);
    assert.deepEqual(g.warnings, [
      {
        code: 'grade-core-biopsy',
        path: 'pathology.specimen',
        message: 'FNCLCC grading is not designed for core-needle biopsies: the grade may be underestimated; regrade on the resection specimen.',
        sources: ['COINDRE-2006', 'FNCLCC'],
      },
      {
        code: 'grade-limited-meaning',
        path: 'pathology.histology',
        message: 'FNCLCC grade has limited meaning for dedifferentiated liposarcoma; it is still recorded (TARPSWG series group DD-LPS as G1–2 vs G3).',
        sources: ['COINDRE-2006', 'DEYRUP-2006'],
      },
    ]);
    assert.deepEqual(g.sources, ['FNCLCC', 'AJCC8', 'COINDRE-2006', 'DEYRUP-2006']);
    assert.deepEqual(gradeFnclcc({ grade: 'G2', specimen: 'core_biopsy' }, LMS).sources, ['FNCLCC', 'AJCC8', 'COINDRE-2006']);
    assert.deepEqual(gradeFnclcc({ grade: 'G2', specimen: 'resection' }, LMS).warnings, []);
  });
});
