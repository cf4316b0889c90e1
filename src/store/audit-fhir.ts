import type { AuditEvent } from '@medplum/fhirtypes';
import type { AuditEntry, AuditOutcome } from './types.ts';

/**
 * Audit entries as FHIR R4 AuditEvent resources. Event types are DICOM (DCM)
 * audit codes, as the FHIR AuditEvent type value set prescribes
 * (http://hl7.org/fhir/R4/valueset-audit-event-type.html).
 */
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';

interface EventKind {
  readonly type: { readonly code: string; readonly display: string };
  readonly subtype?: { readonly code: string; readonly display: string };
  readonly action: NonNullable<AuditEvent['action']>;
}

const PATIENT_RECORD = { code: '110110', display: 'Patient Record' };
const QUERY = { code: '110112', display: 'Query' };
const AUTHENTICATION = { code: '110114', display: 'User Authentication' };
const SECURITY_ATTRIBUTES = { code: '110137', display: 'User Security Attributes Changed' };
const AUDIT_LOG_USED = { code: '110101', display: 'Audit Log Used' };
const APPLICATION_ACTIVITY = { code: '110100', display: 'Application Activity' };

/** Action name → DCM event type and FHIR CRUDE action. Unlisted actions are application activity. */
const KINDS: Record<string, EventKind> = {
  'case.create': { type: PATIENT_RECORD, action: 'C' },
  'case.read': { type: PATIENT_RECORD, action: 'R' },
  'case.list': { type: QUERY, action: 'E' },
  'case.update': { type: PATIENT_RECORD, action: 'U' },
  'case.archive': { type: PATIENT_RECORD, action: 'D' },
  'case.restore': { type: PATIENT_RECORD, action: 'U' },
  'case.versions.list': { type: PATIENT_RECORD, action: 'R' },
  'case.version.read': { type: PATIENT_RECORD, action: 'R' },
  'case.evaluation.read': { type: PATIENT_RECORD, action: 'R' },
  'case.decision.create': { type: PATIENT_RECORD, action: 'C' },
  'case.decisions.list': { type: PATIENT_RECORD, action: 'R' },
  'session.login': { type: AUTHENTICATION, subtype: { code: '110122', display: 'Login' }, action: 'E' },
  'session.logout': { type: AUTHENTICATION, subtype: { code: '110123', display: 'Logout' }, action: 'E' },
  'user.list': { type: SECURITY_ATTRIBUTES, action: 'R' },
  'user.create': { type: SECURITY_ATTRIBUTES, action: 'C' },
  'user.update': { type: SECURITY_ATTRIBUTES, action: 'U' },
  'token.list': { type: SECURITY_ATTRIBUTES, action: 'R' },
  'token.create': { type: SECURITY_ATTRIBUTES, action: 'C' },
  'token.revoke': { type: SECURITY_ATTRIBUTES, action: 'D' },
  'audit.read': { type: AUDIT_LOG_USED, action: 'R' },
  'audit.export': { type: AUDIT_LOG_USED, action: 'R' },
};

/** FHIR AuditEvent.outcome: 0 success, 4 minor failure (refused or invalid request), 8 serious failure. */
const OUTCOME: Record<AuditOutcome, NonNullable<AuditEvent['outcome']>> = { success: '0', failure: '4', denied: '4', error: '8' };

const IPV4_OR_6 = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:.]+)$/i;

export function toFhirAuditEvent(entry: AuditEntry): AuditEvent {
  const kind = KINDS[entry.action] ?? { type: APPLICATION_ACTIVITY, action: 'E' as const };
  const event: AuditEvent = {
    resourceType: 'AuditEvent',
    id: String(entry.id),
    type: { system: DCM, ...kind.type },
    ...(kind.subtype ? { subtype: [{ system: DCM, ...kind.subtype }] } : {}),
    action: kind.action,
    recorded: entry.at,
    outcome: OUTCOME[entry.outcome],
    outcomeDesc: [entry.action, entry.statusCode !== null ? `HTTP ${entry.statusCode}` : null, entry.detail].filter(Boolean).join(' — '),
    agent: [
      {
        who: { display: entry.actor, identifier: { system: 'urn:retroplan:user', value: entry.actor } },
        requestor: true,
        ...(entry.clientAddress
          ? { network: { address: entry.clientAddress, type: IPV4_OR_6.test(entry.clientAddress) ? ('2' as const) : ('1' as const) } }
          : {}),
      },
    ],
    source: {
      observer: { display: 'Retroplan' },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
    },
  };
  if (entry.objectId) {
    event.entity = [
      {
        what: { identifier: { system: `urn:retroplan:${entry.objectType ?? 'object'}`, value: entry.objectId } },
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
        ...(entry.objectType ? { description: entry.objectType } : {}),
      },
    ];
  }
  return event;
}
