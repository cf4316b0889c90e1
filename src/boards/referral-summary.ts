import { label, priorityName } from '../engine/vocabulary.ts';

/**
 * The short summary a signed decision sends back through its referral (issue 13): what the board
 * recommends, in the vocabulary's words and the board's own, for the referrer's referral list.
 * The full decision is the outcome letter; this line must never say more than the letter does
 * (H54: only what the board signed — its chosen strategies, intent and words, no engine option).
 */
export interface SummarisedDecision {
  readonly strategyIds: readonly string[];
  readonly intent: string | null;
  readonly decision: string;
  readonly supersedesId: string | null;
}

export function referralSummary(d: SummarisedDecision): string {
  const parts = [
    d.supersedesId ? 'Amended decision.' : null,
    d.strategyIds.length ? `Recommendation: ${d.strategyIds.map((id, i) => `${i + 1}. ${priorityName(id)}`).join('; ')}.` : null,
    d.intent ? `Intent: ${label('intent', d.intent)}.` : null,
    `In the board's words: ${d.decision}`,
  ];
  return parts.filter((p) => p !== null).join(' ').slice(0, 4000);
}
