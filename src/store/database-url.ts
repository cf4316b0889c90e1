import { resolve } from 'node:path';

export type DatabaseKind = 'sqlite' | 'postgres';

export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** The default store: an embedded SQLite file under ./data, so a laptop needs no set-up. */
export const DEFAULT_SQLITE_PATH = 'data/retroplan.sqlite';

/**
 * Reads `DATABASE_URL`: `sqlite:<path>` (relative to the working directory),
 * `postgres://…` / `postgresql://…`, or nothing for the default SQLite file.
 */
export function parseDatabaseUrl(url: string | undefined, cwd = process.cwd()): DatabaseConfig {
  if (url === undefined || url.trim() === '') return { kind: 'sqlite', path: resolve(cwd, DEFAULT_SQLITE_PATH) };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new Error('DATABASE_URL sqlite: needs a file path, e.g. sqlite:data/retroplan.sqlite');
    return { kind: 'sqlite', path: resolve(cwd, path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  throw new Error('DATABASE_URL must start with sqlite: or postgres://');
}

/** Describes a database for people without leaking a password from the URL. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === 'sqlite') return `SQLite ${config.path}`;
  try {
    const u = new URL(config.url);
    return `PostgreSQL ${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}
