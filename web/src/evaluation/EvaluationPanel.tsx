import type { Evaluation, FieldError } from '../../../src/engine/index.ts';
import { errorText, fullCitation, humanText, label, shortCitation } from '../../../src/engine/vocabulary.ts';
import { conclusions, gradeHeadline, sectionHeadline, stageHeadline, type Conclusion } from './explain.ts';
import { diagnosisSuspected, planProvisional, safetyItems, stageProvisional, type SafetyItem } from './safety.ts';

export function SourceList({ sources }: { sources: readonly string[] }) {
  if (sources.length === 0) return null;
  return (
    <p className="sources">
      <span className="sources-label">Sources:</span>{' '}
      {sources.map((s, i) => (
        <cite key={s} className="source" title={fullCitation(s)}>
          {shortCitation(s)}
          {i < sources.length - 1 ? '; ' : ''}
        </cite>
      ))}
    </p>
  );
}

export function EvidenceBadge({ evidence }: { evidence?: string | undefined }) {
  if (!evidence || evidence === 'verified') return null;
  return <span className={`badge badge-${evidence}`}>{label('evidence', evidence)}</span>;
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

function WarningIcon() {
  return (
    <svg className="safety-icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
      <path d="M12 2 1 21h22L12 2z" fill="currentColor" />
      <path d="M11 9h2v6h-2zM11 17h2v2h-2z" fill="#fff" />
    </svg>
  );
}

/** Red flags and diagnoses to exclude first: above every fact card, not a live region (read once, in order). */
export function SafetyBanner({ items }: { items: readonly SafetyItem[] }) {
  if (items.length === 0) return null;
  const flags = items.filter((i) => i.kind === 'red-flag');
  const exclude = items.filter((i) => i.kind === 'exclude-first');
  return (
    <section className="safety-banner" aria-labelledby="safety-heading" data-testid="safety-banner">
      <h3 id="safety-heading">
        <WarningIcon /> Safety first — act on {items.length === 1 ? 'this' : `these ${items.length}`} before any biopsy or resection
      </h3>
      {flags.length ? (
        <ul className="safety-list">
          {flags.map((f) => (
            <li key={f.id} data-flag={f.id}>
              <strong>Red flag:</strong> {f.message} <SourceList sources={f.sources} />
            </li>
          ))}
        </ul>
      ) : null}
      {exclude.length ? (
        <>
          <p className="safety-sub">Exclude first</p>
          <ul className="safety-list">
            {exclude.map((f) => (
              <li key={f.id} data-flag={f.id}>
                {f.message} <SourceList sources={f.sources} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

export interface EvaluationPanelProps {
  readonly evaluation: Evaluation | null;
  /** The draft's validation problems: the evaluation shown is then the last valid one. */
  readonly errors: readonly FieldError[];
  /** What to enter before anything is staged or recommended; empty when the case can be evaluated. */
  readonly missing?: readonly string[];
  /** Moves focus to the field of an error (errors phrased for people, with the field focused). */
  readonly onFocusField?: (path: string) => void;
}

function Provisional({ show, text }: { show: boolean; text: string }) {
  return show ? <span className="provisional">{text}</span> : null;
}

export function EvaluationPanel({ evaluation, errors, missing = [], onFocusField }: EvaluationPanelProps) {
  const stale = errors.length > 0;
  const empty = missing.length > 0;
  const safety = evaluation && !empty ? safetyItems(evaluation) : [];
  const suspected = evaluation ? diagnosisSuspected(evaluation) : false;
  const stageProv = evaluation ? stageProvisional(evaluation) : false;
  const summary = !evaluation || empty ? '' : `${safety.length ? `${safety.length} safety warning${safety.length === 1 ? '' : 's'}. ` : ''}${stageHeadline(evaluation)}${stageProv ? ', provisional' : ''}; grade ${gradeHeadline(evaluation)}`;
  return (
    <section className="evaluation" aria-labelledby="evaluation-heading">
      <div className="panel-head">
        <h2 id="evaluation-heading">Evaluation</h2>
        <p className={`status-line${stale ? ' warn' : ''}`} data-testid="evaluation-status">
          {stale
            ? `${errors.length} field${errors.length === 1 ? ' needs' : 's need'} attention — showing the last valid evaluation`
            : 'Live — updates as you type'}
        </p>
      </div>
      {stale ? (
        <ul className="field-errors" aria-label="Fields that need attention">
          {errors.map((e) => (
            <li key={e.path}>
              {onFocusField ? (
                <button type="button" className="linklike" onClick={() => onFocusField(e.path)}>
                  {errorText(e.path, e.message)}
                </button>
              ) : (
                errorText(e.path, e.message)
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {/* One short polite line for screen readers instead of the whole panel as a live region. */}
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="evaluation-live">
        {summary}
      </p>
      {empty ? (
        <div className="first-step" data-testid="evaluation-empty">
          <p>
            <strong>Nothing is staged or recommended yet.</strong> Enter first:
          </p>
          <ol>
            {missing.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ol>
        </div>
      ) : evaluation ? (
        <div className={stale ? 'is-stale' : undefined}>
          <SafetyBanner items={safety} />
          <dl className="key-facts">
            <div>
              <dt>Diagnosis</dt>
              <dd data-testid="fact-diagnosis">
                {suspected ? <span className="provisional">Suspected</span> : null} {sectionHeadline(evaluation, 'diagnosis') ?? '—'}
              </dd>
            </div>
            <div className={stageProv ? 'is-provisional' : undefined}>
              <dt>Stage</dt>
              <dd data-testid="fact-stage">{evaluation.stage.group ? `Stage ${evaluation.stage.group}` : 'Not staged'}</dd>
              <Provisional show={stageProv} text="Provisional — diagnosis not confirmed by tissue" />
            </div>
            <div>
              <dt>Grade</dt>
              <dd data-testid="fact-grade">{evaluation.grade.grade}</dd>
            </div>
          </dl>
          {planProvisional(evaluation) ? (
            <p className="provisional-note" data-testid="plan-provisional">
              The resection plan is provisional until the diagnosis is confirmed.
            </p>
          ) : null}
          {evaluation.warnings.length ? (
            <ul className="warnings" aria-label="Warnings">
              {evaluation.warnings.map((w, i) => (
                <li key={`${w.code}-${i}`} data-code={w.code}>
                  <span className="warning-text">{humanText(w.message)}</span> <EvidenceBadge evidence={w.evidence} />
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
          <p className="engine-line muted small">Retroplan rules, version {evaluation.engine.version}</p>
        </div>
      ) : (
        <p className="muted">Enter the case to see its evaluation.</p>
      )}
    </section>
  );
}
