/**
 * Hostile conditions the server must meet with a clean 4xx in the `{errors}`
 * shape: routing errors, nesting bombs, refused calls without credentials,
 * stalled uploads; and what it must not do (trust any proxy, cache patient
 * data, leave its database world-readable, commit a write without its audit row).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { createServer } from '../../src/server/app.ts';
import { parseTrustProxy } from '../../src/cli/commands/serve.ts';
import { CliError } from '../../src/cli/io.ts';
import { openDatabase } from '../../src/store/database.ts';
import { openRepository } from '../../src/store/index.ts';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';
import { SEED_CASE, startTestServer, type TestServer } from '../support/server.ts';

const deepArray = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const paths = (r: { body: { errors?: { path: string }[] } }) => (r.body.errors ?? []).map((e) => e.path);

describe('every error in the {errors:[{path,message}]} shape', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => s?.close());

  it('404 unknown route, 400 malformed % escape, 405 wrong method (with Allow), 415, 413', async () => {
    const t = s.tokens.admin;
    const notFound = await s.request('GET', '/api/no-such-route', { token: t });
    assert.equal(notFound.status, 404);
    assert.deepEqual(paths(notFound), ['url']);

    for (const path of ['/api/cases/%E0%A4%A', '/api/%zz', '/api/cases/%']) {
      const bad = await s.request('GET', path, { token: t });
      assert.equal(bad.status, 400, path);
      assert.deepEqual(paths(bad), ['url'], path);
      assert.match(bad.body.errors[0].message, /not a valid URL/);
    }

    const wrongMethod = await s.request('PATCH', '/api/cases/some-id', { token: t });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'DELETE, GET, HEAD, PUT');
    assert.deepEqual(paths(wrongMethod), ['method']);

    for (const type of ['text/plain', 'application/xml']) {
      const unsupported = await s.request('POST', '/api/cases', { token: t, rawBody: '<case/>', headers: { 'content-type': type } });
      assert.equal(unsupported.status, 415, type);
      assert.deepEqual(paths(unsupported), ['body']);
    }

    const tooLarge = await s.request('POST', '/api/cases', { token: t, rawBody: `{"title":"${'x'.repeat(1_100_000)}"}` });
    assert.equal(tooLarge.status, 413);
    assert.deepEqual(paths(tooLarge), ['body']);
  });

  it('a request the HTTP parser refuses (unknown method) gets a JSON 400, then the connection closes', async () => {
    const port = (s.app.server.address() as AddressInfo).port;
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('BREW /api/cases HTTP/1.1\r\nHost: x\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('close', () => resolve(text));
    });
    assert.match(raw, /^HTTP\/1\.1 400 /);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    assert.deepEqual(body, { errors: [{ path: '', message: 'the request is not valid HTTP' }] });
  });

  it('a body nested deeper than 64 levels is refused before validation, naming where (JSON and FHIR JSON)', async () => {
    const t = s.tokens.admin;
    const ok63 = await s.request('POST', '/api/evaluate', { token: t, rawBody: `{"patient":{"sex":${deepArray(61)}}}` });
    assert.equal(ok63.status, 400);
    assert.doesNotMatch(ok63.body.errors[0].message, /nests deeper/, 'within the limit the schema answers');
    assert.match(ok63.body.errors[0].path, /^patient\.sex/);

    const bomb = await s.request('POST', '/api/cases', { token: s.tokens.clinician, rawBody: `{"title":"t","case":{"patient":{"sex":${deepArray(8000)}}}}` });
    assert.equal(bomb.status, 400);
    assert.equal(bomb.body.errors.length, 1);
    assert.equal(bomb.body.errors[0].path, `case.patient.sex${'[0]'.repeat(61)}`);
    assert.equal(bomb.body.errors[0].message, 'nests deeper than 64 levels of lists and objects');

    const fhir = await s.request('POST', '/api/fhir/import', {
      token: s.tokens.clinician,
      rawBody: `{"resourceType":"Bundle","entry":[{"resource":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}]}`,
      headers: { 'content-type': 'application/fhir+json' },
    });
    assert.equal(fhir.status, 400);
    assert.match(fhir.body.errors[0].path, /^(body\.)?entry\[0\]\.resource\.a\.a\.a/);
  });

  it('a very wide list gives a bounded error list', async () => {
    const r = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 't', case: { ...SEED_CASE, tumor: { ...SEED_CASE.tumor, contacts: Array.from({ length: 5000 }, (_, i) => `organ-${i}`) } } } });
    assert.equal(r.status, 400);
    assert.ok(r.body.errors.length <= 51, `${r.body.errors.length} errors`);
    assert.ok(r.text.length < 20_000);
    assert.match(r.body.errors[0].path, /^case\.tumor\.contacts/);
  });

  it('Cache-Control: no-store on every /api and /cds-services response (data, errors, 401)', async () => {
    const created = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'No cache', case: SEED_CASE } });
    assert.equal(created.status, 201);
    for (const r of [
      created,
      await s.request('GET', `/api/cases/${created.body.id}`, { token: s.tokens.viewer }),
      await s.request('GET', `/api/cases/${created.body.id}/evaluation`, { token: s.tokens.viewer }),
      await s.request('GET', '/api/cases', { token: s.tokens.viewer }),
      await s.request('GET', '/api/cases/missing', { token: s.tokens.viewer }),
      await s.request('GET', '/api/cases'),
      await s.request('GET', '/cds-services'),
    ]) {
      assert.equal(r.headers.get('cache-control'), 'no-store', `${r.status} ${r.text.slice(0, 80)}`);
    }
  });
});

describe('refused calls without credentials', () => {
  it('are counted per address and minute in one audit row, and rate-limited (429) past the limit', async () => {
    const s = await startTestServer({ settings: { refusedCallsPerMinute: 5 } });
    try {
      const auditBefore = (await s.repo.listAudit({ limit: 1000 })).length;
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await s.request('GET', `/api/cases/case-${i}`, { token: i % 2 ? 'rp_forged' : undefined })).status);
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
      const limited = await s.request('GET', '/api/cases');
      assert.equal(limited.headers.get('retry-after'), '60');
      assert.deepEqual(paths(limited), ['']);
      // A caller with credentials is not held up by the limit on its address.
      assert.equal((await s.request('GET', '/api/cases', { token: s.tokens.viewer })).status, 200);
      // Nothing per refused call reaches the log while the minute runs…
      assert.equal((await s.repo.listAudit({ action: 'case.read', limit: 1000 })).length, 0);
      await s.app.refusedCalls.flush(true);
      // …then one row for the address, with the count.
      const rows = (await s.repo.listAudit({ limit: 1000 })).slice(0, -auditBefore || undefined);
      const refused = rows.filter((r) => r.action === 'request.unauthenticated');
      assert.equal(refused.length, 1);
      assert.equal(refused[0]!.clientAddress, '127.0.0.1');
      assert.equal(refused[0]!.actor, 'anonymous');
      assert.match(refused[0]!.detail ?? '', /^9 calls refused without credentials in this minute \(4 rate-limited, 429\)/);
    } finally {
      await s.close();
    }
  });
});

describe('audit rows of reads: group commit', () => {
  it('concurrent reads share commits, and each response is sent only after its row is stored', async () => {
    const s = await startTestServer();
    try {
      const created = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'Group commit', case: SEED_CASE } });
      const batches: number[] = [];
      const original = s.repo.appendAuditBatch.bind(s.repo);
      (s.repo as { appendAuditBatch: typeof original }).appendAuditBatch = async (entries) => {
        batches.push(entries.length);
        return original(entries);
      };
      const reads = await Promise.all(
        Array.from({ length: 40 }, async () => {
          const r = await s.request('GET', `/api/cases/${created.body.id}`, { token: s.tokens.viewer });
          // The row is already in the store when the response arrives.
          const rows = await s.repo.listAudit({ objectId: created.body.id, action: 'case.read', limit: 1000 });
          return { status: r.status, rowsSeen: rows.length };
        }),
      );
      assert.ok(reads.every((r) => r.status === 200));
      assert.ok(reads.every((r) => r.rowsSeen >= 1));
      assert.equal((await s.repo.listAudit({ objectId: created.body.id, action: 'case.read', limit: 1000 })).length, 40);
      assert.equal(batches.reduce((a, b) => a + b, 0), 40);
      assert.ok(batches.length < 40, `40 rows in ${batches.length} commits`);
    } finally {
      await s.close();
    }
  });
});

function writeAuditSuite(name: string, makeDatabase: () => Promise<TestDatabase>) {
  it(`a write whose audit row cannot be stored is not committed (${name})`, async () => {
    const database = await makeDatabase();
    const s = await startTestServer({ testDatabase: database });
    const raw = (await openDatabase(database.config)).db;
    try {
      // Make the database refuse audit rows of case writes (a disk-full or constraint failure stands in for a crash).
      if (database.config.kind === 'postgres') {
        await sql`create function refuse_case_audit() returns trigger language plpgsql as $$ begin raise exception 'audit insert refused'; end $$`.execute(raw);
        await sql`create trigger refuse_case_audit before insert on audit for each row when (new.action in ('case.create', 'case.update', 'case.archive', 'case.decision.create')) execute function refuse_case_audit()`.execute(raw);
      }
      const created = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'Before refusal', case: SEED_CASE } });
      assert.equal(created.status, database.config.kind === 'postgres' ? 500 : 201);
      if (database.config.kind === 'sqlite') {
        await sql`create trigger refuse_case_audit before insert on audit when new.action in ('case.create', 'case.update', 'case.archive', 'case.decision.create') begin select raise(abort, 'audit insert refused'); end`.execute(raw);
      }
      const casesBefore = await s.repo.listCases({ limit: 100, offset: 0 });
      const refusedCreate = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'Never stored', case: SEED_CASE } });
      assert.equal(refusedCreate.status, 500);
      assert.deepEqual(await s.repo.listCases({ limit: 100, offset: 0 }), casesBefore, 'no case without its audit row');
      if (database.config.kind === 'sqlite') {
        const id = created.body.id as string;
        const before = JSON.stringify([await s.repo.getCase(id), await s.repo.listVersions(id), await s.repo.listDecisions(id)]);
        const put = await s.request('PUT', `/api/cases/${id}`, { token: s.tokens.clinician, headers: { 'if-match': '1' }, body: { title: 'Changed', case: SEED_CASE } });
        const del = await s.request('DELETE', `/api/cases/${id}`, { token: s.tokens.clinician, headers: { 'if-match': '1' } });
        const decision = await s.request('POST', `/api/cases/${id}/decisions`, { token: s.tokens.clinician, body: { date: '2026-01-01', attendees: ['a'], decision: 'd', strategyIds: [] } });
        assert.deepEqual([put.status, del.status, decision.status], [500, 500, 500]);
        assert.equal(JSON.stringify([await s.repo.getCase(id), await s.repo.listVersions(id), await s.repo.listDecisions(id)]), before);
      }
    } finally {
      await raw.destroy();
      await s.close();
      await database.drop();
    }
  });
}

describe('a write and its audit row commit together', () => {
  writeAuditSuite('SQLite', async () => tempSqlite());
  writeAuditSuite('PostgreSQL', freshPostgres);
});

describe('TRUST_PROXY', () => {
  it('refuses a bare true and anything that is not an address or CIDR; takes a list', async () => {
    assert.throws(() => parseTrustProxy('true'), (e: unknown) => e instanceof CliError && e.exitCode === 2 && /addresses or CIDRs/.test(e.message));
    assert.throws(() => parseTrustProxy('1'), CliError);
    assert.throws(() => parseTrustProxy('10.0.0.1,*'), /not "\*"/);
    assert.throws(() => parseTrustProxy('10.0.0.0/99'), CliError);
    assert.equal(parseTrustProxy(undefined), false);
    assert.equal(parseTrustProxy('false'), false);
    assert.deepEqual(parseTrustProxy(' 10.0.0.5 , 10.1.0.0/16,::1,loopback'), ['10.0.0.5', '10.1.0.0/16', '::1', 'loopback']);
    const database = tempSqlite();
    try {
      await assert.rejects(createServer({ database: database.config, logger: false, webRoot: null, trustProxy: true as never }), /any client/);
    } finally {
      await database.drop();
    }
  });

  it('believes X-Forwarded-For only from a listed proxy', async () => {
    const viaListed = await startTestServer({ trustProxy: ['10.9.9.9', '127.0.0.0/8'] });
    const viaOther = await startTestServer({ trustProxy: '10.9.9.9' });
    try {
      for (const [server, expected] of [[viaListed, '203.0.113.7'], [viaOther, '127.0.0.1']] as const) {
        const r = await server.request('GET', '/api/cases', { token: server.tokens.viewer, headers: { 'x-forwarded-for': '203.0.113.7' } });
        assert.equal(r.status, 200);
        const [row] = await server.repo.listAudit({ action: 'case.list', limit: 1 });
        assert.equal(row?.clientAddress, expected);
      }
    } finally {
      await viaListed.close();
      await viaOther.close();
    }
  });
});

describe('request timeouts', () => {
  it('closes stalled uploads and silent connections', { timeout: 30_000 }, async () => {
    const s = await startTestServer({ timeouts: { requestMs: 1_000, idleMs: 1_000, checkIntervalMs: 250 } });
    try {
      const port = (s.app.server.address() as AddressInfo).port;
      const sockets: Socket[] = [];
      const closed = Array.from({ length: 60 }, (_, i) =>
        new Promise<string>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => {
            // Half of them stall mid-body, half never finish their headers.
            socket.write(i % 2 ? `POST /api/evaluate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.tokens.viewer}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"patient":` : 'GET /api/health HTTP/1.1\r\nHost: x\r\n');
          });
          let text = '';
          socket.on('data', (chunk) => (text += chunk));
          socket.on('error', () => undefined);
          socket.on('close', () => resolve(text));
          sockets.push(socket);
        }),
      );
      const answers = await Promise.all(closed);
      // Each was closed by the server (the test would time out otherwise); answered, if at all, with 408 or 4xx {errors}.
      for (const answer of answers) if (answer) assert.match(answer, /^HTTP\/1\.1 4\d\d /);
      assert.equal((await s.request('GET', '/api/health')).status, 200, 'the server still serves');
    } finally {
      await s.close();
    }
  });
});

describe('SQLite files are private', () => {
  it('creates the data folder 0700 and the database, -wal and -shm files 0600', async () => {
    const root = mkdtempSync(join(tmpdir(), 'retroplan-perm-'));
    try {
      const path = join(root, 'data', 'nested', 'store.sqlite');
      const repo = await openRepository({ kind: 'sqlite', path });
      await repo.appendAudit({ at: new Date().toISOString(), actor: 'test', action: 'probe', outcome: 'success' });
      const mode = (p: string) => statSync(p).mode & 0o777;
      assert.equal(mode(join(root, 'data')), 0o700);
      assert.equal(mode(join(root, 'data', 'nested')), 0o700);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) assert.equal(mode(file), 0o600, file);
      await repo.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
