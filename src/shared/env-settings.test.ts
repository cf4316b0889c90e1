import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wholeNumberFromEnv } from './env-settings.ts';

describe('wholeNumberFromEnv', () => {
  const read = (text: string | undefined) => wholeNumberFromEnv(text === undefined ? {} : { N: text }, 'N', { min: 1, max: 8, fallback: 3 });
  it('unset or empty: the fallback; the bounds themselves are taken', () => {
    assert.deepEqual([read(undefined), read(''), read('1'), read('8')], [3, 3, 1, 8]);
  });
  it('just outside the bounds, or not a whole number, is refused by name', () => {
    for (const text of ['0', '9', '-1', '2.5', ' 2', 'two', '1e1', '9999999']) {
      assert.throws(() => read(text), new RegExp(`^Error: N must be a whole number from 1 to 8, got ${JSON.stringify(text.slice(0, 20)).replace(/[.+]/g, '\\$&')}$`), text);
    }
  });
});
