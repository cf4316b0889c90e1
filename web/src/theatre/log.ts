import type { IntraopFinding } from '../../../src/engine/index.ts';
import type { IntraopEventView, LogKind } from './intraop-api.ts';
import type { QueuedEntry } from './offline-store.ts';

/**
 * The operation log: what the server holds merged with what waits on the tablet,
 * one line per entry (an entry the server has is shown once, by its client id),
 * in the order it was taken.
 */
export interface LogLine {
  readonly key: string;
  readonly kind: LogKind;
  readonly at: string;
  readonly author: string;
  readonly findings: IntraopFinding[];
  readonly note: string | null;
  /** synced: on the server; queued: waiting; refused: the server said no (kept, with why). */
  readonly state: 'synced' | 'queued' | 'refused';
  readonly problem?: string;
  /** Stored on a newer case version than the one it was taken on. */
  readonly changed?: { readonly takenOn: number; readonly storedOn: number };
}

export function mergeLog(events: readonly IntraopEventView[], queue: readonly QueuedEntry[]): LogLine[] {
  const lines: LogLine[] = events.map((e) => ({
    key: e.clientId ?? `server-${e.id}`,
    kind: e.kind,
    at: e.recordedAt ?? e.createdAt,
    author: e.author,
    findings: e.findings,
    note: e.note,
    state: 'synced',
    ...(e.takenOnVersion !== null && e.takenOnVersion !== e.caseVersion ? { changed: { takenOn: e.takenOnVersion, storedOn: e.caseVersion } } : {}),
  }));
  const known = new Set(lines.map((l) => l.key));
  for (const q of queue) {
    if (known.has(q.clientId)) continue;
    lines.push({
      key: q.clientId,
      kind: q.body.kind,
      at: q.body.recordedAt,
      author: q.author,
      findings: q.body.findings ?? [],
      note: q.body.note ?? null,
      state: q.state,
      ...(q.problem ? { problem: q.problem } : {}),
    });
  }
  return lines.sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));
}
