import { useCallback, useEffect, useState } from 'react';
import { formatDate } from '../../../src/engine/vocabulary.ts';
import { api, type CaseSummary, type User } from '../api.ts';
import { ErrorBox, Link, Spinner } from '../ui/nav.tsx';
import { boardsApi, type AttendanceEntry, type MeetingDetail } from './api.ts';
import { DecisionPanel } from './DecisionPanel.tsx';

/** One meeting: agenda editor (cases from the worklist, order, slots), attendance, invitation, decisions. */
export function MeetingPage({ id, user }: { id: string; user: User }) {
  const [meeting, setMeeting] = useState<MeetingDetail | null>(null);
  const [cases, setCases] = useState<CaseSummary[]>([]);
  const [pick, setPick] = useState('');
  const [presenter, setPresenter] = useState('');
  const [attendance, setAttendance] = useState<AttendanceEntry[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [status, setStatus] = useState('');

  const load = useCallback(() => {
    return boardsApi.meeting(id).then((m) => {
      setMeeting(m);
      setAttendance(m.attendance ?? m.expectedAttendees.map((a) => ({ name: a.name, ...(a.role ? { role: a.role } : {}), present: false })));
    }, setError);
  }, [id]);
  useEffect(() => {
    load();
    api.listCases().then(setCases, () => setCases([]));
  }, [load]);

  const act = async (what: () => Promise<unknown>, done: string) => {
    setActionError(null);
    try {
      await what();
      // The message comes with the reloaded meeting, so what it announces is already on screen.
      await load();
      setStatus(done);
    } catch (e) {
      setActionError(e);
    }
  };

  if (error) return <ErrorBox error={error} />;
  if (!meeting) return <Spinner label="Loading meeting…" />;
  const canWrite = user.role !== 'viewer';
  const onAgenda = new Set(meeting.agenda.map((i) => i.caseId));
  const available = cases.filter((c) => !onAgenda.has(c.id));
  const move = (index: number, by: number) => {
    const ids = meeting.agenda.map((i) => i.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + by, 0, moved!);
    return act(() => boardsApi.reorder(id, ids), 'Agenda reordered.');
  };

  return (
    <div className="page meeting-page">
      <div className="page-head row">
        <div>
          <p className="muted small">
            <Link to={{ name: 'meetings' }}>Meetings</Link>
          </p>
          <h1>{meeting.title}</h1>
          <p>
            {formatDate(meeting.date)}, {meeting.startTime}–{meeting.endTime} · {meeting.place ?? ''}
            {meeting.videoLink ? (
              <>
                {' '}
                · <a href={meeting.videoLink}>video link</a>
              </>
            ) : null}{' '}
            · chair <strong>{meeting.chair.username}</strong>
          </p>
        </div>
        <div className="row-actions">
          <a className="btn" href={boardsApi.invitationHref(id)} download>
            Invitation (iCalendar)
          </a>
          {meeting.agenda.length ? (
            <Link className="btn primary" to={{ name: 'present', id, item: 1 }}>
              Present
            </Link>
          ) : null}
        </div>
      </div>
      <p className="status-line" role="status">
        {status}
      </p>
      {actionError ? <ErrorBox error={actionError} /> : null}

      <section aria-labelledby="agenda-heading">
        <h2 id="agenda-heading">Agenda</h2>
        {meeting.agenda.length === 0 ? <p className="muted">No case on the agenda yet.</p> : null}
        <ol className="agenda">
          {meeting.agenda.map((item, index) => (
            <li key={item.id} className="agenda-item" data-testid={`agenda-item-${item.position}`}>
              <div className="agenda-head">
                <span className="slot">
                  {item.slot.start}–{item.slot.end}
                  {item.slot.overrun ? <span className="warn-text"> (after the planned end)</span> : null}
                </span>
                <Link to={{ name: 'case', id: item.caseId }}>{item.caseTitle}</Link>
                <span className="muted small">{item.presenter ? `presented by ${item.presenter}` : 'no presenter'}</span>
                {canWrite ? (
                  <span className="row-actions">
                    <button type="button" className="btn small" disabled={index === 0} onClick={() => move(index, -1)} aria-label={`Move ${item.caseTitle} up`}>
                      ↑
                    </button>
                    <button type="button" className="btn small" disabled={index === meeting.agenda.length - 1} onClick={() => move(index, 1)} aria-label={`Move ${item.caseTitle} down`}>
                      ↓
                    </button>
                    {!item.decision ? (
                      <button type="button" className="btn small ghost" onClick={() => act(() => boardsApi.removeItem(id, item.id), 'Removed from the agenda.')} aria-label={`Remove ${item.caseTitle}`}>
                        Remove
                      </button>
                    ) : null}
                  </span>
                ) : null}
              </div>
              <p className="question">
                <strong>Question:</strong> {item.question ?? 'not recorded'}
              </p>
              <DecisionPanel item={item} user={user} chair={meeting.chair.username} onChange={load} />
            </li>
          ))}
        </ol>
        {canWrite ? (
          <div className="add-item">
            <div className="field">
              <label htmlFor="agenda-case">Add a case from the worklist</label>
              <select id="agenda-case" value={pick} onChange={(e) => setPick(e.target.value)}>
                <option value="">Choose a case</option>
                {available.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.title}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="agenda-presenter">Presenter</label>
              <input id="agenda-presenter" value={presenter} onChange={(e) => setPresenter(e.target.value)} />
            </div>
            <button
              type="button"
              className="btn"
              disabled={!pick}
              onClick={() =>
                act(async () => {
                  await boardsApi.addItem(id, pick, presenter.trim() || undefined);
                  setPick('');
                  setPresenter('');
                }, 'Added to the agenda.')
              }
            >
              Add to agenda
            </button>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="attendance-heading">
        <h2 id="attendance-heading">Attendance</h2>
        {attendance.length === 0 ? <p className="muted">No expected attendee listed.</p> : null}
        <ul className="attendance">
          {attendance.map((a, i) => (
            <li key={a.name}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={a.present}
                  disabled={!canWrite}
                  onChange={(e) => setAttendance(attendance.map((x, j) => (j === i ? { ...x, present: e.target.checked } : x)))}
                />{' '}
                {a.name}
                {a.role ? <span className="muted"> ({a.role})</span> : null}
              </label>
            </li>
          ))}
        </ul>
        {canWrite && attendance.length ? (
          <button type="button" className="btn" onClick={() => act(() => boardsApi.attendance(id, attendance), 'Attendance recorded.')}>
            Record attendance
          </button>
        ) : null}
      </section>
    </div>
  );
}
