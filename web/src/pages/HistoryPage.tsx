import { formatDateTime } from '../../../src/engine/vocabulary.ts';
import { useEffect, useState } from 'react';
import { api, type CaseVersion } from '../api.ts';
import { changedPaths } from '../case/draft.ts';
import { ErrorBox, Link, Spinner } from '../ui/nav.tsx';

export interface VersionRow {
  readonly version: number;
  readonly author: string;
  readonly at: string;
  readonly changed: string[];
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
      };
    })
    .reverse();
}

export function HistoryPage({ id }: { id: string }) {
  const [rows, setRows] = useState<VersionRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    (async () => {
      let versions = await api.versions(id);
      // A list without the case bodies: fetch each version to compute what changed.
      if (versions.length && versions.every((v) => v.case === undefined && v.changedFields === undefined)) {
        versions = await Promise.all(versions.map((v) => api.version(id, v.version)));
      }
      if (live) setRows(versionRows(versions));
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
        <table className="data-table">
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
                <th scope="row">{r.version}</th>
                <td>{r.at ? <time dateTime={r.at}>{formatDateTime(r.at)}</time> : '—'}</td>
                <td>{r.author}</td>
                <td>
                  {r.changed.length ? (
                    <ul className="changed">
                      {r.changed.map((p) => (
                        <li key={p}>
                          <code>{p}</code>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="muted">no field changed</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
