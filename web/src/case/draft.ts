import { validateCase, evaluateCase, type Evaluation, type FieldError } from '../../../src/engine/index.ts';

/**
 * The editor's draft: the case as typed, before validation. Values the user has
 * not given are absent (never guessed); text that is not a number stays text so
 * the engine's own schema reports it with its own message.
 */
export type Draft = Record<string, unknown>;

export function getAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function isEmptyObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** Returns a copy with `path` set to `value`; `undefined` removes the key, and emptied parent objects go too. */
export function setAt(obj: Draft, path: string, value: unknown): Draft {
  const [head, ...rest] = path.split('.');
  const copy: Draft = { ...obj };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head!];
    else copy[head!] = value;
    return copy;
  }
  const child = copy[head!];
  const next = setAt(child !== null && typeof child === 'object' && !Array.isArray(child) ? (child as Draft) : {}, rest.join('.'), value);
  if (isEmptyObject(next)) delete copy[head!];
  else copy[head!] = next;
  return copy;
}

/** Text typed in a number field → a number when it is one, else the text itself (so validation names it). */
export function numberFromText(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t.replace(',', '.'));
  return Number.isFinite(n) ? n : t;
}

export type OrganState = 'none' | 'contacted' | 'infiltrated';

export function organState(draft: Draft, id: string): OrganState {
  const infiltrates = getAt(draft, 'tumor.infiltrates');
  const contacts = getAt(draft, 'tumor.contacts');
  if (Array.isArray(infiltrates) && infiltrates.includes(id)) return 'infiltrated';
  if (Array.isArray(contacts) && contacts.includes(id)) return 'contacted';
  return 'none';
}

const NEXT_STATE: Record<OrganState, OrganState> = { none: 'contacted', contacted: 'infiltrated', infiltrated: 'none' };

/** Sets an organ's relation to the tumour; an infiltrated organ is listed only under `infiltrates`. */
export function setOrganState(draft: Draft, id: string, state: OrganState): Draft {
  const list = (path: string) => {
    const v = getAt(draft, path);
    return (Array.isArray(v) ? v : []).filter((x) => x !== id);
  };
  const contacts = list('tumor.contacts');
  const infiltrates = list('tumor.infiltrates');
  if (state === 'contacted') contacts.push(id);
  if (state === 'infiltrated') infiltrates.push(id);
  let next = setAt(draft, 'tumor.contacts', contacts.length ? contacts : undefined);
  next = setAt(next, 'tumor.infiltrates', infiltrates.length ? infiltrates : undefined);
  return next;
}

/** none → contacted → infiltrated → none: what one click on the diagram does. */
export function cycleOrgan(draft: Draft, id: string): Draft {
  return setOrganState(draft, id, NEXT_STATE[organState(draft, id)]);
}

export interface LiveResult {
  readonly errors: FieldError[];
  readonly errorsByPath: ReadonlyMap<string, string>;
  /** The evaluation of this draft, or null when it does not validate. */
  readonly evaluation: Evaluation | null;
}

/** Validates with the engine's zod schema and evaluates with the engine: the same code the server runs. */
export function evaluateDraft(draft: Draft): LiveResult {
  const checked = validateCase(draft);
  if (!checked.ok) {
    return { errors: checked.errors, errorsByPath: new Map(checked.errors.map((e) => [e.path, e.message])), evaluation: null };
  }
  return { errors: [], errorsByPath: new Map(), evaluation: evaluateCase(checked.value) };
}

/** Field paths whose values differ between two case objects (for version history). */
export function changedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObj(before) || !isObj(after)) return [prefix || '(case)'];
  const keys = new Set([...Object.keys(before as object), ...Object.keys(after as object)]);
  return [...keys].sort().flatMap((k) =>
    changedPaths((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k),
  );
}
