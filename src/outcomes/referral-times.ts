/**
 * Time from referral to the hub's decision against the network target (issue 13), pure.
 *
 * Targets (REFERENCE-2 §8.3, Australian optimal care pathway timeframes [V OCP]): first
 * specialist assessment within 4 weeks of referral, and the MDT before any treatment — so a
 * routine referral's board decision is measured against 28 days. Urgent referrals: 14 days,
 * after QLD-CPC's "within two weeks" [V QLD-CPC] — applying it to the referral-to-decision
 * interval is consensus, not a published standard, and is labelled so.
 */

export const REFERRAL_TARGETS = {
  routine: { days: 28, evidence: 'verified', basis: 'OCP timeframes: first specialist assessment within 4 weeks of referral; MDT before any treatment (REFERENCE-2 §8.3)' },
  urgent: {
    days: 14,
    evidence: 'consensus',
    basis: 'QLD-CPC "within two weeks", applied to referral → decision (consensus, not a published standard; REFERENCE-2 §8.3)',
  },
} as const;
export type Urgency = keyof typeof REFERRAL_TARGETS;

export interface ReferralTiming {
  readonly urgency: Urgency;
  /** ISO time the referral was sent. */
  readonly createdAt: string;
  /** ISO time the decision was returned; null while open. */
  readonly decidedAt: string | null;
  /** Closed without a decision (declined): not counted. */
  readonly closed?: boolean;
}

export interface UrgencyTimes {
  readonly urgency: Urgency;
  readonly targetDays: number;
  readonly evidence: 'verified' | 'consensus';
  readonly basis: string;
  readonly decided: number;
  /** Median days from referral to decision; null with no decided referral. */
  readonly medianDays: number | null;
  readonly withinTarget: number;
  /** withinTarget ÷ decided; null with no decided referral. */
  readonly proportionWithinTarget: number | null;
  readonly open: number;
  /** Open referrals already older than the target. */
  readonly openOverdue: number;
}

const DAY_MS = 86_400_000;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Per urgency: decided referrals' median days and proportion within target; open ones past target. */
export function referralTimes(rows: readonly ReferralTiming[], now: string): UrgencyTimes[] {
  const nowMs = Date.parse(now);
  return (Object.keys(REFERRAL_TARGETS) as Urgency[]).map((urgency) => {
    const target = REFERRAL_TARGETS[urgency];
    const mine = rows.filter((r) => r.urgency === urgency && !r.closed);
    const days = mine.filter((r) => r.decidedAt !== null).map((r) => (Date.parse(r.decidedAt!) - Date.parse(r.createdAt)) / DAY_MS);
    const open = mine.filter((r) => r.decidedAt === null);
    const within = days.filter((d) => d <= target.days).length;
    return {
      urgency,
      targetDays: target.days,
      evidence: target.evidence,
      basis: target.basis,
      decided: days.length,
      medianDays: median(days),
      withinTarget: within,
      proportionWithinTarget: days.length === 0 ? null : within / days.length,
      open: open.length,
      openOverdue: open.filter((r) => (nowMs - Date.parse(r.createdAt)) / DAY_MS > target.days).length,
    };
  });
}
