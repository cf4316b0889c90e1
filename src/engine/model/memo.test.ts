import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedMemo, clearMemos } from './memo.ts';
import { deepFreeze, uniqueSources } from './explained.ts';

describe('BoundedMemo', () => {
  it('computes a key once and answers it from the memo after', () => {
    const memo = new BoundedMemo<string, { n: number }>(4);
    let calls = 0;
    const compute = (k: string) => ({ n: (calls++, k.length) });
    const first = memo.get('abc', compute);
    assert.equal(memo.get('abc', compute), first);
    assert.deepEqual([first, calls, memo.size], [{ n: 3 }, 1, 1]);
  });
  it('keeps at most `limit` keys, dropping the oldest first', () => {
    const memo = new BoundedMemo<number, number>(2);
    const computed: number[] = [];
    const compute = (k: number) => (computed.push(k), k * 10);
    memo.get(1, compute);
    memo.get(2, compute);
    assert.equal(memo.size, 2);
    memo.get(3, compute); // 1 is dropped
    assert.equal(memo.size, 2);
    memo.get(2, compute); // still held
    memo.get(1, compute); // computed again
    assert.deepEqual(computed, [1, 2, 3, 1]);
    assert.equal(memo.size, 2);
  });
  it('clear and clearMemos empty it: the next get computes again', () => {
    const memo = new BoundedMemo<string, number>(4);
    let calls = 0;
    memo.get('a', () => ++calls);
    memo.clear();
    assert.equal(memo.size, 0);
    assert.equal(memo.get('a', () => ++calls), 2);
    clearMemos();
    assert.equal(memo.size, 0);
    assert.equal(memo.get('a', () => ++calls), 3);
  });
});

describe('explained helpers', () => {
  it('uniqueSources: every id once, in order of first appearance', () => {
    assert.deepEqual(uniqueSources(['STRASS', 'SEED'], [], ['SEED', 'PDQ', 'STRASS'], ['AJCC8']), ['STRASS', 'SEED', 'PDQ', 'AJCC8']);
    assert.deepEqual(uniqueSources(), []);
  });
  it('deepFreeze freezes a value and all it holds, leaves primitives and typed arrays alone, and returns it', () => {
    const value = { a: { b: [1, { c: 2 }] }, bytes: new Uint8Array([1, 2]), n: null, s: 'x' };
    assert.equal(deepFreeze(value), value);
    assert.ok(Object.isFrozen(value) && Object.isFrozen(value.a) && Object.isFrozen(value.a.b) && Object.isFrozen(value.a.b[1]));
    assert.equal(Object.isFrozen(value.bytes), false);
    for (const p of [null, undefined, 3, 'text', true]) assert.equal(deepFreeze(p), p);
  });
});
