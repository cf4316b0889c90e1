import type { Role, StoredCase } from '../api.ts';
import type { IntraopEventView, IntraopEntryBody } from './intraop-api.ts';

/**
 * What the theatre screen keeps on the tablet so it works with the network down
 * (issue 15, "In theatre"): the one case open in theatre (never more — opening
 * another replaces it), its operation log as last read, and the entries taken
 * but not yet accepted by the server. IndexedDB in the browser; an in-memory
 * twin for unit tests. Signing out clears it (App.tsx), after the user is told
 * what would be lost.
 */

export interface CachedCase {
  readonly caseId: string;
  /** The user who opened it: another user signing in on this tablet never sees it. */
  readonly owner: string;
  readonly role: Role;
  readonly record: StoredCase;
  readonly events: IntraopEventView[];
  readonly savedAt: string;
}

/** An entry taken in theatre, waiting for the server; 'refused' ones stay until the user acts. */
export interface QueuedEntry {
  readonly clientId: string;
  readonly caseId: string;
  readonly owner: string;
  readonly author: string;
  readonly body: IntraopEntryBody & { readonly clientId: string; readonly takenOnVersion: number; readonly recordedAt: string };
  readonly state: 'queued' | 'refused';
  readonly problem?: string;
}

export interface OfflineStore {
  getCase(caseId: string): Promise<CachedCase | undefined>;
  /** Stores `c` as the only cached case. */
  putCase(c: CachedCase): Promise<void>;
  queued(): Promise<QueuedEntry[]>;
  put(entry: QueuedEntry): Promise<void>;
  remove(clientId: string): Promise<void>;
  clear(): Promise<void>;
}

export function memoryStore(): OfflineStore {
  let cached: CachedCase | undefined;
  const queue = new Map<string, QueuedEntry>();
  return {
    getCase: async (id) => (cached?.caseId === id ? structuredClone(cached) : undefined),
    putCase: async (c) => {
      cached = structuredClone(c);
    },
    queued: async () => [...queue.values()].map((e) => structuredClone(e)),
    put: async (e) => {
      queue.set(e.clientId, structuredClone(e));
    },
    remove: async (id) => {
      queue.delete(id);
    },
    clear: async () => {
      cached = undefined;
      queue.clear();
    },
  };
}

const DB_NAME = 'retroplan-theatre';
const CASES = 'cases';
const QUEUE = 'queue';

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

let opened: Promise<IDBDatabase> | null = null;
function database(): Promise<IDBDatabase> {
  opened ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(CASES, { keyPath: 'caseId' });
      request.result.createObjectStore(QUEUE, { keyPath: 'clientId' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => {
      opened = null;
      reject(request.error ?? new Error('IndexedDB unavailable'));
    };
  });
  return opened;
}

export function indexedDbStore(): OfflineStore {
  return {
    async getCase(id) {
      const db = await database();
      return (await promised(db.transaction(CASES).objectStore(CASES).get(id))) as CachedCase | undefined;
    },
    async putCase(c) {
      const db = await database();
      const tx = db.transaction(CASES, 'readwrite');
      tx.objectStore(CASES).clear();
      tx.objectStore(CASES).put(c);
      await done(tx);
    },
    async queued() {
      const db = await database();
      return (await promised(db.transaction(QUEUE).objectStore(QUEUE).getAll())) as QueuedEntry[];
    },
    async put(e) {
      const db = await database();
      const tx = db.transaction(QUEUE, 'readwrite');
      tx.objectStore(QUEUE).put(e);
      await done(tx);
    },
    async remove(id) {
      const db = await database();
      const tx = db.transaction(QUEUE, 'readwrite');
      tx.objectStore(QUEUE).delete(id);
      await done(tx);
    },
    async clear() {
      const db = await database();
      const tx = db.transaction([CASES, QUEUE], 'readwrite');
      tx.objectStore(CASES).clear();
      tx.objectStore(QUEUE).clear();
      await done(tx);
    },
  };
}

let shared: OfflineStore | null = null;
/** The tablet's store: IndexedDB where the browser has it, else memory (entries then live as long as the page). */
export function offlineStore(): OfflineStore {
  shared ??= typeof indexedDB === 'undefined' ? memoryStore() : indexedDbStore();
  return shared;
}
