import { sql, type Kysely, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type { DatabaseKind } from './database-url.ts';
import { createPostgresSearchTextIndex } from './migrations.ts';
import type { CasesTable, Database } from './schema.ts';
import type { CaseListFilter } from './types.ts';
import { caseVisible, type StoreScope } from './organisations.ts';
import { NAVIGATION_CLOSED, OPEN_REFERRAL_STATUSES, type ReferralStatus } from './referrals.ts';

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
 *   with one pg_trgm GIN index on a narrow lower-cased copy (case_search_text, migrations 0024–0025).
 *   Up to FTS_SORT_LIMIT hits are filtered, counted, sorted and paged in one statement; more
 *   hits (a common text) are met by walking the list in order. A text shorter than 3
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
  /** The network columns of each row, when asked for (`NetworkColumns`). */
  readonly extras?: Map<string, WorklistExtras>;
}

/** Ask listWorklist for the network columns too, as `scope` sees them on the UTC day `today` (see worklistExtras). */
export interface NetworkColumns {
  readonly scope: StoreScope;
  readonly today: string;
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
 * The filters every strategy shares, on `table` (cases, or the narrow search copy: SQLite's
 * case_search, PostgreSQL's case_search_text).
 * The cursor applies to the page only, never to the total.
 */
function filterConditions(table: 'cases' | 'case_search' | 'case_search_text', filter: CaseListFilter, cursor?: Cursor, scope?: StoreScope): RawBuilder<SqlBool>[] {
  const col = (name: string) => sql.ref(`${table}.${name}`);
  const conditions = [sql<SqlBool>`${col('archived')} = ${filter.archived ? 1 : 0}`];
  // Organisation scope (store/organisations.ts): the narrow search copies carry the organisation too (migration 0025).
  if (scope && !scope.network) conditions.push(caseVisible(scope, `${table}.id`, `${table}.organisation_id`) as RawBuilder<SqlBool>);
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

/**
 * The same match on PostgreSQL's narrow copy, whose text columns are stored lower-cased: the
 * joined text (what the one trigram index of migration 0025 covers) finds the candidates, and
 * each column is rechecked, so a text spanning title and next step does not match.
 */
function lowerLikeCondition(table: string, q: string): RawBuilder<SqlBool> {
  const pattern = containsPattern(q);
  const title = sql.ref(`${table}.title_lower`);
  const nextStep = sql.ref(`${table}.next_step_lower`);
  return sql<SqlBool>`((${title} || chr(31) || coalesce(${nextStep}, '')) like ${pattern} escape '\\' and (${title} like ${pattern} escape '\\' or ${nextStep} like ${pattern} escape '\\'))`;
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
  tuning: WorklistTuning = DEFAULT_TUNING,
  scope?: StoreScope,
  network?: NetworkColumns,
): Promise<CaseListPage<SummaryRow>> {
  // SQLite prepares a statement once per reader thread, so the network columns ride in the page's
  // own statement: one job for a reader thread instead of two. PostgreSQL plans that combined
  // statement anew on each run (8 ms to plan under EXPLAIN ANALYZE), which cost more than the
  // round trip it saves (first page at 100,000 cases: 2.4 ms combined against 1.5 + 0.5 ms), so
  // there they come from a statement of their own.
  const page = await listPage(db, kind, filter, tuning, scope, kind === 'sqlite' ? network : undefined);
  if (!network || page.extras) return page;
  return { ...page, extras: await worklistExtras(db, page.rows.map((r) => r.id), network.scope, network.today) };
}

async function listPage(
  db: Kysely<Database>,
  kind: DatabaseKind,
  filter: CaseListFilter,
  { countCap, ftsSortLimit }: WorklistTuning,
  scope: StoreScope | undefined,
  network: NetworkColumns | undefined,
): Promise<CaseListPage<SummaryRow>> {
  const cursor = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
  const q = filter.q?.trim() ? filter.q : undefined;

  // Rows in list order (an index walk), every condition in WHERE.
  const walk = (withCursor: boolean, extra?: RawBuilder<SqlBool>) =>
    db.selectFrom('cases').where(sql.join([...filterConditions('cases', filter, withCursor ? cursor : undefined, scope), ...(extra ? [extra] : [])], sql` and `) as RawBuilder<SqlBool>);

  if (q !== undefined && searchableLength(q) >= 3) {
    // Indexed text search (FTS5 trigram on SQLite, pg_trgm on PostgreSQL): the hits, up to
    // ftsSortLimit + 1 of them, are filtered, counted, sorted and paged in one statement, which
    // also returns how many hits there were. Up to ftsSortLimit hits that is the whole answer.
    const sorted = await sortedHits(db, kind, q, filter, cursor, ftsSortLimit, scope, network);
    if (sorted.hits <= ftsSortLimit) return toPage(sorted.rows, sorted.matched, filter.limit, countCap, sorted.extras);
    // A common text: walking the list in order meets a page of matches within a few rows; the
    // total is counted over the indexed hits, stopping at the cap.
    const rows = await walk(true, likeCondition(q)).select([...SUMMARY_COLUMNS]).orderBy('updated_at', 'desc').orderBy('id').limit(filter.limit).offset(filter.offset).execute();
    return toPage(rows, await cappedSearchCount(db, kind, q, filter, countCap, scope), filter.limit, countCap);
  }

  // The page and its capped count (and, on SQLite, its network columns) in one statement: one
  // round trip or one job for a reader thread where there were two or three. The left join keeps
  // one row when the page is empty, so the count always comes back.
  const search = q !== undefined ? likeCondition(q) : undefined;
  const page = walk(true, search).select([...SUMMARY_COLUMNS]).orderBy('updated_at', 'desc').orderBy('id').limit(filter.limit).offset(filter.offset);
  const capped = walk(false, search).select(sql<number>`1`.as('one')).limit(countCap + 1);
  const { rows } = await sql<PageRow & { counted: number | string | bigint }>`
    with x as materialized (
      select n.counted, ${summaryOf('p')}${network ? sql`, ${networkColumns('p', network)}` : sql``}
      from (select count(*) as counted from (${capped}) t) n
      left join (${page}) p on true)
    select x.*${network ? sql`, m.date as meeting_date` : sql``} from x ${network ? sql`left join meetings m on m.id = x.meeting_id` : sql``}
    order by x.updated_at desc, x.id`.execute(db);
  return toPage(pageRows(rows), countOf({ n: rows[0]!.counted }), filter.limit, countCap, network && extrasOf(rows));
}

/** A row of a statement that returns the page with counts, and perhaps its network columns. */
type PageRow = SummaryRow & Partial<NetworkColumnValues>;

/** The page's rows of a statement that also returned counts (an empty page: one row of nulls). */
function pageRows(rows: PageRow[]): SummaryRow[] {
  return rows.filter((r) => r.id !== null).map((r) => Object.fromEntries(SUMMARY_COLUMNS.map((c) => [c, r[c]])) as SummaryRow);
}

const summaryOf = (alias: string) => sql.join(SUMMARY_COLUMNS.map((c) => sql.ref(`${alias}.${c}`)));

/**
 * The hits of an indexed search in one statement: `hits` (at most limit + 1, unfiltered),
 * `matched` (those passing the filters) and the requested page of them in list order. Each hit
 * carries whether it passes the filters (`ok`), so the hits are gathered once and not copied
 * again for the filtered ones (bench/worklist: 4.8 → 3.1 ms for 1,479 hits on SQLite). The
 * outer left join keeps one row when the page is empty, so the counts always come back.
 * SQLite: FTS5 trigram match joined to the narrow case_search copy by its integer key.
 * PostgreSQL: the LIKE over the narrow copy's lower-cased title and next step, answered by its
 * pg_trgm index (a bitmap scan; `limit` keeps a common text from reading every matching row).
 */
async function sortedHits(
  db: Kysely<Database>,
  kind: DatabaseKind,
  q: string,
  filter: CaseListFilter,
  cursor: Cursor | undefined,
  limit: number,
  scope?: StoreScope,
  network?: NetworkColumns,
): Promise<{ hits: number; matched: number; rows: SummaryRow[]; extras?: Map<string, WorklistExtras> }> {
  const after = cursor ? sql`and (h.updated_at < ${cursor.updatedAt} or (h.updated_at = ${cursor.updatedAt} and h.id > ${cursor.id}))` : sql``;
  const copy = kind === 'sqlite' ? 'case_search' : 'case_search_text';
  const ok = sql.join(filterConditions(copy, filter, undefined, scope), sql` and `);
  const hits =
    kind === 'sqlite'
      ? sql`select case_search.id, case_search.updated_at, (${ok}) as ok
            from (select rowid as k from cases_fts where cases_fts match ${ftsPhrase(q)} limit ${limit + 1}) f
            join case_search on case_search.k = f.k`
      : sql`select case_search_text.id, case_search_text.updated_at, (${ok}) as ok
            from case_search_text where ${lowerLikeCondition('case_search_text', q)} limit ${limit + 1}`;
  const { rows } = await sql<PageRow & { hits: number | string; matched: number | string | null }>`
    with h as materialized (${hits}),
    x as materialized (
      select n.hits, n.matched, ${summaryOf('c')}${network ? sql`, ${networkColumns('c', network)}` : sql``}
      from (select count(*) as hits, sum(case when h.ok then 1 else 0 end) as matched from h) n
      left join (select h.id, h.updated_at from h where h.ok ${after} order by h.updated_at desc, h.id limit ${filter.limit} offset ${filter.offset}) p on true
      left join cases c on c.id = p.id)
    select x.*${network ? sql`, m.date as meeting_date` : sql``} from x ${network ? sql`left join meetings m on m.id = x.meeting_id` : sql``}
    order by x.updated_at desc, x.id`.execute(db);
  const first = rows[0]!;
  return {
    hits: Number(first.hits),
    matched: Number(first.matched ?? 0),
    rows: pageRows(rows),
    extras: network && extrasOf(rows),
  };
}

/** How many cases match an indexed search and the filters, counted up to cap + 1. */
async function cappedSearchCount(db: Kysely<Database>, kind: DatabaseKind, q: string, filter: CaseListFilter, cap: number, scope?: StoreScope): Promise<number> {
  const hits =
    kind === 'sqlite'
      ? sql`select 1 from cases_fts join case_search on case_search.k = cases_fts.rowid
            where cases_fts match ${ftsPhrase(q)} and ${sql.join(filterConditions('case_search', filter, undefined, scope), sql` and `)} limit ${cap + 1}`
      : sql`select 1 from case_search_text where ${lowerLikeCondition('case_search_text', q)} and ${sql.join(filterConditions('case_search_text', filter, undefined, scope), sql` and `)} limit ${cap + 1}`;
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from (${hits}) t`.execute(db);
  return Number(rows[0]!.n);
}

function toPage(rows: SummaryRow[], counted: number, limit: number, countCap: number, extras?: Map<string, WorklistExtras>): CaseListPage<SummaryRow> {
  const last = rows[rows.length - 1];
  return {
    rows,
    total: Math.min(counted, countCap),
    totalCapped: counted > countCap,
    nextCursor: last && rows.length === limit ? encodeCursor({ updatedAt: last.updated_at, id: last.id }) : null,
    ...(extras ? { extras } : {}),
  };
}

/** Where one listed case stands in the network, as its caller sees it (types.ts WorklistItem). */
export interface WorklistExtras {
  readonly referralStatus: ReferralStatus | null;
  readonly nextMeeting: { readonly id: string; readonly date: string } | null;
  readonly openNavigation: number;
}

/**
 * Referral statuses whose navigation checklist no longer counts on the worklist: a redirected
 * referral's checklist was carried into the new referral (counting both would count each item
 * twice), and a declined patient does not travel to the hub.
 */
const NAVIGATION_NOT_IN_PLAY: readonly ReferralStatus[] = ['redirected', 'declined'];

/**
 * The worklist's network columns for one page of cases, in one statement (never one query per
 * row): for each id, three correlated subqueries, each answered through an index on the case id
 * (referrals_case, meeting_items_case; navigation_items by its primary key), so the cost grows with
 * the page (≤ 100 rows), not with the number of cases.
 *
 * Scope (issue 13): referrals count only when one of the caller's organisations sent or received
 * them (a network administrator: every referral, as the referral list); meetings only when they
 * belong to one of the caller's organisations (as the boards store: a meeting of another
 * organisation cannot be opened, so its date is not shown either). `today` is a UTC date
 * (YYYY-MM-DD), the same day boundary as the meeting list's "upcoming".
 * On SQLite listWorklist computes the same columns inside its page statement (`NetworkColumns`);
 * this separate statement serves PostgreSQL and the search path that walks the list.
 */
async function worklistExtras(db: Kysely<Database>, ids: readonly string[], scope: StoreScope, today: string): Promise<Map<string, WorklistExtras>> {
  if (ids.length === 0) return new Map();
  // `x` is materialised so the meeting subquery runs once per row, not again for the join.
  const { rows } = await sql<{ id: string } & NetworkColumnValues>`
    with x as materialized (select c.id, ${networkColumns('c', { scope, today })} from cases c where c.id in (${listOf(ids)}))
    select x.*, m.date as meeting_date
    from x left join meetings m on m.id = x.meeting_id`.execute(db);
  return extrasOf(rows);
}

const listOf = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`));

/** The network columns as a statement returns them (the meeting's date from a join on `meeting_id`). */
interface NetworkColumnValues {
  referral_status: string | null;
  meeting_id: string | null;
  meeting_date: string | null;
  open_navigation: number | string | bigint;
}

/**
 * The three network columns of the case `alias`.id, as correlated subqueries (see worklistExtras
 * for what they mean); the caller joins `meetings` on `meeting_id` for the meeting's date.
 * `cross join` makes SQLite start from the case's agenda items (meeting_items_case), not from
 * every upcoming meeting of the organisation; PostgreSQL plans it as an inner join.
 */
function networkColumns(alias: string, { scope, today }: NetworkColumns): RawBuilder<unknown> {
  const caseId = sql.ref(`${alias}.id`);
  // No organisation: `in (null)` matches nothing (a NUL sentinel would be refused by PostgreSQL's text type).
  const orgs = scope.organisationIds.length > 0 ? listOf(scope.organisationIds) : sql`null`;
  const referralInScope = (r: string) =>
    scope.network ? sql`1 = 1` : sql`(${sql.ref(`${r}.from_organisation_id`)} in (${orgs}) or ${sql.ref(`${r}.to_organisation_id`)} in (${orgs}))`;
  return sql`(select r.status from referrals r
          where r.case_id = ${caseId} and r.status in (${listOf(OPEN_REFERRAL_STATUSES)}) and ${referralInScope('r')}
          order by r.created_at desc, r.id desc limit 1) as referral_status,
        (select mt.id from meeting_items i cross join meetings mt
          where i.case_id = ${caseId} and mt.id = i.meeting_id and mt.organisation_id in (${orgs}) and mt.date >= ${today}
          order by mt.date, mt.start_time, mt.id limit 1) as meeting_id,
        (select count(*) from referrals r cross join navigation_items n
          where r.case_id = ${caseId} and n.referral_id = r.id and r.status not in (${listOf(NAVIGATION_NOT_IN_PLAY)}) and ${referralInScope('r')}
            and n.status not in (${listOf(NAVIGATION_CLOSED)})) as open_navigation`;
}

function extrasOf(rows: readonly ({ id: string | null } & Partial<NetworkColumnValues>)[]): Map<string, WorklistExtras> {
  const out = new Map<string, WorklistExtras>();
  for (const row of rows) {
    if (row.id === null) continue;
    out.set(row.id, {
      referralStatus: (row.referral_status ?? null) as ReferralStatus | null,
      nextMeeting: row.meeting_id != null && row.meeting_date != null ? { id: row.meeting_id, date: row.meeting_date } : null,
      openNavigation: Number(row.open_navigation ?? 0),
    });
  }
  return out;
}

/**
 * PostgreSQL: true when the text search is indexed (pg_trgm, on the narrow copy
 * case_search_text, migrations 0024–0025). The migrations install it where the database user may;
 * otherwise this retries at every start (an administrator may have run
 * `CREATE EXTENSION pg_trgm` since), and search stays correct but unindexed until then.
 */
export async function ensurePostgresSearchIndexes(db: Kysely<Database>): Promise<boolean> {
  const present = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from pg_indexes where indexname = 'case_search_text_trgm'`.execute(db)).rows[0]?.n === 1;
  if (await present()) return true;
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await createPostgresSearchTextIndex(db as unknown as Kysely<unknown>);
  } catch {
    return false;
  }
  return present();
}
