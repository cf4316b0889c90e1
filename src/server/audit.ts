import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditInput, AuditOutcome, Repository } from '../store/index.ts';

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

/** Rows of one group commit at most (SQLite binds 9 values per row; its limit is 32,766). */
const MAX_BATCH = 500;

/**
 * Group commit for audit rows: while one batch is being committed, rows that
 * arrive queue up and go together in the next transaction (the first row of an
 * idle moment is committed at once, in the next turn of the event loop). Each
 * caller's promise settles when its own row is durable, so a response still waits
 * for its row, but 16 concurrent reads cost a few commits (fsyncs) instead of 16.
 * On SQLite the commit runs in a worker thread (store/audit-sink.ts), so the
 * server keeps serving while the disk syncs.
 */
export class AuditWriter {
  private queue: { entry: AuditInput; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private running: Promise<void> | null = null;
  private scheduled = false;

  constructor(private readonly repo: Repository) {}

  append(entry: AuditInput): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.commit().finally(() => {
        this.running = null;
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  private async commit(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    try {
      await this.repo.appendAuditBatch(batch.map((b) => b.entry));
      for (const b of batch) b.resolve();
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }

  /** Waits until every row handed in so far is written (or has failed). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.running || this.scheduled) {
      await (this.running ?? new Promise((resolve) => setImmediate(resolve)));
    }
  }
}

export interface RefusalLimit {
  /** Unauthenticated refusals per client address per minute before further calls get 429. */
  readonly maxPerMinute: number;
}

const MINUTE_MS = 60_000;
/** Distinct (address, minute) counters held before they are written early. */
const MAX_COUNTERS = 10_000;

/**
 * Calls refused for want of credentials (401) are counted per client address
 * and minute, and written as one audit row per address per minute with the
 * count — not one row each (20 s of refused traffic once wrote 32,000 rows).
 * The same counts drive the limit: past `maxPerMinute` an address gets 429.
 */
export class RefusedCalls {
  private counters = new Map<string, { address: string; minute: number; count: number; limited: number; actions: Set<string> }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly repo: Repository,
    private readonly limit: RefusalLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(() => void this.flush(false).catch(() => undefined), 10_000);
    this.timer.unref();
  }

  private minute(): number {
    return Math.floor(this.now() / MINUTE_MS);
  }

  /** True when this address already has `maxPerMinute` refusals in the current minute. */
  isLimited(address: string): boolean {
    const counter = this.counters.get(`${address} ${this.minute()}`);
    return counter !== undefined && counter.count >= this.limit.maxPerMinute;
  }

  record(address: string, action: string, statusCode: number): void {
    const minute = this.minute();
    const key = `${address} ${minute}`;
    let counter = this.counters.get(key);
    if (!counter) {
      if (this.counters.size >= MAX_COUNTERS) void this.flush(true).catch(() => undefined);
      counter = { address, minute, count: 0, limited: 0, actions: new Set() };
      this.counters.set(key, counter);
    }
    counter.count++;
    if (statusCode === 429) counter.limited++;
    if (counter.actions.size < 5) counter.actions.add(action);
  }

  /** Writes the counters of finished minutes (all of them when `all`), in one transaction. */
  async flush(all: boolean): Promise<void> {
    const current = this.minute();
    const done = [...this.counters.entries()].filter(([, c]) => all || c.minute < current);
    if (done.length === 0) return;
    for (const [key] of done) this.counters.delete(key);
    await this.repo.appendAuditBatch(
      done.map(([, c]) => ({
        at: new Date(c.minute * MINUTE_MS).toISOString(),
        actor: 'anonymous',
        action: 'request.unauthenticated',
        outcome: 'denied' as const,
        statusCode: 401,
        clientAddress: c.address,
        detail: `${c.count} call${c.count === 1 ? '' : 's'} refused without credentials in this minute${c.limited ? ` (${c.limited} rate-limited, 429)` : ''}: ${[...c.actions].join(', ')}`,
      })),
    );
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush(true);
  }
}

function isUnauthenticatedRefusal(request: FastifyRequest, record: AuditRecord): boolean {
  // Login outcomes are each audited (they name the account tried); other anonymous refusals are counted.
  return !request.user && (record.statusCode === 401 || record.statusCode === 429) && record.outcome !== 'success' && !record.action.startsWith('session.');
}

/** The audit entry for this request (actor, time and client address added here). */
export function auditInputOf(request: FastifyRequest, record: AuditRecord): AuditInput {
  return {
    at: new Date().toISOString(),
    actor: record.actor ?? request.user?.username ?? 'anonymous',
    action: record.action,
    objectType: record.objectType ?? null,
    objectId: record.objectId ?? null,
    outcome: record.outcome,
    statusCode: record.statusCode ?? null,
    clientAddress: request.ip,
    detail: record.detail ?? null,
  };
}

/**
 * Appends one entry to the audit log for this request; resolves when it is durable.
 * Unauthenticated refusals are counted instead (one row per address per minute).
 */
export async function recordAudit(request: FastifyRequest, record: AuditRecord): Promise<void> {
  if (isUnauthenticatedRefusal(request, record)) {
    request.server.refusedCalls.record(request.ip, record.action, record.statusCode ?? 401);
    return;
  }
  await request.server.auditWriter.append(auditInputOf(request, record));
}

/**
 * The audit entry a route hands to a repository write, to be committed in the
 * write's own transaction (`config.audit` names the action). The onSend hook
 * then writes nothing more for a response with this status; any other status
 * (409, 404, an error) is audited by the hook as usual.
 */
export function auditForWrite(request: FastifyRequest, statusCode: number, extra: { detail?: string; objectId?: string } = {}): AuditInput {
  const audit = request.routeOptions.config?.audit;
  if (!audit) throw new Error(`${request.method} ${request.routeOptions.url} has no config.audit`);
  const params = request.params as Record<string, unknown> | undefined;
  const paramId = typeof params?.id === 'string' && params.id.length <= 100 ? params.id : undefined;
  const entry = auditInputOf(request, {
    action: audit.action,
    objectType: audit.objectType ?? null,
    objectId: extra.objectId ?? paramId ?? null,
    outcome: outcomeOf(statusCode),
    statusCode,
    detail: extra.detail ?? null,
  });
  request.auditInWrite = statusCode;
  return entry;
}

/**
 * onSend hook: routes that declare `config.audit` get an entry for every
 * response — before the response leaves, so nothing is served unrecorded.
 */
export async function auditResponse(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  const audit = request.routeOptions.config?.audit;
  if (!audit) {
    // Routes without their own audit: a refusal for want of credentials still counts.
    if (reply.statusCode === 401 && !request.user && request.url.startsWith('/api/')) {
      request.server.refusedCalls.record(request.ip, `${request.method} ${request.routeOptions.url ?? 'unknown'}`, 401);
    }
    return payload;
  }
  // Committed with the write itself (auditForWrite).
  if (request.auditInWrite === reply.statusCode) return payload;
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
