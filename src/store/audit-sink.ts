import type { Selectable } from 'kysely';
import { ThreadPool } from '../shared/thread-pool.ts';
import type { AuditTable } from './schema.ts';

/** An audit row as stored (schema.ts), without its generated id. */
export type AuditRowValues = Omit<Selectable<AuditTable>, 'id'>;

type AuditJob = { kind: 'append'; rows: readonly AuditRowValues[] } | { kind: 'settle' };

/**
 * The audit queue of a SQLite database: a file beside it where the audit rows of reads are
 * committed first (audit-worker.mjs says why), before they join the audit table.
 */
export function auditQueuePath(databasePath: string): string {
  return `${databasePath}-audit-queue`;
}

/**
 * Batches of audit rows of reads, committed by a worker thread to the audit queue
 * (audit-worker.mjs): each batch is one transaction, and its promise settles when the commit
 * is on disk or has failed. The rows join the audit table within a second, and at once on
 * `settle()`, which every audit query calls first. The thread starts on first use, so
 * commands that never batch never start it.
 */
export class SqliteAuditSink {
  private readonly writer: ThreadPool<AuditJob, true>;

  constructor(path: string) {
    // One thread: SQLite has one writer at a time, and batches stay in the order they came.
    this.writer = new ThreadPool(new URL('./audit-worker.mjs', import.meta.url), 1, { path, queuePath: auditQueuePath(path) }, 'the audit writer');
  }

  async append(rows: readonly AuditRowValues[]): Promise<void> {
    try {
      await this.writer.run({ kind: 'append', rows });
    } catch (error) {
      throw new Error(`audit append failed: ${(error as Error).message}`);
    }
  }

  /** Moves every queued row (this process's and any other's) into the audit table now. */
  async settle(): Promise<void> {
    try {
      await this.writer.run({ kind: 'settle' });
    } catch (error) {
      throw new Error(`audit queue could not be moved: ${(error as Error).message}`);
    }
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}
