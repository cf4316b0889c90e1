import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/**
 * Named prepared statements for the queries every request repeats (PostgreSQL).
 *
 * node-postgres sends each query unnamed, so PostgreSQL parses and plans it every time. For the
 * worklist's statements planning cost more than running them: replaying one `GET /api/cases`
 * (token, scope, page, count, network columns) took 4.1 ms unnamed and 2.05 ms named, the
 * network-columns statement 1.37 → 0.51 ms (100,000 cases). A statement is prepared on a
 * connection once its text has been seen `SEEN_BEFORE_PREPARING` times in this process, under a
 * name derived from its text, so a one-off text never takes a slot.
 *
 * Not prepared: anything but a read (`select` / `with`); text searches (`like`), whose best plan
 * depends on the pattern (a generic plan could read every row); and, per connection, more than
 * `MAX_PER_CONNECTION` statements (each holds a plan in the server's memory). A statement whose
 * cached plan no longer fits a changed table (another instance ran a migration: PostgreSQL's
 * `0A000 cached plan must not change result type`) is run again unnamed and never prepared again.
 */
const SEEN_BEFORE_PREPARING = 3;
const MAX_PER_CONNECTION = 100;
const MAX_TEXTS_COUNTED = 2000;

const PREPARABLE = /^\s*(?:select|with)\b/i;
const PATTERN_DEPENDENT = /\blike\b/i;

export interface PreparedStatementPolicy {
  /** The name to prepare this text under on this connection, or null to send it unnamed. */
  nameFor(text: string, preparedOnConnection: number): string | null;
  /** The text's cached plan went stale: send it unnamed from now on. */
  retire(text: string): void;
}

export function preparedStatementPolicy(): PreparedStatementPolicy {
  const seen = new Map<string, number>();
  const retired = new Set<string>();
  return {
    nameFor(text, preparedOnConnection) {
      if (!PREPARABLE.test(text) || PATTERN_DEPENDENT.test(text) || retired.has(text)) return null;
      const count = (seen.get(text) ?? 0) + 1;
      if (seen.size >= MAX_TEXTS_COUNTED && !seen.has(text)) seen.clear();
      seen.set(text, count);
      if (count <= SEEN_BEFORE_PREPARING || preparedOnConnection >= MAX_PER_CONNECTION) return null;
      return `rp_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
    },
    retire(text) {
      retired.add(text);
    },
  };
}

const STALE_PLAN = '0A000';

/** Kysely's pool, over node-postgres's, with the policy above on each connection. */
export function preparingPool(pool: pg.Pool, policy: PreparedStatementPolicy = preparedStatementPolicy()): PostgresPool {
  const preparedOn = new WeakMap<pg.PoolClient, Set<string>>();
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let prepared = preparedOn.get(client);
      if (!prepared) {
        prepared = new Set();
        preparedOn.set(client, prepared);
      }
      const names = prepared;
      function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
      function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
      function query<R>(first: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
        if (typeof first !== 'string') return client.query(first as never) as unknown as PostgresCursor<R>;
        const values = [...(parameters ?? [])];
        const name = policy.nameFor(first, names.size);
        if (name === null) return client.query(first, values) as unknown as Promise<PostgresQueryResult<R>>;
        names.add(name);
        return (client.query({ name, text: first, values }) as unknown as Promise<PostgresQueryResult<R>>).catch((error: { code?: string }) => {
          if (error?.code !== STALE_PLAN) throw error;
          policy.retire(first);
          return client.query(first, values) as unknown as Promise<PostgresQueryResult<R>>;
        });
      }
      return { query, release: (destroy?: boolean) => client.release(destroy) };
    },
    end: () => pool.end(),
  };
}
