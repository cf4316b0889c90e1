import { formatDateTime } from '../../../src/engine/vocabulary.ts';
import { useEffect, useState } from 'react';
import { api, type AuditEntry } from '../api.ts';
import { ErrorBox, Spinner } from '../ui/nav.tsx';

export function AuditPage() {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [applied, setApplied] = useState({ actor: '', action: '' });
  useEffect(() => {
    let live = true;
    setEntries(null);
    setError(null);
    api.audit({ ...(applied.actor ? { actor: applied.actor } : {}), ...(applied.action ? { action: applied.action } : {}) }).then(
      (e) => live && setEntries(e),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [applied]);
  return (
    <div className="page">
      <header className="page-head">
        <h1>Audit log</h1>
        <p className="muted">Every read and write of a case, every sign-in and every user or token change (append-only).</p>
      </header>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ actor, action });
        }}
      >
        <div className="field inline">
          <label htmlFor="au-actor">Actor</label>
          <input id="au-actor" value={actor} onChange={(e) => setActor(e.target.value)} />
        </div>
        <div className="field inline">
          <label htmlFor="au-action">Action</label>
          <input id="au-action" value={action} onChange={(e) => setAction(e.target.value)} placeholder="e.g. case.read" />
        </div>
        <button type="submit" className="btn">
          Filter
        </button>
      </form>
      {error ? <ErrorBox error={error} /> : null}
      {!entries && !error ? <Spinner /> : null}
      {entries ? (
        <table className="data-table audit">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Object</th>
              <th scope="col">Outcome</th>
              <th scope="col">Client</th>
            </tr>
          </thead>
          <tbody>
            {entries.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty">
                  No entries.
                </td>
              </tr>
            ) : (
              entries.map((e, i) => {
                const at = e.at ?? e.time ?? '';
                return (
                  <tr key={e.id ?? i}>
                    <td>{at ? <time dateTime={at}>{formatDateTime(at)}</time> : '—'}</td>
                    <td>{e.actor ?? '—'}</td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>{e.objectType ? `${e.objectType} ${e.objectId ?? ''}` : (e.object ?? e.objectId ?? '—')}</td>
                    <td>
                      <span className={`pill outcome-${e.outcome ?? 'unknown'}`}>{e.outcome ?? '—'}</span>
                    </td>
                    <td>{e.clientAddress ?? e.ip ?? '—'}</td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
