import { Worker } from 'node:worker_threads';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Database } from './schema.ts';

interface Reader {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>;
}

/**
 * Worker threads, each with its own read-only connection to the same SQLite file (WAL), that
 * run the worklist's queries (issue 9: bench/worklist). better-sqlite3 is synchronous: on the
 * server's thread every query stops every other request meanwhile, and a server on SQLite used
 * one core however many it had. A query goes to the reader with the fewest waiting; workers
 * start on first use and do not keep the process alive while idle.
 *
 * Only for reads outside a transaction: a reader sees what is committed, never the server
 * connection's open transaction.
 */
export class SqliteReadPool {
  private readers: Reader[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly size: number,
  ) {}

  private start(): Reader {
    const worker = new Worker(new URL('./sqlite-read-worker.mjs', import.meta.url), { workerData: { path: this.path } });
    const reader: Reader = { worker, pending: new Map() };
    worker.on('message', (message: { id: number; ok: boolean; rows?: unknown[]; message?: string }) => {
      const waiting = reader.pending.get(message.id);
      reader.pending.delete(message.id);
      if (reader.pending.size === 0) worker.unref();
      if (message.ok) waiting?.resolve(message.rows ?? []);
      else waiting?.reject(new Error(message.message ?? 'read failed'));
    });
    const fail = (error: Error) => {
      for (const waiting of reader.pending.values()) waiting.reject(error);
      reader.pending.clear();
      this.readers = this.readers.filter((r) => r !== reader);
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('a database reader stopped')));
    worker.unref();
    return reader;
  }

  private pick(): Reader {
    const idle = this.readers.find((r) => r.pending.size === 0);
    if (idle) return idle;
    if (this.readers.length < this.size) {
      const reader = this.start();
      this.readers.push(reader);
      return reader;
    }
    return this.readers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  query(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    const reader = this.pick();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      reader.pending.set(id, { resolve, reject });
      // Referenced while a query is in flight, so the process waits for its answer.
      reader.worker.ref();
      reader.worker.postMessage({ id, sql, parameters });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const readers = this.readers;
    this.readers = [];
    await Promise.all(
      readers.map(
        (reader) =>
          new Promise<void>((resolve) => {
            reader.worker.once('exit', () => resolve());
            reader.worker.ref();
            reader.worker.postMessage('close');
          }),
      ),
    );
  }
}

class ReadPoolConnection implements DatabaseConnection {
  constructor(private readonly pool: SqliteReadPool) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: (await this.pool.query(compiled.sql, compiled.parameters)) as R[] };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the read pool does not stream');
  }
}

class ReadPoolDriver implements Driver {
  private readonly connection: ReadPoolConnection;

  constructor(private readonly pool: SqliteReadPool) {
    this.connection = new ReadPoolConnection(pool);
  }

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {
    throw new Error('the read pool runs no transactions');
  }
  async commitTransaction(): Promise<void> {
    throw new Error('the read pool runs no transactions');
  }
  async rollbackTransaction(): Promise<void> {
    throw new Error('the read pool runs no transactions');
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    await this.pool.close();
  }
}

/** A Kysely instance whose every query runs on the pool's readers (SELECT only; no transactions). */
export function readPoolDatabase(pool: SqliteReadPool): Kysely<Database> {
  const dialect: Dialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ReadPoolDriver(pool),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
  return new Kysely<Database>({ dialect });
}
