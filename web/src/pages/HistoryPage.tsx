import { fieldName, formatDateTime, valueText } from '../../../src/engine/vocabulary.ts';
import { useEffect, useState } from 'react';
import { getAt } from '../case/draft.ts';
import { api, type CaseVersion } from '../api.ts';
import { changedPaths } from '../case/draft.ts';
import { ErrorBox, Link, Spinner } from '../ui/nav.tsx';

export interface FieldChange {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

export interface VersionRow {
  readonly version: number;
  readonly author: string;
  readonly at: string;
  readonly changed: string[];
  /** Field-level old → new values, in words (when the version bodies are known). */
  readonly changes: FieldChange[];
}

/** The fields that differ between two stored versions, old → new, in words. */
export function diffVersions(a: CaseVersion | undefined, b: CaseVersion): FieldChange[] {
  const out: FieldChange[] = [];
  if (a?.title !== b.title && a) out.push({ path: 'title', before: a.title ?? '', after: b.title ?? '' });
  if (a && a.status !== b.status) out.push({ path: 'status', before: valueText('status', a.status), after: valueText('status', b.status) });
  for (const p of changedPaths(a?.case ?? {}, b.case ?? {})) {
    out.push({ path: p, before: valueText(p, getAt(a?.case, p)), after: valueText(p, getAt(b.case, p)) });
  }
  return out;
}

/** Who changed which fields when: server-reported changes, else the diff of consecutive stored cases. */
export function versionRows(versions: readonly CaseVersion[]): VersionRow[] {
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  return sorted
    .map((v, i) => {
      const prev = sorted[i - 1];
      const changed =
        v.changedFields ??
        (prev
          ? [
              ...(prev.title !== v.title ? ['title'] : []),
              ...(prev.status !== v.status ? ['status'] : []),
              ...changedPaths(prev.case, v.case).map((p) => `case.${p}`),
            ]
          : ['created']);
      return {
        version: v.version,
        author: v.author ?? v.updatedBy ?? v.createdBy ?? '—',
        at: v.createdAt ?? v.updatedAt ?? '',
        changed,
        changes: v.case !== undefined && prev?.case !== undefined ? diffVersions(prev, v) : [],
      };
    })
    .reverse();
}

export function HistoryPage({ id }: { id: string }) {
  const [rows, setRows] = useState<VersionRow[] | null>(null);
  const [all, setAll] = useState<CaseVersion[]>([]);
  const [open, setOpen] = useState<number | null>(null);
  const [cmp, setCmp] = useState<{ a: string; b: string }>({ a: '', b: '' });
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    (async () => {
      let versions = await api.versions(id);
      // A list without the case bodies: fetch each version to compute what changed.
      // The list may come without the case bodies: fetch each version to show old → new values.
      if (versions.length && versions.some((v) => v.case === undefined)) {
        versions = await Promise.all(versions.map((v) => api.version(id, v.version)));
      }
      if (live) {
        setAll([...versions].sort((a, b) => a.version - b.version));
        setRows(versionRows(versions));
      }
    })().catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id]);
  return (
    <div className="page">
      <header className="page-head row">
        <div>
          <h1>Version history</h1>
          <p className="muted">Every save is kept as an immutable version.</p>
        </div>
        <Link className="btn ghost" to={{ name: 'case', id }}>
          ← Back to case
        </Link>
      </header>
      {error ? <ErrorBox error={error} /> : null}
      {!rows && !error ? <Spinner /> : null}
      {rows ? (
        <table className="data-table cards-on-phone">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Fields changed</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.version} data-version={r.version}>
                <th scope="row">Version {r.version}</th>
                <td data-label="When">{r.at ? <time dateTime={r.at}>{formatDateTime(r.at)}</time> : '—'}</td>
                <td data-label="Who">{r.author}</td>
                <td>
                  {r.changes.length ? (
                    <ul className="changed">
                      {r.changes.map((c) => (
                        <li key={c.path} data-field={c.path}>
                          <strong>{fieldName(c.path)}</strong>: {c.before} → {c.after}
                        </li>
                      ))}
                    </ul>
                  ) : r.changed.length ? (
                    <ul className="changed">
                      {r.changed.map((p) => (
                        <li key={p}>{p === 'created' ? 'Case created' : fieldName(p.replace(/^case\./, ''))}</li>
                      ))}
                    </ul>
                  ) : (
                    <span className="muted">no field changed</span>
                  )}
                  <button type="button" className="btn small ghost" aria-expanded={open === r.version} onClick={() => setOpen(open === r.version ? null : r.version)}>
                    {open === r.version ? 'Close' : `Open version ${r.version}`}
                  </button>
                  {open === r.version ? <VersionView v={all.find((v) => v.version === r.version)} /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {all.length > 1 ? (
        <section className="compare" aria-labelledby="compare-title">
          <h2 id="compare-title">Compare two versions</h2>
          <div className="filters">
            {(['a', 'b'] as const).map((k) => (
              <div className="field inline" key={k}>
                <label htmlFor={`cmp-${k}`}>{k === 'a' ? 'From version' : 'To version'}</label>
                <select id={`cmp-${k}`} value={cmp[k]} onChange={(e) => setCmp((c) => ({ ...c, [k]: e.target.value }))}>
                  <option value="">Choose…</option>
                  {all.map((v) => (
                    <option key={v.version} value={v.version}>
                      Version {v.version}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
          {cmp.a && cmp.b ? (
            <ul className="changed" data-testid="compare-result">
              {diffVersions(
                all.find((v) => String(v.version) === cmp.a),
                all.find((v) => String(v.version) === cmp.b)!,
              ).map((c) => (
                <li key={c.path}>
                  <strong>{fieldName(c.path)}</strong>: {c.before} → {c.after}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

/** A past version, read-only: every recorded field in words. */
function VersionView({ v }: { v: CaseVersion | undefined }) {
  if (!v?.case) return <p className="muted">This version's content is not available.</p>;
  const leaves = (o: unknown, prefix: string): string[] =>
    o !== null && typeof o === 'object' && !Array.isArray(o) ? Object.entries(o).flatMap(([k, x]) => leaves(x, prefix ? `${prefix}.${k}` : k)) : [prefix];
  const fields = leaves(v.case, '');
  return (
    <dl className="version-view" aria-label={`Version ${v.version}, read-only`}>
      <div>
        <dt>Title</dt>
        <dd>{v.title}</dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd>{valueText('status', v.status)}</dd>
      </div>
      {fields
        .filter((p) => p !== 'schemaVersion')
        .map((p) => (
          <div key={p}>
            <dt>{fieldName(p)}</dt>
            <dd>{valueText(p, getAt(v.case, p))}</dd>
          </div>
        ))}
    </dl>
  );
}
