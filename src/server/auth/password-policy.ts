import type { FieldError } from '../../engine/index.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords.ts';

/**
 * Password policy (NIST SP 800-63B §5.1.1.2): at least 12 characters, and not a
 * value that is commonly used, expected or derived from the account — checked with
 * zxcvbn-ts and its common-password and English dictionaries, with the username as
 * user input. No composition rules: a passphrase of unrelated words passes.
 */

/** zxcvbn scores 0–4; 3 is "safely unguessable: moderate protection from offline slow-hash scenario". */
export const MIN_ZXCVBN_SCORE = 3;
/** Name parts shorter than this are too common to forbid inside a password. */
const MIN_NAME_PART = 3;

interface Checker {
  check(password: string, userInputs?: (string | number)[]): { score: number; feedback: { warning: string | null; suggestions: string[] } };
}

let checker: Promise<Checker> | undefined;

/** The dictionaries are a few MB: loaded on first use, not when the CLI or server starts. */
function loadChecker(): Promise<Checker> {
  checker ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
  })();
  return checker;
}

function nameParts(username: string): string[] {
  const parts = username.toLowerCase().split(/[._@-]+/).filter((p) => p.length >= MIN_NAME_PART);
  return [...new Set([username.toLowerCase(), ...parts])];
}

/** The reason `password` is refused for `username` (path `password`), or undefined when it is acceptable. */
export async function passwordProblem(password: string, username: string): Promise<FieldError | undefined> {
  const refuse = (message: string): FieldError => ({ path: 'password', message });
  if (password.length < MIN_PASSWORD_LENGTH) return refuse(`must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) return refuse(`must be at most ${MAX_PASSWORD_LENGTH} characters`);
  const lower = password.toLowerCase();
  const squeezed = lower.replace(/[^\p{L}\p{N}]/gu, '');
  if (nameParts(username).some((part) => lower.includes(part) || squeezed.includes(part.replace(/[^\p{L}\p{N}]/gu, '')))) {
    return refuse('must not contain the username or a part of it; a passphrase of several unrelated words works well');
  }
  const result = (await loadChecker()).check(password, [...nameParts(username), 'retroplan']);
  if (result.score < MIN_ZXCVBN_SCORE) {
    const why = result.feedback.warning ? ` (${result.feedback.warning.replace(/\.$/, '')})` : '';
    return refuse(`is too easy to guess${why}; use a passphrase of several unrelated words, or a longer, less predictable password`);
  }
  return undefined;
}
