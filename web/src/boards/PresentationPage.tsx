import { useEffect, useRef, useState } from 'react';
import { evaluate, type Evaluation } from '../../../src/engine/index.ts';
import { humanText } from '../../../src/engine/vocabulary.ts';
import { buildProforma } from '../../../src/report/proforma.ts';
import { api, type StoredCase } from '../api.ts';
import { AnatomyDiagram, AnatomyLegend } from '../anatomy/AnatomyDiagram.tsx';
import { planActions } from '../anatomy/plan.ts';
import { getAt, organState, type Draft } from '../case/draft.ts';
import { navigate } from '../router.ts';
import { ErrorBox, Spinner } from '../ui/nav.tsx';
import { boardsApi, type MeetingDetail } from './api.ts';

/**
 * Presentation mode for a projector or shared screen: one agenda item per screen in large
 * type — the proforma summary (src/report), the anatomy drawing (read-only) and the engine's
 * recommendation with its reasons. No editing controls. ←/→ move between cases, Esc leaves.
 */
export function PresentationPage({ id, item }: { id: string; item: number }) {
  const [meeting, setMeeting] = useState<MeetingDetail | null>(null);
  const [stored, setStored] = useState<StoredCase | null>(null);
  const [evaluation, setEvaluation] = useState<Evaluation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    boardsApi.meeting(id).then(setMeeting, setError);
  }, [id]);
  const current = meeting?.agenda[item - 1];
  useEffect(() => {
    if (!current) return;
    let live = true;
    setStored(null);
    (async () => {
      const c = await api.getCase(current.caseId);
      const e = await api.evaluation(current.caseId).catch(() => {
        const r = evaluate(c.case);
        return r.ok ? r.value : null;
      });
      if (live) {
        setStored(c);
        setEvaluation(e);
      }
    })().catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [current]);

  const count = meeting?.agenda.length ?? 0;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'ArrowRight' && item < count) navigate({ name: 'present', id, item: item + 1 }, true);
      else if (e.key === 'ArrowLeft' && item > 1) navigate({ name: 'present', id, item: item - 1 }, true);
      else if (e.key === 'Escape') navigate({ name: 'meeting', id });
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [id, item, count]);
  useEffect(() => root.current?.focus(), [stored]);

  if (error) return <ErrorBox error={error} />;
  if (!meeting) return <Spinner label="Loading meeting…" />;
  if (!current) return <ErrorBox error={`This meeting has no case ${item}.`} />;
  if (!stored) return <Spinner label="Loading case…" />;
  const c = stored.case as Draft;
  const proforma = buildProforma(c, evaluation, { title: stored.title, version: stored.version });
  const plan = planActions(evaluation?.resectionPlan);
  const priorities = evaluation?.strategy.priorities ?? [];
  return (
    <div className="presentation" ref={root} tabIndex={0} aria-labelledby="present-title" data-testid="presentation">
      <header className="present-head">
        <p className="present-position" data-testid="present-position">
          Case {item} of {count} · {current.slot.start}–{current.slot.end}
          {current.presenter ? ` · presented by ${current.presenter}` : ''}
        </p>
        <h1 id="present-title">{stored.title}</h1>
        <p className="present-question">{current.question ?? 'No question to the board recorded.'}</p>
      </header>
      {proforma.safety.length ? (
        <section className="present-safety" aria-label="Safety first">
          <h2>Safety first</h2>
          <ul>
            {proforma.safety.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <div className="present-body">
        <section aria-labelledby="present-summary">
          <h2 id="present-summary">Summary</h2>
          <dl className="present-proforma">
            {proforma.groups
              .filter((g) => g.id !== 'referral')
              .flatMap((g) => g.rows)
              .filter((r) => r.label !== 'Recommendation')
              .map((r) => (
                <div key={r.label}>
                  <dt>{r.label}</dt>
                  <dd>{r.value}</dd>
                </div>
              ))}
          </dl>
        </section>
        <section aria-labelledby="present-anatomy" className="present-anatomy">
          <h2 id="present-anatomy">Anatomy</h2>
          <AnatomyDiagram
            stateOf={(o) => organState(c, o)}
            plan={plan}
            title="Anatomy and en bloc plan"
            tumour={{ side: getAt(c, 'tumor.side') as string | undefined, sizeCm: getAt(c, 'tumor.sizeCm') as number | undefined }}
            origins={['tumor.imaging.organOfOrigin', 'tumor.imaging.vesselOrigin'].map((p) => getAt(c, p)).filter((v): v is string => typeof v === 'string')}
          />
          <AnatomyLegend showPlan={plan.size > 0} />
        </section>
        <section aria-labelledby="present-recommendation" className="present-recommendation">
          <h2 id="present-recommendation">Retroplan recommends</h2>
          {priorities.length === 0 ? <p>No recommendation for this case yet.</p> : null}
          <ol>
            {priorities.map((p) => (
              <li key={p.id}>
                <strong>{p.label}</strong>
                <span className="present-reason">{humanText(p.rationale)}</span>
              </li>
            ))}
          </ol>
          {evaluation?.strategy.reasons.length ? (
            <ul className="present-reasons">
              {evaluation.strategy.reasons.map((r) => (
                <li key={r}>{humanText(r)}</li>
              ))}
            </ul>
          ) : null}
        </section>
      </div>
      <p className="present-keys muted">← previous · → next · Esc leaves presentation</p>
    </div>
  );
}
