import type { IntraopAction, IntraopDecision } from '../../../src/engine/index.ts';
import { humanText, label, organName, shortCitation } from '../../../src/engine/vocabulary.ts';

function Sources({ ids }: { ids: readonly string[] }) {
  if (ids.length === 0) return null;
  return <p className="sources small">Sources: {[...new Set(ids)].map(shortCitation).join('; ')}</p>;
}

function Action({ a }: { a: IntraopAction }) {
  return (
    <>
      <span className="action-label">{humanText(a.label)}</span>
      {a.consequences.length ? (
        <ul className="consequences">
          {a.consequences.map((c) => (
            <li key={c}>{humanText(c)}</li>
          ))}
        </ul>
      ) : null}
      <span className="small muted">{label('evidence', a.evidence)}</span>
    </>
  );
}

/**
 * The engine's intra-operative decision (src/engine/intraoperative.ts) for every finding of the
 * operation so far, the newest first: the recommended action, the alternatives with their
 * consequences, then what the findings mean together — whether the curative resection goes on,
 * the margin to expect, the plan, what to document and whom to call, with the sources.
 */
export function RecommendationPanel({ decision, findingTexts, canDecide, onDecide }: { decision: IntraopDecision | null; findingTexts: string[]; canDecide: boolean; onDecide: (text: string) => void }) {
  if (!decision) {
    return (
      <section className="recommendation" aria-labelledby="rec-heading" data-testid="recommendation">
        <h2 id="rec-heading">Recommendation</h2>
        <p className="muted">No finding recorded yet: the plan stands. Tap a finding to see what to do.</p>
      </section>
    );
  }
  const newestFirst = [...decision.decisions].reverse();
  return (
    <section className="recommendation" aria-labelledby="rec-heading" data-testid="recommendation">
      <h2 id="rec-heading">Recommendation</h2>
      <p className={`intent intent-${decision.intent}`} data-testid="intent">
        {label('intraopIntent', decision.intent)}
      </p>
      <p>
        <strong>Expected margin:</strong> {label('expectedMargin', decision.expectedMargin.status)} — {humanText(decision.expectedMargin.why)}
      </p>
      {newestFirst.map((d, i) => (
        <article key={d.finding} className={`decision-card${i === 0 ? ' newest' : ''}`} data-testid="decision-card">
          <h3>{findingTexts[d.finding] ?? d.summary}</h3>
          <div className="recommended">
            <p className="small muted">Recommended</p>
            <Action a={d.recommended} />
            {canDecide ? (
              <button type="button" className="btn big" onClick={() => onDecide(`${humanText(d.recommended.label)} — for: ${findingTexts[d.finding] ?? d.summary}`)}>
                Do this
              </button>
            ) : null}
          </div>
          {d.alternatives.length ? (
            <details open={i === 0}>
              <summary>Alternatives ({d.alternatives.length})</summary>
              <ul className="alternatives">
                {d.alternatives.map((a) => (
                  <li key={a.id}>
                    <Action a={a} />
                    {canDecide ? (
                      <button
                        type="button"
                        className="btn"
                        onClick={() => onDecide(`${humanText(a.label)} (instead of: ${humanText(d.recommended.label)}) — for: ${findingTexts[d.finding] ?? d.summary}`)}
                      >
                        Choose this instead
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          {d.notes.length ? (
            <ul className="notes small">
              {d.notes.map((n) => (
                <li key={n}>{humanText(n)}</li>
              ))}
            </ul>
          ) : null}
          <Sources ids={[...d.recommended.sources, ...d.alternatives.flatMap((a) => a.sources)]} />
        </article>
      ))}
      <div className="rec-columns">
        <div>
          <h3>Document</h3>
          <ul data-testid="documentation">
            {decision.documentation.map((d) => (
              <li key={d.id}>{humanText(d.label)}</li>
            ))}
          </ul>
        </div>
        <div>
          <h3>Call</h3>
          {decision.call.length ? (
            <ul data-testid="call">
              {decision.call.map((c) => (
                <li key={c.team}>
                  <strong>{c.label}</strong> — {humanText(c.why)}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">Nobody else needed for these findings.</p>
          )}
        </div>
      </div>
      {decision.updatedPlan.added.length ? (
        <p>
          <strong>Now also en bloc:</strong> {decision.updatedPlan.added.map(organName).join(', ')}
        </p>
      ) : null}
      {decision.warnings.length ? (
        <ul className="warnings">
          {decision.warnings.map((w) => (
            <li key={w.code}>{humanText(w.message)}</li>
          ))}
        </ul>
      ) : null}
      <details>
        <summary>Why</summary>
        <ul>
          {decision.reasons.map((r) => (
            <li key={r}>{humanText(r)}</li>
          ))}
        </ul>
      </details>
      <Sources ids={decision.sources} />
    </section>
  );
}
