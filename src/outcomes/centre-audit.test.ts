import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCase } from '../engine/model/validation.ts';
import { centreAudit, type AuditCase } from './centre-audit.ts';

const surgery = (o: Record<string, unknown>) => ({ transfusion: false, dischargedHome: true, reoperation: false, readmittedWithin90Days: false, ...o });
const make = (id: string, c: Record<string, unknown>): AuditCase => ({ id, case: parseCase(c) });

/** A small cohort whose every figure is worked out by hand in the comments of the tests below. */
const COHORT: AuditCase[] = [
  make('A', { pathology: { histology: '8858/3' }, surgery: surgery({ date: '2020-01-10', surgeon: 'X', margin: 'R0', clavienDindo: '0', lengthOfStayDays: 7 }), followUp: { lastContactDate: '2026-01-10' } }),
  make('B', { pathology: { histology: '8858/3' }, surgery: surgery({ date: '2020-03-01', surgeon: 'X', margin: 'R1', clavienDindo: 'IIIa', transfusion: true, reoperation: true, lengthOfStayDays: 20 }), followUp: { events: [{ type: 'death', date: '2020-03-20', cause: 'treatment' }] } }),
  make('C', { pathology: { histology: '8890/3' }, surgery: surgery({ date: '2021-05-01', surgeon: 'Y', margin: 'R2', clavienDindo: 'II', lengthOfStayDays: 9 }), followUp: { events: [{ type: 'local_recurrence', date: '2022-05-01' }, { type: 'death', date: '2023-05-01', cause: 'sarcoma' }] } }),
  make('D', { pathology: { histology: '8890/3' }, surgery: surgery({ date: '2021-06-01', surgeon: 'Y', margin: 'R0', clavienDindo: 'I', lengthOfStayDays: 8 }), followUp: { events: [{ type: 'distant_metastasis', date: '2022-06-01', site: 'lung' }], lastContactDate: '2026-06-01' } }),
  make('E', { surgery: { date: '2022-01-01', surgeon: 'Y' }, followUp: { lastContactDate: '2022-02-01' } }),
  make('F', { tumor: { sizeCm: 10 } }),
  make('G', { surgery: surgery({ date: '2015-01-01', margin: 'R0' }) }),
];

describe('centre audit on a hand-worked cohort', () => {
  const audit = centreAudit(COHORT, { from: '2016-01-01', by: 'surgeon' });
  const rate = (id: string) => {
    const i = audit.indicators.find((x) => x.id === id)!;
    return [i.numerator, i.denominator, i.completeness.recorded, i.completeness.total];
  };

  it('period, exclusions and volume by year', () => {
    assert.equal(audit.operated, 5);
    assert.deepEqual(audit.excluded, { noOperationDate: 1, outsidePeriod: 1 });
    assert.deepEqual(audit.volumeByYear, [{ year: 2020, resections: 2 }, { year: 2021, resections: 2 }, { year: 2022, resections: 1 }]);
  });

  it('rates with numerator, denominator and completeness', () => {
    assert.deepEqual(rate('macroscopically-complete'), [3, 4, 4, 5]); // R0, R1, R0 of A–D; E unrecorded
    assert.deepEqual(rate('r0-rate'), [2, 4, 4, 5]);
    assert.deepEqual(rate('clavien-dindo-3-plus'), [1, 4, 4, 5]); // B (IIIa)
    assert.deepEqual(rate('mortality-30-day'), [1, 5, 5, 5]); // B died on day 19; E followed 31 days
    assert.deepEqual(rate('mortality-90-day'), [1, 4, 4, 5]); // E followed < 90 days: not evaluable
    assert.deepEqual(rate('reoperation'), [1, 4, 4, 5]);
    // Median stay of 7, 20, 9, 8 = 8.5: A (7) and D (8, grade I) qualify; B transfused, C R2.
    assert.deepEqual(rate('textbook-outcome'), [2, 4, 4, 5]);
    assert.equal(audit.indicators.find((x) => x.id === 'clavien-dindo-3-plus')!.benchmark.value, 0.164);
  });

  it('funnel points by surgeon', () => {
    const funnel = audit.indicators.find((x) => x.id === 'clavien-dindo-3-plus')!.funnel;
    assert.deepEqual(funnel.map((f) => [f.group, f.numerator, f.denominator]), [['X', 1, 2], ['Y', 0, 2]]);
    assert.equal(funnel[0]!.limits.method, 'exact-binomial');
  });

  it('overall survival: deaths at 0.62 (B) and 23.98 months (C) → S = 0.8, then 0.8·2/3', () => {
    const os = audit.overallSurvival!;
    assert.deepEqual(os.curve.steps.map((s) => [s.atRisk, Number(s.survival.toFixed(4))]), [[5, 0.8], [3, 0.5333]]);
    assert.equal(Number(os.atFiveYears!.survival.toFixed(4)), 0.5333);
    assert.deepEqual(os.numbersAtRisk.slice(0, 3), [{ months: 0, atRisk: 5 }, { months: 12, atRisk: 3 }, { months: 24, atRisk: 2 }]);
  });

  it('local recurrence and distant metastasis with death competing: 0.8 × 1/3 each, by histology too', () => {
    const lr = audit.localRecurrence.find((g) => g.group === 'all histologies')!;
    assert.equal(Number(lr.steps.at(-1)!.incidence.toFixed(5)), 0.26667);
    const dm = audit.distantMetastasis.find((g) => g.group === 'all histologies')!;
    assert.equal(Number(dm.steps.at(-1)!.incidence.toFixed(5)), 0.26667);
    assert.deepEqual(audit.localRecurrence.map((g) => [g.group, g.n]).sort(), [['all histologies', 5], ['dedifferentiated liposarcoma', 2], ['histology not recorded', 1], ['leiomyosarcoma', 2]].sort());
  });

  it('an empty audit says so, never divides by zero', () => {
    const empty = centreAudit([]);
    assert.equal(empty.operated, 0);
    assert.equal(empty.overallSurvival, null);
    for (const i of empty.indicators) assert.equal(i.rate, null);
  });
});
