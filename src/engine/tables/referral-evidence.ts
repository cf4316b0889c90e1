import type { EvidenceLevel, SourceId } from './sources.ts';

export interface VolumeOutcomeFigure {
  readonly text: string;
  readonly evidence: EvidenceLevel;
  readonly sources: readonly SourceId[];
}

/** Volume–outcome evidence for RPS (REFERENCE.md §8). The SEED's teaching figures stay labelled `illustrative`. */
export const VOLUME_OUTCOME: readonly VolumeOutcomeFigure[] = [
  { text: 'NCDB, 6,950 primary RPS: high-volume hospitals (> 10 cases/year) — adjusted HR for death 0.77 (0.65–0.91); 90-day mortality 3.2 % vs 5.7 %.', evidence: 'verified', sources: ['NCDB-VOLUME'] },
  { text: 'NCDB, 3,803 resected RPS: R0 82 % at > 10 cases/year vs 68 % at < 5/year; low vs high volume HR 1.56 (1.16–2.11).', evidence: 'verified', sources: ['NCDB-VOLUME'] },
  { text: 'Sweden: local recurrence 18 % when referred before any procedure, 24 % after, 45 % never referred.', evidence: 'verified', sources: ['SWEDEN-REFERRAL'] },
  { text: 'Teaching illustration (seed chapter): HR for death 0.72; R0 68 % vs 42 % at sarcoma centres.', evidence: 'illustrative', sources: ['SEED'] },
  { text: 'Manage in an experienced MDT at a specialised referral centre; the best chance of cure is at first presentation — refer before biopsy or surgery.', evidence: 'verified', sources: ['TARPSWG-2015', 'TARPSWG-2021'] },
];

/** Hub-and-spoke roles (REFERENCE.md §8 [C]). */
export const HUB_AND_SPOKE = {
  hub: ['sarcoma MDT', 'expert pathology review', 'biopsy planning', 'surgery'],
  spoke: ['imaging', 'surveillance scans', 'supportive care'],
  barriers: ['distance', 'cost', 'insurance'],
  support: ['travel navigation', 'financial navigation'],
  evidence: 'consensus' as EvidenceLevel,
  sources: ['TARPSWG-2021', 'SEED'] as SourceId[],
};
