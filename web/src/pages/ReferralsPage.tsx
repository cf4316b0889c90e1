import { useEffect, useState } from 'react';
import { formatDate, formatDateTime, label } from '../../../src/engine/vocabulary.ts';
import { api, type Organisations, type Referral } from '../api.ts';
import { boardsApi, type Meeting } from '../boards/api.ts';
import { navigate } from '../router.ts';
import { ErrorBox, Link, Spinner } from '../ui/nav.tsx';

/**
 * Referrals of my organisations (issue 13): incoming to my hub, outgoing from my hospital, their
 * status, times and open navigation items; the hub's triage; the timeline. With a case id, the
 * form that refers that case to a hub (REFERENCE-2 §8.3: question, urgency, report references).
 */

const ACTION_LABEL: Record<string, string> = {
  refer: 'Referred',
  request_info: 'Information requested',
  provide_info: 'Information given',
  accept: 'Accepted',
  decline: 'Declined',
  redirect: 'Redirected',
  schedule: 'Scheduled',
  decide: 'Decision returned',
  amend_decision: 'Amended decision returned',
  receive_decision: 'Decision received',
  import: 'Received from another installation',
};
const TRIAGE_ROLES = ['coordinator', 'chair', 'admin'];

export function ReferralsPage({ caseId }: { caseId?: string | undefined }) {
  const [orgs, setOrgs] = useState<Organisations | null>(null);
  const [items, setItems] = useState<Referral[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    Promise.all([api.organisations(), api.referrals()]).then(
      ([o, r]) => {
        if (!live) return;
        setOrgs(o);
        setItems(r);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [reload]);

  if (error) return <ErrorBox error={error} onRetry={() => setReload((n) => n + 1)} />;
  if (!orgs || !items) return <Spinner label="Loading referrals…" />;
  const mine = new Map(orgs.memberships.map((m) => [m.organisationId, m.role]));
  const nameOf = (id: string) => orgs.items.find((o) => o.id === id)?.name ?? id;
  return (
    <section aria-labelledby="referrals-title">
      <h1 id="referrals-title">Referrals</h1>
      {caseId ? <ReferForm caseId={caseId} orgs={orgs} onDone={() => navigate({ name: 'referrals' })} /> : null}
      {items.length === 0 ? <p>No referrals for your organisations.</p> : null}
      <ul className="referrals">
        {items.map((r) => (
          <ReferralRow
            key={r.id}
            referral={r}
            incoming={mine.has(r.toOrganisationId)}
            canTriage={TRIAGE_ROLES.includes(mine.get(r.toOrganisationId) ?? '')}
            hubName={nameOf(r.toOrganisationId)}
            onChanged={() => setReload((n) => n + 1)}
          />
        ))}
      </ul>
    </section>
  );
}

function ReferralRow({ referral: r, incoming, canTriage, hubName, onChanged }: { referral: Referral; incoming: boolean; canTriage: boolean; hubName: string; onChanged: () => void }) {
  const [timeline, setTimeline] = useState<Referral | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const act = async (action: string) => {
    setError(null);
    try {
      await api.triage(r.id, action, note.trim() || undefined);
      setNote('');
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const open = r.status === 'sent' || r.status === 'info_requested';
  return (
    <li className="card" data-referral={r.id}>
      <h2>
        {r.caseTitle} <span className="small">{incoming ? `incoming from ${r.fromName}` : `outgoing to ${hubName}`}</span>
      </h2>
      <p>
        <strong data-testid="referral-status">{label('referralStatus', r.status)}</strong> · {r.urgency === 'urgent' ? 'Urgent' : 'Routine'} · sent {formatDateTime(r.createdAt)} · open
        navigation items: {r.openNavigation}
      </p>
      <p className="small">Question for the board: {r.question}</p>
      {r.status === 'decided' ? <DecisionReturned referral={r} /> : null}
      {incoming && canTriage && open ? (
        <div className="actions">
          <label>
            Note (reason or question)
            <input value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button type="button" className="btn" onClick={() => void act('accept')}>
            Accept
          </button>
          <button type="button" className="btn ghost" onClick={() => void act('request_info')}>
            Request information
          </button>
          <button type="button" className="btn ghost" onClick={() => void act('decline')}>
            Decline
          </button>
        </div>
      ) : null}
      {incoming && canTriage && (r.status === 'accepted' || r.status === 'scheduled') ? <ScheduleControl referral={r} onChanged={onChanged} /> : null}
      {error ? <ErrorBox error={error} /> : null}
      <button type="button" className="btn ghost small" onClick={() => void api.referral(r.id).then(setTimeline, setError)}>
        Timeline
      </button>
      {timeline?.events ? (
        <ol aria-label="Timeline">
          {timeline.events.map((e) => (
            <li key={e.id}>
              {formatDateTime(e.at)} — {ACTION_LABEL[e.action] ?? e.action} by {e.author}
              {e.note ? `: ${e.note}` : ''}
            </li>
          ))}
        </ol>
      ) : null}
    </li>
  );
}

/** The board's signed decision as it came back through the referral: its summary and its letters. */
function DecisionReturned({ referral: r }: { referral: Referral }) {
  return (
    <section className="decision-returned" aria-label={`Decision of the board on ${r.caseTitle}`}>
      <h3>Decision of the board{r.decidedAt ? `, ${formatDateTime(r.decidedAt)}` : ''}</h3>
      <p data-testid="referral-decision">{r.decisionSummary ?? 'The hub returned its decision without a summary.'}</p>
      {r.letters ? (
        <p className="actions">
          <a className="btn" href={r.letters.outcomeLetter} download>
            Outcome letter (PDF)
          </a>
          <a className="btn ghost" href={r.letters.patientSummary} download>
            Patient summary (PDF)
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** The hub places an accepted referral on one of its upcoming meetings (the case joins that agenda). */
function ScheduleControl({ referral: r, onChanged }: { referral: Referral; onChanged: () => void }) {
  const [meetings, setMeetings] = useState<Meeting[] | null>(null);
  const [choice, setChoice] = useState(r.meetingId ?? '');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    boardsApi.meetings('upcoming').then(
      (m) => {
        if (!live) return;
        setMeetings(m);
        setChoice((c) => c || m[0]?.id || '');
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, []);
  if (error) return <ErrorBox error={error} />;
  if (!meetings) return null;
  if (meetings.length === 0) return <p className="small">No upcoming meeting to schedule it on: create one under Meetings.</p>;
  const selectId = `schedule-${r.id}`;
  return (
    <div className="actions">
      <label htmlFor={selectId}>Meeting</label>
      <select id={selectId} value={choice} onChange={(e) => setChoice(e.target.value)}>
        {meetings.map((m) => (
          <option key={m.id} value={m.id}>
            {m.title}, {formatDate(m.date)} {m.startTime}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn"
        disabled={!choice || choice === r.meetingId}
        onClick={() =>
          void api.schedule(r.id, choice).then(onChanged, (e: unknown) => setError(e))
        }
      >
        {r.status === 'scheduled' ? 'Move to this meeting' : 'Schedule on this meeting'}
      </button>
      {r.meetingId ? (
        <Link to={{ name: 'meeting', id: r.meetingId }}>Open the meeting</Link>
      ) : null}
    </div>
  );
}

function ReferForm({ caseId, orgs, onDone }: { caseId: string; orgs: Organisations; onDone: () => void }) {
  const hubs = orgs.items.filter((o) => o.kind === 'hub' && !orgs.memberships.some((m) => m.organisationId === o.id));
  const [hub, setHub] = useState(hubs[0]?.id ?? '');
  const [question, setQuestion] = useState('');
  const [urgency, setUrgency] = useState('routine');
  const [imaging, setImaging] = useState('');
  const [pathology, setPathology] = useState('');
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      className="card"
      aria-label="Refer this case"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        const documents = [
          ...(imaging.trim() ? [{ kind: 'imaging', reference: imaging.trim() }] : []),
          ...(pathology.trim() ? [{ kind: 'pathology', reference: pathology.trim() }] : []),
        ];
        try {
          await api.refer({ caseId, toOrganisationId: hub, question, urgency, documents });
          onDone();
        } catch (err) {
          setError(err);
        }
      }}
    >
      <h2>Refer this case to a sarcoma centre</h2>
      <label>
        Sarcoma centre (hub)
        <select value={hub} onChange={(e) => setHub(e.target.value)}>
          {hubs.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Question for the board
        <textarea value={question} onChange={(e) => setQuestion(e.target.value)} required />
      </label>
      <label>
        Urgency
        <select value={urgency} onChange={(e) => setUrgency(e.target.value)}>
          <option value="routine">Routine (decision within 28 days)</option>
          <option value="urgent">Urgent (decision within 14 days, consensus)</option>
        </select>
      </label>
      <label>
        Imaging report reference
        <input value={imaging} onChange={(e) => setImaging(e.target.value)} />
      </label>
      <label>
        Pathology report reference
        <input value={pathology} onChange={(e) => setPathology(e.target.value)} />
      </label>
      {error ? <ErrorBox error={error} /> : null}
      <button type="submit" className="btn">
        Send referral
      </button>
    </form>
  );
}
