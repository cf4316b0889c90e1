import { ApiError } from '../api.ts';
import type { IntraopWriteView } from './intraop-api.ts';
import type { OfflineStore, QueuedEntry } from './offline-store.ts';

/**
 * Sends the entries taken in theatre, oldest first, and removes each only once
 * the server has it (201 stored, or 200: stored before — the server keys entries
 * by the id the tablet gave them, so a send repeated after a lost answer is not
 * stored twice). Nothing is dropped without the user seeing it: an entry the
 * server refuses stays, marked, with the server's reason.
 */

export interface SyncReport {
  readonly sent: IntraopWriteView[];
  /** Stored, but the case changed after the entry was taken: the user must be told. */
  readonly caseChanged: IntraopWriteView[];
  readonly refused: QueuedEntry[];
  /** Why sending stopped early (the connection, the session), or null when the queue was worked through. */
  readonly stopped: 'offline' | 'signed-out' | 'server' | null;
  readonly remaining: number;
}

export type Send = (entry: QueuedEntry) => Promise<IntraopWriteView>;

/** Refusals that will not change by sending again: the entry is kept and shown as refused. */
const FINAL = new Set([400, 403, 404, 409, 422]);

export async function flushQueue(store: OfflineStore, owner: string, send: Send): Promise<SyncReport> {
  const all = (await store.queued()).filter((e) => e.owner === owner && e.state === 'queued');
  all.sort((a, b) => a.body.recordedAt.localeCompare(b.body.recordedAt) || a.clientId.localeCompare(b.clientId));
  const sent: IntraopWriteView[] = [];
  const refused: QueuedEntry[] = [];
  let stopped: SyncReport['stopped'] = null;
  for (const entry of all) {
    try {
      const stored = await send(entry);
      await store.remove(entry.clientId);
      sent.push(stored);
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 0;
      if (FINAL.has(status)) {
        const marked: QueuedEntry = { ...entry, state: 'refused', problem: error instanceof Error ? error.message : String(error) };
        await store.put(marked);
        refused.push(marked);
        continue;
      }
      stopped = status === 0 ? 'offline' : status === 401 ? 'signed-out' : 'server';
      break;
    }
  }
  const remaining = (await store.queued()).filter((e) => e.owner === owner && e.state === 'queued').length;
  return { sent, caseChanged: sent.filter((s) => s.caseChanged), refused, stopped, remaining };
}

/** A fresh id for an entry (crypto.randomUUID where the page is a secure context, else random hex). */
export function newClientId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
