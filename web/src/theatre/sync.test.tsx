import { describe, expect, it } from 'vitest';
import { ApiError } from '../api.ts';
import type { IntraopWriteView } from './intraop-api.ts';
import { mergeLog } from './log.ts';
import { memoryStore, type QueuedEntry } from './offline-store.ts';
import { flushQueue } from './sync.ts';

/** The theatre's offline queue (hazard H56): nothing taken in theatre is lost or stored twice. */

function entry(clientId: string, at: string, owner = 'dr.a'): QueuedEntry {
  return { clientId, caseId: 'c1', owner, author: owner, body: { kind: 'note', note: `note ${clientId}`, clientId, takenOnVersion: 1, recordedAt: at }, state: 'queued' };
}

function stored(e: QueuedEntry, caseVersion: number, duplicate = false): IntraopWriteView {
  return {
    id: Number(e.clientId.replace(/\D/g, '')) || 1,
    caseId: e.caseId,
    caseVersion,
    kind: e.body.kind,
    findings: [],
    decision: null,
    note: e.body.note ?? null,
    author: e.author,
    createdAt: '2026-12-01T10:00:00.000Z',
    clientId: e.clientId,
    takenOnVersion: e.body.takenOnVersion,
    recordedAt: e.body.recordedAt,
    duplicate,
    caseChanged: caseVersion !== e.body.takenOnVersion,
  };
}

describe('flushQueue', () => {
  it('sends oldest first and removes each entry only once the server has it', async () => {
    const store = memoryStore();
    await store.put(entry('id-2', '2026-12-01T09:02:00.000Z'));
    await store.put(entry('id-1', '2026-12-01T09:01:00.000Z'));
    const order: string[] = [];
    const report = await flushQueue(store, 'dr.a', async (e) => {
      order.push(e.clientId);
      return stored(e, 1);
    });
    expect(order).toEqual(['id-1', 'id-2']);
    expect(report.sent.map((s) => s.clientId)).toEqual(['id-1', 'id-2']);
    expect(report.remaining).toBe(0);
    expect(await store.queued()).toEqual([]);
  });

  it('the connection drops mid-way: what was not acknowledged stays queued, and is sent next time', async () => {
    const store = memoryStore();
    for (const [id, at] of [['id-1', '09:01'], ['id-2', '09:02'], ['id-3', '09:03']] as const) await store.put(entry(id, `2026-12-01T${at}:00.000Z`));
    let calls = 0;
    const first = await flushQueue(store, 'dr.a', async (e) => {
      calls++;
      if (calls === 2) throw new ApiError(0, 'The server cannot be reached.');
      return stored(e, 1);
    });
    expect(first.stopped).toBe('offline');
    expect(first.sent.map((s) => s.clientId)).toEqual(['id-1']);
    expect(first.remaining).toBe(2);
    const second = await flushQueue(store, 'dr.a', async (e) => stored(e, 1));
    expect(second.sent.map((s) => s.clientId)).toEqual(['id-2', 'id-3']);
    expect(second.remaining).toBe(0);
  });

  it('a repeat the server already holds (200, duplicate) is cleared like a first send', async () => {
    const store = memoryStore();
    await store.put(entry('id-1', '2026-12-01T09:01:00.000Z'));
    const report = await flushQueue(store, 'dr.a', async (e) => stored(e, 1, true));
    expect(report.sent).toHaveLength(1);
    expect(await store.queued()).toEqual([]);
  });

  it('the case changed meanwhile: the entry is stored and reported, not dropped', async () => {
    const store = memoryStore();
    await store.put(entry('id-1', '2026-12-01T09:01:00.000Z'));
    const report = await flushQueue(store, 'dr.a', async (e) => stored(e, 3));
    expect(report.caseChanged.map((c) => [c.takenOnVersion, c.caseVersion])).toEqual([[1, 3]]);
  });

  it('a refusal is kept on the tablet, marked with the reason; an ended session stops and keeps all', async () => {
    const store = memoryStore();
    await store.put(entry('id-1', '2026-12-01T09:01:00.000Z'));
    await store.put(entry('id-2', '2026-12-01T09:02:00.000Z'));
    const refused = await flushQueue(store, 'dr.a', async (e) => {
      if (e.clientId === 'id-1') throw new ApiError(409, 'the case is archived; an admin can restore it');
      throw new ApiError(401, 'Please sign in.');
    });
    expect(refused.refused.map((r) => [r.clientId, r.state, r.problem])).toEqual([['id-1', 'refused', 'the case is archived; an admin can restore it']]);
    expect(refused.stopped).toBe('signed-out');
    const left = (await store.queued()).map((e) => [e.clientId, e.state]).sort();
    expect(left).toEqual([
      ['id-1', 'refused'],
      ['id-2', 'queued'],
    ]);
  });

  it("another user's entries on the tablet are neither sent nor touched", async () => {
    const store = memoryStore();
    await store.put(entry('id-1', '2026-12-01T09:01:00.000Z', 'dr.b'));
    const report = await flushQueue(store, 'dr.a', async () => {
      throw new Error('must not be called');
    });
    expect(report.sent).toEqual([]);
    expect((await store.queued()).map((e) => e.clientId)).toEqual(['id-1']);
  });
});

describe('mergeLog', () => {
  it('an entry the server holds is shown once; waiting ones follow in time order; a changed case is flagged', () => {
    const q1 = entry('id-1', '2026-12-01T09:01:00.000Z');
    const q2 = entry('id-2', '2026-12-01T09:00:30.000Z');
    const lines = mergeLog([{ ...stored(q1, 2), duplicate: undefined } as never], [q1, q2]);
    expect(lines.map((l) => [l.key, l.state, l.changed ?? null])).toEqual([
      ['id-2', 'queued', null],
      ['id-1', 'synced', { takenOn: 1, storedOn: 2 }],
    ]);
  });
});
