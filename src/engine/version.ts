/** Version of the clinical rules; stored with every evaluation so a result can be traced to its rules. */
export const ENGINE_VERSION = '0.1.0';

/**
 * Version of the clinical content: the rule tables and the reference texts they encode.
 * Change it with any rule or table change that can alter an answer, so an output can be
 * traced to the release whose safety case (safety/hazards.yaml) covers it.
 */
export const RULES_VERSION = '2026.12-1';

/** The reference texts this rules version encodes (ids, as named in the safety case). */
export const REFERENCE_SET = ['retroplan-reference-part-1', 'retroplan-reference-part-2', 'retroplan-seed-chapter'] as const;
