import { useEffect, useId, useState } from 'react';
import { formatDateTime, label } from '../../../src/engine/vocabulary.ts';
import type { User } from '../api.ts';
import { ErrorBox, Link, Spinner } from '../ui/nav.tsx';
import { practiceApi, type Attempt, type PracticeCaseSummary, type UserRow } from './practice-api.ts';
import { bestByCase, percent, topicProgress } from './progress.ts';
import { PracticeRunner } from './PracticeRunner.tsx';

/**
 * Practice (issue 15): cases by topic with the trainee's progress, a case stage by
 * stage (PracticeRunner), the trainee's record as CSV, and — for an admin, the
 * supervisor — any trainee's results.
 */
export function PracticePage({ user, caseId }: { user: User; caseId?: string | undefined }) {
  const [cases, setCases] = useState<PracticeCaseSummary[] | null>(null);
  const [attempts, setAttempts] = useState<Attempt[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    Promise.all([practiceApi.cases(), practiceApi.attempts()]).then(
      ([c, a]) => {
        setCases(c);
        setAttempts(a);
      },
      (e: unknown) => setError(e),
    );
  }, [version]);

  if (error) return <ErrorBox error={error} onRetry={() => setVersion((v) => v + 1)} />;
  if (!cases) return <Spinner label="Loading practice cases…" />;
  if (caseId) return <PracticeRunner key={caseId} caseId={caseId} onSaved={() => setVersion((v) => v + 1)} />;

  const best = bestByCase(attempts);
  const progress = topicProgress(cases, attempts);
  return (
    <div className="practice page">
      <h1>Practice</h1>
      <p className="muted">
        Realistic cases in stages. The engine is the examiner: every answer is marked against what Retroplan itself recommends, with its reasons and
        sources.
      </p>
      <p>
        <a className="btn ghost" href={practiceApi.csvUrl()} download>
          Export my record (CSV)
        </a>
      </p>
      {progress.map((t) => {
        const headingId = `topic-${t.topic}`;
        return (
          <section key={t.topic} className="topic" aria-labelledby={headingId} data-testid={`topic-${t.topic}`}>
            <div className="panel-head">
              <h2 id={headingId}>{label('practiceTopic', t.topic)}</h2>
              <span className="topic-progress" data-testid="topic-progress">
                {t.attempted} of {t.cases.length} done{t.meanBest !== null ? ` · best results average ${percent(t.meanBest)}` : ''}
              </span>
            </div>
            <progress max={t.cases.length} value={t.attempted} aria-label={`${label('practiceTopic', t.topic)}: ${t.attempted} of ${t.cases.length} cases done`} />
            <ul className="case-list">
              {t.cases.map((c) => (
                <li key={c.id}>
                  <Link to={{ name: 'practice', caseId: c.id }}>{c.title}</Link>{' '}
                  <span className="small muted">
                    {c.stages} {c.stages === 1 ? 'stage' : 'stages'}
                    {best.has(c.id) ? ` · best ${percent(best.get(c.id)!)}` : ' · not done yet'}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      {user.role === 'admin' ? <SupervisorView cases={cases} /> : null}
    </div>
  );
}

function SupervisorView({ cases }: { cases: PracticeCaseSummary[] }) {
  const [users, setUsers] = useState<UserRow[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [attempts, setAttempts] = useState<Attempt[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const selectId = useId();
  useEffect(() => {
    practiceApi.users().then(setUsers, (e: unknown) => setError(e));
  }, []);
  useEffect(() => {
    setAttempts(null);
    if (chosen) practiceApi.attempts(chosen).then(setAttempts, (e: unknown) => setError(e));
  }, [chosen]);
  const titles = new Map(cases.map((c) => [c.id, c.title]));
  return (
    <section className="supervisor" aria-labelledby="supervisor-heading" data-testid="supervisor">
      <h2 id="supervisor-heading">Supervisor: trainees' results</h2>
      {error ? <ErrorBox error={error} /> : null}
      <div className="row">
        <label htmlFor={selectId}>Trainee</label>
        <select id={selectId} value={chosen} onChange={(e) => setChosen(e.target.value)}>
          <option value="">Choose a trainee…</option>
          {(users ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.username} ({u.role})
            </option>
          ))}
        </select>
        {chosen ? (
          <a className="btn ghost" href={practiceApi.csvUrl(chosen)} download>
            Export this trainee's record (CSV)
          </a>
        ) : null}
      </div>
      {chosen && attempts === null && !error ? <Spinner /> : null}
      {attempts ? (
        attempts.length === 0 ? (
          <p className="muted">No attempts yet.</p>
        ) : (
          <table className="table">
            <caption className="visually-hidden">Attempts, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Case</th>
                <th scope="col">Score</th>
                <th scope="col">Questions not fully right</th>
              </tr>
            </thead>
            <tbody>
              {attempts.map((a) => (
                <tr key={a.id}>
                  <td>{formatDateTime(a.createdAt)}</td>
                  <td>{titles.get(a.caseId) ?? a.caseId}</td>
                  <td>
                    {Number(a.score.toFixed(2))} of {a.max} ({percent(a.max ? a.score / a.max : 0)})
                  </td>
                  <td>{a.marks.filter((m) => m.score < 1).length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </section>
  );
}
