import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/cli.ts';
import { tempSqlite } from '../support/databases.ts';
import { openRepository } from '../../src/store/index.ts';

describe('retroplan org: organisations and memberships from the command line', () => {
  it('org add | list, member add | list | remove, network-admin; each change audited; bad input exits 2', async () => {
    const db = tempSqlite();
    const env = { DATABASE_URL: db.url };
    try {
      assert.equal((await runCli(['user', 'add', 'alice', '--role', 'clinician'], 'a long enough password\n', env)).code, 0);
      const added = await runCli(['org', 'add', 'hub-a', '--name', 'Hub A Sarcoma Centre', '--kind', 'hub'], undefined, env);
      assert.equal(added.code, 0, added.stderr);
      assert.equal((await runCli(['org', 'add', 'hub-a', '--name', 'Again', '--kind', 'hub'], undefined, env)).code, 2);
      assert.equal((await runCli(['org', 'add', 'Bad Id', '--name', 'x', '--kind', 'hub'], undefined, env)).code, 2);
      assert.equal((await runCli(['org', 'add', 'spoke-b', '--name', 'x', '--kind', 'clinic'], undefined, env)).code, 2);
      const list = await runCli(['org', 'list'], undefined, env);
      // The default organisation every install has (migration 0013), then the new hub.
      assert.equal(list.stdout, 'default\thub\tDefault organisation\nhub-a\thub\tHub A Sarcoma Centre\n');

      assert.equal((await runCli(['org', 'member', 'add', 'hub-a', 'alice', '--role', 'coordinator'], undefined, env)).code, 0);
      assert.equal((await runCli(['org', 'member', 'add', 'hub-a', 'alice', '--role', 'king'], undefined, env)).code, 2);
      assert.equal((await runCli(['org', 'member', 'add', 'nowhere', 'alice', '--role', 'viewer'], undefined, env)).code, 2);
      assert.equal((await runCli(['org', 'member', 'list', 'hub-a'], undefined, env)).stdout, 'alice\tcoordinator\n');
      // alice joined `default` with her role when she was added (single-organisation behaviour).
      assert.equal((await runCli(['org', 'member', 'list', 'default'], undefined, env)).stdout, 'alice\tclinician\n');
      assert.equal((await runCli(['org', 'member', 'remove', 'default', 'alice'], undefined, env)).code, 0);
      assert.equal((await runCli(['org', 'member', 'remove', 'default', 'alice'], undefined, env)).code, 2);
      assert.equal((await runCli(['org', 'member', 'list', 'default'], undefined, env)).stdout, '');
      assert.equal((await runCli(['org', 'network-admin', 'alice'], undefined, env)).code, 0);

      const repo = await openRepository(db.config);
      try {
        const alice = await repo.findUserByUsername('alice');
        assert.deepEqual(await repo.organisations.scopeOf(alice!.id), { userId: alice!.id, organisationIds: ['hub-a'], network: true });
        const actions = (await repo.listAudit({ limit: 50, order: 'oldest' })).map((a) => a.action).filter((a) => a.startsWith('organisation.') || a === 'user.network-admin');
        assert.deepEqual(actions, ['organisation.create', 'organisation.member.set', 'organisation.member.remove', 'user.network-admin']);
      } finally {
        await repo.close();
      }
    } finally {
      await db.drop();
    }
  });
});
