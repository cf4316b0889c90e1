/**
 * A real `retroplan serve` child process takes writes and is killed with
 * SIGKILL in the middle of them; after a restart every write it acknowledged
 * is there.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { openRepository } from '../../src/store/index.ts';
import { BIN, REPO_ROOT } from '../support/cli.ts';
import { tempSqlite } from '../support/databases.ts';
import { request, SEED_CASE, seedUser } from '../support/server.ts';

function startServe(databaseUrl: string): Promise<{ child: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    // A bound on start-up (a loaded machine starts slowly), not a timed assertion; the child never outlives it.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start within 60 s: ${out}`));
    }, 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, base: match[1]! });
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}): ${out}`));
    });
  });
}

describe('durability', () => {
  it('every acknowledged write survives SIGKILL mid-stream', async () => {
    const db = tempSqlite();
    const seedRepo = await openRepository(db.config);
    const { token } = await seedUser(seedRepo, 'writer', 'clinician');
    await seedRepo.close();

    const first = await startServe(db.url);
    const acknowledged = new Map<string, { title: string; version: number }>();
    let killed = false;
    let failure: unknown;
    const worker = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const title = `w${w}-${i}`;
        try {
          const created = await request(first.base, 'POST', '/api/cases', { token, body: { title, case: SEED_CASE } });
          if (created.status !== 201) throw new Error(`unexpected ${created.status}`);
          acknowledged.set(created.body.id, { title, version: 1 });
          const updated = await request(first.base, 'PUT', `/api/cases/${created.body.id}`, {
            token,
            headers: { 'if-match': '1' },
            body: { title: `${title}-v2`, case: SEED_CASE },
          });
          if (updated.status === 200) acknowledged.set(created.body.id, { title: `${title}-v2`, version: 2 });
        } catch (error) {
          if (!killed) {
            failure ??= error;
            throw error;
          }
        }
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    while (acknowledged.size < 40 && failure === undefined) await new Promise((r) => setTimeout(r, 5));
    killed = true;
    first.child.kill('SIGKILL');
    if (failure !== undefined) throw failure;
    await Promise.all(workers);
    const acked = new Map(acknowledged);
    assert.ok(acked.size >= 40);

    const second = await startServe(db.url);
    try {
      for (const [id, expected] of acked) {
        const r = await request(second.base, 'GET', `/api/cases/${id}`, { token });
        assert.equal(r.status, 200, `acknowledged case ${id} is missing after the crash`);
        assert.ok(r.body.version >= expected.version, `case ${id}: acknowledged version ${expected.version}, found ${r.body.version}`);
        if (r.body.version === expected.version) assert.equal(r.body.title, expected.title);
        const versions = await request(second.base, 'GET', `/api/cases/${id}/versions`, { token });
        assert.equal(versions.body.items.length, r.body.version, 'every version row is there too');
      }
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
      await db.drop();
    }
  });
});
