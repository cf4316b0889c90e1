/**
 * The network's administration over HTTP (issue 13): organisations and memberships, as
 * `retroplan org` manages them, on SQLite and PostgreSQL. Expected answers are written by hand
 * from the rules in src/server/routes/network.ts's header and the CLI's audit wording
 * (test/server/org-cli.test.ts), including hostile input: a duplicate id, a malformed id, an
 * unknown kind, role or user, a second membership, a member that is not one.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';
import { seedMember, startTestServer, type TestServer } from '../support/server.ts';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`network administration over HTTP (${dialect})`, () => {
    let s: TestServer;
    let db: TestDatabase;
    const t: Record<string, string> = {};

    before(async () => {
      db = dialect === 'sqlite' ? tempSqlite() : await freshPostgres();
      s = await startTestServer({ testDatabase: db });
      // The network administrator: admin role and the network flag. An admin of one organisation
      // without the flag, and a network-flagged clinician, for the refusals.
      t.network = await seedMember(s.repo, 'net.admin', 'admin', 'default', 'admin');
      await s.repo.organisations.setNetworkAdmin((await s.repo.findUserByUsername('net.admin'))!.id, true);
      t.orgAdmin = await seedMember(s.repo, 'org.admin', 'admin', 'default', 'admin');
      t.networkClinician = await seedMember(s.repo, 'net.clinician', 'clinician', 'default', 'clinician');
      await s.repo.organisations.setNetworkAdmin((await s.repo.findUserByUsername('net.clinician'))!.id, true);
      await seedMember(s.repo, 'dr.jones', 'clinician', 'default', 'clinician');
    });
    after(async () => {
      await s?.close();
      await db?.drop();
    });

    it('who may call: only an admin with the network flag; anyone else 401 or 403 with {errors}', async () => {
      const calls: [string, string, unknown][] = [
        ['GET', '/api/network/organisations', undefined],
        ['POST', '/api/network/organisations', { id: 'refused-org', name: 'Refused', kind: 'spoke' }],
        ['GET', '/api/network/organisations/default/members', undefined],
        ['POST', '/api/network/organisations/default/members', { username: 'dr.jones', role: 'chair' }],
        ['PATCH', '/api/network/organisations/default/members/dr.jones', { role: 'chair' }],
        ['DELETE', '/api/network/organisations/default/members/dr.jones', undefined],
      ];
      const expected: Record<string, number> = { anonymous: 401, viewer: 403, clinician: 403, admin: 403, orgAdmin: 403, networkClinician: 403 };
      const failures: string[] = [];
      for (const [method, path, body] of calls) {
        for (const [caller, status] of Object.entries(expected)) {
          const token = caller === 'anonymous' ? undefined : (t[caller] ?? s.tokens[caller as 'viewer' | 'clinician' | 'admin']);
          const r = await s.request(method, path, { ...(token ? { token } : {}), body });
          if (r.status !== status || !Array.isArray(r.body?.errors)) failures.push(`${method} ${path} as ${caller}: ${r.status} ${r.text.slice(0, 80)}`);
        }
      }
      assert.deepEqual(failures, []);
      // Nothing was changed by the refused calls.
      assert.equal(await s.repo.organisations.getOrganisation('refused-org'), undefined);
      assert.equal(await s.repo.organisations.roleIn((await s.repo.findUserByUsername('dr.jones'))!.id, 'default'), 'clinician');
    });

    it('creates a hub and a spoke, lists them by id, and refuses a duplicate or malformed organisation by field', async () => {
      const hub = await s.request('POST', '/api/network/organisations', { token: t.network, body: { id: 'royal-sarcoma', name: '  Royal Sarcoma Centre ', kind: 'hub' } });
      assert.equal(hub.status, 201, hub.text);
      assert.deepEqual({ ...hub.body, createdAt: typeof hub.body.createdAt }, { id: 'royal-sarcoma', name: 'Royal Sarcoma Centre', kind: 'hub', createdAt: 'string' });
      assert.equal((await s.request('POST', '/api/network/organisations', { token: t.network, body: { id: 'county.general', name: 'County General', kind: 'spoke' } })).status, 201);
      const list = await s.request('GET', '/api/network/organisations', { token: t.network });
      assert.deepEqual(
        (list.body.items as { id: string; kind: string }[]).map((o) => [o.id, o.kind]),
        [
          ['county.general', 'spoke'],
          ['default', 'hub'],
          ['royal-sarcoma', 'hub'],
        ],
      );

      const refusals: [unknown, number, string][] = [
        [{ id: 'royal-sarcoma', name: 'Another', kind: 'spoke' }, 409, 'id'],
        [{ id: 'Royal Sarcoma', name: 'Spaces', kind: 'hub' }, 400, 'id'],
        [{ id: '-leading-dash', name: 'Dash', kind: 'hub' }, 400, 'id'],
        [{ id: 'clinic-1', name: 'Clinic', kind: 'clinic' }, 400, 'kind'],
        [{ id: 'clinic-2', name: '   ', kind: 'spoke' }, 400, 'name'],
        [{ id: 'clinic-3', name: 'Extra', kind: 'spoke', networkAdmin: true }, 400, 'networkAdmin'],
      ];
      for (const [body, status, path] of refusals) {
        const r = await s.request('POST', '/api/network/organisations', { token: t.network, body });
        assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
        assert.equal(r.body.errors[0].path, path, JSON.stringify(body));
      }
      assert.equal((await s.repo.organisations.getOrganisation('royal-sarcoma'))!.name, 'Royal Sarcoma Centre', 'the duplicate did not overwrite');
      assert.equal((await s.repo.organisations.listOrganisations()).length, 3);
    });

    it('adds, changes and removes a membership; the member’s scope follows; hostile input is refused by field', async () => {
      const add = await s.request('POST', '/api/network/organisations/royal-sarcoma/members', { token: t.network, body: { username: 'dr.jones', role: 'coordinator' } });
      assert.equal(add.status, 201, add.text);
      assert.deepEqual([add.body.username, add.body.organisationId, add.body.role], ['dr.jones', 'royal-sarcoma', 'coordinator']);
      // The membership is the one the rest of the app reads (the member's scope).
      const seen = await s.repo.organisations.scopeOf(add.body.userId);
      assert.deepEqual(seen.organisationIds, ['default', 'royal-sarcoma']);

      const hostile: [string, string, unknown, number, string][] = [
        ['POST', '/api/network/organisations/royal-sarcoma/members', { username: 'dr.jones', role: 'chair' }, 409, 'username'],
        ['POST', '/api/network/organisations/royal-sarcoma/members', { username: 'nobody', role: 'viewer' }, 400, 'username'],
        ['POST', '/api/network/organisations/royal-sarcoma/members', { username: 'dr.jones', role: 'boss' }, 400, 'role'],
        ['POST', '/api/network/organisations/royal-sarcoma/members', { username: 'DR JONES', role: 'viewer' }, 400, 'username'],
        ['POST', '/api/network/organisations/nowhere/members', { username: 'dr.jones', role: 'viewer' }, 404, ''],
        ['GET', '/api/network/organisations/nowhere/members', undefined, 404, ''],
        ['PATCH', '/api/network/organisations/royal-sarcoma/members/net.clinician', { role: 'chair' }, 404, ''],
        ['PATCH', '/api/network/organisations/royal-sarcoma/members/dr.jones', { role: 'superuser' }, 400, 'role'],
        ['DELETE', '/api/network/organisations/county.general/members/dr.jones', undefined, 404, ''],
        ['DELETE', '/api/network/organisations/royal-sarcoma/members/nobody', undefined, 404, ''],
      ];
      for (const [method, path, body, status, field] of hostile) {
        const r = await s.request(method, path, { token: t.network, body });
        assert.equal(r.status, status, `${method} ${path} ${JSON.stringify(body)}: ${r.text}`);
        assert.equal(r.body.errors[0].path, field, `${method} ${path}`);
      }
      assert.equal(await s.repo.organisations.roleIn(add.body.userId, 'royal-sarcoma'), 'coordinator', 'the refused calls changed nothing');

      const change = await s.request('PATCH', '/api/network/organisations/royal-sarcoma/members/dr.jones', { token: t.network, body: { role: 'chair' } });
      assert.equal(change.status, 200, change.text);
      assert.equal(change.body.role, 'chair');
      const members = await s.request('GET', '/api/network/organisations/royal-sarcoma/members', { token: t.network });
      assert.deepEqual((members.body.items as { username: string; role: string }[]).map((m) => [m.username, m.role]), [['dr.jones', 'chair']]);

      const removed = await s.request('DELETE', '/api/network/organisations/royal-sarcoma/members/dr.jones', { token: t.network });
      assert.equal(removed.status, 204, removed.text);
      assert.equal(removed.text, '');
      assert.equal((await s.request('DELETE', '/api/network/organisations/royal-sarcoma/members/dr.jones', { token: t.network })).status, 404);
      assert.deepEqual((await s.repo.organisations.scopeOf(add.body.userId)).organisationIds, ['default']);
    });

    it('every change is audited with the command line’s action names, the refusals as failures', async () => {
      const rows = await s.repo.listAudit({ objectId: 'royal-sarcoma', limit: 50, order: 'oldest' });
      const changes = rows.filter((r) => r.action !== 'organisation.member.list').map((r) => [r.action, r.outcome, r.detail]);
      assert.deepEqual(changes, [
        ['organisation.create', 'success', 'hub'],
        ['organisation.create', 'failure', null],
        ['organisation.member.set', 'success', 'dr.jones as coordinator'],
        // Four refused additions (a second membership, an unknown user, an unknown role, a malformed name),
        // two refused changes (not a member, an unknown role), one refused removal (an unknown user).
        ['organisation.member.set', 'failure', null],
        ['organisation.member.set', 'failure', null],
        ['organisation.member.set', 'failure', null],
        ['organisation.member.set', 'failure', null],
        ['organisation.member.set', 'failure', null],
        ['organisation.member.set', 'failure', null],
        ['organisation.member.remove', 'failure', null],
        ['organisation.member.set', 'success', 'dr.jones as chair'],
        ['organisation.member.remove', 'success', 'dr.jones'],
        ['organisation.member.remove', 'failure', 'dr.jones'],
      ]);
      assert.ok(rows.every((r) => r.actor === 'net.admin'));
    });

    it('there is no last-administrator trap: removing their own membership leaves the network administrator in charge', async () => {
      assert.equal((await s.request('DELETE', '/api/network/organisations/default/members/net.admin', { token: t.network })).status, 204);
      const after = await s.request('GET', '/api/network/organisations', { token: t.network });
      assert.equal(after.status, 200, 'the network flag, not a membership, grants this');
      assert.equal((await s.request('POST', '/api/network/organisations/default/members', { token: t.network, body: { username: 'net.admin', role: 'admin' } })).status, 201);
    });
  });
}
