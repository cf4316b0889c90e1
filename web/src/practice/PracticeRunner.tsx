import { useEffect, useMemo, useState } from 'react';
import { validateCase, type IntraopFinding } from '../../../src/engine/index.ts';
import { humanText, label, shortCitation } from '../../../src/engine/vocabulary.ts';
import { markAnswer, type Answer, type Mark } from '../../../src/practice/examiner.ts';
import type { PracticeQuestion, PracticeStage } from '../../../src/practice/schema.ts';
import { ErrorBox, Link, Spinner } from '../ui/nav.tsx';
import { practiceApi, type Attempt, type PracticeCaseView, type PracticeStageView } from './practice-api.ts';
import { percent } from './progress.ts';

/**
 * One practice case, stage by stage. Each stage is marked as soon as it is answered
 * by the same examiner the server uses (src/practice/examiner.ts — the engine
 * marks), so the trainee sees the score, the engine's reasons and sources and why
 * the other options are wrong before reading on; a question not fully right can
 * be tried again. At the end the answers are sent, marked again by the server and
 * stored as the attempt.
 */

type Key = string;
const keyOf = (stage: string, q: string): Key => `${stage}/${q}`;

/** The stage as the examiner reads it (the server sends it without the expected answers; the examiner computes them). */
function examinerStage(view: PracticeStageView): PracticeStage | null {
  const checked = validateCase(view.case);
  if (!checked.ok) return null;
  return {
    id: view.id,
    title: view.title,
    story: view.story,
    case: checked.value,
    ...(view.findings ? { findings: view.findings as IntraopFinding[] } : {}),
    questions: view.questions.map((q) => ({ id: q.id, kind: q.kind, expected: undefined, ...(q.parameters ? { parameters: q.parameters } : {}) }) as PracticeQuestion),
  } as PracticeStage;
}

function scoreWord(score: number): string {
  return score >= 1 ? 'Right' : score > 0 ? `Partly right (${percent(score)})` : 'Not right';
}

function MarkView({ mark, onRetry }: { mark: Mark; onRetry: () => void }) {
  const wrongOthers = mark.otherOptions;
  return (
    <div className={`mark mark-${mark.score >= 1 ? 'right' : mark.score > 0 ? 'partial' : 'wrong'}`} data-testid="mark" data-score={mark.score}>
      <p>
        <strong>{scoreWord(mark.score)}.</strong> The engine's answer: {humanText(mark.expectedLabel)}
      </p>
      {mark.explanation.length ? (
        <ul className="small">
          {mark.explanation.map((line) => (
            <li key={line}>{humanText(line)}</li>
          ))}
        </ul>
      ) : null}
      {mark.sources.length ? <p className="sources small">Sources: {[...new Set(mark.sources)].map(shortCitation).join('; ')}</p> : null}
      {wrongOthers.length ? (
        <details>
          <summary>Why not the other options</summary>
          <ul className="small">
            {wrongOthers.map((o) => (
              <li key={o.value}>
                <strong>{humanText(o.label)}</strong>: {humanText(o.why)}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {mark.score < 1 ? (
        <button type="button" className="btn" onClick={onRetry}>
          Try this question again
        </button>
      ) : null}
    </div>
  );
}

function QuestionInput({ q, name, value, disabled, onChange }: { q: PracticeStageView['questions'][number]; name: string; value: Answer | undefined; disabled: boolean; onChange: (a: Answer) => void }) {
  if (q.mode === 'number') {
    return (
      <label className="row">
        <span>Your answer</span>
        <input type="number" step="any" disabled={disabled} value={typeof value === 'number' ? value : ''} onChange={(e) => onChange(e.target.value === '' ? '' : Number(e.target.value))} />
      </label>
    );
  }
  const chosen = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return (
    <div className="options">
      {q.options.map((o) => (
        <label key={o.value} className="option">
          <input
            type={q.mode === 'multi' ? 'checkbox' : 'radio'}
            name={name}
            value={o.value}
            disabled={disabled}
            checked={chosen.includes(o.value)}
            onChange={(e) => {
              if (q.mode === 'single') onChange(o.value);
              else onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value));
            }}
          />{' '}
          {humanText(o.label)}
        </label>
      ))}
    </div>
  );
}

export function PracticeRunner({ caseId, onSaved }: { caseId: string; onSaved: () => void }) {
  const [view, setView] = useState<PracticeCaseView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [stageIndex, setStageIndex] = useState(0);
  const [answers, setAnswers] = useState<Record<Key, Answer>>({});
  const [marks, setMarks] = useState<Record<Key, Mark>>({});
  const [retried, setRetried] = useState<Set<Key>>(new Set());
  const [saved, setSaved] = useState<Attempt | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    practiceApi.case(caseId).then(setView, (e: unknown) => setError(e));
  }, [caseId]);

  const stageView = view?.stages[stageIndex];
  const stage = useMemo(() => (stageView ? examinerStage(stageView) : null), [stageView]);

  if (error) return <ErrorBox error={error} />;
  if (!view || !stageView) return <Spinner label="Loading the case…" />;

  const keys = stageView.questions.map((q) => keyOf(stageView.id, q.id));
  const allMarked = keys.every((k) => marks[k]);
  const last = stageIndex === view.stages.length - 1;
  const stageScore = keys.reduce((s, k) => s + (marks[k]?.score ?? 0), 0);

  const check = () => {
    if (!stage) return;
    const next = { ...marks };
    for (const q of stage.questions) {
      const k = keyOf(stage.id, q.id);
      if (!next[k]) next[k] = markAnswer(stage, q, answers[k] ?? '');
    }
    setMarks(next);
  };

  const save = async () => {
    setSaving(true);
    try {
      const attempt = await practiceApi.submit(caseId, answers);
      setSaved(attempt);
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="practice-runner page">
      <p>
        <Link to={{ name: 'practice' }}>← All practice cases</Link>
      </p>
      <h1>{view.title}</h1>
      <p className="small muted">{view.topics.map((t) => label('practiceTopic', t)).join(' · ')}</p>
      <ol className="stage-steps" aria-label="Stages">
        {view.stages.map((s, i) => (
          <li key={s.id} aria-current={i === stageIndex ? 'step' : undefined} className={i < stageIndex ? 'done' : i === stageIndex ? 'current' : ''}>
            {s.title}
          </li>
        ))}
      </ol>
      <section aria-labelledby="stage-heading" className="stage">
        <h2 id="stage-heading">
          Stage {stageIndex + 1} of {view.stages.length}: {stageView.title}
        </h2>
        <p className="story">{stageView.story}</p>
        {!stage ? <ErrorBox error="This stage's case does not validate under the current case model." /> : null}
        {stageView.questions.map((q) => {
          const k = keyOf(stageView.id, q.id);
          const mark = marks[k];
          return (
            <fieldset key={k} className="question" data-question={k}>
              <legend>{humanText(q.prompt)}</legend>
              <QuestionInput q={q} name={k} value={answers[k]} disabled={Boolean(mark) || saved !== null} onChange={(a) => setAnswers((x) => ({ ...x, [k]: a }))} />
              {retried.has(k) && !mark ? <p className="small muted">Second try: choose again and check.</p> : null}
              {mark ? (
                <MarkView
                  mark={mark}
                  onRetry={() => {
                    setMarks(({ [k]: _dropped, ...rest }) => rest);
                    setRetried((r) => new Set(r).add(k));
                  }}
                />
              ) : null}
            </fieldset>
          );
        })}
        {allMarked ? (
          <p className="stage-score" data-testid="stage-score">
            This stage: {Number(stageScore.toFixed(2))} of {keys.length}
          </p>
        ) : null}
        <div className="actions">
          {!allMarked ? (
            <button type="button" className="btn primary" onClick={check} disabled={!stage}>
              Check my answers
            </button>
          ) : !last ? (
            <button type="button" className="btn primary" onClick={() => setStageIndex((i) => i + 1)}>
              Next stage
            </button>
          ) : saved ? null : (
            <button type="button" className="btn primary" onClick={() => void save()} disabled={saving}>
              Finish and save the attempt
            </button>
          )}
        </div>
      </section>
      {saved ? (
        <section className="attempt-saved" role="status" data-testid="attempt-saved">
          <h2>Attempt saved</h2>
          <p>
            Marked by the server: {Number(saved.score.toFixed(2))} of {saved.max} ({percent(saved.max ? saved.score / saved.max : 0)}).
          </p>
          <Link to={{ name: 'practice' }}>Back to all practice cases</Link>
        </section>
      ) : null}
    </div>
  );
}
