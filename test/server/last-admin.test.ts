/**
 * The last enabled admin cannot be removed, even by two admins demoting (or disabling)
 * themselves at the same moment on PostgreSQL: the guard runs inside the transaction
 * with the admin rows locked (store/security.ts changeUser).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';
import { seedUser, startTestServer, type TestServer } from '../support/server.ts';

const ROUNDS = 6;

for (const kind of ['postgres', 'sqlite'] as const) {
  describe(`last-admin guard under parallel requests on ${kind}`, () => {
    let db: TestDatabase;
    let s: TestServer;
    before(async () => {
      db = kind === 'postgres' ? await freshPostgres() : tempSqlite();
      s = await startTestServer({ testDatabase: db });
      // Only the two admins of each round: the seeded admin steps down first.
      const other = await seedUser(s.repo, 'round0-a', 'admin');
      assert.equal((await s.request('PATCH', `/api/users/${s.userIds.admin}`, { token: other.token, body: { role: 'viewer' } })).status, 200);
      await s.repo.changeUser(other.id, { disabled: true }, new Date().toISOString()).then((r) => assert.equal(r.ok, false, 'the only admin cannot be disabled'));
    });
    after(async () => {
      await s?.close();
      await db?.drop();
    });

    async function enabledAdmins(): Promise<number> {
      return (await s.repo.listUsers()).filter((u) => u.role === 'admin' && !u.disabled).length;
    }

    it(`${ROUNDS} rounds: two admins step down at once → one 200, one 409, one admin left`, async () => {
      let previous: { id: string } = (await s.repo.findUserByUsername('round0-a'))!;
      for (let round = 1; round <= ROUNDS; round++) {
        const a = await seedUser(s.repo, `round${round}-a`, 'admin');
        const b = await seedUser(s.repo, `round${round}-b`, 'admin');
        // Leave exactly a and b as admins.
        assert.equal((await s.request('PATCH', `/api/users/${previous.id}`, { token: a.token, body: { role: 'viewer' } })).status, 200);
        assert.equal(await enabledAdmins(), 2);
        const change = round % 2 === 0 ? { disabled: true } : { role: 'clinician' };
        const [ra, rb] = await Promise.all([
          s.request('PATCH', `/api/users/${a.id}`, { token: a.token, body: change }),
          s.request('PATCH', `/api/users/${b.id}`, { token: b.token, body: change }),
        ]);
        assert.deepEqual([ra.status, rb.status].sort(), [200, 409], `round ${round}: ${ra.text} ${rb.text}`);
        assert.equal(await enabledAdmins(), 1, `round ${round}`);
        const refused = ra.status === 409 ? ra : rb;
        assert.match(refused.body.errors[0].message, /no enabled admin/);
        previous = (await s.repo.getUser(ra.status === 409 ? a.id : b.id))!;
      }
    });
  });
}
