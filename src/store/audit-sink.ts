import { Worker } from 'node:worker_threads';
import type { Selectable } from 'kysely';
import type { AuditTable } from './schema.ts';

/** An audit row as stored (schema.ts), without its generated id. */
export type AuditRowValues = Omit<Selectable<AuditTable>, 'id'>;

/**
 * Batches of audit rows committed by a worker thread on its own connection to the
 * same SQLite file (WAL: the server's reads go on meanwhile). Each batch is one
 * transaction; its promise settles when the commit is on disk or has failed.
 * The worker starts on first use, so commands that never batch never start it.
 */
export class SqliteAuditSink {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  constructor(private readonly path: string) {}

  private start(): Worker {
    const worker = new Worker(new URL('./audit-worker.mjs', import.meta.url), { workerData: { path: this.path } });
    worker.on('message', (message: { id: number; ok: boolean; message?: string }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.ok) waiting?.resolve();
      else waiting?.reject(new Error(`audit append failed: ${message.message ?? 'unknown error'}`));
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      this.worker = null;
      this.failAll(new Error('the audit writer stopped'));
    });
    worker.unref();
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  append(rows: readonly AuditRowValues[]): Promise<void> {
    this.worker ??= this.start();
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Referenced while a batch is in flight, so the process waits for it.
      worker.ref();
      worker.postMessage({ id, rows });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.ref();
      worker.postMessage('close');
    });
  }
}
