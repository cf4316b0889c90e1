import { z } from 'zod';
import { CONCORDANCE, DEVIATION_REASONS, INTENTS } from '../boards/concordance.ts';

/** Request and response shapes of the tumour-board routes (routes/meetings.ts, routes/decisions.ts). */

const text = (what: string, max: number) =>
  z
    .string({ error: `${what} must be a string` })
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(max, { error: `${what} must be at most ${max} characters` });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}` });

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const Date_ = z
  .string({ error: 'must be a date YYYY-MM-DD' })
  .regex(ISO_DATE, { error: 'must be a date YYYY-MM-DD' })
  .refine((d) => !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().startsWith(d), { error: 'is not a real calendar date' });

export const Deviation = z
  .strictObject({
    reason: oneOf(DEVIATION_REASONS).describe('Why the board departs from the engine (REFERENCE-2 §9.2)'),
    text: text('text', 2000).optional(),
  })
  .refine((d) => d.reason !== 'other' || d.text !== undefined, { error: 'say what the other reason is', path: ['text'] });

/** Fields a decision taken in a meeting adds to the case decision body. */
export const BoardDecisionFields = {
  agendaItemId: text('agenda item id', 100).optional().describe('The agenda item the decision was taken on (a decision in a meeting; only its chair signs it)'),
  intent: oneOf(INTENTS).optional().describe('Intent of the recommended treatment'),
  nextSteps: text('next steps', 4000).optional().describe('Who acts next and the follow-up plan (for the letter to the referrer)'),
  deviation: Deviation.optional().describe("Required in a meeting when the board's recommendation differs from the engine's"),
};

export const BoardDecisionRecordFields = {
  meetingId: z.string().nullable(),
  agendaItemId: z.string().nullable(),
  intent: z.enum(INTENTS).nullable(),
  nextSteps: z.string().nullable(),
  concordance: z.enum(CONCORDANCE).nullable().describe("Agreement with the engine's recommendation for the decided case version; null for decisions recorded before it was measured"),
  deviationReason: z.enum(DEVIATION_REASONS).nullable(),
  deviationText: z.string().nullable(),
  engine: z
    .object({ engineVersion: z.string(), rulesVersion: z.string(), priorityIds: z.array(z.string()).readonly(), evaluated: z.boolean() })
    .nullable()
    .describe("The engine's recommendation the decision was compared with"),
  signedBy: z.string().nullable(),
  signedAt: z.string().nullable().describe("The chair's sign-off; a signed decision never changes"),
  supersedesId: z.string().nullable().describe('The signed decision this amendment replaces'),
  supersededById: z.string().nullable().describe('The amendment that replaces this decision'),
};

export const DecisionReviseBody = z.strictObject({
  attendees: z.array(text('attendee', 200), { error: 'must be a list of names' }).min(1, { error: 'must name at least one attendee' }).max(50).optional(),
  decision: text('decision', 20_000),
  strategyIds: z.array(text('strategy id', 100), { error: 'must be a list of strategy ids (strings)' }).max(50),
  intent: BoardDecisionFields.intent,
  nextSteps: BoardDecisionFields.nextSteps,
  deviation: BoardDecisionFields.deviation,
});

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const Attendee = z.strictObject({
  name: text('name', 200),
  role: text('role', 100).optional().describe('Specialty or role at the board'),
  email: z.email({ error: 'must be an e-mail address' }).max(254).optional().describe('Where the iCalendar invitation goes'),
});

export const MeetingCreateBody = z
  .strictObject({
    title: text('title', 200),
    date: Date_,
    startTime: z.string({ error: 'must be a time HH:MM' }).regex(HHMM, { error: 'must be a time HH:MM (24 h)' }),
    durationMinutes: z.number({ error: 'must be a number of minutes' }).int({ error: 'must be whole minutes' }).min(15).max(720).default(120),
    minutesPerItem: z.number({ error: 'must be a number of minutes' }).int({ error: 'must be whole minutes' }).min(1).max(120).default(10),
    place: text('place', 200).optional(),
    videoLink: z.url({ protocol: /^https$/, error: 'must be an https link' }).max(500).optional(),
    chair: text('chair', 64).describe('Username of the chair (the only one who signs the decisions)'),
    expectedAttendees: z.array(Attendee).max(60).default([]),
    organisationId: text('organisationId', 64).optional().describe("The board's organisation; needed only when the caller plans for several"),
  })
  .refine((m) => m.place !== undefined || m.videoLink !== undefined, { error: 'give a place or a video link', path: ['place'] });

export const AttendanceBody = z.strictObject({
  attendees: z
    .array(z.strictObject({ name: text('name', 200), role: text('role', 100).optional(), present: z.boolean({ error: 'must be true or false' }) }))
    .max(100),
});

export const AgendaItemBody = z.strictObject({
  caseId: text('case id', 100),
  presenter: text('presenter', 200).optional(),
  referralId: text('referral id', 100).optional().describe('The referral this item answers, when it came through one'),
});

export const ReorderBody = z.strictObject({ itemIds: z.array(text('item id', 100)).max(200) });

export const MeetingListQuery = z.object({ when: z.enum(['upcoming', 'past'], { error: 'must be upcoming or past' }).default('upcoming') });
export const MeetingParams = z.object({ id: z.string().max(100) });
export const ItemParams = z.object({ id: z.string().max(100), itemId: z.string().max(100) });

const MeetingFields = {
  id: z.string(),
  organisationId: z.string().describe("The board's organisation (where referrals to it are placed on its agenda)"),
  title: z.string(),
  date: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  durationMinutes: z.number().int(),
  minutesPerItem: z.number().int(),
  place: z.string().nullable(),
  videoLink: z.string().nullable(),
  chair: z.object({ userId: z.string(), username: z.string() }),
  expectedAttendees: z.array(z.object({ name: z.string(), role: z.string().optional(), email: z.string().optional() })),
  attendance: z.array(z.object({ name: z.string(), role: z.string().optional(), present: z.boolean() })).nullable(),
  itemCount: z.number().int(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
};
export const MeetingSchema = z.object(MeetingFields);
export const MeetingListSchema = z.object({ items: z.array(MeetingSchema) });
export const AgendaItemSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  caseTitle: z.string(),
  caseVersion: z.number().int(),
  referralId: z.string().nullable(),
  position: z.number().int(),
  presenter: z.string().nullable(),
  question: z.string().nullable().describe("The case's question to the board"),
  slot: z.object({ start: z.string(), end: z.string(), overrun: z.boolean() }),
  decision: z.object({ id: z.string(), signed: z.boolean() }).nullable(),
});
export const MeetingDetailSchema = z.object({ ...MeetingFields, agenda: z.array(AgendaItemSchema) });
export const AgendaSchema = z.object({ items: z.array(AgendaItemSchema) });

export const QualitySchema = z.object({
  decisions: z.number().int().describe('Signed, current decisions'),
  applicable: z.number().int().describe('Of which a recommendation of the engine applied'),
  concordant: z.number().int(),
  rate: z.number().nullable().describe('concordant ÷ applicable (REFERENCE-2 §9.2); null without an applicable decision'),
  justified: z.number().int(),
  unjustified: z.number().int(),
  notApplicable: z.number().int(),
  notAssessed: z.number().int(),
  reasons: z.record(z.string(), z.number().int()).describe('Justified deviations by coded reason'),
});
