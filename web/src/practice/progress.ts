import { TOPICS, type Topic } from '../../../src/practice/schema.ts';
import type { Attempt, PracticeCaseSummary } from './practice-api.ts';

/** A trainee's best result per case (score / questions), and per topic how many cases are done and how well. */

export function bestByCase(attempts: readonly Attempt[]): Map<string, number> {
  const best = new Map<string, number>();
  for (const a of attempts) {
    const fraction = a.max > 0 ? a.score / a.max : 0;
    best.set(a.caseId, Math.max(best.get(a.caseId) ?? 0, fraction));
  }
  return best;
}

export interface TopicProgress {
  readonly topic: Topic;
  readonly cases: PracticeCaseSummary[];
  readonly attempted: number;
  /** Mean of the best results over the topic's attempted cases (0–1), or null when none is attempted. */
  readonly meanBest: number | null;
}

export function topicProgress(cases: readonly PracticeCaseSummary[], attempts: readonly Attempt[]): TopicProgress[] {
  const best = bestByCase(attempts);
  return TOPICS.map((topic) => {
    const inTopic = cases.filter((c) => c.topics.includes(topic));
    const done = inTopic.filter((c) => best.has(c.id));
    const meanBest = done.length ? done.reduce((s, c) => s + best.get(c.id)!, 0) / done.length : null;
    return { topic, cases: inTopic, attempted: done.length, meanBest };
  }).filter((t) => t.cases.length > 0);
}

export const percent = (x: number) => `${Math.round(x * 100)} %`;
