import { useEffect, useState } from 'react';
import { formatDate, formatDateTime } from '../../../src/engine/vocabulary.ts';
import { roleAllows } from '../../../src/store/capabilities.ts';
import { api, type Organisations, type Referral } from '../api.ts';
import { ErrorBox, Link } from '../ui/nav.tsx';
import type { Meeting } from './api.ts';

/**
 * The coordinator's desk (issue 13): referrals the hub accepted but has not yet placed on a
 * meeting, each with the hub's upcoming meetings to place it on. Placing is one call: scheduling
 * the referral puts its case on that meeting's agenda in the same transaction (store/referrals.ts),
 * so the agenda and the referral never disagree. Shown only to members whose role may triage referrals
 * at a hub (store/capabilities.ts `referral.triage`); the server checks every call again.
 */
export function CoordinatorPanel({ upcoming, onPlaced }: { upcoming: readonly Meeting[]; onPlaced: () => void }) {
  const [orgs, setOrgs] = useState<Organisations | null>(null);
  const [unplaced, setUnplaced] = useState<Referral[] | null>(null);
  const [reload, setReload] = useState(0);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    Promise.all([api.organisations(), api.referrals({ direction: 'incoming', status: 'accepted' })]).then(
      ([o, r]) => {
        if (!live) return;
        setOrgs(o);
        setUnplaced(r);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [reload]);

  if (error) return <ErrorBox error={error} onRetry={() => setReload((n) => n + 1)} />;
  if (!orgs || !unplaced) return null;
  const triageAt = new Set(orgs.memberships.filter((m) => roleAllows(m.role, 'referral.triage')).map((m) => m.organisationId));
  const hubs = orgs.items.filter((o) => o.kind === 'hub' && triageAt.has(o.id));
  if (hubs.length === 0) return null;
  const mine = unplaced.filter((r) => triageAt.has(r.toOrganisationId));
  const multipleHubs = hubs.length > 1;

  return (
    <section aria-labelledby="coordinator-heading" className="panel">
      <h2 id="coordinator-heading">Referrals to place on a meeting</h2>
      <p className="muted small">Accepted by {hubs.map((h) => h.name).join(', ')} and not yet on a meeting, oldest acceptance first.</p>
      {mine.length === 0 ? (
        <p className="muted">Every accepted referral is on a meeting.</p>
      ) : (
        <ul className="referrals" aria-label="Referrals to place">
          {[...mine]
            .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
            .map((r) => (
              <UnplacedReferral
                key={r.id}
                referral={r}
                hubName={multipleHubs ? (hubs.find((h) => h.id === r.toOrganisationId)?.name ?? r.toOrganisationId) : null}
                meetings={upcoming.filter((m) => m.organisationId === r.toOrganisationId)}
                onPlaced={() => {
                  setReload((n) => n + 1);
                  onPlaced();
                }}
              />
            ))}
        </ul>
      )}
    </section>
  );
}

function UnplacedReferral({ referral: r, hubName, meetings, onPlaced }: { referral: Referral; hubName: string | null; meetings: readonly Meeting[]; onPlaced: () => void }) {
  const [meetingId, setMeetingId] = useState(meetings[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const selectId = `place-${r.id}`;

  const place = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.scheduleReferral(r.id, meetingId);
      onPlaced();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="card" data-unplaced={r.id}>
      <h3>
        <Link to={{ name: 'case', id: r.caseId }}>{r.caseTitle}</Link> <span className="small">from {r.fromName}</span>
        {hubName ? <span className="small"> · to {hubName}</span> : null}
      </h3>
      <p className="small">
        {r.urgency === 'urgent' ? 'Urgent' : 'Routine'} · referred {formatDateTime(r.createdAt)} · open navigation items: {r.openNavigation}
      </p>
      <p className="small">Question for the board: {r.question}</p>
      {meetings.length === 0 ? (
        <p className="muted">No upcoming meeting of this hub: create one below first.</p>
      ) : (
        <div className="actions">
          <label htmlFor={selectId}>Meeting</label>
          <select id={selectId} value={meetingId} onChange={(e) => setMeetingId(e.target.value)}>
            {meetings.map((m) => (
              <option key={m.id} value={m.id}>
                {m.title} — {formatDate(m.date)}, {m.startTime} ({m.itemCount} case{m.itemCount === 1 ? '' : 's'})
              </option>
            ))}
          </select>
          <button type="button" className="btn" disabled={busy || !meetingId} onClick={() => void place()}>
            Place on agenda
          </button>
        </div>
      )}
      {error ? <ErrorBox error={error} /> : null}
    </li>
  );
}
