import { sql, type Kysely, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { DatabaseKind } from './database-url.ts';
import { createPostgresTrigramIndexes } from './migrations.ts';
import type { CasesTable, Database } from './schema.ts';
import type { CaseListFilter } from './types.ts';
import { caseVisible, type StoreScope } from './organisations.ts';

/**
 * The worklist query (GET /api/cases) at 100,000 cases.
 *
 * - Order: last change first, id as tie-break. Every filter has an index (migration 0006) that
 *   ends with that order, so a page is read in index order and stops after `limit` rows.
 * - Paging: `offset` as before; `cursor` (the `nextCursor` of the previous page) continues
 *   after the last row seen without skipping rows (keyset), however deep.
 * - Total: counted up to COUNT_CAP matching rows, never more. Above that, `total` is
 *   COUNT_CAP and `totalCapped` is true ("1,000 or more"): an exact count of 100,000 rows on
 *   every request would cost more than the page itself.
 * - Text search (`q`): the title or the next step contains the text, case-insensitively
 *   (LIKE's wildcards are literal). SQLite answers it with an FTS5 trigram index; PostgreSQL
 *   with pg_trgm GIN indexes on lower(title) / lower(next_step). A text shorter than 3
 *   characters has no trigram, so it is answered by walking the list in order.
 */
export const COUNT_CAP = 1000;

/** Above this many FTS hits, walking the list in order finds a page sooner than sorting every hit. */
const FTS_SORT_LIMIT = 2000;

/** The two thresholds; tests lower them to reach every path with a few rows. */
export interface WorklistTuning {
  readonly countCap: number;
  readonly ftsSortLimit: number;
}
const DEFAULT_TUNING: WorklistTuning = { countCap: COUNT_CAP, ftsSortLimit: FTS_SORT_LIMIT };

export interface CaseListPage<Row> {
  readonly rows: Row[];
  readonly total: number;
  readonly totalCapped: boolean;
  readonly nextCursor: string | null;
}

export const SUMMARY_COLUMNS = [
  'id',
  'version',
  'title',
  'status',
  'stage_group',
  'histology',
  'next_step',
  'archived',
  'organisation_id',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
] as const;
export type SummaryRow = Selectable<Pick<CasesTable, (typeof SUMMARY_COLUMNS)[number]>>;

interface Cursor {
  readonly updatedAt: string;
  readonly id: string;
}

/** An opaque position in the list: the last change time and id of the last row of a page. */
export function encodeCursor(row: Cursor): string {
  return Buffer.from(JSON.stringify([row.updatedAt, row.id]), 'utf8').toString('base64url');
}

/** undefined when the text is not a cursor this list handed out. */
export function decodeCursor(text: string): Cursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,800}$/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string') return undefined;
    return { updatedAt: value[0], id: value[1] };
  } catch {
    return undefined;
  }
}

/** A LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** An FTS5 query for the exact text: one phrase, its quotes doubled. */
function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * The filters every strategy shares, on `table` (cases, or SQLite's narrow case_search copy).
 * The cursor applies to the page only, never to the total.
 */
function filterConditions(table: 'cases' | 'case_search', filter: CaseListFilter, cursor?: Cursor, scope?: StoreScope): RawBuilder<SqlBool>[] {
  const col = (name: string) => sql.ref(`${table}.${name}`);
  const conditions = [sql<SqlBool>`${col('archived')} = ${filter.archived ? 1 : 0}`];
  // Organisation scope (store/organisations.ts): the narrow SQLite copy has no organisation column.
  if (scope && !scope.network) conditions.push(caseVisible(scope, `${table}.id`, table === 'cases' ? 'cases.organisation_id' : null) as RawBuilder<SqlBool>);
  if (filter.status) conditions.push(sql<SqlBool>`${col('status')} = ${filter.status}`);
  if (filter.stageGroup) conditions.push(sql<SqlBool>`${col('stage_group')} = ${filter.stageGroup}`);
  if (filter.histology) conditions.push(sql<SqlBool>`${col('histology')} = ${filter.histology}`);
  if (cursor) {
    conditions.push(
      sql<SqlBool>`(${col('updated_at')} < ${cursor.updatedAt} or (${col('updated_at')} = ${cursor.updatedAt} and ${col('id')} > ${cursor.id}))`,
    );
  }
  return conditions;
}

function likeCondition(q: string): RawBuilder<SqlBool> {
  const pattern = containsPattern(q);
  return sql<SqlBool>`(lower(cases.title) like ${pattern} escape '\\' or lower(cases.next_step) like ${pattern} escape '\\')`;
}

/** FTS5's trigram tokenizer indexes runs of 3 characters: a shorter text cannot use it. */
function searchableLength(q: string): number {
  return [...q].length;
}

const countOf = (n: { n: string | number | bigint }) => Number(n.n);

export async function listWorklist(
  db: Kysely<Database>,
  kind: DatabaseKind,
  filter: CaseListFilter,
  { countCap, ftsSortLimit }: WorklistTuning = DEFAULT_TUNING,
  scope?: StoreScope,
): Promise<CaseListPage<SummaryRow>> {
  const cursor = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
  const q = filter.q?.trim() ? filter.q : undefined;

  // Rows in list order (an index walk), every condition in WHERE.
  const walk = (withCursor: boolean, extra?: RawBuilder<SqlBool>) =>
    db.selectFrom('cases').where(sql.join([...filterConditions('cases', filter, withCursor ? cursor : undefined, scope), ...(extra ? [extra] : [])], sql` and `) as RawBuilder<SqlBool>);

  if (q !== undefined && kind === 'sqlite' && searchableLength(q) >= 3) {
    const phrase = ftsPhrase(q);
    // The full-text match runs once per request (a long text intersects many trigram lists):
    // up to ftsSortLimit + 1 hits, then filtered and sorted on the narrow case_search copy.
    const hits = (await sql<{ k: number }>`select rowid as k from cases_fts where cases_fts match ${phrase} limit ${ftsSortLimit + 1}`.execute(db)).rows;
    const allHits = hits.length <= ftsSortLimit;
    const keys = JSON.stringify(hits.map((h) => h.k));
    const amongHits = (withCursor: boolean) =>
      db
        .selectFrom('case_search')
        .where(
          sql.join(
            [sql<SqlBool>`case_search.k in (select value from json_each(${keys}))`, ...filterConditions('case_search', filter, withCursor ? cursor : undefined, scope)],
            sql` and `,
          ) as RawBuilder<SqlBool>,
        );
    let rows: SummaryRow[];
    let counted: number;
    if (allHits) {
      // Few hits: read their (narrow) rows once, then count, sort and page them here.
      const matched = await amongHits(false).select(['case_search.id', 'case_search.updated_at']).execute();
      matched.sort((a, b) => (a.updated_at === b.updated_at ? (a.id < b.id ? -1 : 1) : a.updated_at < b.updated_at ? 1 : -1));
      counted = matched.length;
      const after = cursor ? matched.filter((m) => m.updated_at < cursor.updatedAt || (m.updated_at === cursor.updatedAt && m.id > cursor.id)) : matched;
      const ids = after.slice(filter.offset, filter.offset + filter.limit).map((m) => m.id);
      const byId = new Map(
        ids.length === 0 ? [] : (await db.selectFrom('cases').select([...SUMMARY_COLUMNS]).where('id', 'in', ids).execute()).map((r) => [r.id, r] as const),
      );
      rows = ids.flatMap((id) => byId.get(id) ?? []);
    } else {
      // A common text: walking the list in order meets a page of matches within a few rows.
      rows = await walk(true, likeCondition(q)).select([...SUMMARY_COLUMNS]).orderBy('updated_at', 'desc').orderBy('id').limit(filter.limit).offset(filter.offset).execute();
      counted = countOf(
        await db
          .selectFrom(amongHits(false).select(sql<number>`1`.as('one')).limit(countCap + 1).as('t'))
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow(),
      );
      if (counted <= countCap) {
        // More hits than were read, and too few of them pass the filters: count over every hit.
        counted = countOf(
          await db
            .selectFrom(
              db
                .selectFrom('cases_fts')
                .crossJoin('case_search')
                .select(sql<number>`1`.as('one'))
                .where(
                  sql.join(
                    [sql<SqlBool>`cases_fts match ${phrase}`, sql<SqlBool>`case_search.k = cases_fts.rowid`, ...filterConditions('case_search', filter, undefined, scope)],
                    sql` and `,
                  ) as RawBuilder<SqlBool>,
                )
                .limit(countCap + 1)
                .as('t'),
            )
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow(),
        );
      }
    }
    return toPage(rows, counted, filter.limit, countCap);
  }

  const search = q !== undefined ? likeCondition(q) : undefined;
  const [rows, count] = await Promise.all([
    walk(true, search).select([...SUMMARY_COLUMNS]).orderBy('updated_at', 'desc').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    db
      .selectFrom(walk(false, search).select(sql<number>`1`.as('one')).limit(countCap + 1).as('t'))
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return toPage(rows, countOf(count), filter.limit, countCap);
}

function toPage(rows: SummaryRow[], counted: number, limit: number, countCap: number): CaseListPage<SummaryRow> {
  const last = rows[rows.length - 1];
  return {
    rows,
    total: Math.min(counted, countCap),
    totalCapped: counted > countCap,
    nextCursor: last && rows.length === limit ? encodeCursor({ updatedAt: last.updated_at, id: last.id }) : null,
  };
}

/**
 * PostgreSQL: true when the text search is indexed (pg_trgm). Migration 0006 installs it where
 * the database user may; otherwise this retries at every start (an administrator may have run
 * `CREATE EXTENSION pg_trgm` since), and search stays correct but unindexed until then.
 */
export async function ensurePostgresSearchIndexes(db: Kysely<Database>): Promise<boolean> {
  const present = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from pg_indexes where indexname in ('cases_title_trgm', 'cases_next_step_trgm')`.execute(db)).rows[0]?.n === 2;
  if (await present()) return true;
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await createPostgresTrigramIndexes(db as unknown as Kysely<unknown>);
  } catch {
    return false;
  }
  return present();
}
