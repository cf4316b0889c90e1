import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditOutcome } from '../store/index.ts';

export function outcomeOf(statusCode: number): AuditOutcome {
  if (statusCode < 400) return 'success';
  if (statusCode === 401 || statusCode === 403) return 'denied';
  if (statusCode < 500) return 'failure';
  return 'error';
}

export interface AuditRecord {
  readonly action: string;
  readonly outcome: AuditOutcome;
  readonly objectType?: string | null;
  readonly objectId?: string | null;
  /** Defaults to the authenticated user's name, or `anonymous`. */
  readonly actor?: string;
  readonly statusCode?: number | null;
  readonly detail?: string | null;
}

/** Appends one entry to the audit log for this request (actor, time, client address added here). */
export async function recordAudit(request: FastifyRequest, record: AuditRecord): Promise<void> {
  await request.server.repo.appendAudit({
    at: new Date().toISOString(),
    actor: record.actor ?? request.user?.username ?? 'anonymous',
    action: record.action,
    objectType: record.objectType ?? null,
    objectId: record.objectId ?? null,
    outcome: record.outcome,
    statusCode: record.statusCode ?? null,
    clientAddress: request.ip,
    detail: record.detail ?? null,
  });
}

/**
 * onSend hook: routes that declare `config.audit` get an entry for every
 * response — before the response leaves, so nothing is served unrecorded.
 */
export async function auditResponse(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  const audit = request.routeOptions.config?.audit;
  if (!audit) return payload;
  const params = request.params as Record<string, unknown> | undefined;
  const paramId = typeof params?.id === 'string' && params.id.length <= 100 ? params.id : undefined;
  await recordAudit(request, {
    action: audit.action,
    objectType: audit.objectType ?? null,
    objectId: request.auditObjectId ?? paramId ?? null,
    outcome: outcomeOf(reply.statusCode),
    statusCode: reply.statusCode,
    detail: request.auditDetail ?? null,
  });
  return payload;
}
