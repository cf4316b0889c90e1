import { useCallback, useMemo, useRef, useState } from 'react';
import type { Evaluation } from '../../../src/engine/index.ts';
import { evaluateDraft, setAt, type Draft } from './draft.ts';

/** The draft under edit, its live validation and evaluation (last valid one kept while input is invalid). */
export function useCaseDraft(initial: Draft) {
  const [draft, setDraft] = useState<Draft>(initial);
  const [baseline, setBaseline] = useState<string>(() => JSON.stringify(initial));
  const lastValid = useRef<Evaluation | null>(null);
  const live = useMemo(() => evaluateDraft(draft), [draft]);
  if (live.evaluation) lastValid.current = live.evaluation;
  const setField = useCallback((path: string, value: unknown) => setDraft((d) => setAt(d, path, value)), []);
  const reset = useCallback((next: Draft) => {
    setDraft(next);
    setBaseline(JSON.stringify(next));
  }, []);
  const markSaved = useCallback((saved: Draft) => setBaseline(JSON.stringify(saved)), []);
  return {
    draft,
    setDraft,
    setField,
    reset,
    markSaved,
    dirty: JSON.stringify(draft) !== baseline,
    errors: live.errors,
    errorsByPath: live.errorsByPath,
    evaluation: live.evaluation ?? lastValid.current,
    valid: live.evaluation !== null,
  };
}
