import type { Selectable } from 'kysely';
import { ThreadPool } from '../shared/thread-pool.ts';
import type { AuditTable } from './schema.ts';

/** An audit row as stored (schema.ts), without its generated id. */
export type AuditRowValues = Omit<Selectable<AuditTable>, 'id'>;

/**
 * Batches of audit rows committed by a worker thread on its own connection to the
 * same SQLite file (WAL: the server's reads go on meanwhile). Each batch is one
 * transaction; its promise settles when the commit is on disk or has failed.
 * The thread starts on first use, so commands that never batch never start it.
 */
export class SqliteAuditSink {
  private readonly writer: ThreadPool<readonly AuditRowValues[], true>;

  constructor(path: string) {
    // One thread: SQLite has one writer at a time, and batches stay in the order they came.
    this.writer = new ThreadPool(new URL('./audit-worker.mjs', import.meta.url), 1, { path }, 'the audit writer');
  }

  async append(rows: readonly AuditRowValues[]): Promise<void> {
    try {
      await this.writer.run(rows);
    } catch (error) {
      throw new Error(`audit append failed: ${(error as Error).message}`);
    }
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}
