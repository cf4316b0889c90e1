import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';
import type { DatabaseKind } from './database-url.ts';

/**
 * Tumour boards (issue 13 part B; store/meetings.ts): meetings, their agenda items, and the
 * board's decisions extended with the meeting they were taken in, concordance with the
 * engine, chair sign-off and amendment. Every new table carries `organisation_id` (the
 * default organisation is `default`) so organisation-scoped access can filter it.
 * A signed decision is immutable in the database itself: an UPDATE or DELETE of a row
 * whose `signed_at` is set raises (hazard H53); an amendment is a new row.
 */
export function boardMigrations(kind: DatabaseKind): Record<string, Migration> {
  return {
    '0017_tumour_board_meetings': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('meetings')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organisation_id', 'text', (c) => c.notNull().defaultTo('default'))
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('date', 'text', (c) => c.notNull())
          .addColumn('start_time', 'text', (c) => c.notNull())
          .addColumn('duration_minutes', 'integer', (c) => c.notNull())
          .addColumn('minutes_per_item', 'integer', (c) => c.notNull())
          .addColumn('place', 'text')
          .addColumn('video_link', 'text')
          .addColumn('chair_user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('expected_json', 'text', (c) => c.notNull())
          .addColumn('attendance_json', 'text')
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('meetings_org_date').on('meetings').columns(['organisation_id', 'date', 'start_time']).execute();
        await db.schema
          .createTable('meeting_items')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organisation_id', 'text', (c) => c.notNull().defaultTo('default'))
          .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
          .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
          .addColumn('referral_id', 'text')
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('presenter', 'text')
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('meeting_items_meeting').on('meeting_items').columns(['meeting_id', 'position']).execute();
        await db.schema.createIndex('meeting_items_case').on('meeting_items').column('case_id').execute();
      },
    },
    '0018_board_decisions': {
      async up(db: Kysely<unknown>) {
        // Old decisions stay valid: every new column is nullable (or defaulted) and they remain unsigned.
        const columns: [string, 'text'][] = [
          ['meeting_id', 'text'],
          ['agenda_item_id', 'text'],
          ['intent', 'text'],
          ['next_steps', 'text'],
          ['concordance', 'text'],
          ['deviation_reason', 'text'],
          ['deviation_text', 'text'],
          ['engine_json', 'text'],
          ['signed_by', 'text'],
          ['signed_by_user_id', 'text'],
          ['signed_at', 'text'],
          ['supersedes_id', 'text'],
        ];
        await db.schema.alterTable('decisions').addColumn('organisation_id', 'text', (c) => c.notNull().defaultTo('default')).execute();
        for (const [name, type] of columns) await db.schema.alterTable('decisions').addColumn(name, type).execute();
        // One amendment per signed version: the chain stays a line, never a fork.
        await db.schema.createIndex('decisions_supersedes').on('decisions').column('supersedes_id').unique().execute();
        await db.schema.createIndex('decisions_meeting').on('decisions').column('meeting_id').execute();
        if (kind === 'postgres') {
          await sql`
            create function retroplan_signed_decision_immutable() returns trigger language plpgsql as $$
            begin
              if old.signed_at is not null then
                raise exception 'a signed tumour-board decision is immutable: % refused (amend it instead)', tg_op using errcode = 'insufficient_privilege';
              end if;
              if tg_op = 'DELETE' then return old; end if;
              return new;
            end
            $$`.execute(db);
          await sql`create trigger decisions_signed_immutable before update or delete on decisions
            for each row execute function retroplan_signed_decision_immutable()`.execute(db);
        } else {
          await sql`create trigger decisions_signed_no_update before update on decisions when old.signed_at is not null
            begin select raise(abort, 'a signed tumour-board decision is immutable: UPDATE refused (amend it instead)'); end`.execute(db);
          await sql`create trigger decisions_signed_no_delete before delete on decisions when old.signed_at is not null
            begin select raise(abort, 'a signed tumour-board decision is immutable: DELETE refused (amend it instead)'); end`.execute(db);
        }
      },
    },
  };
}
