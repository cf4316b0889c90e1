import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { sql } from 'kysely';
import { upgradeCase } from '../engine/model/upgrade.ts';
import type { DatabaseKind } from './database-url.ts';
import { boardMigrations } from './board-migrations.ts';

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
    // Login counters and used CDS Hooks JWT ids live in the database so every server
    // instance on it shares them and they survive a restart (issue 9). A counter row is
    // changed only by compare-and-set on `revision`, the same statement on both dialects.
    '0005_login_counters_and_cds_jti': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('login_counters')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('count', 'integer', (c) => c.notNull())
          .addColumn('window_start', 'text', (c) => c.notNull())
          .addColumn('blocked_until', 'text')
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('login_counters_updated_at').on('login_counters').column('updated_at').execute();
        await db.schema
          .createTable('login_successes')
          .addColumn('username', 'text', (c) => c.notNull())
          .addColumn('address', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('login_successes_pk', ['username', 'address'])
          .execute();
        await db.schema
          .createTable('cds_jti')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('cds_jti_expires_at').on('cds_jti').column('expires_at').execute();
        await db.schema.dropTable('login_throttle').execute();
      },
    },
    // The worklist at 100,000 cases (store/worklist.ts). Each filter has an index that carries the
    // sort (last change first, id as tie-break), so a page is read in index order and stops after
    // `limit` rows; the other filter columns ride along so a combined filter and the capped count
    // are answered from the index without reading the (large) case rows; the main one also holds
    // title and next step, so a text search can walk it. They replace the single-column indexes.
    // Text search over title and next step: SQLite FTS5 (trigram tokenizer), PostgreSQL pg_trgm.
    '0006_worklist_indexes_and_search': {
      async up(db: Kysely<unknown>) {
        for (const column of ['status', 'stage_group', 'histology', 'updated_at'] as const) {
          await db.schema.dropIndex(`cases_${column}`).execute();
        }
        await sql`create index cases_worklist on cases (archived, updated_at desc, id, title, next_step)`.execute(db);
        const filters = ['status', 'stage_group', 'histology'] as const;
        for (const column of filters) {
          const others = filters.filter((c) => c !== column).map((c) => sql.ref(c));
          await sql`create index ${sql.id(`cases_worklist_${column}`)} on cases (archived, ${sql.ref(column)}, updated_at desc, id, ${sql.join(others)})`.execute(
            db,
          );
        }
        if (kind === 'sqlite') await createSqliteSearch(db);
        else await createPostgresSearch(db);
      },
    },
    // Interoperability (issue 11; store/interop-store.ts): the source patient's identifiers per case,
    // so a re-import finds the patient's case; and CDS Hooks cards with their feedback, so cards are
    // not repeated within an encounter and an overridden card is not repeated for the same data.
    '0007_interop_identity_and_cds_cards': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('case_identifiers')
          .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('system', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('case_identifiers_lookup').on('case_identifiers').columns(['kind', 'system', 'value']).execute();
        await db.schema.createIndex('case_identifiers_case').on('case_identifiers').column('case_id').execute();
        await db.schema
          .createTable('cds_cards')
          .addColumn('uuid', 'text', (c) => c.primaryKey())
          .addColumn('patient_key', 'text', (c) => c.notNull())
          .addColumn('encounter_id', 'text', (c) => c.notNull())
          .addColumn('card_key', 'text', (c) => c.notNull())
          .addColumn('data_hash', 'text', (c) => c.notNull())
          .addColumn('issued_at', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text')
          .addColumn('outcome_at', 'text')
          .addColumn('override_code', 'text')
          .addColumn('user_comment', 'text')
          .execute();
        await db.schema.createIndex('cds_cards_patient_card').on('cds_cards').columns(['patient_key', 'card_key']).execute();
      },
    },
    // Intra-operative events of a case (time, author, case version, findings, the engine's
    // decision) and trainees' practice attempts (issue 15): append-only, see clinical-events.ts.
    '0009_intraop_and_practice': {
      async up(db: Kysely<unknown>) {
        const serial = kind === 'postgres' ? 'serial' : 'integer';
        await db.schema
          .createTable('intraop_events')
          .addColumn('id', serial, (c) => (kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
          .addColumn('case_version', 'integer', (c) => c.notNull())
          .addColumn('findings_json', 'text', (c) => c.notNull())
          .addColumn('decision_json', 'text', (c) => c.notNull())
          .addColumn('author', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('intraop_events_case').on('intraop_events').column('case_id').execute();
        await db.schema
          .createTable('practice_attempts')
          .addColumn('id', serial, (c) => (kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('username', 'text', (c) => c.notNull())
          .addColumn('case_id', 'text', (c) => c.notNull())
          .addColumn('score', 'double precision', (c) => c.notNull())
          .addColumn('max', 'integer', (c) => c.notNull())
          .addColumn('marks_json', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('practice_attempts_user').on('practice_attempts').column('user_id').execute();
      },
    },
    // The clinical-rules version that derived a row's worklist columns: rows derived by other
    // rules are re-derived when the store opens (case-index.ts, refreshCaseIndex).
    '0010_case_index_rules': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('cases').addColumn('index_rules', 'text').execute();
      },
    },
    // EHRs registered for SMART App Launch by an administrator (store/smart-clients.ts): public
    // client ids and scopes only; EHR tokens are never stored.
    '0011_smart_clients': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('smart_clients')
          .addColumn('iss', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('scopes', 'text', (c) => c.notNull())
          .addColumn('connect_origins', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .execute();
      },
    },
    // Organisations of a hub-and-spoke network (issue 13; store/organisations.ts). Every existing
    // install becomes one organisation whose id is the literal `default` (a hub); every existing
    // user a member of it with their current role, every existing case one of its cases. The
    // worklist indexes gain the case's organisation so a scoped list is still answered from them.
    '0013_organisations': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('organisations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('memberships')
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('memberships_pk', ['user_id', 'organisation_id'])
          .execute();
        await db.schema.createIndex('memberships_organisation').on('memberships').column('organisation_id').execute();
        await db.schema.alterTable('users').addColumn('network_admin', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable('cases').addColumn('organisation_id', 'text', (c) => c.notNull().defaultTo('default')).execute();
        const now = new Date().toISOString();
        await sql`insert into organisations (id, name, kind, created_at) values ('default', 'Default organisation', 'hub', ${now})`.execute(db);
        await sql`insert into memberships (user_id, organisation_id, role, created_at) select id, 'default', role, ${now} from users`.execute(db);
        await sql`drop index cases_worklist`.execute(db);
        await sql`create index cases_worklist on cases (archived, updated_at desc, id, title, next_step, organisation_id)`.execute(db);
        const filters = ['status', 'stage_group', 'histology'] as const;
        for (const column of filters) {
          const others = filters.filter((c) => c !== column).map((c) => sql.ref(c));
          await sql`drop index ${sql.id(`cases_worklist_${column}`)}`.execute(db);
          await sql`create index ${sql.id(`cases_worklist_${column}`)} on cases (archived, ${sql.ref(column)}, updated_at desc, id, ${sql.join(others)}, organisation_id)`.execute(db);
        }
        await sql`create index cases_organisation on cases (organisation_id, archived, updated_at desc, id)`.execute(db);
      },
    },
    // Referrals from a spoke to a hub, their timeline and the patient's navigation checklist
    // (issue 13; store/referrals.ts). A referral imported from another installation has no
    // local referring organisation: its name and the other side's referral id are kept instead.
    '0014_referrals': {
      async up(db: Kysely<unknown>) {
        const serial = kind === 'postgres' ? 'serial' : 'integer';
        await db.schema
          .createTable('referrals')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
          .addColumn('from_organisation_id', 'text')
          .addColumn('from_name', 'text', (c) => c.notNull())
          .addColumn('to_organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('urgency', 'text', (c) => c.notNull())
          .addColumn('question', 'text', (c) => c.notNull())
          .addColumn('documents_json', 'text', (c) => c.notNull())
          .addColumn('meeting_id', 'text')
          .addColumn('decision_ref', 'text')
          .addColumn('decision_summary', 'text')
          .addColumn('redirected_to', 'text')
          .addColumn('external_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('decided_at', 'text')
          .execute();
        await db.schema.createIndex('referrals_case').on('referrals').column('case_id').execute();
        await db.schema.createIndex('referrals_to').on('referrals').columns(['to_organisation_id', 'status']).execute();
        await db.schema.createIndex('referrals_from').on('referrals').columns(['from_organisation_id', 'status']).execute();
        await db.schema
          .createTable('referral_events')
          .addColumn('id', serial, (c) => (kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('note', 'text')
          .addColumn('author', 'text', (c) => c.notNull())
          .addColumn('organisation_id', 'text')
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('referral_events_referral').on('referral_events').column('referral_id').execute();
        await db.schema
          .createTable('navigation_items')
          .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
          .addColumn('item', 'text', (c) => c.notNull())
          .addColumn('owner', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('notes', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('navigation_items_pk', ['referral_id', 'item'])
          .execute();
      },
    },
    // 0017–0018: tumour-board meetings and signed decisions (board-migrations.ts).
    ...boardMigrations(kind),
    // Offline theatre log (issue 15, web): each event may carry the id the tablet gave it (sends
    // are retried, so the pair case × client id is unique and a repeat is answered, not stored
    // twice), the case version the surgeon saw when it was taken, when it was taken, and what
    // kind of entry it is (a finding with the engine's decision, the surgeon's decision, a note).
    // Old rows stay valid: kind 'finding', the other columns null.
    '0020_intraop_offline_log': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('intraop_events').addColumn('client_id', 'text').execute();
        await db.schema.alterTable('intraop_events').addColumn('taken_on_version', 'integer').execute();
        await db.schema.alterTable('intraop_events').addColumn('recorded_at', 'text').execute();
        await db.schema.alterTable('intraop_events').addColumn('kind', 'text', (c) => c.notNull().defaultTo('finding')).execute();
        await db.schema.alterTable('intraop_events').addColumn('note', 'text').execute();
        await db.schema.createIndex('intraop_events_client').on('intraop_events').columns(['case_id', 'client_id']).unique().execute();
      },
    },
    // PostgreSQL text search over a narrow copy (store/worklist.ts): a search that hits 1,500 cases
    // read 1,500 wide case rows (case JSON inline) to recheck the trigram match, count and sort
    // them; the copy holds only the filter, sort and lower-cased text columns, so the same hits
    // sit in a few dozen pages. A trigger keeps it in step inside the writing transaction (as
    // SQLite's case_search). SQLite: nothing to do (migration 0006 made case_search there).
    '0024_postgres_case_search_text': {
      async up(db: Kysely<unknown>) {
        if (kind !== 'postgres') return;
        await createPostgresSearchText(db);
      },
    },
    // The narrow search copies carry the case's organisation (bench/worklist, 100,000 cases): a
    // scoped search read the wide case row of every hit to learn its organisation (PostgreSQL:
    // 1,385 index lookups, ~10 ms of a 55 ms search). PostgreSQL also gets one trigram index
    // over title and next step together, so a search is one index scan instead of two OR-ed
    // ones, cheap enough that the planner no longer prefers reading the whole copy (a 4-letter
    // surname took 42 ms by sequential scan, 6 ms by the index).
    '0025_search_copies_organisation': {
      async up(db: Kysely<unknown>) {
        if (kind === 'sqlite') await addOrganisationToSqliteSearch(db);
        else await addOrganisationToPostgresSearchText(db);
      },
    },
    // SQLite: the audit rows of reads are committed to a queue file beside the database and
    // join the audit table in batches (store/audit-worker.mjs). This one-row table is the last
    // queued id copied, written in the same transaction as the copy, so no row is copied twice.
    // PostgreSQL: nothing to do (its audit rows go straight to the audit table).
    '0026_sqlite_audit_queue': {
      async up(db: Kysely<unknown>) {
        if (kind !== 'sqlite') return;
        await db.schema
          .createTable('audit_queue_moved')
          .addColumn('one', 'integer', (c) => c.primaryKey().check(sql`one = 1`))
          .addColumn('upto', 'integer', (c) => c.notNull())
          .execute();
        await sql`insert into audit_queue_moved (one, upto) values (1, 0)`.execute(db);
      },
    },
    // PostgreSQL: the search's trigram index takes each write into the index itself, not into
    // GIN's pending list, which every search reads through from end to end until a vacuum
    // empties it (up to 4 MB). After loading 100,000 cases it held 270 pages: the index part
    // of a surname search read 285 pages, 15 without it (bench/worklist). A write costs a little
    // more; searches outnumber writes on a worklist.
    '0027_postgres_search_index_no_pending_list': {
      async up(db: Kysely<unknown>) {
        if (kind !== 'postgres') return;
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_indexes where indexname = 'case_search_text_trgm'`.execute(db);
        if (rows[0]?.n !== 1) return;
        await sql`alter index case_search_text_trgm set (fastupdate = off)`.execute(db);
        await sql`select gin_clean_pending_list('case_search_text_trgm')`.execute(db);
      },
    },
  };
}

/**
 * FTS5 row ids are integers; the cases table's key is text and its implicit rowid may change
 * on VACUUM. `case_search` gives each case a stable integer key (the FTS row id) and a narrow
 * copy of the columns a search filters and sorts by, so a search never reads the large case
 * rows except for the page it returns. Triggers keep both in step inside the writing transaction.
 */
async function createSqliteSearch(db: Kysely<unknown>): Promise<void> {
  await sql`create table case_search (
    k integer primary key, id text not null unique, archived integer not null, updated_at text not null,
    status text not null, stage_group text, histology text)`.execute(db);
  await sql`create virtual table cases_fts using fts5(title, next_step, tokenize = 'trigram')`.execute(db);
  await sql`create trigger cases_search_insert after insert on cases begin
    insert into case_search (id, archived, updated_at, status, stage_group, histology)
      values (new.id, new.archived, new.updated_at, new.status, new.stage_group, new.histology);
    insert into cases_fts (rowid, title, next_step) values ((select k from case_search where id = new.id), new.title, new.next_step);
  end`.execute(db);
  await sql`create trigger cases_search_update after update on cases begin
    update case_search set archived = new.archived, updated_at = new.updated_at, status = new.status,
      stage_group = new.stage_group, histology = new.histology where id = new.id;
  end`.execute(db);
  await sql`create trigger cases_search_text_update after update of title, next_step on cases
    when new.title is not old.title or new.next_step is not old.next_step begin
    update cases_fts set title = new.title, next_step = new.next_step where rowid = (select k from case_search where id = new.id);
  end`.execute(db);
  await sql`create trigger cases_search_delete after delete on cases begin
    delete from cases_fts where rowid = (select k from case_search where id = old.id);
    delete from case_search where id = old.id;
  end`.execute(db);
  await sql`insert into case_search (id, archived, updated_at, status, stage_group, histology)
    select id, archived, updated_at, status, stage_group, histology from cases order by created_at, id`.execute(db);
  await sql`insert into cases_fts (rowid, title, next_step) select s.k, c.title, c.next_step from case_search s join cases c on c.id = s.id`.execute(db);
}

/**
 * pg_trgm ships with PostgreSQL (contrib) and is a trusted extension (PostgreSQL ≥ 13): a user
 * with CREATE on the database may install it. Where it cannot be installed the migration still
 * succeeds (savepoint) and search runs unindexed; ensurePostgresSearch retries at every start.
 */
async function createPostgresSearch(db: Kysely<unknown>): Promise<void> {
  await sql`savepoint search_extension`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`release savepoint search_extension`.execute(db);
  } catch {
    await sql`rollback to savepoint search_extension`.execute(db);
    return;
  }
  await createPostgresTrigramIndexes(db);
}

export async function createPostgresTrigramIndexes(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists cases_title_trgm on cases using gin (lower(title) gin_trgm_ops)`.execute(db);
  await sql`create index if not exists cases_next_step_trgm on cases using gin (lower(next_step) gin_trgm_ops)`.execute(db);
}

/** The trigram indexes of the narrow search copy (0024), when pg_trgm is installed; 0025 replaces them. */
async function createPostgresSearchTextIndexes(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists case_search_text_title_trgm on case_search_text using gin (title_lower gin_trgm_ops)`.execute(db);
  await sql`create index if not exists case_search_text_next_step_trgm on case_search_text using gin (next_step_lower gin_trgm_ops)`.execute(db);
}

async function createPostgresSearchText(db: Kysely<unknown>): Promise<void> {
  await sql`create table case_search_text (
    id text primary key, archived integer not null, updated_at text not null, status text not null,
    stage_group text, histology text, title_lower text not null, next_step_lower text)`.execute(db);
  await sql`insert into case_search_text
    select id, archived, updated_at, status, stage_group, histology, lower(title), lower(next_step) from cases`.execute(db);
  await sql`create function case_search_text_sync() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        delete from case_search_text where id = old.id;
        return old;
      end if;
      insert into case_search_text values
        (new.id, new.archived, new.updated_at, new.status, new.stage_group, new.histology, lower(new.title), lower(new.next_step))
      on conflict (id) do update set archived = excluded.archived, updated_at = excluded.updated_at, status = excluded.status,
        stage_group = excluded.stage_group, histology = excluded.histology, title_lower = excluded.title_lower,
        next_step_lower = excluded.next_step_lower;
      return new;
    end $$`.execute(db);
  await sql`create trigger case_search_text_sync after insert or update or delete on cases
    for each row execute function case_search_text_sync()`.execute(db);
  // The trigram indexes on the wide table are no longer read.
  await sql`drop index if exists cases_title_trgm`.execute(db);
  await sql`drop index if exists cases_next_step_trgm`.execute(db);
  const trgm = await sql<{ n: number }>`select count(*)::int as n from pg_extension where extname = 'pg_trgm'`.execute(db);
  if (trgm.rows[0]?.n === 1) await createPostgresSearchTextIndexes(db);
}

/** 0025, SQLite: case_search gains organisation_id, kept by the same triggers. */
async function addOrganisationToSqliteSearch(db: Kysely<unknown>): Promise<void> {
  await sql`alter table case_search add column organisation_id text`.execute(db);
  await sql`update case_search set organisation_id = (select c.organisation_id from cases c where c.id = case_search.id)`.execute(db);
  await sql`drop trigger cases_search_insert`.execute(db);
  await sql`drop trigger cases_search_update`.execute(db);
  await sql`create trigger cases_search_insert after insert on cases begin
    insert into case_search (id, archived, updated_at, status, stage_group, histology, organisation_id)
      values (new.id, new.archived, new.updated_at, new.status, new.stage_group, new.histology, new.organisation_id);
    insert into cases_fts (rowid, title, next_step) values ((select k from case_search where id = new.id), new.title, new.next_step);
  end`.execute(db);
  await sql`create trigger cases_search_update after update on cases begin
    update case_search set archived = new.archived, updated_at = new.updated_at, status = new.status,
      stage_group = new.stage_group, histology = new.histology, organisation_id = new.organisation_id where id = new.id;
  end`.execute(db);
}

/**
 * The one trigram index of the PostgreSQL search copy (0025): title and next step joined by a
 * unit separator. A match on the joined text is rechecked on each column (worklist.ts), so a
 * text spanning the two never matches.
 */
export async function createPostgresSearchTextIndex(db: Kysely<unknown>): Promise<void> {
  // fastupdate off: see migration 0027.
  await sql`create index if not exists case_search_text_trgm on case_search_text
    using gin ((title_lower || chr(31) || coalesce(next_step_lower, '')) gin_trgm_ops) with (fastupdate = off)`.execute(db);
}

/** 0025, PostgreSQL: case_search_text gains organisation_id; one joined trigram index replaces the two. */
async function addOrganisationToPostgresSearchText(db: Kysely<unknown>): Promise<void> {
  await sql`alter table case_search_text add column organisation_id text`.execute(db);
  await sql`update case_search_text t set organisation_id = c.organisation_id from cases c where c.id = t.id`.execute(db);
  await sql`create or replace function case_search_text_sync() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        delete from case_search_text where id = old.id;
        return old;
      end if;
      insert into case_search_text (id, archived, updated_at, status, stage_group, histology, title_lower, next_step_lower, organisation_id)
      values (new.id, new.archived, new.updated_at, new.status, new.stage_group, new.histology, lower(new.title), lower(new.next_step), new.organisation_id)
      on conflict (id) do update set archived = excluded.archived, updated_at = excluded.updated_at, status = excluded.status,
        stage_group = excluded.stage_group, histology = excluded.histology, title_lower = excluded.title_lower,
        next_step_lower = excluded.next_step_lower, organisation_id = excluded.organisation_id;
      return new;
    end $$`.execute(db);
  await sql`drop index if exists case_search_text_title_trgm`.execute(db);
  await sql`drop index if exists case_search_text_next_step_trgm`.execute(db);
  const trgm = await sql<{ n: number }>`select count(*)::int as n from pg_extension where extname = 'pg_trgm'`.execute(db);
  if (trgm.rows[0]?.n === 1) await createPostgresSearchTextIndex(db);
  await sql`analyze case_search_text`.execute(db);
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
