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

/** The ids of `lists` in order of first appearance, each once. Source lists are short: a linear scan beats a Set. */
export function uniqueSources(...lists: (readonly SourceId[])[]): SourceId[] {
  const out: SourceId[] = [];
  for (const list of lists) for (const id of list) if (!out.includes(id)) out.push(id);
  return out;
}

/**
 * Freezes a value and everything it holds. Parts of the engine's output that
 * depend only on the tables are built once and shared by every evaluation;
 * frozen, no caller can change them for everyone else.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

