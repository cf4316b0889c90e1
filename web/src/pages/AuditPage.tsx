import { formatDateTime } from '../../../src/engine/vocabulary.ts';
import { useEffect, useState } from 'react';
import { api, type AuditEntry } from '../api.ts';
import { ErrorBox, Link, Spinner } from '../ui/nav.tsx';

/** Audit actions in words. */
export const ACTION_NAMES: Record<string, string> = {
  'case.read': 'Opened a case',
  'case.list': 'Listed cases',
  'case.create': 'Created a case',
  'case.update': 'Saved a new version',
  'case.archive': 'Archived a case',
  'case.restore': 'Restored a case',
  'case.versions.list': 'Viewed case history',
  'case.version.read': 'Opened a past version',
  'case.evaluation.read': 'Read the evaluation',
  'case.decisions.list': 'Read board decisions',
  'case.decision.create': 'Recorded a board decision',
  'case.export.fhir': 'Exported to FHIR',
  'cds.feedback': 'CDS card feedback',
  'session.login': 'Signed in',
  'session.logout': 'Signed out',
  'setup.first-admin': 'Created the first administrator',
  'audit.read': 'Read the audit log',
  'user.list': 'Listed users',
  'user.create': 'Created a user',
  'user.update': 'Changed a user',
  'token.list': 'Listed API tokens',
  'token.create': 'Created an API token',
  'token.revoke': 'Revoked an API token',
};
const OUTCOMES: Record<string, string> = { success: 'Success', failure: 'Failed', denied: 'Denied' };

export function AuditPage() {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [applied, setApplied] = useState({ actor: '', action: '' });
  const [outcome, setOutcome] = useState('');
  const [titles, setTitles] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    api.listCases().then(
      (list) => setTitles(new Map(list.map((c) => [String(c.id), c.title]))),
      () => undefined,
    );
  }, []);
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
          <label htmlFor="au-actor">User</label>
          <input id="au-actor" value={actor} onChange={(e) => setActor(e.target.value)} />
        </div>
        <div className="field inline">
          <label htmlFor="au-action">Action</label>
          <select id="au-action" value={action} onChange={(e) => setAction(e.target.value)}>
            <option value="">All actions</option>
            {Object.entries(ACTION_NAMES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline">
          <label htmlFor="au-outcome">Outcome</label>
          <select id="au-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="">All</option>
            {Object.entries(OUTCOMES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn">
          Filter
        </button>
      </form>
      {error ? <ErrorBox error={error} /> : null}
      {!entries && !error ? <Spinner /> : null}
      {entries ? (
        <table className="data-table audit cards-on-phone">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">User</th>
              <th scope="col">Action</th>
              <th scope="col">Case or object</th>
              <th scope="col">Outcome</th>
              <th scope="col">Client address</th>
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
              entries.filter((e) => !outcome || e.outcome === outcome).map((e, i) => {
                const at = e.at ?? e.time ?? '';
                const caseTitle = e.objectType === 'case' && e.objectId ? titles.get(String(e.objectId)) : undefined;
                return (
                  <tr key={e.id ?? i}>
                    <td data-label="Time">{at ? <time dateTime={at}>{formatDateTime(at)}</time> : '—'}</td>
                    <td data-label="User">{e.actor ?? '—'}</td>
                    <td data-label="Action">{ACTION_NAMES[e.action ?? ''] ?? e.action}</td>
                    <td data-label="Object">
                      {e.objectType === 'case' && e.objectId ? (
                        <Link to={{ name: 'case', id: String(e.objectId) }}>{caseTitle ?? `Case ${String(e.objectId)}`}</Link>
                      ) : e.objectType ? (
                        `${e.objectType === 'user' ? 'User' : e.objectType === 'token' ? 'API token' : e.objectType} ${e.objectId ?? ''}`
                      ) : (
                        (e.object ?? e.objectId ?? '—')
                      )}
                    </td>
                    <td data-label="Outcome">
                      <span className={`pill outcome-${e.outcome ?? 'unknown'}`}>{OUTCOMES[e.outcome ?? ''] ?? e.outcome ?? '—'}</span>
                    </td>
                    <td data-label="Client">{e.clientAddress ?? e.ip ?? '—'}</td>
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
