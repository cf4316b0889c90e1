import type { Case } from './model/case.ts';
import type { Explained } from './model/explained.ts';
import { deepFreeze, uniqueSources } from './model/explained.ts';
import { HUB_AND_SPOKE, VOLUME_OUTCOME, type VolumeOutcomeFigure } from './tables/referral-evidence.ts';

export interface ReferralAdvice extends Explained {
  readonly recommended: boolean;
  /** When to refer, in words (null when referral is not recommended). */
  readonly timing: string | null;
  readonly evidence: VolumeOutcomeFigure[];
  readonly roles: { readonly hub: string[]; readonly spoke: string[]; readonly barriers: string[]; readonly support: string[]; readonly evidence: 'consensus' };
}

const REFERRAL_SOURCES = uniqueSources(...VOLUME_OUTCOME.map((f) => f.sources), HUB_AND_SPOKE.sources);

function advice(isSarcoma: boolean | null, operated: boolean): ReferralAdvice {
  const evidence = VOLUME_OUTCOME.map((f) => ({ text: f.text, evidence: f.evidence, sources: [...f.sources] }));
  const roles = { hub: [...HUB_AND_SPOKE.hub], spoke: [...HUB_AND_SPOKE.spoke], barriers: [...HUB_AND_SPOKE.barriers], support: [...HUB_AND_SPOKE.support], evidence: 'consensus' as const };
  const sources = [...REFERRAL_SOURCES];
  if (isSarcoma === false) {
    return {
      recommended: false,
      timing: null,
      evidence,
      roles,
      reasons: ['Not a sarcoma: referral follows the non-sarcoma pathway (see strategy), not the sarcoma centre.'],
      sources,
    };
  }
  const timing = operated
    ? 'now — already operated: MDT review at a sarcoma centre (re-resection, adjuvant decisions, surveillance); referral before any procedure would have been better'
    : 'before any biopsy or surgery';
  return {
    recommended: true,
    timing,
    evidence,
    roles,
    reasons: [
      isSarcoma ? 'Retroperitoneal sarcoma: every patient belongs to a high-volume sarcoma centre.' : 'Suspected retroperitoneal sarcoma: refer before anyone biopsies or operates.',
      `Timing: ${timing}.`,
      `Hub (sarcoma centre): ${roles.hub.join(', ')}. Spoke (local hospital): ${roles.spoke.join(', ')} [consensus].`,
      `Barriers to address: ${roles.barriers.join(', ')} — with ${roles.support.join(' and ')} [consensus].`,
    ],
    sources,
  };
}

/** Every advice there can be, by sarcoma status (true, null, false) and whether the patient is already operated: built once, frozen. */
const ADVICE = deepFreeze(
  ([true, null, false] as const).map((isSarcoma) => [advice(isSarcoma, false), advice(isSarcoma, true)] as const),
);

/** Referral to a high-volume sarcoma centre (REFERENCE.md §8). The result is shared and frozen. */
export function adviseReferral(c: Case, isSarcoma: boolean | null): ReferralAdvice {
  return ADVICE[isSarcoma === true ? 0 : isSarcoma === null ? 1 : 2]![c.surgery?.margin !== undefined ? 1 : 0];
}
