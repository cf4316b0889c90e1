import type { Bundle, BundleEntry, Patient, Reference, Resource, ServiceRequest, Task } from '@medplum/fhirtypes';
import { z } from 'zod';

/**
 * A referral between two Retroplan installations as FHIR R4 (issue 13): the spoke's case bundle
 * (export.ts, mCODE) plus a ServiceRequest (the request to the hub's sarcoma MDT: question,
 * urgency, referring and receiving organisations, the imaging and pathology report references)
 * and a Task that tracks it (`requested`). The hub answers with the same Task, `completed`, its
 * output naming the decision. Both sides carry the spoke's referral id (REFERRAL_ID_SYSTEM), so
 * the answer finds its referral. Pure: ids and times are parameters.
 */

export const REFERRAL_ID_SYSTEM = 'urn:retroplan:referral';
export const ORGANISATION_SYSTEM = 'urn:retroplan:organisation';
export const DOCUMENT_SYSTEM = 'urn:retroplan:referral-document';

export interface ReferralExchange {
  /** The spoke's referral id: the identifier both installations keep. */
  readonly referralId: string;
  readonly fromName: string;
  readonly toOrganisationId: string;
  readonly toName: string;
  readonly question: string;
  readonly urgency: 'routine' | 'urgent';
  readonly documents: readonly { kind: 'imaging' | 'pathology'; reference: string; date?: string | undefined }[];
  readonly sentAt: string;
  readonly sentBy: string;
}

const identifier = (value: string) => [{ system: REFERRAL_ID_SYSTEM, value }];

/** The case bundle with the referral's ServiceRequest and Task added. */
export function referralBundle(caseBundle: Bundle, referral: ReferralExchange, newId: () => string): Bundle {
  const patient = caseBundle.entry?.find((e) => e.resource?.resourceType === 'Patient');
  const subject: Reference<Patient> = patient?.fullUrl ? { reference: patient.fullUrl } : { display: 'the patient of this bundle' };
  const srId = newId();
  const taskId = newId();
  const performer = { display: referral.toName, identifier: { system: ORGANISATION_SYSTEM, value: referral.toOrganisationId } };
  const serviceRequest: ServiceRequest = {
    resourceType: 'ServiceRequest',
    id: srId,
    identifier: identifier(referral.referralId),
    status: 'active',
    intent: 'order',
    priority: referral.urgency,
    code: { text: 'Referral to the sarcoma multidisciplinary team (REFERENCE-2 §8.3)' },
    subject,
    authoredOn: referral.sentAt,
    requester: { display: referral.fromName },
    performer: [performer],
    reasonCode: [{ text: referral.question }],
    supportingInfo: referral.documents.map((d) => ({
      identifier: { system: `${DOCUMENT_SYSTEM}:${d.kind}`, value: d.reference },
      display: `${d.kind} report ${d.reference}${d.date ? ` (${d.date})` : ''}`,
    })),
    note: [{ text: `sent by ${referral.sentBy}`, authorString: referral.sentBy, time: referral.sentAt }],
  };
  const task: Task = {
    resourceType: 'Task',
    id: taskId,
    identifier: identifier(referral.referralId),
    status: 'requested',
    intent: 'order',
    priority: referral.urgency,
    businessStatus: { text: 'sent' },
    basedOn: [{ reference: `urn:uuid:${srId}` }],
    focus: { reference: `urn:uuid:${srId}` },
    for: subject,
    authoredOn: referral.sentAt,
    requester: { display: referral.fromName },
    owner: performer,
  };
  const entries: BundleEntry[] = [
    ...(caseBundle.entry ?? []),
    { fullUrl: `urn:uuid:${srId}`, resource: serviceRequest },
    { fullUrl: `urn:uuid:${taskId}`, resource: task },
  ];
  return { ...caseBundle, entry: entries };
}

const ReferralSchema = z.looseObject({
  resourceType: z.literal('ServiceRequest'),
  identifier: z.array(z.looseObject({ system: z.string().optional(), value: z.string().optional() })),
  priority: z.enum(['routine', 'urgent'], { error: 'must be routine or urgent' }),
  authoredOn: z.iso.datetime({ offset: true, error: 'must be a FHIR dateTime with a time' }),
  requester: z.looseObject({ display: z.string().min(1).max(200) }),
  reasonCode: z.array(z.looseObject({ text: z.string().min(1).max(4000) })).min(1),
  supportingInfo: z
    .array(z.looseObject({ identifier: z.looseObject({ system: z.string(), value: z.string().min(1).max(200) }), display: z.string().optional() }))
    .max(50)
    .optional(),
  note: z.array(z.looseObject({ authorString: z.string().optional() })).optional(),
});

export interface ReadReferral {
  readonly externalId: string;
  readonly fromName: string;
  readonly question: string;
  readonly urgency: 'routine' | 'urgent';
  readonly documents: { kind: 'imaging' | 'pathology'; reference: string; date?: string }[];
  readonly sentAt: string;
  readonly sentBy: string;
  /** The bundle without the referral's own resources: the case, for the mCODE importer. */
  readonly caseBundle: Bundle;
}

export type ReadResult<T> = { ok: true; value: T } | { ok: false; errors: { path: string; message: string }[] };

const referralIdOf = (ids: readonly { system?: string | undefined; value?: string | undefined }[]) =>
  ids.find((i) => i.system === REFERRAL_ID_SYSTEM && typeof i.value === 'string' && i.value.length > 0 && i.value.length <= 100)?.value;

/** A referral bundle → the referral and the case bundle; errors name the entry and field. */
export function readReferralBundle(input: unknown): ReadResult<ReadReferral> {
  const bundle = input as Bundle | undefined;
  if (!bundle || typeof bundle !== 'object' || bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) {
    return { ok: false, errors: [{ path: 'body', message: 'must be a FHIR Bundle with entries' }] };
  }
  const index = bundle.entry.findIndex((e) => e?.resource?.resourceType === 'ServiceRequest' && referralIdOf((e.resource as ServiceRequest).identifier ?? []));
  if (index < 0) return { ok: false, errors: [{ path: 'body.entry', message: `must hold a ServiceRequest with an identifier of system ${REFERRAL_ID_SYSTEM}` }] };
  const parsed = ReferralSchema.safeParse(bundle.entry[index]!.resource);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ path: ['body', 'entry', String(index), 'resource', ...i.path.map(String)].join('.'), message: i.message })) };
  }
  const sr = parsed.data;
  const documents = (sr.supportingInfo ?? []).flatMap((s) => {
    const kind = s.identifier.system === `${DOCUMENT_SYSTEM}:imaging` ? 'imaging' : s.identifier.system === `${DOCUMENT_SYSTEM}:pathology` ? 'pathology' : undefined;
    const date = /\((\d{4}-\d{2}-\d{2})\)$/.exec(s.display ?? '')?.[1];
    return kind ? [{ kind, reference: s.identifier.value, ...(date ? { date } : {}) } as const] : [];
  });
  const isReferralResource = (r: Resource | undefined) => r?.resourceType === 'ServiceRequest' || r?.resourceType === 'Task';
  return {
    ok: true,
    value: {
      externalId: referralIdOf(sr.identifier)!,
      fromName: sr.requester.display,
      question: sr.reasonCode.map((r) => r.text).join('\n'),
      urgency: sr.priority,
      documents,
      sentAt: sr.authoredOn,
      sentBy: sr.note?.find((n) => n.authorString)?.authorString ?? sr.requester.display,
      caseBundle: { ...bundle, entry: bundle.entry.filter((e) => !isReferralResource(e.resource)) },
    },
  };
}

export interface DecisionExchange {
  /** The spoke's referral id. */
  readonly referralId: string;
  readonly hubName: string;
  readonly decisionRef: string;
  readonly summary: string | null;
  readonly decidedAt: string;
}

/** The hub's answer: the referral's Task, completed, its output the decision. */
export function decisionTask(decision: DecisionExchange, id: string): Task {
  return {
    resourceType: 'Task',
    id,
    identifier: identifier(decision.referralId),
    status: 'completed',
    intent: 'order',
    businessStatus: { text: 'decided' },
    lastModified: decision.decidedAt,
    owner: { display: decision.hubName },
    output: [
      { type: { text: 'decision-reference' }, valueString: decision.decisionRef },
      ...(decision.summary ? [{ type: { text: 'decision-summary' }, valueString: decision.summary }] : []),
    ],
  };
}

const DecisionTaskSchema = z.looseObject({
  resourceType: z.literal('Task', { error: 'must be a Task' }),
  identifier: z.array(z.looseObject({ system: z.string().optional(), value: z.string().optional() })),
  status: z.literal('completed', { error: 'must be completed (the decision is made)' }),
  lastModified: z.iso.datetime({ offset: true, error: 'must be a FHIR dateTime with a time' }),
  owner: z.looseObject({ display: z.string().max(200) }).optional(),
  output: z.array(z.looseObject({ type: z.looseObject({ text: z.string() }), valueString: z.string().max(4000) })).min(1),
});

export function readDecisionTask(input: unknown): ReadResult<DecisionExchange> {
  const parsed = DecisionTaskSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })) };
  const task = parsed.data;
  const referralId = referralIdOf(task.identifier);
  if (!referralId) return { ok: false, errors: [{ path: 'body.identifier', message: `must hold an identifier of system ${REFERRAL_ID_SYSTEM}` }] };
  const ref = task.output.find((o) => o.type.text === 'decision-reference')?.valueString;
  if (!ref) return { ok: false, errors: [{ path: 'body.output', message: 'must hold a decision-reference output' }] };
  return {
    ok: true,
    value: {
      referralId,
      hubName: task.owner?.display ?? 'the hub',
      decisionRef: ref.slice(0, 200),
      summary: task.output.find((o) => o.type.text === 'decision-summary')?.valueString ?? null,
      decidedAt: task.lastModified,
    },
  };
}
