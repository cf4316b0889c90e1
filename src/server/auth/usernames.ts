import { UsernameSchema } from '../schemas.ts';

/**
 * One spelling per username: Unicode NFKC (full-width and compatibility forms fold to
 * their plain letters), surrounding white space dropped, lower case. Stored usernames
 * are already in this form (UsernameSchema allows only a-z 0-9 . _ @ -).
 */
export function normaliseUsername(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

export function isValidUsername(name: string): boolean {
  return UsernameSchema.safeParse(name).success;
}

const MAX_ACTOR_LENGTH = 100;

/**
 * A caller-supplied name made safe to store as an audit actor: control and format
 * characters (newlines, escapes, bidi overrides, line separators) written as `\u{…}`
 * so a log line cannot be forged, and the length bounded.
 */
export function auditActorName(raw: string): string {
  const escaped = raw.slice(0, MAX_ACTOR_LENGTH * 2).replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\\]/gu, (ch) => (ch === '\\' ? '\\\\' : `\\u{${ch.codePointAt(0)!.toString(16)}}`));
  return escaped.length > MAX_ACTOR_LENGTH ? `${escaped.slice(0, MAX_ACTOR_LENGTH - 1)}…` : escaped;
}
