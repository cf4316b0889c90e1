import { evaluate, PRIORITIES } from '../engine/index.ts';
import { ENGINE_VERSION, RULES_VERSION } from '../engine/version.ts';
import type { DecisionContent } from '../store/meetings.ts';
import { assessConcordance, type ConcordanceResult, type EngineRecommendation } from './concordance.ts';

/**
 * The engine's recommendation for a stored case (its strategy priorities, in order), for the
 * decision's concordance. A stored case that no longer validates gets no recommendation.
 */
export function engineRecommendation(storedCase: unknown): EngineRecommendation {
  const result = evaluate(storedCase);
  if (!result.ok) return { engineVersion: ENGINE_VERSION, rulesVersion: RULES_VERSION, priorityIds: [], evaluated: false };
  return { engineVersion: ENGINE_VERSION, rulesVersion: RULES_VERSION, priorityIds: result.value.strategy.priorities.map((p) => p.id), evaluated: true };
}

/**
 * Judges a decision's content: in a meeting the structured recommendation is required and must
 * come from the strategy vocabulary (so the letter can name it), and a deviation needs its reason.
 */
export function judgeDecision(engine: EngineRecommendation, content: DecisionContent, inMeeting: boolean): ConcordanceResult {
  if (inMeeting) {
    if (content.strategyIds.length === 0) return { ok: false, path: 'strategyIds', message: 'choose at least one recommendation from the strategy list' };
    const unknown = content.strategyIds.findIndex((id) => !(id in PRIORITIES));
    if (unknown >= 0) return { ok: false, path: `strategyIds[${unknown}]`, message: 'is not a strategy of the vocabulary' };
  }
  return assessConcordance(engine, content.strategyIds, content.deviation, inMeeting);
}
