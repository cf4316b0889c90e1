import { SOURCES, type Evaluation, type FieldError } from '../../../src/engine/index.ts';
import { conclusions, gradeHeadline, sectionHeadline, stageHeadline, type Conclusion } from './explain.ts';

export function SourceList({ sources }: { sources: readonly string[] }) {
  if (sources.length === 0) return null;
  return (
    <p className="sources">
      <span className="sources-label">Sources:</span>{' '}
      {sources.map((s) => (
        <abbr key={s} className="source" title={(SOURCES as Record<string, string>)[s] ?? s}>
          {s}
        </abbr>
      ))}
    </p>
  );
}

export function EvidenceBadge({ evidence }: { evidence?: string | undefined }) {
  if (!evidence || evidence === 'verified') return null;
  return <span className={`badge badge-${evidence}`}>{evidence === 'consensus' ? 'Consensus rule' : evidence}</span>;
}

function ConclusionView({ c, level = 0 }: { c: Conclusion; level?: number }) {
  const hasDetail = c.reasons.length > 0 || c.sources.length > 0 || c.children.length > 0;
  const head = (
    <>
      <span className="conclusion-title">{c.title}</span>
      <span className="conclusion-headline">{c.headline || '—'}</span>
      <EvidenceBadge evidence={c.evidence} />
    </>
  );
  if (!hasDetail) return <div className={`conclusion level-${level}`}>{head}</div>;
  return (
    <details className={`conclusion level-${level}`} data-section={c.key}>
      <summary>{head}</summary>
      <div className="conclusion-body">
        {c.reasons.length ? (
          <ul className="reasons">
            {c.reasons.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        ) : null}
        <SourceList sources={c.sources} />
        {c.children.map((child) => (
          <ConclusionView key={child.key} c={child} level={level + 1} />
        ))}
      </div>
    </details>
  );
}

export interface EvaluationPanelProps {
  readonly evaluation: Evaluation | null;
  /** The draft's validation problems: the evaluation shown is then the last valid one. */
  readonly errors: readonly FieldError[];
}

export function EvaluationPanel({ evaluation, errors }: EvaluationPanelProps) {
  const stale = errors.length > 0;
  return (
    <section className="evaluation" aria-labelledby="evaluation-heading" aria-live="polite" aria-busy={false}>
      <div className="panel-head">
        <h2 id="evaluation-heading">Evaluation</h2>
        <p className={`status-line${stale ? ' warn' : ''}`} data-testid="evaluation-status">
          {stale
            ? `${errors.length} field${errors.length === 1 ? ' needs' : 's need'} attention — showing the last valid evaluation`
            : 'Live — updates as you type'}
        </p>
      </div>
      {evaluation ? (
        <div className={stale ? 'is-stale' : undefined}>
          <dl className="key-facts">
            <div>
              <dt>Diagnosis</dt>
              <dd data-testid="fact-diagnosis">{sectionHeadline(evaluation, 'diagnosis') ?? '—'}</dd>
            </div>
            <div>
              <dt>Stage</dt>
              <dd data-testid="fact-stage">{evaluation.stage.group ? `Stage ${evaluation.stage.group}` : 'Not staged'}</dd>
            </div>
            <div>
              <dt>Grade</dt>
              <dd data-testid="fact-grade">{evaluation.grade.grade}</dd>
            </div>
          </dl>
          <p className="sr-only-summary visually-hidden">
            {stageHeadline(evaluation)}; grade {gradeHeadline(evaluation)}
          </p>
          {evaluation.warnings.length ? (
            <ul className="warnings" aria-label="Warnings">
              {evaluation.warnings.map((w, i) => (
                <li key={`${w.code}-${i}`} data-code={w.code}>
                  <span className="warning-text">{w.message}</span> <EvidenceBadge evidence={w.evidence} />
                  <SourceList sources={w.sources} />
                </li>
              ))}
            </ul>
          ) : null}
          <div className="conclusions">
            {conclusions(evaluation).map((c) => (
              <ConclusionView key={c.key} c={c} />
            ))}
          </div>
          <p className="engine-line muted small">
            {evaluation.engine.name} engine {evaluation.engine.version}
          </p>
        </div>
      ) : (
        <p className="muted">Enter the case to see its evaluation.</p>
      )}
    </section>
  );
}
