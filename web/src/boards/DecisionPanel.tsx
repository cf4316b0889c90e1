import { useEffect, useState, type FormEvent } from 'react';
import { PRIORITIES, type Evaluation } from '../../../src/engine/index.ts';
import { formatDateTime, label, options, priorityName } from '../../../src/engine/vocabulary.ts';
import { ApiError, api, type User } from '../api.ts';
import { ErrorBox } from '../ui/nav.tsx';
import { boardsApi, type AgendaItem, type BoardDecision, type DecisionDraft } from './api.ts';

const PRIORITY_IDS = Object.keys(PRIORITIES);

/**
 * The board's decision on one agenda item: structured recommendation(s) from the strategy
 * vocabulary, free text, intent, next steps and — when it differs from Retroplan's
 * recommendation — the coded reason. The chair signs; a signed decision is amended, not edited.
 */
export function DecisionPanel({ item, user, chair, onChange }: { item: AgendaItem; user: User; chair: string; onChange: () => void }) {
  const [decision, setDecision] = useState<BoardDecision | null>(null);
  const [engine, setEngine] = useState<string[] | null>(null);
  const [draft, setDraft] = useState<{ decision: string; strategyIds: string[]; intent: string; nextSteps: string; reason: string; reasonText: string }>({
    decision: '',
    strategyIds: [],
    intent: '',
    nextSteps: '',
    reason: '',
    reasonText: '',
  });
  const [amending, setAmending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.evaluation(item.caseId).then(
      (e: Evaluation) => setEngine(e.strategy.priorities.map((p) => p.id)),
      () => setEngine([]),
    );
    if (item.decision) boardsApi.decision(item.decision.id).then(setDecision, setError);
  }, [item.caseId, item.decision]);

  const deviates = engine !== null && engine.length > 0 && draft.strategyIds.some((id) => !engine.includes(id));
  const body = (): DecisionDraft => ({
    decision: draft.decision,
    strategyIds: draft.strategyIds,
    ...(draft.intent ? { intent: draft.intent } : {}),
    ...(draft.nextSteps.trim() ? { nextSteps: draft.nextSteps.trim() } : {}),
    ...(draft.reason ? { deviation: { reason: draft.reason, ...(draft.reasonText.trim() ? { text: draft.reasonText.trim() } : {}) } } : {}),
  });
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const saved = amending && decision ? await boardsApi.amend(decision.id, body()) : await boardsApi.recordDecision(item.caseId, item.id, body());
      setDecision(saved);
      setAmending(false);
      onChange();
    } catch (err) {
      setError(err);
    }
  };
  const sign = async () => {
    setError(null);
    try {
      setDecision(await boardsApi.sign(decision!.id));
      onChange();
    } catch (err) {
      setError(err);
    }
  };

  const idp = `decision-${item.id}`;
  const canWrite = user.role !== 'viewer';
  const showForm = canWrite && (!decision || amending);
  return (
    <div className="decision-panel" data-testid={`decision-${item.position}`}>
      {engine ? (
        <p className="small">
          <strong>Retroplan recommends:</strong> {engine.length ? engine.map((id) => priorityName(id)).join('; ') : 'no recommendation (not applicable)'}
        </p>
      ) : null}
      {decision && !amending ? (
        <div className="decision-record">
          <p>
            <strong>Board decision:</strong> {decision.strategyIds.map((id) => priorityName(id)).join('; ')} — {decision.decision}
          </p>
          <p className="small">
            {label('concordance', decision.concordance)}
            {decision.deviationReason ? ` (${label('deviationReason', decision.deviationReason)})` : ''}
            {decision.intent ? ` · intent: ${label('intent', decision.intent).toLowerCase()}` : ''}
          </p>
          {decision.signedAt ? (
            <p className="signed" data-testid="signed">
              Signed by {decision.signedBy} (chair), {formatDateTime(decision.signedAt)}
              {decision.supersedesId ? ' · amends an earlier signed decision' : ''}
            </p>
          ) : (
            <p className="muted small">Not signed yet — only the chair ({chair}) signs.</p>
          )}
          <div className="row-actions">
            {!decision.signedAt && user.username === chair ? (
              <button type="button" className="btn primary" onClick={sign}>
                Sign as chair
              </button>
            ) : null}
            {decision.signedAt ? (
              <>
                <a className="btn" href={boardsApi.letterHref(decision.id)} download>
                  Letter to referrer (PDF)
                </a>
                <a className="btn" href={boardsApi.summaryHref(decision.id)} download>
                  Patient summary (PDF)
                </a>
                {canWrite && !decision.supersededById ? (
                  <button type="button" className="btn ghost" onClick={() => setAmending(true)}>
                    Amend
                  </button>
                ) : null}
              </>
            ) : null}
          </div>
        </div>
      ) : null}
      {showForm ? (
        <form onSubmit={save} className="decision-form" aria-label={`Decision on ${item.caseTitle}`}>
          <fieldset>
            <legend>Recommendation(s)</legend>
            <div className="checks">
              {PRIORITY_IDS.map((id) => (
                <label key={id} className="check">
                  <input
                    type="checkbox"
                    checked={draft.strategyIds.includes(id)}
                    onChange={(e) => setDraft({ ...draft, strategyIds: e.target.checked ? [...draft.strategyIds, id] : draft.strategyIds.filter((x) => x !== id) })}
                  />{' '}
                  {priorityName(id)}
                  {engine?.includes(id) ? <span className="muted small"> (Retroplan)</span> : null}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor={`${idp}-text`}>Decision in the board&apos;s words</label>
            <textarea id={`${idp}-text`} rows={3} value={draft.decision} onChange={(e) => setDraft({ ...draft, decision: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`${idp}-intent`}>Intent</label>
            <select id={`${idp}-intent`} value={draft.intent} onChange={(e) => setDraft({ ...draft, intent: e.target.value })}>
              <option value="">Not recorded</option>
              {options('intent').map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${idp}-next`}>Who acts next and follow-up</label>
            <textarea id={`${idp}-next`} rows={2} value={draft.nextSteps} onChange={(e) => setDraft({ ...draft, nextSteps: e.target.value })} />
          </div>
          {deviates || draft.reason ? (
            <div className="field">
              <label htmlFor={`${idp}-reason`}>Reason for differing from Retroplan</label>
              <select id={`${idp}-reason`} value={draft.reason} onChange={(e) => setDraft({ ...draft, reason: e.target.value })}>
                <option value="">Choose a reason</option>
                {options('deviationReason').map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
              <label htmlFor={`${idp}-reason-text`}>Reason in words</label>
              <input id={`${idp}-reason-text`} value={draft.reasonText} onChange={(e) => setDraft({ ...draft, reasonText: e.target.value })} />
            </div>
          ) : null}
          <button type="submit" className="btn primary">
            {amending ? 'Record amendment' : 'Record decision'}
          </button>
        </form>
      ) : null}
      {error ? <ErrorBox error={error instanceof ApiError ? new Error(error.errors.map((x) => x.message).join('; ') || error.message) : error} /> : null}
    </div>
  );
}
