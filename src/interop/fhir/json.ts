/**
 * Defensive readers for untrusted FHIR JSON: every accessor accepts anything
 * and returns a typed value or undefined, so hostile input cannot make the
 * importer throw. Own properties only (no prototype lookups).
 */

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function field(value: unknown, key: string): unknown {
  const object = asObject(value);
  return object && Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asFiniteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function str(value: unknown, key: string): string | undefined {
  return asString(field(value, key));
}

export interface Coding {
  readonly system?: string;
  readonly code?: string;
  readonly display?: string;
}

/** The codings of a CodeableConcept, keeping only well-typed parts. */
export function codings(concept: unknown): Coding[] {
  return asArray(field(concept, 'coding')).flatMap((c) => {
    if (!asObject(c)) return [];
    const coding: { system?: string; code?: string; display?: string } = {};
    const system = str(c, 'system');
    const code = str(c, 'code');
    const display = str(c, 'display');
    if (system !== undefined) coding.system = system;
    if (code !== undefined) coding.code = code;
    if (display !== undefined) coding.display = display;
    return [coding];
  });
}

export function hasCoding(concept: unknown, system: string, code: string): boolean {
  return codings(concept).some((c) => c.system === system && c.code === code);
}

/** Every human-readable text of a concept: its text and each coding's display. */
export function conceptTexts(concept: unknown): string[] {
  const texts = codings(concept)
    .map((c) => c.display)
    .filter((t): t is string => t !== undefined);
  const text = str(concept, 'text');
  return text !== undefined ? [text, ...texts] : texts;
}

/** A short, safe rendering of untrusted text for a report. */
export function quote(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const cleaned = [...text].map((ch) => (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f ? ' ' : ch)).join('');
  return JSON.stringify(cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned);
}
