import type { Case } from './model/case.ts';
import type { Explained } from './model/explained.ts';
import { deepFreeze, uniqueSources } from './model/explained.ts';
import type { DiagnosticCategory } from './tables/histology.ts';
import { HUB_AND_SPOKE, VOLUME_OUTCOME, type VolumeOutcomeFigure } from './tables/referral-evidence.ts';

export interface ReferralAdvice extends Explained {
  readonly recommended: boolean;
  /** When to refer, in words (null when referral is not recommended). */
  readonly timing: string | null;
  readonly evidence: VolumeOutcomeFigure[];
  readonly roles: { readonly hub: string[]; readonly spoke: string[]; readonly barriers: string[]; readonly support: string[]; readonly evidence: 'consensus' };
}

const REFERRAL_SOURCES = uniqueSources(...VOLUME_OUTCOME.map((f) => f.sources), HUB_AND_SPOKE.sources);

type Status = 'sarcoma' | 'suspected' | 'not-sarcoma' | 'gist-desmoid';
type Stage = 'untreated' | 'biopsied' | 'operated';

const TIMING: Record<Stage, string> = {
  untreated: 'before any biopsy or surgery',
  biopsied: 'now — before any surgery; send the biopsy for expert pathology review',
  operated: 'now — already operated: MDT review at a sarcoma centre (re-resection, adjuvant decisions, surveillance); referral before any procedure would have been better',
};

function advice(status: Status, stage: Stage): ReferralAdvice {
  const evidence = VOLUME_OUTCOME.map((f) => ({ text: f.text, evidence: f.evidence, sources: [...f.sources] }));
  const roles = { hub: [...HUB_AND_SPOKE.hub], spoke: [...HUB_AND_SPOKE.spoke], barriers: [...HUB_AND_SPOKE.barriers], support: [...HUB_AND_SPOKE.support], evidence: 'consensus' as const };
  const sources = [...REFERRAL_SOURCES];
  if (status === 'not-sarcoma') {
    return {
      recommended: false,
      timing: null,
      evidence,
      roles,
      reasons: ['Not a sarcoma: referral follows the non-sarcoma pathway (see strategy), not the sarcoma centre.'],
      sources,
    };
  }
  const timing = TIMING[stage];
  const first =
    status === 'sarcoma'
      ? 'Retroperitoneal sarcoma: every patient belongs to a high-volume sarcoma centre.'
      : status === 'gist-desmoid'
        ? 'GIST and desmoid fibromatosis are not staged as sarcomas but are managed by a sarcoma centre MDT (ESMO-EURACAN; REFERENCE §4 [consensus]).'
        : stage === 'untreated'
          ? 'Suspected retroperitoneal sarcoma: refer before anyone biopsies or operates.'
          : 'Suspected retroperitoneal sarcoma: refer now, before anyone operates.';
  if (status === 'gist-desmoid') sources.push('ESMO-2021');
  return {
    recommended: true,
    timing,
    evidence,
    roles,
    reasons: [
      first,
      `Timing: ${timing}.`,
      `Hub (sarcoma centre): ${roles.hub.join(', ')}. Spoke (local hospital): ${roles.spoke.join(', ')} [consensus].`,
      `Barriers to address: ${roles.barriers.join(', ')} — with ${roles.support.join(' and ')} [consensus].`,
    ],
    sources,
  };
}

const STATUSES: readonly Status[] = ['sarcoma', 'suspected', 'not-sarcoma', 'gist-desmoid'];
const STAGES: readonly Stage[] = ['untreated', 'biopsied', 'operated'];
/** Every advice there can be, by status and pathway stage: built once, frozen. */
const ADVICE = deepFreeze(STATUSES.map((status) => STAGES.map((stage) => advice(status, stage))));

/**
 * Referral to a high-volume sarcoma centre (REFERENCE.md §8; REFERENCE-2 §8.3), GIST and desmoid included.
 * The wording follows the pathway: never "before any biopsy" once biopsied. The result is shared and frozen.
 */
export function adviseReferral(c: Case, isSarcoma: boolean | null, category?: DiagnosticCategory | null, biopsied?: boolean, operated?: boolean): ReferralAdvice {
  const status: Status = category === 'gist' || category === 'desmoid' ? 'gist-desmoid' : isSarcoma === true ? 'sarcoma' : isSarcoma === null ? 'suspected' : 'not-sarcoma';
  const wasOperated = operated ?? c.surgery?.margin !== undefined;
  const stage: Stage = wasOperated ? 'operated' : biopsied === true ? 'biopsied' : 'untreated';
  return ADVICE[STATUSES.indexOf(status)]![STAGES.indexOf(stage)]!;
}
