import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { capErrors, findTooDeep, oneLine } from './json-limits.ts';

/** A value nested exactly `depth` levels (lists and objects), with its path to the innermost container. */
function nested(depth: number, kinds: readonly ('array' | 'object')[]): unknown {
  let v: unknown = 'leaf';
  for (let i = depth - 1; i >= 0; i--) v = kinds[i % kinds.length] === 'array' ? [0, v] : { a: 1, k: v };
  return v;
}

describe('findTooDeep', () => {
  it('refuses exactly the values nested deeper than the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 100 }), fc.array(fc.constantFrom('array' as const, 'object' as const), { minLength: 1, maxLength: 4 }), (depth, limit, kinds) => {
        const found = findTooDeep(nested(depth, kinds), limit);
        assert.equal(found !== undefined, depth > limit);
      }),
    );
  });

  it('names the path to the first container past the limit, in the engine notation', () => {
    assert.deepEqual(findTooDeep({ patient: { sex: [[['x']]] } }, 3), { path: 'patient.sex[0]', message: 'nests deeper than 3 levels of lists and objects' });
    assert.equal(findTooDeep({ 'odd key': { b: {} } }, 2)?.path, '["odd key"].b');
    assert.equal(findTooDeep([[1], [[2]]], 2)?.path, '[1][0]');
  });

  it('walks 1,000,000 levels without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`) as unknown;
    assert.equal(findTooDeep(deep, 64)?.path, '[0]'.repeat(64));
  });
});

describe('capErrors and oneLine', () => {
  it('lists at most 50 errors, then counts the rest', () => {
    const errors = Array.from({ length: 120 }, (_, i) => ({ path: `x[${i}]`, message: 'bad' }));
    const capped = capErrors(errors);
    assert.equal(capped.length, 51);
    assert.deepEqual(capped.at(-1), { path: '', message: 'and 70 more errors' });
    assert.equal(capErrors(errors.slice(0, 50)).length, 50);
  });

  it('escapes control characters and bounds the length', () => {
    assert.equal(oneLine('a\nb\r\tc\u0000\u001b\u2028'), 'a\\nb\\r\\tc\\u0000\\u001b\\u2028');
    assert.equal(oneLine('x'.repeat(300), 10), `${'x'.repeat(9)}…`);
    assert.equal(oneLine('plain – ünïcode'), 'plain – ünïcode');
  });
});
