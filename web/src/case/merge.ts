import { changedPaths, getAt, setAt, type Draft } from './draft.ts';

/**
 * Three-way merge of a case after a version conflict. `base` is the version my
 * edits started from, `theirs` the version saved meanwhile, `mine` my draft.
 * Only the fields I changed are taken from mine; everything else stays as they
 * saved it. A field both of us changed differently is a conflict for the user
 * to decide, field by field.
 */
export interface Versioned {
  readonly title: string;
  readonly status: string;
  readonly case: Draft;
}

export interface FieldConflict {
  readonly path: string;
  readonly base: unknown;
  readonly theirs: unknown;
  readonly mine: unknown;
}

export interface MergeResult {
  /** Theirs plus my non-conflicting changes; conflicts resolved as "mine" until the user chooses. */
  readonly merged: Versioned;
  readonly mineChanged: string[];
  readonly theirsChanged: string[];
  readonly conflicts: FieldConflict[];
}

const asDoc = (v: Versioned): Draft => ({ title: v.title, status: v.status, case: v.case });
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function threeWayMerge(base: Versioned, theirs: Versioned, mine: Versioned): MergeResult {
  const b = asDoc(base);
  const t = asDoc(theirs);
  const m = asDoc(mine);
  const mineChanged = changedPaths(b, m);
  const theirsChanged = changedPaths(b, t);
  let merged = t;
  const conflicts: FieldConflict[] = [];
  for (const path of mineChanged) {
    const mv = getAt(m, path);
    const tv = getAt(t, path);
    if (theirsChanged.some((p) => p === path || p.startsWith(`${path}.`) || path.startsWith(`${p}.`)) && !same(mv, tv)) {
      conflicts.push({ path, base: getAt(b, path), theirs: tv, mine: mv });
    }
    merged = setAt(merged, path, mv);
  }
  return { merged: fromDoc(merged), mineChanged, theirsChanged, conflicts };
}

function fromDoc(d: Draft): Versioned {
  return { title: String(d.title ?? ''), status: String(d.status ?? ''), case: (d.case as Draft | undefined) ?? {} };
}

/** Applies the user's choice for each conflicting field to the merge. */
export function resolve(result: MergeResult, choice: ReadonlyMap<string, 'theirs' | 'mine'>): Versioned {
  let doc = asDoc(result.merged);
  for (const c of result.conflicts) doc = setAt(doc, c.path, (choice.get(c.path) ?? 'mine') === 'mine' ? c.mine : c.theirs);
  return fromDoc(doc);
}
