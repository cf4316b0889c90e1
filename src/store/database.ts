import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import type { DatabaseConfig, DatabaseKind } from './database-url.ts';
import { migrationProvider } from './migrations.ts';
import type { Database } from './schema.ts';
import { readPoolDatabase, SqliteReadPool } from './sqlite-read-pool.ts';
import { preparingPool } from './postgres-prepared.ts';
import { auditQueuePath } from './audit-sink.ts';
import { wholeNumberFromEnv } from '../shared/env-settings.ts';

export interface OpenDatabase {
  readonly db: Kysely<Database>;
  /**
   * For read-only queries outside a transaction (the worklist): on a SQLite file, connections of
   * their own in worker threads (sqlite-read-pool.ts); otherwise `db` itself.
   */
  readonly readDb: Kysely<Database>;
  readonly kind: DatabaseKind;
  /** SQLite file (not in memory): the file, for connections of its own (the audit writer's worker thread). */
  readonly sqlitePath?: string;
}

/**
 * The database holds patient data: a folder Retroplan creates is 0700, the database
 * file 0600 before SQLite first opens it (SQLite gives its -wal and -shm files the
 * database file's mode); so is the audit queue beside it (audit-sink.ts). An existing database
 * file (and its -wal/-shm) is set to 0600 too; an existing folder is left as its owner set it.
 */
function createPrivately(path: string): void {
  if (path === ':memory:' || path === '') return;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const queue = auditQueuePath(path);
  closeSync(openSync(path, 'a', 0o600));
  closeSync(openSync(queue, 'a', 0o600));
  for (const file of [path, queue].flatMap((f) => [f, `${f}-wal`, `${f}-shm`, `${f}-journal`])) {
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}

function sqliteDialect(path: string): SqliteDialect {
  createPrivately(path);
  const sqlite = new BetterSqlite3(path);
  // WAL lets readers (the CLI, a second process) run beside the server;
  // synchronous=FULL makes every acknowledged commit survive a crash or power loss.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new SqliteDialect({ database: withStatementCache(sqlite) });
}

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, and preparing is a
 * large share of a small query's cost (the token lookup on every API request). Statements are
 * cached by SQL text (bounded); a statement still busy iterating a stream is never handed out twice.
 */
function withStatementCache(sqlite: BetterSqlite3.Database, limit = 500) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (!cached) {
        if (cache.size >= limit) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

function postgresDialect(url: string): PostgresDialect {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // When PostgreSQL ends an idle connection (a restart, a failover, pg_terminate_backend) the pool
  // reports it here; node-postgres throws it when nobody listens, which would take the whole server
  // down. The pool has already dropped that client and opens a new one for the next query.
  pool.on('error', (error) => process.emitWarning(`PostgreSQL closed an idle connection: ${error.message}`, 'RetroplanDatabaseWarning'));
  // RETROPLAN_PG_PREPARED=off: behind a pooler that moves a session's statements between server
  // connections (PgBouncer in transaction mode before 1.21), named statements cannot be used.
  return new PostgresDialect({ pool: process.env.RETROPLAN_PG_PREPARED === 'off' ? pool : preparingPool(pool) });
}

/** Opens the database and brings its schema up to date (forward-only migrations). */
export async function openDatabase(config: DatabaseConfig): Promise<OpenDatabase> {
  const readers = config.kind === 'sqlite' ? sqliteReaders() : 0;
  const dialect = config.kind === 'sqlite' ? sqliteDialect(config.path) : postgresDialect(config.url);
  const db = new Kysely<Database>({ dialect });
  try {
    const migrator = new Migrator({ db, provider: migrationProvider(config.kind) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw new Error(`database migration ${failed ?? ''} failed: ${(error as Error).message ?? String(error)}`);
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
  if (config.kind !== 'sqlite') return { db, readDb: db, kind: config.kind };
  // Other connections (reader threads, the audit writer) need a file: an in-memory database is one connection's own.
  if (config.path === ':memory:' || config.path === '') return { db, readDb: db, kind: config.kind };
  const readDb = readers > 0 ? readPoolDatabase(new SqliteReadPool(config.path, readers)) : db;
  return { db, readDb, kind: config.kind, sqlitePath: config.path };
}

/**
 * Reader threads for a SQLite file: RETROPLAN_SQLITE_READERS (0 to 8; 0 runs reads on the
 * server's own connection), default 2.
 */
function sqliteReaders(env: NodeJS.ProcessEnv = process.env): number {
  return wholeNumberFromEnv(env, 'RETROPLAN_SQLITE_READERS', { min: 0, max: 8, fallback: 2 });
}
