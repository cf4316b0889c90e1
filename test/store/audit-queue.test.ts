/**
 * SQLite's audit queue (store/audit-worker.mjs): the audit rows of reads are committed to a
 * file beside the database, so they do not make every reader drop its page cache, and join the
 * audit table later in one transaction. What must hold:
 * - a batch is durable in the queue and does not commit to the database itself;
 * - an audit query sees every row appended before it (it moves the queue first), exactly once;
 * - a process that died between copying rows and clearing the queue never gets them copied twice;
 * - a process that died with rows in the queue leaves them for the next one, not lost;
 * - a deleted queue file numbers its rows after the last one moved, so none is taken as moved;
 * - an in-memory database (one connection's own) keeps its audit rows of reads in itself.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { openRepository, type AuditInput, type Repository } from '../../src/store/index.ts';
import { auditQueuePath } from '../../src/store/audit-sink.ts';
import { tempSqlite, type TestDatabase } from '../support/databases.ts';

const NOW = '2026-02-01T09:00:00.000Z';
const read = (objectId: string, at = NOW): AuditInput => ({ at, actor: 'ada', action: 'case.read', objectType: 'case', objectId, outcome: 'success', statusCode: 200, clientAddress: '127.0.0.1' });

describe('SQLite audit queue', () => {
  let database: TestDatabase;
  let path: string;
  let repo: Repository;

  before(async () => {
    database = tempSqlite();
    if (database.config.kind !== 'sqlite') throw new Error('SQLite only');
    path = database.config.path;
    repo = await openRepository(database.config);
  });
  after(async () => {
    await repo?.close();
    await database?.drop();
  });

  /** Audit rows in the database file itself, by raw SQL (no settling). */
  const stored = (objectId: string): number => {
    const raw = new BetterSqlite3(path, { readonly: true });
    try {
      return (raw.prepare('select count(*) from audit where object_id = ?').pluck().get(objectId) as number);
    } finally {
      raw.close();
    }
  };
  const queued = (): number => {
    const raw = new BetterSqlite3(auditQueuePath(path), { readonly: true });
    try {
      return raw.prepare('select count(*) from pending').pluck().get() as number;
    } finally {
      raw.close();
    }
  };

  it('commits a batch to the queue, not to the database: other connections keep their page cache', async () => {
    const watcher = new BetterSqlite3(path, { readonly: true });
    try {
      const version = () => watcher.pragma('data_version', { simple: true }) as number;
      const first = version();
      await repo.appendAuditBatch([read('q-1'), read('q-1')]);
      assert.equal(version(), first, 'no commit reached the database file');
      assert.equal(stored('q-1'), 0);
      assert.equal(queued(), 2, 'both rows are on disk in the queue');
      assert.equal(statSync(auditQueuePath(path)).mode & 0o777, 0o600, 'the queue holds patient-data access records: private like the database');
    } finally {
      watcher.close();
    }
  });

  it('an audit query sees every row appended before it, each once, and empties the queue', async () => {
    await repo.appendAuditBatch([read('q-2'), read('q-2'), read('q-2')]);
    assert.equal((await repo.listAudit({ objectId: 'q-2', limit: 10 })).length, 3);
    assert.equal((await repo.listAudit({ objectId: 'q-1', limit: 10 })).length, 2, 'the earlier batch too');
    assert.equal(stored('q-2'), 3);
    assert.equal(queued(), 0);
    assert.equal((await repo.listAudit({ objectId: 'q-2', limit: 10 })).length, 3, 'settling again copies nothing twice');
  });

  it('lists entries in order of time, then id, although rows of reads join the table late; paging continues after the last entry seen', async () => {
    await repo.appendAudit({ ...read('q-3', '2026-02-01T09:00:02.000Z'), action: 'case.update' });
    await repo.appendAuditBatch([read('q-3', '2026-02-01T09:00:01.000Z'), read('q-3', '2026-02-01T09:00:03.000Z')]);
    const newest = await repo.listAudit({ objectId: 'q-3', limit: 10 });
    assert.deepEqual(newest.map((e) => e.at.slice(17, 19)), ['03', '02', '01']);
    const page1 = await repo.listAudit({ objectId: 'q-3', limit: 2 });
    const page2 = await repo.listAudit({ objectId: 'q-3', limit: 2, before: page1[1]!.id });
    assert.deepEqual([...page1, ...page2].map((e) => e.id), newest.map((e) => e.id));
    const oldest = await repo.listAudit({ objectId: 'q-3', limit: 1, order: 'oldest' });
    const rest = await repo.listAudit({ objectId: 'q-3', limit: 10, order: 'oldest', after: oldest[0]!.id });
    assert.deepEqual([...oldest, ...rest].map((e) => e.id), [...newest].reverse().map((e) => e.id));
  });

  it('a process that died after copying rows but before clearing the queue: the next one copies none of them twice', async () => {
    await repo.close();
    // What a dead process left: two queued rows, the first already copied (and recorded as copied).
    const raw = new BetterSqlite3(path);
    raw.prepare(`attach database ? as queue`).run(auditQueuePath(path));
    const insert = raw.prepare(`insert into queue.pending (at, actor, action, object_type, object_id, outcome) values (?, 'ada', 'case.read', 'case', ?, 'success')`);
    const copied = Number(insert.run(NOW, 'q-4').lastInsertRowid);
    insert.run(NOW, 'q-5');
    raw.transaction(() => {
      raw.prepare(`insert into main.audit (at, actor, action, object_type, object_id, outcome) select at, actor, action, object_type, object_id, outcome from queue.pending where id = ?`).run(copied);
      raw.prepare('update main.audit_queue_moved set upto = ?').run(copied);
    }).immediate();
    raw.close();

    repo = await openRepository(database.config);
    assert.equal((await repo.listAudit({ objectId: 'q-4', limit: 10 })).length, 1, 'copied once');
    assert.equal((await repo.listAudit({ objectId: 'q-5', limit: 10 })).length, 1, 'the row left in the queue is not lost');
    assert.equal(queued(), 0);
  });

  it('a deleted queue file: new rows are numbered after the last one moved, so none is skipped', async () => {
    await repo.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${auditQueuePath(path)}${suffix}`, { force: true });
    repo = await openRepository(database.config);
    await repo.appendAuditBatch([read('q-6')]);
    assert.equal((await repo.listAudit({ objectId: 'q-6', limit: 10 })).length, 1);
  });

  it('an in-memory database has no queue and no writer thread (no other connection could see it): its batches go straight to its audit table', async () => {
    const memory = await openRepository({ kind: 'sqlite', path: ':memory:' });
    try {
      await memory.appendAuditBatch([read('m-1'), read('m-1')]);
      assert.equal((await memory.listAudit({ objectId: 'm-1', limit: 10 })).length, 2);
    } finally {
      await memory.close();
    }
  });

  it('rows of a batch still queued when the repository closes are in the audit table afterwards', async () => {
    await repo.appendAuditBatch([read('q-7')]);
    await repo.close();
    assert.equal(stored('q-7'), 1);
    repo = await openRepository(database.config);
  });
});
