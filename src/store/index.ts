/** The case store: open a database (SQLite or PostgreSQL), get the one repository interface. */
import { openDatabase } from './database.ts';
import { parseDatabaseUrl, type DatabaseConfig } from './database-url.ts';
import { refreshCaseIndex } from './case-index.ts';
import { createRepository, type Repository } from './repository.ts';
import { ensurePostgresSearchIndexes } from './worklist.ts';

export * from './types.ts';
export * from './database-url.ts';
export type { Repository } from './repository.ts';
export type { CounterDecision, LoginCounter, UserChange } from './security.ts';
export type { IntraopEvent, PracticeAttempt } from './clinical-events.ts';

export async function openRepository(config: DatabaseConfig): Promise<Repository> {
  const open = await openDatabase(config);
  try {
    await refreshCaseIndex(open.db);
    if (open.kind === 'postgres') await ensurePostgresSearchIndexes(open.db);
  } catch (error) {
    await open.db.destroy();
    throw error;
  }
  return createRepository(open);
}

/** Opens the store named by `DATABASE_URL` (default: SQLite under ./data). */
export function openRepositoryFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<Repository> {
  return openRepository(parseDatabaseUrl(env.DATABASE_URL));
}
export * from './organisations.ts';
export type { ScopedCases } from './scoped-cases.ts';
export * from './referrals.ts';
