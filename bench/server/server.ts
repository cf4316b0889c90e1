/**
 * The server benchmark's server (a child process of run.ts): the real app on a temporary SQLite
 * store, plus two bench-only routes registered only here:
 * - POST /bench/echo — returns the request body (the old baseline, kept for reference);
 * - POST /bench/same-bytes — returns, for the posted case's id, the exact bytes /api/evaluate
 *   returned for that case (captured at start-up): same response size, no validation, no engine,
 *   no serialisation. evaluate / same-bytes is the share of a request the evaluation itself costs.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from '../../src/server/app.ts';
import { newSecret, sha256Hex, TOKEN_PREFIX } from '../../src/server/auth/secrets.ts';
import { openRepository } from '../../src/store/index.ts';
import { tempSqlite } from '../../test/support/databases.ts';
import { exitWhenParentLeaves } from '../support/child-server.ts';
import { benchCases } from './cases.ts';

const db = tempSqlite();
const repo = await openRepository(db.config);
const user = await repo.createUser({ username: 'bench', role: 'viewer', passwordHash: 'unused' }, new Date().toISOString());
const token = newSecret(TOKEN_PREFIX);
await repo.createToken({ userId: user.id, name: 'bench', tokenHash: sha256Hex(token), createdBy: 'bench' }, new Date().toISOString());

const sameBytes = new Map<string, string>();
const app = await createServer({
  database: repo,
  logger: false,
  webRoot: null,
  extraRoutes: (a) => {
    a.post('/bench/echo', async (request) => request.body);
    a.post('/bench/same-bytes', (request, reply) => {
      const bytes = sameBytes.get((request.body as { id: string }).id);
      if (bytes === undefined) return reply.code(404).send({ errors: [{ path: 'id', message: 'not a benchmark case' }] });
      return reply.type('application/json; charset=utf-8').send(bytes);
    });
  },
});
let bytesTotal = 0;
for (const body of benchCases()) {
  const res = await app.inject({ method: 'POST', url: '/api/evaluate', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: body });
  if (res.statusCode !== 200) throw new Error(`benchmark case refused: ${res.body.slice(0, 300)}`);
  sameBytes.set((JSON.parse(body) as { id: string }).id, res.body);
  bytesTotal += res.body.length;
}
await app.listen({ port: 0, host: '127.0.0.1' });
exitWhenParentLeaves(async () => {
  await app.close();
  await repo.close();
  await db.drop();
});
console.log(`READY ${JSON.stringify({ port: (app.server.address() as AddressInfo).port, token, meanResponseBytes: Math.round(bytesTotal / sameBytes.size) })}`);
