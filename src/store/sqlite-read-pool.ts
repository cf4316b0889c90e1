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
import { ThreadPool } from '../shared/thread-pool.ts';
import type { Database } from './schema.ts';

/**
 * Worker threads, each with its own read-only connection to the same SQLite file (WAL), that
 * run the worklist's queries (issue 9: bench/worklist). better-sqlite3 is synchronous: on the
 * server's thread every query stops every other request meanwhile, and a server on SQLite used
 * one core however many it had.
 *
 * Only for reads outside a transaction: a reader sees what is committed, never the server
 * connection's open transaction.
 */
export class SqliteReadPool {
  private readonly pool: ThreadPool<{ sql: string; parameters: readonly unknown[] }, unknown[]>;

  constructor(path: string, size: number) {
    this.pool = new ThreadPool(new URL('./sqlite-read-worker.mjs', import.meta.url), size, { path }, 'a database reader');
  }

  query(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    return this.pool.run({ sql, parameters });
  }

  close(): Promise<void> {
    return this.pool.close();
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
