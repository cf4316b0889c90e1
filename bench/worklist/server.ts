/**
 * The worklist benchmark's server (a child process of run.ts): the real app on DATABASE_URL,
 * with a viewer and an API token made for the run. Not the web app; logging off.
 *
 * BENCH_UNAUDITED=1 starts the audit-free twin: the same app, routes, authentication, scope,
 * queries and serialisers, on a repository whose audit appends do nothing. run.ts measures
 * both, so `audited / unaudited` is the cost of the audit row alone (issue 9: ≤ 1.5×).
 */
import type { AddressInfo } from 'node:net';
import { createServer } from '../../src/server/app.ts';
import { newSecret, sha256Hex, TOKEN_PREFIX } from '../../src/server/auth/secrets.ts';
import { openRepositoryFromEnv, type Repository } from '../../src/store/index.ts';
import { exitWhenParentLeaves } from '../support/child-server.ts';

const repo = await openRepositoryFromEnv();
const now = new Date().toISOString();
const user = await repo.createUser({ username: `bench-${Date.now()}-${process.pid}`, role: 'viewer', passwordHash: 'unused' }, now);
const token = newSecret(TOKEN_PREFIX);
await repo.createToken({ userId: user.id, name: 'bench:worklist', tokenHash: sha256Hex(token), createdBy: 'bench' }, now);

/** The same repository, except that audit rows go nowhere (bench only). */
function withoutAudit(inner: Repository): Repository {
  return new Proxy(inner, {
    get(target, key, receiver) {
      if (key === 'appendAudit' || key === 'appendAuditBatch') return async () => undefined;
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const app = await createServer({ database: process.env.BENCH_UNAUDITED === '1' ? withoutAudit(repo) : repo, logger: false, webRoot: null });
await app.listen({ port: 0, host: '127.0.0.1' });
exitWhenParentLeaves(async () => {
  await app.close();
  await repo.close();
});
console.log(`READY ${JSON.stringify({ port: (app.server.address() as AddressInfo).port, token })}`);
