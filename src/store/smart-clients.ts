import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { AuditInput } from './types.ts';

/**
 * The EHRs registered for SMART launch by an administrator (migration 0011_smart_clients):
 * one row per FHIR base URL. Public data only (client id, scopes, origins): a public client
 * with PKCE has no secret, and no EHR token is ever stored here or anywhere on the server.
 */
export interface SmartClientsTable {
  iss: string;
  name: string;
  client_id: string;
  scopes: string;
  connect_origins: string;
  updated_at: string;
  updated_by: string;
}

export interface StoredSmartClient {
  readonly iss: string;
  readonly name: string;
  readonly clientId: string;
  readonly scopes: string;
  readonly connectOrigins: string[];
}

export interface SmartClientStore {
  listSmartClients(): Promise<StoredSmartClient[]>;
  /** Replaces the whole list and writes its audit row in the same transaction. */
  replaceSmartClients(clients: readonly StoredSmartClient[], author: string, now: string, audit: AuditInput): Promise<void>;
}

type InsertAudit = (db: Transaction<Database>, entries: readonly AuditInput[]) => Promise<void>;

export function createSmartClientStore(base: Kysely<Database>, insertAudit: InsertAudit): SmartClientStore {
  const db = base as unknown as Kysely<{ smart_clients: SmartClientsTable }>;
  return {
    async listSmartClients() {
      const rows = await db.selectFrom('smart_clients').selectAll().orderBy('iss').execute();
      return rows.map((r) => ({ iss: r.iss, name: r.name, clientId: r.client_id, scopes: r.scopes, connectOrigins: JSON.parse(r.connect_origins) as string[] }));
    },
    async replaceSmartClients(clients, author, now, audit) {
      await base.transaction().execute(async (trx) => {
        const t = trx as unknown as Transaction<{ smart_clients: SmartClientsTable }>;
        await t.deleteFrom('smart_clients').execute();
        if (clients.length > 0) {
          await t
            .insertInto('smart_clients')
            .values(clients.map((c) => ({ iss: c.iss, name: c.name, client_id: c.clientId, scopes: c.scopes, connect_origins: JSON.stringify(c.connectOrigins), updated_at: now, updated_by: author })))
            .execute();
        }
        await insertAudit(trx, [audit]);
      });
    },
  };
}
