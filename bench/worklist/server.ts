/**
 * The worklist benchmark's server (a child process of run.ts): the real app on DATABASE_URL,
 * with a viewer and an API token made for the run. Not the web app; logging off.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from '../../src/server/app.ts';
import { CaseListQuery } from '../../src/server/schemas.ts';
import { newSecret, sha256Hex, TOKEN_PREFIX } from '../../src/server/auth/secrets.ts';
import { openRepositoryFromEnv } from '../../src/store/index.ts';
import { exitWhenParentLeaves } from '../support/child-server.ts';

const repo = await openRepositoryFromEnv();
const now = new Date().toISOString();
const user = await repo.createUser({ username: `bench-${Date.now()}`, role: 'viewer', passwordHash: 'unused' }, now);
const token = newSecret(TOKEN_PREFIX);
await repo.createToken({ userId: user.id, name: 'bench:worklist', tokenHash: sha256Hex(token), createdBy: 'bench' }, now);
// Bench-only twin of GET /api/cases without authentication and without the audit row, to split
// a list request's cost between the query and the audit write (hardening-a's group commit).
const app = await createServer({
  database: repo,
  logger: false,
  webRoot: null,
  extraRoutes: (a) => {
    a.get('/bench/cases-unaudited', async (request) => {
      const { archived, ...filter } = CaseListQuery.parse(request.query);
      return JSON.stringify({ ...(await repo.listCases({ ...filter, archived: archived === 'true' })), limit: filter.limit, offset: filter.offset });
    });
  },
});
await app.listen({ port: 0, host: '127.0.0.1' });
exitWhenParentLeaves(async () => {
  await app.close();
  await repo.close();
});
console.log(`READY ${JSON.stringify({ port: (app.server.address() as AddressInfo).port, token })}`);
