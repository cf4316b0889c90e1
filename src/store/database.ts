import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import type { DatabaseConfig, DatabaseKind } from './database-url.ts';
import { migrationProvider } from './migrations.ts';
import type { Database } from './schema.ts';

export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
}

function sqliteDialect(path: string): SqliteDialect {
  mkdirSync(dirname(path), { recursive: true });
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
  return new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) });
}

/** Opens the database and brings its schema up to date (forward-only migrations). */
export async function openDatabase(config: DatabaseConfig): Promise<OpenDatabase> {
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
  return { db, kind: config.kind };
}
