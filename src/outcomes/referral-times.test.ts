import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { median, referralTimes } from './referral-times.ts';

describe('referral times against the REFERENCE-2 §8.3 targets', () => {
  it('median of an odd and an even list, and of none', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([10, 2, 4, 8]), 6);
    assert.equal(median([]), null);
  });

  it('hand-computed: routine 10, 20, 30, 40 days → median 25, 2 of 4 within 28 days; urgent 7 and 21 → median 14, 1 of 2 within 14', () => {
    const at = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString();
    const rows = [
      { urgency: 'routine' as const, createdAt: at(0), decidedAt: at(10) },
      { urgency: 'routine' as const, createdAt: at(0), decidedAt: at(20) },
      { urgency: 'routine' as const, createdAt: at(0), decidedAt: at(30) },
      { urgency: 'routine' as const, createdAt: at(0), decidedAt: at(40) },
      { urgency: 'routine' as const, createdAt: at(50), decidedAt: null },
      { urgency: 'routine' as const, createdAt: at(0), decidedAt: null, closed: true },
      { urgency: 'urgent' as const, createdAt: at(0), decidedAt: at(7) },
      { urgency: 'urgent' as const, createdAt: at(0), decidedAt: at(21) },
      { urgency: 'urgent' as const, createdAt: at(60), decidedAt: null },
    ];
    const [routine, urgent] = referralTimes(rows, at(70));
    assert.deepEqual(
      { target: routine!.targetDays, decided: routine!.decided, median: routine!.medianDays, within: routine!.withinTarget, p: routine!.proportionWithinTarget, open: routine!.open, overdue: routine!.openOverdue },
      { target: 28, decided: 4, median: 25, within: 2, p: 0.5, open: 1, overdue: 0 },
    );
    assert.deepEqual(
      { target: urgent!.targetDays, decided: urgent!.decided, median: urgent!.medianDays, within: urgent!.withinTarget, p: urgent!.proportionWithinTarget, open: urgent!.open, overdue: urgent!.openOverdue },
      { target: 14, decided: 2, median: 14, within: 1, p: 0.5, open: 1, overdue: 0 },
    );
    assert.equal(urgent!.evidence, 'consensus');
    // 15 days later the open urgent referral (day 60) is past its 14 days; the routine one (day 50) at 35 > 28 too.
    const [r2, u2] = referralTimes(rows, at(85));
    assert.equal(u2!.openOverdue, 1);
    assert.equal(r2!.openOverdue, 1);
  });
});
