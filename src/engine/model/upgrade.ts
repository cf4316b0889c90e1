import { CASE_SCHEMA_VERSION } from './case.ts';

/**
 * Upgrades a stored or submitted case written under an older case model to the
 * current one, so old cases stay valid. Each step is one version forward and
 * only rewrites shape; anything it cannot read is left for validation to report.
 *
 * v1 → v2: v2 only adds optional fields (patient identity and ECOG, board question,
 * imaging date/modality/series, pathology dates, prior procedures, the operation's
 * details and outcome, neoadjuvant/adjuvant therapy, follow-up events),
 * so a v1 case is a v2 case once it says so.
 */
const STEPS: Record<number, (c: Record<string, unknown>) => Record<string, unknown>> = {
  1: (c) => ({ ...c, schemaVersion: 2 }),
};

/** The version a raw case declares: a case without `schemaVersion` is v1. */
export function declaredVersion(input: Record<string, unknown>): unknown {
  return input.schemaVersion ?? 1;
}

export function upgradeCase(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  let c = input as Record<string, unknown>;
  let version = declaredVersion(c);
  while (typeof version === 'number' && version < CASE_SCHEMA_VERSION && STEPS[version]) {
    c = STEPS[version]!(c);
    version = declaredVersion(c);
  }
  return c;
}
