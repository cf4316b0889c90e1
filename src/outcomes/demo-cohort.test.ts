import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateCase } from '../engine/model/validation.ts';
import { centreAudit } from './centre-audit.ts';
import { demoCohort, SYNTHETIC_PREFIX } from './demo-cohort.ts';

describe('demo cohort (synthetic centre)', () => {
  const cohort = demoCohort();
  const parsed = cohort.map((d) => {
    const checked = validateCase(d.case);
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
    return { id: d.id, case: checked.value };
  });

  it('600 valid cases, every one marked synthetic, the same on every run', () => {
    assert.equal(cohort.length, 600);
    for (const d of cohort) {
      assert.ok(d.title.startsWith(SYNTHETIC_PREFIX));
      assert.ok(d.id.startsWith('synthetic-'));
    }
    assert.deepEqual(demoCohort({ patients: 20 }), demoCohort({ patients: 20 }));
    assert.notDeepEqual(demoCohort({ patients: 20, seed: 1 }), demoCohort({ patients: 20, seed: 2 }));
  });

  it('follow-up is coherent: events after the operation, nothing after death, last contact only for the living', () => {
    for (const { case: c } of parsed) {
      const op = c.surgery!.date!;
      const events = c.followUp!.events ?? [];
      const death = events.find((e) => e.type === 'death');
      for (const e of events) {
        assert.ok(e.date >= op);
        if (death) assert.ok(e.date <= death.date);
      }
      assert.equal(c.followUp!.lastContactDate === undefined, death !== undefined);
    }
  });

  it('its audit lands near the published figures it was drawn from (REFERENCE-2 §6.2)', () => {
    const audit = centreAudit(parsed);
    const rate = (id: string) => audit.indicators.find((i) => i.id === id)!.rate!;
    assert.ok(rate('clavien-dindo-3-plus') > 0.1 && rate('clavien-dindo-3-plus') < 0.25, String(rate('clavien-dindo-3-plus')));
    assert.ok(rate('mortality-30-day') < 0.04);
    assert.ok(rate('macroscopically-complete') > 0.9);
    const os5 = audit.overallSurvival!.atFiveYears!.survival;
    assert.ok(os5 > 0.5 && os5 < 0.85, String(os5));
    assert.equal(audit.volumeByYear.length, 12);
  });
});
