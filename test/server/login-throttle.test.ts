/** The counter rules of login throttling, against hand-computed expectations. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backoffDecision, backoffSeconds, windowDecision } from '../../src/server/auth/login-throttle.ts';

const T = Date.parse('2026-03-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('login back-off per user', () => {
  it('waits 0, 0, 1, 2, 4 … seconds after 1, 2, 3, 4, 5 … failures (threshold 3), never beyond 15 min', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 13, 14, 40].map((n) => backoffSeconds(n, 3)), [0, 0, 1, 2, 4, 8, 900, 900, 900]);
    assert.deepEqual([3, 4, 5].map((n) => backoffSeconds(n, 3, 60)), [60, 120, 240]);
  });

  it('counts an attempt, blocks from the threshold on, refuses while blocked, forgets after a day', () => {
    assert.deepEqual(backoffDecision(undefined, T, 3), { next: { count: 1, windowStart: iso(T), blockedUntil: null } });
    const second = { count: 2, windowStart: iso(T), blockedUntil: null };
    assert.deepEqual(backoffDecision(second, T + 10, 3), { next: { count: 3, windowStart: iso(T), blockedUntil: iso(T + 10 + 1000) } });
    const blocked = { count: 3, windowStart: iso(T), blockedUntil: iso(T + 1000) };
    assert.deepEqual(backoffDecision(blocked, T + 200, 3), { refuse: { retryAfterSeconds: 1 } });
    assert.deepEqual(backoffDecision(blocked, T + 1000, 3), { next: { count: 4, windowStart: iso(T), blockedUntil: iso(T + 1000 + 2000) } });
    const yesterday = { count: 9, windowStart: iso(T - 25 * 3600_000), blockedUntil: iso(T - 3600_000) };
    assert.deepEqual(backoffDecision(yesterday, T, 3), { next: { count: 1, windowStart: iso(T), blockedUntil: null } });
  });

  it('property: while blocked nothing is counted; otherwise the count grows by exactly one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: 1, max: 10 }), (count, offset, threshold) => {
        const current = { count, windowStart: iso(T - 1000), blockedUntil: iso(T + offset) };
        const d = backoffDecision(current, T, threshold);
        if (offset > 0) return 'refuse' in d && d.refuse.retryAfterSeconds >= 1;
        return 'next' in d && d.next.count === count + 1;
      }),
    );
  });
});

describe('login limit per address', () => {
  it('allows `max` attempts per window, then refuses until the window ends', () => {
    let state: { count: number; windowStart: string; blockedUntil: string | null } | undefined;
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const d = windowDecision(state, T + i * 1000, 3, 60_000);
      if ('next' in d) {
        state = d.next;
        outcomes.push(`ok ${d.next.count}`);
      } else outcomes.push(`wait ${d.refuse.retryAfterSeconds}`);
    }
    assert.deepEqual(outcomes, ['ok 1', 'ok 2', 'ok 3', 'wait 57', 'wait 56']);
    assert.deepEqual(windowDecision(state, T + 60_000, 3, 60_000), { next: { count: 1, windowStart: iso(T + 60_000), blockedUntil: null } });
  });
});
