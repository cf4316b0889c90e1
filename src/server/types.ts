import type { Repository, Role, StoreScope, User } from '../store/index.ts';
import type { AuditWriter, RefusedCalls } from './audit.ts';
import type { SmartRegistry } from '../interop/smart/clients.ts';
import type { EvaluationRunner } from './evaluation-pool.ts';

/** What a route declares about itself; read by the audit and access hooks. */
export interface RouteAudit {
  /** e.g. `case.read`, `case.update` */
  readonly action: string;
  readonly objectType?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    repo: Repository;
    /** Group commit of audit rows (audit.ts). */
    auditWriter: AuditWriter;
    /** Unauthenticated refusals, counted per address and minute (audit.ts). */
    refusedCalls: RefusedCalls;
    /** The EHRs registered for SMART launch (environment and database), read by the CSP and routes/smart.ts. */
    smart: SmartRegistry;
    /** Where POST /api/evaluate's validation, engine and serialisation run (evaluation-pool.ts). */
    evaluations: EvaluationRunner;
  }
  interface FastifyRequest {
    /** The authenticated user, or null. Set for every request before any route hook runs. */
    user: User | null;
    authVia: 'session' | 'token' | null;
    /** The caller's organisations (access-scope.ts), read with the caller at authentication; null when anonymous. */
    accessScope: StoreScope | null;
    /** Object the audit entry names when it is not `params.id` (e.g. the id of a new case). */
    auditObjectId?: string;
    /** Short, non-clinical context for the audit entry. */
    auditDetail?: string;
    /** The status whose audit entry was committed with the write itself (auditForWrite). */
    auditInWrite?: number;
  }
  interface FastifyContextConfig {
    /** Records an audit entry for every response of this route (success, failure, denial). */
    audit?: RouteAudit;
    /** Reachable without credentials; every other /api route must declare a role. */
    public?: boolean;
    /** The role the route's guard requires (set at start-up from its requireRole hook). */
    requiredRole?: Role;
    /** false: the route reads no patient data, so it gets no access scope (access-scope.ts). */
    accessScope?: false;
  }
}
