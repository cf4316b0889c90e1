/**
 * Limits a parsed JSON document must meet before any schema sees it. A schema
 * validator, an error message or a report that recurses into a value 8,000
 * levels deep overflows the stack; no case, FHIR Bundle or request of
 * Retroplan nests anywhere near 64 levels (a FHIR Bundle: about 10).
 */
export const MAX_JSON_DEPTH = 64;
/** Field errors reported for one input; the rest are counted, not listed. */
export const MAX_REPORTED_ERRORS = 50;

export interface JsonLimitError {
  readonly path: string;
  readonly message: string;
}

interface Frame {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Frame | null;
  readonly key: string | number | null;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,39}$/;

/** The engine's path notation (`tumor.contacts[2]`), with odd keys quoted and shortened. */
function pathOf(frame: Frame): string {
  const parts: string[] = [];
  for (let f: Frame | null = frame; f && f.key !== null; f = f.parent) {
    if (typeof f.key === 'number') parts.push(`[${f.key}]`);
    else if (IDENTIFIER.test(f.key)) parts.push(`.${f.key}`);
    else parts.push(`[${JSON.stringify(f.key.length > 40 ? `${f.key.slice(0, 40)}…` : f.key)}]`);
  }
  return parts.reverse().join('').replace(/^\./, '');
}

/**
 * The first place where `value` nests deeper than `maxDepth` arrays/objects, or
 * undefined. Iterative (an explicit stack), so it cannot overflow itself.
 */
export function findTooDeep(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonLimitError | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const stack: Frame[] = [{ value, depth: 1, parent: null, key: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth > maxDepth) return { path: pathOf(frame), message: `nests deeper than ${maxDepth} levels of lists and objects` };
    const v = frame.value;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        const item: unknown = v[i];
        if (item !== null && typeof item === 'object') stack.push({ value: item, depth: frame.depth + 1, parent: frame, key: i });
      }
    } else {
      const keys = Object.keys(v as object);
      for (let i = keys.length - 1; i >= 0; i--) {
        const item: unknown = (v as Record<string, unknown>)[keys[i]!];
        if (item !== null && typeof item === 'object') stack.push({ value: item, depth: frame.depth + 1, parent: frame, key: keys[i]! });
      }
    }
  }
  return undefined;
}

/** At most `max` errors, then one line counting the rest (a 100,000-item list gives one screen, not 100,000 lines). */
export function capErrors<T extends JsonLimitError>(errors: readonly T[], max = MAX_REPORTED_ERRORS): JsonLimitError[] {
  if (errors.length <= max) return [...errors];
  return [...errors.slice(0, max), { path: '', message: `and ${errors.length - max} more errors` }];
}

// Control characters are exactly what this pattern is for.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * A string safe to store and show as one line: control characters escaped
 * (`\n`, `\u0000`), at most `maxLength` characters. For audit actors and details.
 */
export function oneLine(text: string, maxLength = 200): string {
  const escaped = text.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return escaped.length > maxLength ? `${escaped.slice(0, maxLength - 1)}…` : escaped;
}
