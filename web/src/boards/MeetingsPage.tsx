import { useEffect, useState, type FormEvent } from 'react';
import { formatDate, label } from '../../../src/engine/vocabulary.ts';
import { ApiError, type User } from '../api.ts';
import { navigate } from '../router.ts';
import { ErrorBox, Link, Spinner } from '../ui/nav.tsx';
import { boardsApi, type Meeting, type Quality } from './api.ts';
import { CoordinatorPanel } from './CoordinatorPanel.tsx';

function MeetingList({ meetings, empty }: { meetings: Meeting[]; empty: string }) {
  if (meetings.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="meeting-list">
      {meetings.map((m) => (
        <li key={m.id}>
          <Link to={{ name: 'meeting', id: m.id }}>{m.title}</Link>{' '}
          <span className="muted">
            {formatDate(m.date)}, {m.startTime}–{m.endTime} · {m.place ?? 'video'} · chair {m.chair.username} · {m.itemCount} case{m.itemCount === 1 ? '' : 's'}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** REFERENCE-2 §9.2's indicator: concordant ÷ decisions a recommendation applied to; justified deviations by reason. */
function QualitySection({ q }: { q: Quality }) {
  const reasons = Object.entries(q.reasons).filter(([, n]) => n > 0);
  return (
    <section aria-labelledby="quality-heading">
      <h2 id="quality-heading">Concordance with Retroplan</h2>
      <p data-testid="quality">
        {q.rate === null
          ? 'No signed decision with a Retroplan recommendation yet.'
          : `${Math.round(q.rate * 100)} % concordant (${q.concordant} of ${q.applicable} signed decisions); ${q.justified} justified and ${q.unjustified} unjustified deviation${q.unjustified === 1 ? '' : 's'}.`}
      </p>
      {reasons.length ? (
        <ul>
          {reasons.map(([r, n]) => (
            <li key={r}>
              {label('deviationReason', r)}: {n}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function fieldError(error: unknown, path: string): string | undefined {
  return error instanceof ApiError ? error.errors.find((e) => e.path === path || e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`))?.message : undefined;
}

/** Tumour-board meetings: upcoming and past, and a form to create one. */
export function MeetingsPage({ user }: { user: User }) {
  const [upcoming, setUpcoming] = useState<Meeting[] | null>(null);
  const [past, setPast] = useState<Meeting[]>([]);
  const [quality, setQuality] = useState<Quality | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  // Placing a referral changes a meeting's case count: the lists are read again.
  const [reload, setReload] = useState(0);
  const [form, setForm] = useState({ title: 'Sarcoma MDT', date: '', startTime: '08:00', durationMinutes: '120', minutesPerItem: '10', place: '', videoLink: '', chair: user.username, attendees: '' });

  useEffect(() => {
    Promise.all([boardsApi.meetings('upcoming'), boardsApi.meetings('past')]).then(([u, p]) => {
      setUpcoming(u);
      setPast(p);
    }, setError);
    boardsApi.quality().then(setQuality, () => setQuality(null));
  }, [reload]);

  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaveError(null);
    try {
      const expectedAttendees = form.attendees
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((line) => {
          const [name, role, email] = line.split(',').map((x) => x.trim());
          return { name: name!, ...(role ? { role } : {}), ...(email ? { email } : {}) };
        });
      const m = await boardsApi.createMeeting({
        title: form.title,
        date: form.date,
        startTime: form.startTime,
        durationMinutes: Number(form.durationMinutes),
        minutesPerItem: Number(form.minutesPerItem),
        ...(form.place.trim() ? { place: form.place.trim() } : {}),
        ...(form.videoLink.trim() ? { videoLink: form.videoLink.trim() } : {}),
        chair: form.chair.trim(),
        expectedAttendees,
      });
      navigate({ name: 'meeting', id: m.id });
    } catch (err) {
      setSaveError(err);
    }
  };

  if (error) return <ErrorBox error={error} />;
  if (!upcoming) return <Spinner label="Loading meetings…" />;
  const canWrite = user.role !== 'viewer';
  const input = (id: keyof typeof form, text: string, type = 'text', hint?: string) => {
    const err = fieldError(saveError, id === 'attendees' ? 'expectedAttendees' : id);
    return (
      <div className="field">
        <label htmlFor={`meeting-${id}`}>{text}</label>
        {id === 'attendees' ? (
          <textarea id={`meeting-${id}`} value={form[id]} onChange={set(id)} rows={3} aria-describedby={`meeting-${id}-hint`} />
        ) : (
          <input id={`meeting-${id}`} type={type} value={form[id]} onChange={set(id)} aria-invalid={err ? true : undefined} aria-describedby={hint ? `meeting-${id}-hint` : undefined} />
        )}
        {hint ? (
          <span className="muted small" id={`meeting-${id}-hint`}>
            {hint}
          </span>
        ) : null}
        {err ? <span className="field-error">{err}</span> : null}
      </div>
    );
  };
  return (
    <div className="page meetings-page">
      <div className="page-head">
        <h1>Tumour-board meetings</h1>
      </div>
      <section aria-labelledby="upcoming-heading">
        <h2 id="upcoming-heading">Upcoming</h2>
        <MeetingList meetings={upcoming} empty="No meeting planned." />
      </section>
      {canWrite ? <CoordinatorPanel upcoming={upcoming} onPlaced={() => setReload((n) => n + 1)} /> : null}
      <section aria-labelledby="past-heading">
        <h2 id="past-heading">Past</h2>
        <MeetingList meetings={past} empty="No past meeting." />
      </section>
      {quality ? <QualitySection q={quality} /> : null}
      {canWrite ? (
        <section aria-labelledby="new-meeting-heading" className="panel">
          <h2 id="new-meeting-heading">New meeting</h2>
          <form onSubmit={submit} className="meeting-form">
            {input('title', 'Title')}
            {input('date', 'Date', 'date')}
            {input('startTime', 'Start time', 'time')}
            {input('durationMinutes', 'Duration (minutes)', 'number')}
            {input('minutesPerItem', 'Minutes per case', 'number')}
            {input('place', 'Place')}
            {input('videoLink', 'Video link (https)', 'url')}
            {input('chair', 'Chair (username)', 'text', 'Only the chair signs the decisions.')}
            {input('attendees', 'Expected attendees', 'text', 'One per line: name, role, e-mail (role and e-mail optional).')}
            {saveError && !(saveError instanceof ApiError && saveError.status === 400) ? <ErrorBox error={saveError} /> : null}
            {saveError instanceof ApiError && saveError.status === 400 ? (
              <p className="field-error" role="alert">
                Please correct the marked fields.
              </p>
            ) : null}
            <button type="submit" className="btn primary">
              Create meeting
            </button>
          </form>
        </section>
      ) : null}
    </div>
  );
}
