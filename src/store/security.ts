import type { Kysely, Transaction } from 'kysely';
import type { DatabaseKind } from './database-url.ts';
import type { Database } from './schema.ts';
import type { AuditInput, Role, User } from './types.ts';

/**
 * The store's side of login throttling, credential revocation, the last-admin
 * rule and CDS Hooks replay protection. Everything here is decided inside the
 * database, so server instances on one database share it and a restart keeps it.
 */

/** A login counter as stored: what a counter rule decides from. */
export interface LoginCounter {
  readonly count: number;
  readonly windowStart: string;
  readonly blockedUntil: string | null;
}

/** What a rule makes of the current counter (undefined: no row yet): the next state, or a refusal. */
export type CounterDecision = { readonly next: LoginCounter } | { readonly refuse: { readonly retryAfterSeconds: number } };

export type UserChange = { ok: true; user: User; credentialsRevoked: boolean } | { ok: false; reason: 'not_found' | 'last_admin' };

export interface SecurityStore {
  /**
   * Applies `decide` to the counter `key` as one atomic step (compare-and-set on a
   * revision, retried when another request or instance changed it in between).
   * Returns the decision that was stored; after `maxRetries` lost races it refuses.
   */
  updateLoginCounter(key: string, now: string, decide: (current: LoginCounter | undefined) => CounterDecision): Promise<CounterDecision>;
  loginCounter(key: string): Promise<LoginCounter | undefined>;
  clearLoginCounter(key: string): Promise<void>;
  /** Deletes counters not changed since `before` (ISO time). */
  purgeLoginCounters(before: string): Promise<void>;
  recordLoginSuccess(username: string, address: string, now: string): Promise<void>;
  /** Whether `username` logged in successfully from `address` at or after `since`. */
  hasLoginSuccessSince(username: string, address: string, since: string): Promise<boolean>;

  /**
   * Changes a user in one transaction that refuses to leave no enabled admin (admin rows
   * locked on PostgreSQL; SQLite's single writer serialises). A new password or disabling
   * revokes every API token of the user and ends every session, in the same transaction.
   */
  /** `audit`, when given, is written in the same transaction as the change (only if it commits). */
  changeUser(id: string, patch: { role?: Role; disabled?: boolean; passwordHash?: string }, now: string, audit?: AuditInput): Promise<UserChange>;

  /**
   * Records a CDS Hooks JWT id until `expiresAt` (unix seconds). true when it was unused;
   * false when it is recorded already (a replay). Expired ids are purged on the way.
   */
  claimCdsJti(key: string, expiresAt: number, nowSeconds: number): Promise<boolean>;
}

const MAX_CAS_RETRIES = 50;

class LastAdmin extends Error {}

function toCounter(row: { count: number; window_start: string; blocked_until: string | null }): LoginCounter {
  return { count: Number(row.count), windowStart: row.window_start, blockedUntil: row.blocked_until };
}

export function createSecurityStore(
  db: Kysely<Database>,
  kind: DatabaseKind,
  getUser: (id: string) => Promise<User | undefined>,
  writeAudit: (trx: Transaction<Database>, entries: readonly AuditInput[]) => Promise<void>,
): SecurityStore {
  return {
    async updateLoginCounter(key, now, decide) {
      for (let attempt = 0; attempt < MAX_CAS_RETRIES; attempt++) {
        const row = await db.selectFrom('login_counters').select(['count', 'window_start', 'blocked_until', 'revision']).where('key', '=', key).executeTakeFirst();
        const decision = decide(row && toCounter(row));
        if ('refuse' in decision) return decision;
        const { count, windowStart, blockedUntil } = decision.next;
        if (!row) {
          const inserted = await db
            .insertInto('login_counters')
            .values({ key, count, window_start: windowStart, blocked_until: blockedUntil, revision: 1, updated_at: now })
            .onConflict((oc) => oc.column('key').doNothing())
            .executeTakeFirst();
          if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return decision;
          continue;
        }
        const updated = await db
          .updateTable('login_counters')
          .set({ count, window_start: windowStart, blocked_until: blockedUntil, revision: Number(row.revision) + 1, updated_at: now })
          .where('key', '=', key)
          .where('revision', '=', row.revision)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 1) return decision;
      }
      // Contention this high is an attack in progress: refuse rather than let it through.
      return { refuse: { retryAfterSeconds: 1 } };
    },
    async loginCounter(key) {
      const row = await db.selectFrom('login_counters').select(['count', 'window_start', 'blocked_until']).where('key', '=', key).executeTakeFirst();
      return row && toCounter(row);
    },
    async clearLoginCounter(key) {
      await db.deleteFrom('login_counters').where('key', '=', key).execute();
    },
    async purgeLoginCounters(before) {
      await db.deleteFrom('login_counters').where('updated_at', '<', before).execute();
    },
    async recordLoginSuccess(username, address, now) {
      await db
        .insertInto('login_successes')
        .values({ username, address, at: now })
        .onConflict((oc) => oc.columns(['username', 'address']).doUpdateSet({ at: now }))
        .execute();
    },
    async hasLoginSuccessSince(username, address, since) {
      const row = await db
        .selectFrom('login_successes')
        .select('at')
        .where('username', '=', username)
        .where('address', '=', address)
        .where('at', '>=', since)
        .executeTakeFirst();
      return row !== undefined;
    },

    async changeUser(id, patch, now, audit) {
      const revoke = patch.disabled === true || patch.passwordHash !== undefined;
      try {
        const found = await db.transaction().execute(async (trx) => {
          if (kind === 'postgres') {
            // Two admins demoting themselves at once: the second waits here for the first to
            // commit, then counts what is left (read committed re-reads the locked rows).
            await trx.selectFrom('users').select('id').where((eb) => eb.or([eb('role', '=', 'admin'), eb('id', '=', id)])).forUpdate().execute();
          }
          // On SQLite the first write takes the database's write lock until commit, so the
          // count below cannot be changed by another connection or process in between.
          const set: { updated_at: string; role?: string; disabled?: number; password_hash?: string } = { updated_at: now };
          if (patch.role !== undefined) set.role = patch.role;
          if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
          if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
          const result = await trx.updateTable('users').set(set).where('id', '=', id).executeTakeFirst();
          if (Number(result.numUpdatedRows) === 0) return false;
          const admins = await trx
            .selectFrom('users')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('role', '=', 'admin')
            .where('disabled', '=', 0)
            .executeTakeFirstOrThrow();
          if (Number(admins.n) === 0) throw new LastAdmin();
          if (revoke) {
            await trx.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
            await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
          }
          if (audit) await writeAudit(trx, [audit]);
          return true;
        });
        if (!found) return { ok: false, reason: 'not_found' };
      } catch (error) {
        if (error instanceof LastAdmin) return { ok: false, reason: 'last_admin' };
        throw error;
      }
      const user = await getUser(id);
      return user ? { ok: true, user, credentialsRevoked: revoke } : { ok: false, reason: 'not_found' };
    },

    async claimCdsJti(key, expiresAt, nowSeconds) {
      await db.deleteFrom('cds_jti').where('expires_at', '<', nowSeconds).execute();
      const inserted = await db
        .insertInto('cds_jti')
        .values({ key, expires_at: expiresAt })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
  };
}
