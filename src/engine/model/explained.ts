import type { EvidenceLevel, SourceId } from '../tables/sources.ts';

/** Every conclusion the engine draws carries why (reasons) and on what authority (sources). */
export interface Explained {
  readonly reasons: string[];
  readonly sources: SourceId[];
}

/** Something a clinician should know about the input or the result. */
export interface EngineWarning {
  readonly code: string;
  readonly message: string;
  /** The case field the warning is about, when there is one. */
  readonly path?: string;
  readonly sources: SourceId[];
  readonly evidence?: EvidenceLevel;
}

export function uniqueSources(...lists: (readonly SourceId[])[]): SourceId[] {
  return [...new Set(lists.flat())];
}
