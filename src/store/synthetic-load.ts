import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely } from 'kysely';
import { caseIndexOf } from './case-index.ts';
import { openDatabase } from './database.ts';
import type { DatabaseConfig } from './database-url.ts';
import type { AuditTable, CasesTable, CaseVersionsTable, Database } from './schema.ts';
import { seededRandom } from '../shared/seeded-random.ts';
import { syntheticCaseGenerator } from './synthetic-cases.ts';

/**
 * Fills a database with synthetic cases for load tests: each case with its versions (as the
 * repository would have written them) and the audit rows of those writes and of some reads.
 * Rows go in multi-row INSERTs, one transaction per batch of cases. The derived worklist
 * columns come from the engine, as on every real write (case-index.ts).
 */
export interface SyntheticLoadOptions {
  readonly cases: number;
  readonly seed?: number;
  /** Cases per transaction. */
  readonly batch?: number;
  /** Called after each committed batch with the cases written so far. */
  readonly onProgress?: (casesWritten: number) => void;
}

export interface SyntheticLoadResult {
  readonly cases: number;
  readonly versions: number;
  readonly auditRows: number;
  readonly milliseconds: number;
}

const AUTHORS = ['syn-surgeon', 'syn-oncologist', 'syn-radiologist', 'syn-pathologist', 'syn-nurse'];
const DAY = 86_400_000;

interface Drawn {
  readonly caseRow: Insertable<CasesTable>;
  readonly versions: Insertable<CaseVersionsTable>[];
  readonly audit: Insertable<AuditTable>[];
}

function drawer(seed: number, now: number): () => Drawn {
  const next = syntheticCaseGenerator(seed, now);
  const random = seededRandom(seed ^ 0x5eed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  return () => {
    const drawn = next();
    const id = randomUUID();
    const finalJson = JSON.stringify(drawn.case);
    const index = caseIndexOf(drawn.case);
    // History: created at referral, then 0–2 updates (tissue diagnosis, board, treatment) over weeks.
    const updates = Math.floor(random() * 3);
    let at = now - Math.floor(random() * 3 * 365 * DAY);
    const times = [at];
    for (let i = 0; i < updates; i++) {
      at += Math.floor((1 + random() * 40) * DAY);
      times.push(at);
    }
    const iso = (ms: number) => new Date(Math.min(ms, now)).toISOString();
    const archived = random() < 0.02 ? 1 : 0;
    const { pathology: _tissue, ...withoutTissue } = drawn.case;
    const firstJson = updates > 0 ? JSON.stringify({ ...withoutTissue, pathology: {} }) : finalJson;
    const versions: Insertable<CaseVersionsTable>[] = times.map((ms, i) => ({
      case_id: id,
      version: i + 1,
      action: i === 0 ? 'create' : 'update',
      title: drawn.title,
      status: i === times.length - 1 ? drawn.status : 'workup',
      case_json: i === 0 ? firstJson : finalJson,
      archived: 0,
      changed_fields: JSON.stringify(i === 0 ? ['title', 'status', 'case.board', 'case.patient', 'case.pathology', 'case.presentation', 'case.tumor'] : ['status', 'case.pathology']),
      author: pick(AUTHORS),
      created_at: iso(ms),
    }));
    if (archived === 1) {
      const last = versions[versions.length - 1]!;
      versions.push({ ...last, version: last.version + 1, action: 'archive', archived: 1, changed_fields: '["archived"]', created_at: iso(times[times.length - 1]! + DAY) });
    }
    const last = versions[versions.length - 1]!;
    const audit: Insertable<AuditTable>[] = versions.map((v) => ({
      at: v.created_at,
      actor: v.author,
      action: v.action === 'create' ? 'case.create' : v.action === 'archive' ? 'case.archive' : 'case.update',
      object_type: 'case',
      object_id: id,
      outcome: 'success',
      status_code: v.action === 'create' ? 201 : 200,
      client_address: '198.51.100.7',
      detail: v.action === 'create' ? null : `version ${v.version}`,
    }));
    for (let r = Math.floor(random() * 4); r > 0; r--) {
      audit.push({ ...audit[0]!, at: iso(times[0]! + Math.floor(random() * 60 * DAY)), actor: pick(AUTHORS), action: 'case.read', status_code: 200, detail: null });
    }
    const caseRow: Insertable<CasesTable> = {
      id,
      version: last.version,
      title: drawn.title,
      status: drawn.status,
      case_json: finalJson,
      stage_group: index.stageGroup,
      histology: index.histology,
      next_step: index.nextStep,
      index_rules: index.indexRules,
      archived,
      created_at: versions[0]!.created_at,
      created_by: versions[0]!.author,
      updated_at: last.created_at,
      updated_by: last.author,
    };
    return { caseRow, versions, audit };
  };
}

async function insertChunked<T extends keyof Database>(db: Kysely<Database>, table: T, rows: Insertable<Database[T]>[], columns: number): Promise<void> {
  // SQLite accepts 32,766 bound values per statement; PostgreSQL 65,535.
  const perStatement = Math.max(1, Math.floor(30_000 / columns));
  for (let i = 0; i < rows.length; i += perStatement) {
    await db.insertInto(table).values(rows.slice(i, i + perStatement) as never).execute();
  }
}

export async function loadSyntheticCases(config: DatabaseConfig, options: SyntheticLoadOptions): Promise<SyntheticLoadResult> {
  const { db, kind } = await openDatabase(config);
  // A bulk load need not fsync every batch: in WAL mode NORMAL still never corrupts the file
  // (a power cut loses at most the last batches); the server keeps FULL.
  if (kind === 'sqlite') await sql`pragma synchronous = NORMAL`.execute(db);
  const started = performance.now();
  const draw = drawer(options.seed ?? 20261201, Date.UTC(2026, 10, 30));
  const batch = options.batch ?? 1000;
  let versions = 0;
  let auditRows = 0;
  try {
    for (let done = 0; done < options.cases; ) {
      const n = Math.min(batch, options.cases - done);
      const drawn = Array.from({ length: n }, draw);
      const caseRows = drawn.map((d) => d.caseRow);
      const versionRows = drawn.flatMap((d) => d.versions);
      const auditInserts = drawn.flatMap((d) => d.audit);
      await db.transaction().execute(async (trx) => {
        await insertChunked(trx, 'cases', caseRows, 13);
        await insertChunked(trx, 'case_versions', versionRows, 10);
        await insertChunked(trx, 'audit', auditInserts, 9);
      });
      done += n;
      versions += versionRows.length;
      auditRows += auditInserts.length;
      options.onProgress?.(done);
    }
    // What autovacuum would do later, now: planner statistics (the worklist's plans depend on them)
    // and the visibility map (index-only scans skip the heap only for all-visible pages).
    if (kind === 'postgres') await sql`vacuum (analyze) cases, case_versions, audit`.execute(db);
  } finally {
    await db.destroy();
  }
  return { cases: options.cases, versions, auditRows, milliseconds: performance.now() - started };
}
