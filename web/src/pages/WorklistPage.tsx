import { useEffect, useMemo, useState } from 'react';
import { evaluate, STAGE_GROUP_TABLE } from '../../../src/engine/index.ts';
import { formatDate, formatDateTime, histologyName, label } from '../../../src/engine/vocabulary.ts';
import { api, CASE_STATUSES, type CaseSummary, type User } from '../api.ts';
import { sectionHeadline } from '../evaluation/explain.ts';
import { ErrorBox, Link, Spinner } from '../ui/nav.tsx';
import { navigate } from '../router.ts';
import { statusLabel } from './CasePage.tsx';

export interface WorklistRow {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  readonly stageGroup: string;
  /** A stage without a tissue diagnosis: shown as provisional. */
  readonly provisional: boolean;
  readonly histology: string;
  readonly nextStep: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  /** The newest open referral's status in words ('—' when none), from the one vocabulary. */
  readonly referral: string;
  /** The next meeting holding the case: its date (YYYY-MM-DD, '' when none) and id. */
  readonly nextMeeting: string;
  readonly nextMeetingId: string | null;
  readonly openNavigation: number;
}

/**
 * Server summary fields win (`GET /api/cases` carries the stage group, histology and
 * next step the engine computed at the last write); a summary that carries the case
 * instead is derived from it by the same engine.
 */
export function toRow(s: CaseSummary): WorklistRow {
  const evaluated = s.case ? evaluate(s.case) : null;
  const e = evaluated?.ok ? evaluated.value : null;
  const code = (s.case?.pathology as { histology?: string } | undefined)?.histology;
  const histCode = s.histology ?? code;
  const histology = histCode ? histologyName(histCode) : null;
  return {
    id: String(s.id),
    title: s.title,
    status: s.status,
    stageGroup: s.stageGroup ?? e?.stage.group ?? '—',
    provisional: !histCode && Boolean(s.stageGroup ?? e?.stage.group),
    histology: histology ?? '—',
    nextStep: s.nextStep ?? sectionHeadline(e, 'strategy') ?? sectionHeadline(e, 'referral') ?? '—',
    updatedAt: s.updatedAt,
    updatedBy: s.updatedBy ?? '',
    referral: s.referralStatus ? label('referralStatus', s.referralStatus) : '—',
    nextMeeting: s.nextMeeting?.date ?? '',
    nextMeetingId: s.nextMeeting?.id ?? null,
    openNavigation: s.openNavigation ?? 0,
  };
}

type SortKey = keyof Pick<WorklistRow, 'title' | 'status' | 'stageGroup' | 'histology' | 'nextStep' | 'referral' | 'nextMeeting' | 'openNavigation' | 'updatedAt'>;
const COLUMNS: readonly [SortKey, string][] = [
  ['title', 'Case'],
  ['status', 'Status'],
  ['stageGroup', 'Stage'],
  ['histology', 'Histology'],
  ['nextStep', 'Next step'],
  ['referral', 'Referral'],
  ['nextMeeting', 'Next meeting'],
  ['openNavigation', 'Navigation'],
  ['updatedAt', 'Last change'],
];

/** Ascending order of one column: counts as numbers, a missing meeting date after every date. */
function compareBy(key: SortKey, a: WorklistRow, b: WorklistRow): number {
  if (key === 'openNavigation') return a.openNavigation - b.openNavigation;
  if (key === 'nextMeeting' && (a.nextMeeting === '' || b.nextMeeting === '')) return (a.nextMeeting === '' ? 1 : 0) - (b.nextMeeting === '' ? 1 : 0);
  return a[key].localeCompare(b[key]);
}
const STAGE_GROUPS = [...new Set(STAGE_GROUP_TABLE.map((r) => r.group))].sort();

export function filterRows(rows: readonly WorklistRow[], q: string, status: string, stage: string, histology: string): WorklistRow[] {
  const needle = q.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!needle || `${r.title} ${r.histology} ${r.nextStep}`.toLowerCase().includes(needle)) &&
      (!status || r.status === status) &&
      (!stage || r.stageGroup === stage) &&
      (!histology || r.histology === histology),
  );
}

export function WorklistPage({ user }: { user: User }) {
  const [rows, setRows] = useState<WorklistRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [stage, setStage] = useState('');
  const [histology, setHistology] = useState('');
  const [importError, setImportError] = useState<unknown>(null);
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'updatedAt', dir: -1 });

  useEffect(() => {
    let live = true;
    setError(null);
    api.listCases().then(
      (list) => live && setRows(list.map(toRow)),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const shown = useMemo(() => {
    if (!rows) return [];
    return filterRows(rows, q, status, stage, histology).sort((a, b) => compareBy(sort.key, a, b) * sort.dir);
  }, [rows, q, status, stage, histology, sort]);
  const histologies = useMemo(() => [...new Set((rows ?? []).map((r) => r.histology))].filter((h) => h !== '—').sort(), [rows]);
  const canWrite = user.role !== 'viewer';

  return (
    <div className="page worklist">
      <header className="page-head row">
        <div>
          <h1>Worklist</h1>
          <p className="muted">{rows ? `${shown.length} of ${rows.length} cases` : ' '}</p>
        </div>
        {canWrite ? (
          <div className="head-actions">
            <label className="btn ghost file-btn">
              Import FHIR bundle
              <input
                type="file"
                accept=".json,application/json,application/fhir+json"
                className="visually-hidden"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  if (!file) return;
                  setImportError(null);
                  try {
                    const bundle: unknown = JSON.parse(await file.text());
                    const created = await api.importFhir(bundle);
                    navigate({ name: 'case', id: String(created.record.id) });
                  } catch (err) {
                    setImportError(err instanceof SyntaxError ? `${file.name} is not a JSON file.` : err);
                  }
                }}
              />
            </label>
            <Link className="btn ghost" to={{ name: 'smart' }}>
              Open from EHR (SMART)
            </Link>
            <Link className="btn primary" to={{ name: 'new-case' }}>
              New case
            </Link>
          </div>
        ) : null}
      </header>
      <div className="filters" role="search">
        <div className="field inline grow">
          <label htmlFor="wl-q">Search</label>
          <input id="wl-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Title, histology, next step" />
        </div>
        <div className="field inline">
          <label htmlFor="wl-status">Status</label>
          <select id="wl-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All</option>
            {[...new Set([...CASE_STATUSES, ...(rows ?? []).map((r) => r.status)])].map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="wl-stage">Stage</label>
          <select id="wl-stage" value={stage} onChange={(e) => setStage(e.target.value)}>
            <option value="">All</option>
            {STAGE_GROUPS.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="wl-hist">Histology</label>
          <select id="wl-hist" value={histology} onChange={(e) => setHistology(e.target.value)}>
            <option value="">All</option>
            {histologies.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </div>
      </div>
      {importError ? <ErrorBox error={importError} /> : null}
      {error ? <ErrorBox error={error} onRetry={() => setAttempt((a) => a + 1)} /> : null}
      {!rows && !error ? <Spinner label="Loading cases…" /> : null}
      {rows ? (
        <table className="data-table cards-on-phone">
          <thead>
            <tr>
              {COLUMNS.map(([key, label]) => (
                <th key={key} scope="col" aria-sort={sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
                  <button type="button" className="sort" onClick={() => setSort((s) => ({ key, dir: s.key === key ? (-s.dir as 1 | -1) : 1 }))}>
                    {label}
                    <span aria-hidden="true">{sort.key === key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 ? (
              <tr>
                <td colSpan={COLUMNS.length} className="empty">
                  {rows.length === 0 ? (
                    <>
                      No cases yet.{' '}
                      {canWrite ? (
                        <>
                          First step: <Link to={{ name: 'new-case' }}>add the first case</Link> — a template fills in the usual findings.
                        </>
                      ) : (
                        'Cases entered by clinicians will appear here.'
                      )}
                    </>
                  ) : (
                    'No case matches these filters.'
                  )}
                </td>
              </tr>
            ) : (
              shown.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={{ name: 'case', id: r.id }}>{r.title}</Link>
                  </th>
                  <td data-label="Status">
                    <span className={`pill status-${r.status}`}>{statusLabel(r.status)}</span>
                  </td>
                  <td data-label="Stage">
                    {r.stageGroup}
                    {r.provisional ? <span className="provisional"> provisional</span> : null}
                  </td>
                  <td data-label="Histology">{r.histology}</td>
                  <td data-label="Next step" className="clip">
                    {r.nextStep}
                  </td>
                  <td data-label="Referral">{r.referral}</td>
                  <td data-label="Next meeting">
                    {r.nextMeetingId ? (
                      <Link to={{ name: 'meeting', id: r.nextMeetingId }}>
                        <time dateTime={r.nextMeeting}>{formatDate(r.nextMeeting)}</time>
                      </Link>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td data-label="Navigation">{r.openNavigation > 0 ? `${r.openNavigation} open` : '—'}</td>
                  <td data-label="Last change">
                    <time dateTime={r.updatedAt}>{formatDateTime(r.updatedAt)}</time>
                    {r.updatedBy ? <span className="muted small"> · {r.updatedBy}</span> : null}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
