/**
 * POST /api/evaluate on evaluation threads (server/evaluation-pool.ts): the bytes and the
 * refusals are exactly those of the same work done in the server's own thread, for generated
 * cases and for invalid bodies; the thread count is read from RETROPLAN_EVALUATION_THREADS.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../../src/server/app.ts';
import { CaseSchema, evaluateCase } from '../../src/engine/index.ts';
import { evaluationRunner, evaluationThreadsFromEnv } from '../../src/server/evaluation-pool.ts';
import { serializeEvaluation } from '../../src/server/serializers.ts';
import { openRepository, type Repository } from '../../src/store/index.ts';
import { syntheticCaseGenerator } from '../../src/store/synthetic-cases.ts';
import { tempSqlite, type TestDatabase } from '../support/databases.ts';
import { seedUser } from '../support/server.ts';

const INVALID: unknown[] = [
  { tumor: { sizeCm: 'big' } },
  { tumor: { sizeCm: -3 }, pathology: { grade: 'G7' } },
  { patient: { sex: 'x', ageYears: 400 } },
  [],
  'a case',
  { pathology: { histology: '9999/9' }, extra: true },
];

describe('POST /api/evaluate on evaluation threads', () => {
  let database: TestDatabase;
  let repo: Repository;
  let threaded: FastifyInstance;
  let inProcess: FastifyInstance;
  let token: string;
  before(async () => {
    database = tempSqlite();
    repo = await openRepository(database.config);
    token = (await seedUser(repo, 'eva', 'viewer')).token;
    threaded = await createServer({ database: repo, logger: false, webRoot: null, evaluationThreads: 2 });
    inProcess = await createServer({ database: repo, logger: false, webRoot: null, evaluationThreads: 0 });
  });
  after(async () => {
    await threaded?.close();
    await inProcess?.close();
    await repo?.close();
    await database?.drop();
  });

  const post = (app: FastifyInstance, payload: unknown) =>
    app.inject({ method: 'POST', url: '/api/evaluate', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });

  it('sends, for 60 generated cases, the very bytes of the evaluation computed in-process', async () => {
    const next = syntheticCaseGenerator(4242);
    const cases = Array.from({ length: 60 }, () => next().case);
    const answers = await Promise.all(cases.map((c) => post(threaded, c)));
    answers.forEach((res, i) => {
      assert.equal(res.statusCode, 200, res.body.slice(0, 200));
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.equal(res.body, serializeEvaluation(evaluateCase(CaseSchema.parse(cases[i])) as object), `case ${i}`);
    });
  });

  it('refuses an invalid body with the same status and field errors as in-process validation', async () => {
    for (const body of INVALID) {
      const [a, b] = [await post(threaded, body), await post(inProcess, body)];
      assert.equal(a.statusCode, 400, JSON.stringify(body));
      assert.deepEqual([a.statusCode, JSON.parse(a.body)], [b.statusCode, JSON.parse(b.body)], JSON.stringify(body));
      assert.ok((JSON.parse(a.body) as { errors: unknown[] }).errors.length > 0);
    }
    assert.equal(JSON.parse((await post(threaded, { tumor: { sizeCm: 'big' } })).body).errors[0].path, 'tumor.sizeCm');
  });

  it("gives an evaluation no access scope (it reads no patient data), and the worklist the caller's organisations read with the caller, not by a lookup of their own", async () => {
    let loads = 0;
    const scopes: (string | null)[] = [];
    const counting = new Proxy(repo, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (key === 'principalForToken') {
          return async (hash: string) => {
            const found = await repo.principalForToken(hash);
            scopes.push(found ? found.scope.organisationIds.join(',') : null);
            return found;
          };
        }
        if (key !== 'organisations') return typeof value === 'function' ? value.bind(target) : value;
        const organisations = value as Repository['organisations'];
        return { ...organisations, scopeOf: (userId: string) => (loads++, organisations.scopeOf(userId)) };
      },
    });
    const app = await createServer({ database: counting, logger: false, webRoot: null, evaluationThreads: 0 });
    try {
      assert.equal((await post(app, { tumor: { sizeCm: 4 }, pathology: { grade: 'G1' } })).statusCode, 200);
      assert.equal((await app.inject({ url: '/api/cases', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
      assert.equal(loads, 0, 'no separate scope lookup');
      assert.deepEqual(scopes, ['default', 'default'], "the caller's organisations came with the caller, once per request");
    } finally {
      await app.close();
    }
  });

  it('a closed runner refuses further work', async () => {
    const runner = evaluationRunner(1);
    assert.equal((await runner.run({ tumor: { sizeCm: 4 }, pathology: { grade: 'G1' } })).ok, true);
    await runner.close();
    await assert.rejects(runner.run({}), /closed/);
  });

  it('reads RETROPLAN_EVALUATION_THREADS: 0–16, by default cores − 1 between 1 and 4; anything else refused by name', () => {
    assert.equal(evaluationThreadsFromEnv({ RETROPLAN_EVALUATION_THREADS: '0' }), 0);
    assert.equal(evaluationThreadsFromEnv({ RETROPLAN_EVALUATION_THREADS: '16' }), 16);
    const byDefault = evaluationThreadsFromEnv({});
    assert.ok(byDefault >= 1 && byDefault <= 4);
    for (const bad of ['17', '-1', 'two', '1.5']) {
      assert.throws(() => evaluationThreadsFromEnv({ RETROPLAN_EVALUATION_THREADS: bad }), /RETROPLAN_EVALUATION_THREADS must be a whole number from 0 to 16/);
    }
  });
});
