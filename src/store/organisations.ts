import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from './schema.ts';
import type { AuditInput } from './types.ts';
import type { OrganisationKind, OrganisationRole } from './capabilities.ts';

/**
 * Organisations of a hub-and-spoke network (REFERENCE-2 §8.1–8.2: a hub is a sarcoma centre
 * hosting the sarcoma MDT, a spoke a referring hospital), their members and what each
 * organisation role may do to that organisation's cases (docs/architecture.md, "Organisations").
 */

export { CAPABILITIES, DEFAULT_ORGANISATION_ID, ORGANISATION_ID_PATTERN, ORGANISATION_ID_RULE, ORGANISATION_KINDS, ORGANISATION_ROLES, roleAllows } from './capabilities.ts';
export type { Capability, OrganisationKind, OrganisationRole } from './capabilities.ts';

/** Whose data a store call may touch: the caller's organisations, or everything for a network administrator. */
export interface StoreScope {
  readonly userId: string;
  readonly organisationIds: readonly string[];
  /** A network administrator reads every organisation's cases (writing still needs a membership role). */
  readonly network: boolean;
}

export interface Organisation {
  readonly id: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  readonly createdAt: string;
}

export interface Membership {
  readonly userId: string;
  readonly username: string;
  readonly organisationId: string;
  readonly role: OrganisationRole;
  readonly createdAt: string;
}

/** Referral statuses that still give the receiving organisation sight of the case (a redirected one moved on). */
export const SIGHTED_REFERRAL_STATUSES = ['sent', 'info_requested', 'accepted', 'declined', 'scheduled', 'decided'] as const;

/**
 * SQL condition: the case with this id column is visible in `scope` — it belongs to one of the
 * scope's organisations, or has a referral to one of them that was not redirected elsewhere.
 */
export function caseVisible(scope: StoreScope, caseIdColumn: string, organisationColumn: string): Expression<SqlBool> {
  if (scope.network) return sql<SqlBool>`1 = 1`;
  if (scope.organisationIds.length === 0) return sql<SqlBool>`1 = 0`;
  const orgs = sql.join(scope.organisationIds.map((id) => sql`${id}`));
  const statuses = sql.join(SIGHTED_REFERRAL_STATUSES.map((s) => sql`${s}`));
  const referred = sql<SqlBool>`${sql.ref(caseIdColumn)} in (select case_id from referrals where to_organisation_id in (${orgs}) and status in (${statuses}))`;
  // Every table this is applied to carries the case's organisation (the search copies since migration 0025).
  return sql<SqlBool>`(${sql.ref(organisationColumn)} in (${orgs}) or ${referred})`;
}

export interface OrganisationStore {
  listOrganisations(): Promise<Organisation[]>;
  getOrganisation(id: string): Promise<Organisation | undefined>;
  createOrganisation(input: { id: string; name: string; kind: OrganisationKind }, now: string, audit?: AuditInput): Promise<Organisation>;
  /** Every membership of a user (their organisation roles). */
  membershipsOf(userId: string): Promise<Membership[]>;
  membersOf(organisationId: string): Promise<Membership[]>;
  /** Adds a membership or changes its role. */
  setMembership(userId: string, organisationId: string, role: OrganisationRole, now: string, audit?: AuditInput): Promise<void>;
  /** false when there was no such membership. */
  removeMembership(userId: string, organisationId: string, audit?: AuditInput): Promise<boolean>;
  /** The user's role in the organisation, if a member. */
  roleIn(userId: string, organisationId: string): Promise<OrganisationRole | undefined>;
  setNetworkAdmin(userId: string, networkAdmin: boolean, audit?: AuditInput): Promise<boolean>;
  isNetworkAdmin(userId: string): Promise<boolean>;
  /** The scope a user's calls run in (their memberships and network flag). */
  scopeOf(userId: string): Promise<StoreScope>;
}

type AuditInsert = (db: Kysely<Database>, entries: readonly AuditInput[]) => Promise<void>;

const toOrganisation = (row: { id: string; name: string; kind: string; created_at: string }): Organisation => ({
  id: row.id,
  name: row.name,
  kind: row.kind as OrganisationKind,
  createdAt: row.created_at,
});

export function createOrganisationStore(db: Kysely<Database>, insertAudit: AuditInsert): OrganisationStore {
  const memberships = (where: { userId?: string; organisationId?: string }) => {
    let query = db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['memberships.user_id', 'users.username', 'memberships.organisation_id', 'memberships.role', 'memberships.created_at']);
    if (where.userId) query = query.where('memberships.user_id', '=', where.userId);
    if (where.organisationId) query = query.where('memberships.organisation_id', '=', where.organisationId);
    return query
      .orderBy('memberships.organisation_id')
      .orderBy('users.username')
      .execute()
      .then((rows) =>
        rows.map((r) => ({ userId: r.user_id, username: r.username, organisationId: r.organisation_id, role: r.role as OrganisationRole, createdAt: r.created_at })),
      );
  };
  const store: OrganisationStore = {
    async listOrganisations() {
      return (await db.selectFrom('organisations').selectAll().orderBy('id').execute()).map(toOrganisation);
    },
    async getOrganisation(id) {
      const row = await db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toOrganisation(row);
    },
    async createOrganisation(input, now, audit) {
      const row = { id: input.id, name: input.name, kind: input.kind, created_at: now };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('organisations').values(row).execute();
        if (audit) await insertAudit(trx, [{ ...audit, objectId: audit.objectId ?? row.id }]);
      });
      return toOrganisation(row);
    },
    membershipsOf: (userId) => memberships({ userId }),
    membersOf: (organisationId) => memberships({ organisationId }),
    async setMembership(userId, organisationId, role, now, audit) {
      await db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('memberships').select('role').where('user_id', '=', userId).where('organisation_id', '=', organisationId).executeTakeFirst();
        if (existing) await trx.updateTable('memberships').set({ role }).where('user_id', '=', userId).where('organisation_id', '=', organisationId).execute();
        else await trx.insertInto('memberships').values({ user_id: userId, organisation_id: organisationId, role, created_at: now }).execute();
        if (audit) await insertAudit(trx, [audit]);
      });
    },
    async removeMembership(userId, organisationId, audit) {
      return db.transaction().execute(async (trx) => {
        const result = await trx.deleteFrom('memberships').where('user_id', '=', userId).where('organisation_id', '=', organisationId).executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) return false;
        if (audit) await insertAudit(trx, [audit]);
        return true;
      });
    },
    async roleIn(userId, organisationId) {
      const row = await db.selectFrom('memberships').select('role').where('user_id', '=', userId).where('organisation_id', '=', organisationId).executeTakeFirst();
      return row?.role as OrganisationRole | undefined;
    },
    async setNetworkAdmin(userId, networkAdmin, audit) {
      return db.transaction().execute(async (trx) => {
        const result = await trx.updateTable('users').set({ network_admin: networkAdmin ? 1 : 0 }).where('id', '=', userId).executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return false;
        if (audit) await insertAudit(trx, [audit]);
        return true;
      });
    },
    async isNetworkAdmin(userId) {
      const row = await db.selectFrom('users').select('network_admin').where('id', '=', userId).executeTakeFirst();
      return Number(row?.network_admin ?? 0) === 1;
    },
    async scopeOf(userId) {
      // The user's flag and memberships in one statement (authentication reads the same with the
      // caller: repository.ts Principal; this serves callers found some other way).
      const rows = await db
        .selectFrom('users')
        .leftJoin('memberships', 'memberships.user_id', 'users.id')
        .select(['users.network_admin', 'memberships.organisation_id'])
        .where('users.id', '=', userId)
        .execute();
      return {
        userId,
        // Sorted here, not by the database's collation, so both readers give the same order.
        organisationIds: rows.flatMap((r) => (r.organisation_id === null ? [] : [r.organisation_id])).sort(),
        network: Number(rows[0]?.network_admin ?? 0) === 1,
      };
    },
  };
  return store;
}
