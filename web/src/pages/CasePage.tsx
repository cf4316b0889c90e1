import { formatDateTime } from '../../../src/engine/vocabulary.ts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, CASE_STATUSES, type StoredCase, type User } from '../api.ts';
import { AnatomyPanel } from '../anatomy/AnatomyPanel.tsx';
import { planActions } from '../anatomy/plan.ts';
import { CaseForm } from '../case/CaseForm.tsx';
import type { Draft } from '../case/draft.ts';
import { useCaseDraft } from '../case/useCaseDraft.ts';
import { CASE_TEMPLATES } from '../case/templates.ts';
import { resolve, threeWayMerge, type MergeResult, type Versioned } from '../case/merge.ts';
import { EvaluationPanel } from '../evaluation/EvaluationPanel.tsx';
import { missingEssentials } from '../evaluation/safety.ts';
import { fieldName, label, valueText } from '../../../src/engine/vocabulary.ts';
import { navigate } from '../router.ts';
import { ErrorBox, Link, setUnsavedGuard, Spinner } from '../ui/nav.tsx';

const UNSAVED = 'This case has unsaved changes. Leave without saving?';

export function statusLabel(s: string): string {
  return label('status', s);
}

/** Focuses the control of a case-model field (errors and the safety panel link to it). */
export function focusField(path: string): void {
  const el = document.querySelector<HTMLElement>(`[name="${CSS.escape(path)}"]`) ?? document.getElementById(`field-${path}`);
  if (el) {
    el.scrollIntoView({ block: 'center' });
    el.focus();
  }
}

export function CasePage({ id, user }: { id?: string; user: User }) {
  const [loaded, setLoaded] = useState<StoredCase | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!id) return;
    let live = true;
    setLoadError(null);
    api.getCase(id).then(
      (c) => live && setLoaded(c),
      (e: unknown) => live && setLoadError(e),
    );
    return () => {
      live = false;
    };
  }, [id, attempt]);

  if (id && loadError) return <ErrorBox error={loadError} onRetry={() => setAttempt((a) => a + 1)} />;
  if (id && !loaded) return <Spinner label="Loading case…" />;
  return <CaseEditor key={loaded ? `${loaded.id}` : 'new'} stored={loaded} user={user} onReloaded={setLoaded} />;
}

type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved'; version: number }
  | { kind: 'conflict'; theirs: StoredCase | null; merge: MergeResult | null }
  | { kind: 'error'; error: unknown };

function CaseEditor({ stored, user, onReloaded }: { stored: StoredCase | null; user: User; onReloaded: (c: StoredCase) => void }) {
  const canWrite = user.role === 'admin' || user.role === 'clinician';
  const initial = (stored?.case ?? { presentation: 'primary' }) as Draft;
  const d = useCaseDraft(initial);
  const [title, setTitle] = useState(stored?.title ?? '');
  const [status, setStatus] = useState(stored?.status ?? 'workup');
  const [version, setVersion] = useState(stored?.version ?? 0);
  const [meta, setMeta] = useState({ title: stored?.title ?? '', status: stored?.status ?? 'workup' });
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [titleError, setTitleError] = useState<string | null>(null);
  // The version my edits started from: the base of a three-way merge after a conflict.
  const base = useRef<Versioned>({ title: stored?.title ?? '', status: stored?.status ?? 'workup', case: initial });
  const [choice, setChoice] = useState<Map<string, 'theirs' | 'mine'>>(new Map());
  const plan = useMemo(() => planActions(d.evaluation?.resectionPlan), [d.evaluation]);
  const dirty = d.dirty || title !== meta.title || status !== meta.status;

  useEffect(() => {
    setUnsavedGuard(dirty ? UNSAVED : null);
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (dirty) e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      setUnsavedGuard(null);
    };
  }, [dirty]);

  const applySaved = (saved: StoredCase, draft: Draft = d.draft, t = title, st = status) => {
    setVersion(saved.version);
    setMeta({ title: t, status: st });
    base.current = { title: t, status: st, case: draft };
    d.markSaved(draft);
    setSave({ kind: 'saved', version: saved.version });
  };

  const doSave = async (ifMatch: number) => {
    if (!title.trim()) {
      setTitleError('A title is required (e.g. the patient’s initials and the date of referral).');
      return;
    }
    setTitleError(null);
    setSave({ kind: 'saving' });
    try {
      if (!stored) {
        const created = await api.createCase(title.trim(), status, d.draft);
        setUnsavedGuard(null);
        d.markSaved(d.draft);
        navigate({ name: 'case', id: String(created.id) }, true);
        return;
      }
      applySaved(await api.updateCase(stored.id, ifMatch, title.trim(), status, d.draft));
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        const theirs = await api.getCase(stored!.id).catch(() => null);
        const merge = theirs ? threeWayMerge(base.current, { title: theirs.title, status: theirs.status, case: theirs.case as Draft }, { title: title.trim(), status, case: d.draft }) : null;
        setChoice(new Map());
        setSave({ kind: 'conflict', theirs, merge });
      } else setSave({ kind: 'error', error: e });
    }
  };

  const reloadTheirs = (theirs: StoredCase) => {
    d.reset(theirs.case as Draft);
    setTitle(theirs.title);
    setStatus(theirs.status);
    setMeta({ title: theirs.title, status: theirs.status });
    setVersion(theirs.version);
    base.current = { title: theirs.title, status: theirs.status, case: theirs.case as Draft };
    setSave({ kind: 'idle' });
    onReloaded(theirs);
  };

  /** Saves theirs plus only the fields I changed (conflicts as chosen), on top of their version. */
  const saveMerged = async (theirs: StoredCase, merge: MergeResult) => {
    const merged = resolve(merge, choice);
    setSave({ kind: 'saving' });
    try {
      const saved = await api.updateCase(theirs.id, theirs.version, merged.title, merged.status, merged.case);
      d.reset(merged.case);
      setTitle(merged.title);
      setStatus(merged.status);
      applySaved(saved, merged.case, merged.title, merged.status);
    } catch (e) {
      setSave({ kind: 'error', error: e });
    }
  };

  const anatomyErrors = d.errors.filter((e) => /^tumor\.(contacts|infiltrates)/.test(e.path)).map((e) => `${e.path}: ${e.message}`);

  return (
    <div className="case-screen">
      <h1 className="visually-hidden">{stored ? `Case: ${meta.title}` : 'New case'}</h1>
      <form
        className="case-bar"
        aria-label="Case"
        onSubmit={(e) => {
          e.preventDefault();
          if (canWrite) void doSave(version);
        }}
      >
        <div className="case-bar-fields">
          <div className="field inline">
            <label htmlFor="case-title">Title</label>
            <input
              id="case-title"
              value={title}
              placeholder="e.g. J.D., left RPS, referred 2026-03"
              onChange={(e) => setTitle(e.target.value)}
              autoFocus={!stored}
              aria-invalid={titleError ? true : undefined}
              aria-describedby="case-title-msg"
              disabled={!canWrite}
            />
          </div>
          <div className="field inline">
            <label htmlFor="case-status">Status</label>
            <select id="case-status" value={status} onChange={(e) => setStatus(e.target.value)} disabled={!canWrite}>
              {[...new Set([...CASE_STATUSES, status])].map((s) => (
                <option key={s} value={s}>
                  {statusLabel(s)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="case-bar-actions">
          <span className="save-state" role="status" data-testid="save-state">
            {save.kind === 'saving'
              ? 'Saving…'
              : dirty
                ? 'Unsaved changes'
                : stored
                  ? `Version ${version} · saved`
                  : 'New case'}
          </span>
          {stored ? (
            <>
              <Link className="btn ghost" to={{ name: 'history', id: stored.id }}>
                History
              </Link>
              <Link className="btn ghost" to={{ name: 'report', id: stored.id }}>
                MDT report
              </Link>
              <Link className="btn ghost" to={{ name: 'theatre', id: stored.id }}>
                In theatre
              </Link>
              {canWrite ? (
                <Link className="btn ghost" to={{ name: 'referrals', caseId: stored.id }}>
                  Refer this case
                </Link>
              ) : null}
            </>
          ) : null}
          {canWrite ? (
            <button type="submit" className="btn primary" disabled={save.kind === 'saving' || (!dirty && Boolean(stored))}>
              {stored ? 'Save version' : 'Create case'}
            </button>
          ) : (
            <span className="muted small">Read-only (viewer)</span>
          )}
        </div>
        <p id="case-title-msg" className="field-msg bar-msg" role={titleError ? 'alert' : undefined}>
          {titleError ?? ''}
        </p>
      </form>

      {save.kind === 'conflict' ? (
        <div className="conflict" role="alertdialog" aria-labelledby="conflict-title" aria-describedby="conflict-text">
          <h2 id="conflict-title">Someone saved this case while you were editing</h2>
          <p id="conflict-text">
            {save.theirs
              ? `Version ${save.theirs.version} was saved by ${save.theirs.updatedBy ?? 'another user'} at ${formatDateTime(save.theirs.updatedAt)}. Your edits were made on version ${version}. Saving keeps their changes and adds only the fields you changed.`
              : `Your edits were made on version ${version}, which is no longer the latest.`}
          </p>
          {save.merge ? (
            <>
              <p className="small">
                <strong>They changed:</strong> {save.merge.theirsChanged.map(fieldName).join(', ') || 'nothing'}. <strong>You changed:</strong>{' '}
                {save.merge.mineChanged.map(fieldName).join(', ') || 'nothing'}.
              </p>
              {save.merge.conflicts.length ? (
                <table className="report-table conflict-table" data-testid="conflict-table">
                  <caption>Changed by both of you — choose for each field</caption>
                  <thead>
                    <tr>
                      <th scope="col">Field</th>
                      <th scope="col">Before (version {version})</th>
                      <th scope="col">Theirs</th>
                      <th scope="col">Mine</th>
                    </tr>
                  </thead>
                  <tbody>
                    {save.merge.conflicts.map((c) => {
                      const path = c.path.replace(/^case\./, '');
                      const pick = choice.get(c.path) ?? 'mine';
                      return (
                        <tr key={c.path} data-field={c.path}>
                          <th scope="row">{fieldName(path)}</th>
                          <td>{valueText(path, c.base)}</td>
                          {(['theirs', 'mine'] as const).map((who) => (
                            <td key={who}>
                              <label>
                                <input type="radio" name={`merge-${c.path}`} checked={pick === who} onChange={() => setChoice((m) => new Map(m).set(c.path, who))} />{' '}
                                {valueText(path, who === 'mine' ? c.mine : c.theirs)}
                              </label>
                            </td>
                          ))}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              ) : null}
            </>
          ) : null}
          <div className="actions">
            {save.theirs && save.merge ? (
              <button type="button" className="btn primary" onClick={() => void saveMerged(save.theirs!, save.merge!)}>
                Save merged version
              </button>
            ) : null}
            {save.theirs ? (
              <button type="button" className="btn" onClick={() => reloadTheirs(save.theirs!)}>
                Reload their version (discard my edits)
              </button>
            ) : null}
            <button type="button" className="btn ghost" onClick={() => setSave({ kind: 'idle' })}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {save.kind === 'error' ? <ErrorBox error={save.error} /> : null}
      {!stored && canWrite ? (
        // Once the case is edited the bar is hidden but keeps its place: the page below (the drawing
        // among it) must not jump under the pointer between two clicks.
        <div className={`templates${d.dirty ? ' spent' : ''}`} role="group" aria-labelledby="templates-label" aria-hidden={d.dirty || undefined} inert={d.dirty || undefined}>
          <span id="templates-label" className="small muted">
            Start from a template:
          </span>
          {CASE_TEMPLATES.map((t) => (
            <button key={t.id} type="button" className="btn small" onClick={() => d.setDraft(t.draft)}>
              {t.label}
            </button>
          ))}
        </div>
      ) : null}

      <div className="case-columns">
        <section className="col col-form" aria-label="Case data">
          <CaseForm draft={d.draft} errors={d.errorsByPath} onChange={d.setField} readOnly={!canWrite} />
        </section>
        <div className="col-side">
          <div className="col col-anatomy">
            <AnatomyPanel draft={d.draft} plan={plan} compartment={d.evaluation?.resectionPlan?.compartment?.primary} {...(canWrite ? { onDraft: d.setDraft } : {})} errors={anatomyErrors} />
          </div>
          <div className="col col-eval">
            <EvaluationPanel evaluation={d.evaluation} errors={d.errors} missing={missingEssentials(d.draft)} onFocusField={focusField} />
          </div>
        </div>
      </div>
    </div>
  );
}
