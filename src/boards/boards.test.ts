import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { agendaSlots, minutesOf, timeOf } from './agenda.ts';
import { assessConcordance, tallyConcordance, type EngineRecommendation } from './concordance.ts';

const ENGINE: EngineRecommendation = { engineVersion: 't', rulesVersion: 't', priorityIds: ['en-bloc-resection', 'refer-sarcoma-centre'], evaluated: true };

describe('agenda slots (hand-computed)', () => {
  it('from 16:30 at 25 minutes per item over 60 minutes: the third slot runs over, past midnight wraps', () => {
    assert.deepEqual(agendaSlots('16:30', 25, 60, 3), [
      { start: '16:30', end: '16:55', overrun: false },
      { start: '16:55', end: '17:20', overrun: false },
      { start: '17:20', end: '17:45', overrun: true },
    ]);
    assert.equal(timeOf(minutesOf('23:50') + 20), '00:10');
    assert.throws(() => minutesOf('24:00'), /not a time/);
  });
  it('property: consecutive slots touch, each lasts the minutes per item', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 * 60 }), fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 20 }), (start, per, n) => {
        const slots = agendaSlots(timeOf(start), per, 720, n);
        assert.equal(slots.length, n);
        slots.forEach((s, i) => {
          assert.equal(s.start, timeOf(start + i * per));
          if (i > 0) assert.equal(s.start, slots[i - 1]!.end);
        });
      }),
    );
  });
});

describe('concordance (REFERENCE-2 §9.2)', () => {
  it('concordant when every chosen option is one the engine recommends; a deviation needs a reason in a meeting', () => {
    assert.deepEqual(assessConcordance(ENGINE, ['en-bloc-resection'], undefined, true), { ok: true, concordance: 'concordant' });
    assert.deepEqual(assessConcordance(ENGINE, ['en-bloc-resection', 'no-resection'], undefined, true), {
      ok: false,
      path: 'deviation.reason',
      message: "the board's recommendation differs from the engine's: give the reason for the deviation",
    });
    assert.deepEqual(assessConcordance(ENGINE, ['no-resection'], { reason: 'patient_choice' }, true), { ok: true, concordance: 'non_concordant_justified' });
    assert.deepEqual(assessConcordance(ENGINE, ['no-resection'], undefined, false), { ok: true, concordance: 'non_concordant_unjustified' });
    assert.deepEqual(assessConcordance({ ...ENGINE, evaluated: false, priorityIds: [] }, ['no-resection'], undefined, true), { ok: true, concordance: 'not_applicable' });
    assert.deepEqual(assessConcordance(ENGINE, [], undefined, false), { ok: true, concordance: 'not_assessed' });
  });
  it('the rate is concordant ÷ applicable; not applicable and not assessed stay out of the denominator', () => {
    const t = tallyConcordance([
      { concordance: 'concordant', deviationReason: null },
      { concordance: 'concordant', deviationReason: null },
      { concordance: 'concordant', deviationReason: null },
      { concordance: 'non_concordant_justified', deviationReason: 'clinical_trial' },
      { concordance: 'non_concordant_unjustified', deviationReason: null },
      { concordance: 'not_applicable', deviationReason: null },
      { concordance: 'not_assessed', deviationReason: null },
    ]);
    assert.equal(t.decisions, 7);
    assert.equal(t.applicable, 5);
    assert.equal(t.rate, 3 / 5);
    assert.equal(t.reasons.clinical_trial, 1);
    assert.equal(t.unjustified, 1);
    assert.equal(tallyConcordance([]).rate, null);
  });
});
