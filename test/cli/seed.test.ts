import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateCase } from '../../src/engine/index.ts';
import { openDatabase } from '../../src/store/database.ts';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';
import { runCli } from '../support/cli.ts';

const HISTOLOGY_SHARE_KNOWN = ['8851/3', '8858/3', '8890/3'];

describe('retroplan seed load', () => {
  const databases: TestDatabase[] = [];
  after(async () => {
    for (const d of databases) await d.drop();
  });

  async function load(database: TestDatabase, cases: number, seed = '7') {
    const run = await runCli(['seed', 'load', '--cases', String(cases), '--seed', seed, '--batch', '40', '--database-url', database.url]);
    assert.equal(run.code, 0, run.stderr);
    return run;
  }

  async function contents(database: TestDatabase) {
    const { db } = await openDatabase(database.config);
    try {
      const cases = await db.selectFrom('cases').selectAll().orderBy('title').orderBy('created_at').execute();
      const versions = await db.selectFrom('case_versions').select(['case_id', 'version', 'action']).execute();
      const audit = await db.selectFrom('audit').select(['action', 'object_id', 'actor']).execute();
      return { cases, versions, audit };
    } finally {
      await db.destroy();
    }
  }

  it('fills SQLite with valid, marked, varied cases, their versions and audit rows; prints rows/s', async () => {
    const database = tempSqlite();
    databases.push(database);
    const run = await load(database, 120);
    assert.match(run.stdout, /^120 cases, \d[\d,]* versions, \d[\d,]* audit rows in [\d.]+ s: [\d,]+ rows\/s/);
    const { cases, versions, audit } = await contents(database);
    assert.equal(cases.length, 120);
    for (const row of cases) {
      assert.ok(row.title.startsWith('[synthetic] '), row.title);
      const checked = validateCase(JSON.parse(row.case_json));
      assert.ok(checked.ok, `${row.title}: ${JSON.stringify(!checked.ok && checked.errors)}`);
      assert.equal(JSON.parse(row.case_json).schemaVersion, 2);
      const own = versions.filter((v) => v.case_id === row.id).map((v) => v.version).sort((a, b) => a - b);
      assert.deepEqual(own, Array.from({ length: row.version }, (_, i) => i + 1), 'versions 1…current');
      assert.ok(audit.some((a) => a.object_id === row.id && a.action === 'case.create'));
    }
    assert.ok(cases.some((c) => c.next_step !== null) && cases.some((c) => c.stage_group !== null), 'worklist columns derived');
    const histologies = new Set(cases.map((c) => c.histology));
    for (const code of HISTOLOGY_SHARE_KNOWN) assert.ok(histologies.has(code), `${code} among 120 cases`);
    assert.ok(new Set(cases.map((c) => c.status)).size >= 4);
    assert.equal(audit.filter((a) => a.action === 'seed.load').length, 1, 'the load itself is audited once');
  });

  it('draws the same cases from the same seed (PostgreSQL too), and others from another seed', async () => {
    const a = await freshPostgres();
    const b = tempSqlite();
    const c = tempSqlite();
    databases.push(a, b, c);
    await load(a, 30);
    await load(b, 30);
    await load(c, 30, '8');
    const shape = async (d: TestDatabase) => (await contents(d)).cases.map((r) => [r.title, r.status, r.case_json, r.next_step]);
    assert.deepEqual(await shape(a), await shape(b));
    assert.notDeepEqual(await shape(b), await shape(c));
  });

  it('refuses bad numbers with exit code 2', async () => {
    for (const args of [['--cases', '0'], ['--cases', 'many'], ['--seed', '-1'], ['--database-url', 'mysql://x']]) {
      const run = await runCli(['seed', 'load', ...args]);
      assert.equal(run.code, 2, args.join(' '));
    }
  });
});
