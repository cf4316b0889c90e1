import { validateCase, type Case } from '../../engine/index.ts';

/**
 * A re-import of the same patient into the case it already has: what the EHR
 * says now replaces what it said before, field by field; what only Retroplan
 * knows (organ involvement drawn by the surgeon, the board question…) is kept.
 * Identifiers are united. The changed field paths are listed for the version history.
 */
export interface Merged {
  readonly case: Case;
  readonly changes: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>, path: string, changes: string[]): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const where = path ? `${path}.${key}` : key;
    const current = target[key];
    if (isObject(value) && isObject(current)) {
      mergeInto(current, value, where, changes);
    } else if (JSON.stringify(current) !== JSON.stringify(value)) {
      target[key] = structuredClone(value);
      changes.push(where);
    }
  }
}

export function mergeImported(existing: Case, imported: Case): Merged | undefined {
  const result = structuredClone(existing) as Record<string, unknown>;
  const incoming = structuredClone(imported) as Record<string, unknown> & { patient?: { identifiers?: unknown[] } };
  const changes: string[] = [];
  // Identifiers: the union (a hospital number known before is not forgotten).
  const before = (existing.patient.identifiers ?? []) as { kind: string; system?: string; value: string }[];
  const added = ((imported.patient.identifiers ?? []) as typeof before).filter((i) => !before.some((b) => b.kind === i.kind && (b.system ?? '') === (i.system ?? '') && b.value === i.value));
  if (incoming.patient) delete incoming.patient.identifiers;
  delete incoming.schemaVersion;
  delete incoming.id;
  // The default presentation ('primary') is not a finding: it does not overwrite a recorded recurrence.
  if (imported.presentation === 'primary') delete incoming.presentation;
  keepEventDetails(existing, incoming);
  mergeInto(result, incoming, '', changes);
  if (added.length > 0) {
    (result.patient as Record<string, unknown>).identifiers = [...before, ...added].slice(0, 20);
    changes.push('patient.identifiers');
  }
  const valid = validateCase(result);
  return valid.ok ? { case: valid.value, changes } : undefined;
}

/**
 * Follow-up events come as one list and replace the stored list, but an EHR that sends a death or a
 * recurrence again without the detail Retroplan recorded for it (the cause of death, the site) is not
 * saying the detail is wrong: the same event (type and date) keeps it.
 */
function keepEventDetails(existing: Case, incoming: Record<string, unknown>): void {
  const events = (incoming.followUp as { events?: Record<string, unknown>[] } | undefined)?.events;
  for (const event of events ?? []) {
    const before = (existing.followUp?.events ?? []).find((e) => e.type === event.type && e.date === event.date) as Record<string, unknown> | undefined;
    if (!before) continue;
    for (const key of ['cause', 'site']) if (event[key] === undefined && before[key] !== undefined) event[key] = before[key];
  }
}
