import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { sql } from 'kysely';
import { upgradeCase } from '../engine/model/upgrade.ts';
import type { DatabaseKind } from './database-url.ts';

/**
 * Forward-only, versioned migrations, kept in code so a fresh clone needs no
 * migration files on disk. The same list runs on both dialects; the only
 * difference is how an auto-incrementing key is spelt. Never edit a migration
 * that has shipped — add the next one.
 */
function migrations(kind: DatabaseKind): Record<string, Migration> {
  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('api_tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text')
          .execute();
        await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();

        await db.schema
          .createTable('sessions')
          .addColumn('id_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

        await db.schema
          .createTable('login_throttle')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('last_failure_at', 'text', (c) => c.notNull())
          .addColumn('blocked_until', 'text')
          .execute();

        await db.schema
          .createTable('cases')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('case_json', 'text', (c) => c.notNull())
          .addColumn('stage_group', 'text')
          .addColumn('histology', 'text')
          .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .execute();
        for (const column of ['status', 'stage_group', 'histology', 'updated_at'] as const) {
          await db.schema.createIndex(`cases_${column}`).on('cases').column(column).execute();
        }

        await db.schema
          .createTable('case_versions')
          .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('case_json', 'text', (c) => c.notNull())
          .addColumn('archived', 'integer', (c) => c.notNull())
          .addColumn('changed_fields', 'text', (c) => c.notNull())
          .addColumn('author', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('case_versions_pk', ['case_id', 'version'])
          .execute();

        await db.schema
          .createTable('decisions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
          .addColumn('case_version', 'integer', (c) => c.notNull())
          .addColumn('date', 'text', (c) => c.notNull())
          .addColumn('attendees_json', 'text', (c) => c.notNull())
          .addColumn('decision', 'text', (c) => c.notNull())
          .addColumn('strategy_ids_json', 'text', (c) => c.notNull())
          .addColumn('author', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('decisions_case').on('decisions').column('case_id').execute();

        let audit = db.schema.createTable('audit');
        audit =
          kind === 'postgres'
            ? audit.addColumn('id', 'serial', (c) => c.primaryKey())
            : audit.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
        await audit
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('object_type', 'text')
          .addColumn('object_id', 'text')
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('status_code', 'integer')
          .addColumn('client_address', 'text')
          .addColumn('detail', 'text')
          .execute();
        for (const column of ['at', 'actor', 'action', 'object_id'] as const) {
          await db.schema.createIndex(`audit_${column}`).on('audit').column(column).execute();
        }
      },
    },
    // The worklist's next step (the first priority of the engine's strategy), kept
    // beside the case like the stage group. Existing rows start null: the engine
    // cannot run in SQL, so the store fills them when it opens (see case-index.ts).
    '0002_cases_next_step': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('cases').addColumn('next_step', 'text').execute();
      },
    },
    // Case model v2 (engine/model/upgrade.ts): stored cases and their versions are rewritten in
    // the current shape, so every reader sees one model. Only the representation changes.
    '0003_case_model_v2': {
      async up(db: Kysely<unknown>) {
        await upgradeStoredCases(db, 'cases', ['id']);
        await upgradeStoredCases(db, 'case_versions', ['case_id', 'version']);
      },
    },
    // The audit log is append-only in the database itself, not only in the repository's
    // interface: a direct UPDATE, DELETE (or, on PostgreSQL, TRUNCATE) of `audit` raises.
    '0004_audit_append_only': {
      async up(db: Kysely<unknown>) {
        if (kind === 'postgres') {
          await sql`
            create function retroplan_audit_append_only() returns trigger language plpgsql as $$
            begin
              raise exception 'the audit log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
            end
            $$`.execute(db);
          await sql`create trigger audit_no_update_delete before update or delete on audit
            for each row execute function retroplan_audit_append_only()`.execute(db);
          await sql`create trigger audit_no_truncate before truncate on audit
            for each statement execute function retroplan_audit_append_only()`.execute(db);
        } else {
          await sql`create trigger audit_no_update before update on audit
            begin select raise(abort, 'the audit log is append-only: UPDATE refused'); end`.execute(db);
          await sql`create trigger audit_no_delete before delete on audit
            begin select raise(abort, 'the audit log is append-only: DELETE refused'); end`.execute(db);
        }
      },
    },
  };
}

const UPGRADE_BATCH = 500;

/** Rewrites `case_json` of every row whose case is not in the current model, in key order, a batch at a time. */
async function upgradeStoredCases(db: Kysely<unknown>, table: 'cases' | 'case_versions', key: readonly string[]): Promise<void> {
  const keyList = sql.join(key.map((k) => sql.ref(k)));
  let offset = 0;
  for (;;) {
    const { rows } = await sql<Record<string, unknown> & { case_json: string }>`
      select ${keyList}, case_json from ${sql.table(table)} order by ${keyList} limit ${UPGRADE_BATCH} offset ${offset}`.execute(db);
    for (const row of rows) {
      const stored: unknown = JSON.parse(row.case_json);
      const upgraded = upgradeCase(stored);
      if (upgraded === stored) continue;
      const where = sql.join(key.map((k) => sql`${sql.ref(k)} = ${row[k]}`), sql` and `);
      await sql`update ${sql.table(table)} set case_json = ${JSON.stringify(upgraded)} where ${where}`.execute(db);
    }
    if (rows.length < UPGRADE_BATCH) return;
    offset += UPGRADE_BATCH;
  }
}

export function migrationProvider(kind: DatabaseKind): MigrationProvider {
  return { getMigrations: async () => migrations(kind) };
}
