import { formatDateTime } from '../../../src/engine/vocabulary.ts';
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError, CASE_STATUSES, type StoredCase, type User } from '../api.ts';
import { AnatomyPanel } from '../anatomy/AnatomyPanel.tsx';
import { planActions } from '../anatomy/plan.ts';
import { CaseForm } from '../case/CaseForm.tsx';
import type { Draft } from '../case/draft.ts';
import { useCaseDraft } from '../case/useCaseDraft.ts';
import { CASE_TEMPLATES } from '../case/templates.ts';
import { EvaluationPanel } from '../evaluation/EvaluationPanel.tsx';
import { missingEssentials } from '../evaluation/safety.ts';
import { label } from '../../../src/engine/vocabulary.ts';
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
  | { kind: 'conflict'; theirs: StoredCase | null }
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

  const applySaved = (saved: StoredCase) => {
    setVersion(saved.version);
    setMeta({ title, status });
    d.markSaved(d.draft);
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
        setSave({ kind: 'conflict', theirs });
      } else setSave({ kind: 'error', error: e });
    }
  };

  const reloadTheirs = (theirs: StoredCase) => {
    d.reset(theirs.case as Draft);
    setTitle(theirs.title);
    setStatus(theirs.status);
    setMeta({ title: theirs.title, status: theirs.status });
    setVersion(theirs.version);
    setSave({ kind: 'idle' });
    onReloaded(theirs);
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
              ? `Version ${save.theirs.version} was saved by ${save.theirs.updatedBy ?? 'another user'} at ${formatDateTime(save.theirs.updatedAt)}. Your edits were made on version ${version}.`
              : `Your edits were made on version ${version}, which is no longer the latest.`}
          </p>
          <div className="actions">
            {save.theirs ? (
              <button type="button" className="btn" onClick={() => reloadTheirs(save.theirs!)}>
                Reload their version (discard my edits)
              </button>
            ) : null}
            {save.theirs ? (
              <button type="button" className="btn primary" onClick={() => void doSave(save.theirs!.version)}>
                Save mine as a new version
              </button>
            ) : null}
            <button type="button" className="btn ghost" onClick={() => setSave({ kind: 'idle' })}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {save.kind === 'error' ? <ErrorBox error={save.error} /> : null}
      {!stored && canWrite && !d.dirty ? (
        <div className="templates" role="group" aria-labelledby="templates-label">
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
            <AnatomyPanel draft={d.draft} plan={plan} {...(canWrite ? { onDraft: d.setDraft } : {})} errors={anatomyErrors} />
          </div>
          <div className="col col-eval">
            <EvaluationPanel evaluation={d.evaluation} errors={d.errors} missing={missingEssentials(d.draft)} onFocusField={focusField} />
          </div>
        </div>
      </div>
    </div>
  );
}
