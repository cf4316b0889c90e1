/**
 * The organisation roles and what each may do, as data (docs/architecture.md, "Organisations").
 * No database code here: the web app reads the same table to decide which controls to show (the
 * server still checks every call, store/organisations.ts and store/referrals.ts).
 */

export const ORGANISATION_KINDS = ['hub', 'spoke'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_ROLES = ['viewer', 'clinician', 'coordinator', 'chair', 'admin'] as const;
export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];

/** Organisation ids appear in URLs, FHIR identifiers and logs: short, lower-case, no spaces. */
export const ORGANISATION_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
export const ORGANISATION_ID_RULE = 'must be 1–63 characters: lower-case letters, digits, . _ - (starting with a letter or digit)';

/** The organisation every install had before organisations existed (migration 0013). */
export const DEFAULT_ORGANISATION_ID = 'default';

/**
 * What each organisation role may do, as data (one row per capability):
 * - `case.write`: create, change, archive a case of the organisation, its decisions and intra-operative events;
 * - `referral.send`: refer one of the organisation's cases to a hub, answer a request for information;
 * - `referral.triage`: at the receiving hub — accept, request information, decline, redirect, schedule;
 * - `referral.decide`: at the receiving hub — return the board's decision;
 * - `navigation.write`: change the navigation checklist of a referral the organisation sends or receives.
 * Reading is every member's: any role reads the organisation's cases and the cases referred to it.
 */
export const CAPABILITIES = {
  'case.write': ['clinician', 'chair', 'admin'],
  'referral.send': ['clinician', 'coordinator', 'chair', 'admin'],
  'referral.triage': ['coordinator', 'chair', 'admin'],
  'referral.decide': ['coordinator', 'chair', 'admin'],
  'navigation.write': ['clinician', 'coordinator', 'chair', 'admin'],
} as const satisfies Record<string, readonly OrganisationRole[]>;
export type Capability = keyof typeof CAPABILITIES;

export function roleAllows(role: string | undefined, capability: Capability): boolean {
  return role !== undefined && (CAPABILITIES[capability] as readonly string[]).includes(role);
}
