import { z } from 'zod';
import { CaseSchema } from '../engine/index.ts';
import { AUDIT_OUTCOMES, CASE_STATUSES, ROLES, VERSION_ACTIONS } from '../store/types.ts';
import { decodeCursor } from '../store/worklist.ts';
import { REFERRAL_STATUSES } from '../store/referrals.ts';
import { BoardDecisionFields, BoardDecisionRecordFields } from './board-schemas.ts';

/**
 * The HTTP API's request and response shapes. The case itself is the engine's
 * CaseSchema; the evaluation is the engine's output, passed through as an
 * open JSON object because the engine adds sections to it over time.
 */

export const ErrorsSchema = z
  .object({ errors: z.array(z.object({ path: z.string(), message: z.string() })) })
  .describe('Every problem with the request, each located by its field path ("" for the request as a whole)');

export const EvaluationSchema = z
  .record(z.string(), z.unknown())
  .describe("The engine's evaluation: grade, stage, margin, … each with reasons[] and sources[]");

const text = (what: string, max: number) =>
  z
    .string({ error: `${what} must be a string` })
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(max, { error: `${what} must be at most ${max} characters` });

export const CaseStatusSchema = z.enum(CASE_STATUSES, {
  error: `must be one of ${CASE_STATUSES.map((s) => JSON.stringify(s)).join(', ')}`,
});
export const RoleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.map((s) => JSON.stringify(s)).join(', ')}` });

export const CaseCreateBody = z.strictObject({
  title: text('title', 200).describe('How the team refers to the case (may identify the patient: treated as patient data)'),
  status: CaseStatusSchema.default('workup'),
  case: CaseSchema,
  organisationId: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(100, { error: 'must be at most 100 characters' })
    .optional()
    .describe("The organisation the case belongs to; may be left out when you can write cases in one organisation only"),
});

export const CaseReplaceBody = z.strictObject({
  title: text('title', 200),
  status: CaseStatusSchema.optional().describe('Unchanged when left out'),
  case: CaseSchema,
});

const caseMeta = {
  id: z.string(),
  version: z.number().int(),
  title: z.string(),
  status: CaseStatusSchema,
  archived: z.boolean(),
  organisationId: z.string().describe('The organisation the case belongs to (never changes)'),
  stageGroup: z.string().nullable().describe("AJCC 8 stage group, as the engine computed it at the last write"),
  histology: z.string().nullable().describe('ICD-O-3 morphology code of the current version'),
  nextStep: z
    .string()
    .nullable()
    .describe("The first priority of the engine's strategy for the current version (the worklist's next step); null when the stored case no longer validates"),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
};

export const CaseSummarySchema = z.object(caseMeta);

/** A worklist row (issue 13 item 6): the summary and where the case stands in the caller's part of the network. */
export const WorklistItemSchema = CaseSummarySchema.extend({
  referralStatus: z
    .enum(REFERRAL_STATUSES)
    .nullable()
    .describe('Status of the newest open referral (sent, info_requested, accepted, scheduled) that one of your organisations sent or received; null when none'),
  nextMeeting: z
    .object({ id: z.string(), date: z.string().describe('YYYY-MM-DD') })
    .nullable()
    .describe("The soonest meeting from today (UTC) on, of one of your organisations, whose agenda holds the case; null when none"),
  openNavigation: z
    .number()
    .int()
    .describe('Navigation checklist items still open or in progress on those referrals (redirected and declined ones left out)'),
});
export const CaseRecordSchema = z.object({ ...caseMeta, case: z.unknown().describe('The case model (see `retroplan schema case`)') });

export const CaseListQuery = z.object({
  status: CaseStatusSchema.optional(),
  stageGroup: z.string().max(10).optional(),
  histology: z.string().max(20).optional(),
  q: z.string().max(200).optional().describe('Text contained in the title or the next step (case-insensitive)'),
  archived: z.enum(['true', 'false'], { error: 'must be true or false' }).optional().describe('true lists archived cases instead'),
  limit: z.coerce.number({ error: 'must be a number' }).int().min(1).max(100).default(20),
  offset: z.coerce.number({ error: 'must be a number' }).int().min(0).max(1_000_000).default(0),
  cursor: z
    .string()
    .max(800)
    .refine((c) => decodeCursor(c) !== undefined, { error: 'must be the nextCursor of a previous page' })
    .optional()
    .describe('nextCursor of the previous page: continues after its last case (keyset paging, any depth)'),
});

export const CaseListSchema = z.object({
  items: z.array(WorklistItemSchema),
  total: z.number().int().describe('Matching cases, counted up to 1,000'),
  totalCapped: z.boolean().describe('true when more than `total` cases match'),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const IdParams = z.object({ id: z.string().min(1).max(100) });
export const VersionParams = z.object({
  id: z.string().min(1).max(100),
  n: z.coerce.number({ error: 'must be a version number' }).int({ error: 'must be a version number' }).min(1).max(2_000_000_000),
});

export const IfMatchHeaders = z.object({
  'if-match': z.string().max(100).optional().describe('The version being replaced, as returned in ETag ("3")'),
});

export const VersionSummarySchema = z.object({
  version: z.number().int(),
  action: z.enum(VERSION_ACTIONS),
  author: z.string(),
  createdAt: z.string(),
  changedFields: z.array(z.string()).describe('Top-level fields changed against the previous version: title, status, archived, case.<field>'),
});
export const VersionListSchema = z.object({ items: z.array(VersionSummarySchema) });
export const VersionSchema = VersionSummarySchema.extend({
  caseId: z.string(),
  title: z.string(),
  status: CaseStatusSchema,
  archived: z.boolean(),
  case: z.unknown(),
});

export const CaseEvaluationSchema = z.object({ id: z.string(), version: z.number().int(), evaluation: EvaluationSchema });

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const IsoDate = z
  .string({ error: 'must be a date YYYY-MM-DD' })
  .regex(ISO_DATE, { error: 'must be a date YYYY-MM-DD' })
  .refine((d) => !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().startsWith(d), { error: 'is not a real calendar date' });
export const DecisionBody = z.strictObject({
  date: IsoDate.optional().describe("Required outside a meeting; in a meeting, defaults to the meeting's date"),
  attendees: z
    .array(text('attendee', 200), { error: 'must be a list of names' })
    .min(1, { error: 'must name at least one attendee' })
    .max(50)
    .optional()
    .describe("Required outside a meeting; in a meeting, defaults to those recorded present"),
  decision: text('decision', 20_000).describe("The board's recommendation in its own words"),
  strategyIds: z
    .array(text('strategy id', 100), { error: 'must be a list of strategy ids (strings)' })
    .max(50, { error: 'must list at most 50 strategies' })
    .describe("Structured recommendation(s): ids of the engine's strategy vocabulary"),
  ...BoardDecisionFields,
});
export const DecisionSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  caseVersion: z.number().int().describe('The case version the board saw'),
  date: z.string(),
  attendees: z.array(z.string()),
  decision: z.string(),
  strategyIds: z.array(z.string()),
  author: z.string(),
  createdAt: z.string(),
  ...BoardDecisionRecordFields,
});
export const DecisionListSchema = z.object({ items: z.array(DecisionSchema) });

export const UsernameSchema = z
  .string({ error: 'must be a string' })
  .regex(/^[a-z0-9][a-z0-9._@-]{0,63}$/, { error: 'must be 1–64 lower-case letters, digits or . _ @ - (starting with a letter or digit)' });

export const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: RoleSchema,
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const UserListSchema = z.object({ items: z.array(UserSchema) });

export const LoginBody = z.strictObject({
  username: z.string({ error: 'must be a string' }).min(1, { error: 'is required' }).max(256),
  password: z.string({ error: 'must be a string' }).min(1, { error: 'is required' }).max(1024),
});
export const WhoAmISchema = z.object({
  user: z.object({ id: z.string(), username: z.string(), role: RoleSchema }),
  via: z.enum(['session', 'token']),
  expiresAt: z.string().optional(),
});

export const TokenSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  revokedAt: z.string().nullable(),
});
export const TokenListSchema = z.object({ items: z.array(TokenSchema) });
export const NewTokenSchema = TokenSchema.extend({ token: z.string().describe('Shown once; only its hash is stored') });

export const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  outcome: z.enum(AUDIT_OUTCOMES),
  statusCode: z.number().int().nullable(),
  clientAddress: z.string().nullable(),
  detail: z.string().nullable(),
});
const isoTime = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), { error: 'must be an ISO 8601 time' });
export const AuditQuery = z.object({
  actor: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  objectId: z.string().max(100).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  from: isoTime.optional().describe('Entries at or after this time'),
  to: isoTime.optional().describe('Entries before this time'),
  before: z.coerce.number().int().min(1).optional().describe('The id of the last entry of the previous page: the entries after it, newest first (next page)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const AuditListSchema = z.object({ items: z.array(AuditEntrySchema), nextBefore: z.number().int().nullable() });

export const HealthSchema = z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']), engineVersion: z.string() });
