import { describe, expect, it } from 'vitest';
import type { Attempt, PracticeCaseSummary } from './practice-api.ts';
import { bestByCase, topicProgress } from './progress.ts';

const cases: PracticeCaseSummary[] = [
  { id: 'a', title: 'A', topics: ['staging', 'margins'], stages: 1 },
  { id: 'b', title: 'B', topics: ['staging'], stages: 2 },
  { id: 'c', title: 'C', topics: ['mimics'], stages: 1 },
];
const attempt = (caseId: string, score: number, max: number): Attempt => ({ id: 1, userId: 'u', username: 'u', caseId, score, max, marks: [], createdAt: '2026-12-01T10:00:00Z' });

describe('practice progress', () => {
  it('keeps the best attempt per case', () => {
    expect([...bestByCase([attempt('a', 1, 2), attempt('a', 2, 2), attempt('b', 0.5, 4)])]).toEqual([
      ['a', 1],
      ['b', 0.125],
    ]);
  });

  it('per topic: cases done of the topic, mean of the best results; topics without cases left out', () => {
    const p = topicProgress(cases, [attempt('a', 1, 2), attempt('a', 2, 2), attempt('b', 1, 4)]);
    // staging: a best 1, b best 0.25 → mean 0.625; margins: a only → 1; mimics: c not done.
    expect(p.map((t) => [t.topic, t.cases.length, t.attempted, t.meanBest])).toEqual([
      ['mimics', 1, 0, null],
      ['staging', 2, 2, 0.625],
      ['margins', 1, 1, 1],
    ]);
  });
});
