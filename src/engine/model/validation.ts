import type { z } from 'zod';
import { CaseSchema, type Case } from './case.ts';
import { upgradeCase } from './upgrade.ts';

/** One problem with an input, located by its JSON path (`tumor.sizeCm`, `tumor.contacts[2]`). */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Thrown by adapters' helpers when input is invalid; carries every problem. */
export class InputError extends Error {
  readonly errors: FieldError[];
  constructor(errors: FieldError[]) {
    super(errors.map((e) => `${e.path || '(root)'}: ${e.message}`).join('\n'));
    this.name = 'InputError';
    this.errors = errors;
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/**
 * Flattens zod issues into field errors; an unknown key becomes an error at that key's own path.
 * One error per field: zod goes on checking a value that already failed (a date that is not
 * YYYY-MM-DD is also "a date that does not exist"; a text in place of a list is also "too long"),
 * and the first issue is the one that says what is wrong.
 */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const push = (e: FieldError) => {
    if (seen.has(e.path)) return;
    seen.add(e.path);
    errors.push(e);
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        push({ path: formatPath([...issue.path, key]), message: 'is not a recognised field' });
      }
    } else if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) {
      // A missing field (JSON has no undefined): an enum's own message would read "unknown … undefined".
      push({ path: formatPath(issue.path), message: 'is required' });
    } else {
      push({ path: formatPath(issue.path), message: issue.message });
    }
  }
  return errors;
}

export function validateWith<S extends z.ZodType>(schema: S, input: unknown): Validated<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  // Only a failing input pays for re-parsing with the rejected values attached (needed for messages).
  const detailed = schema.safeParse(input, { reportInput: true });
  return { ok: false, errors: toFieldErrors(detailed.success ? result.error : detailed.error) };
}

export function validateCase(input: unknown): Validated<Case> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [{ path: '', message: 'a case must be a JSON object' }] };
  }
  return validateWith(CaseSchema, upgradeCase(input));
}

export function parseCase(input: unknown): Case {
  const result = validateCase(input);
  if (!result.ok) throw new InputError(result.errors);
  return result.value;
}
