import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonErrorPosition, lineAndColumn } from './json-error-position.ts';

describe('jsonErrorPosition', () => {
  it('returns undefined for valid JSON of any shape (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => jsonErrorPosition(JSON.stringify(value, null, 1)) === undefined));
  });
  it('agrees with JSON.parse on whether random text is valid (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'{}[]:,"\\ 0123-.eEtrufalsn\n'.split('')), maxLength: 30 }), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        return (jsonErrorPosition(text) === undefined) === valid;
      }),
    );
  });
  const cases: [string, number][] = [['{"a": x}', 6], ['', 0], ['{"a":1} x', 8], ['[1,,2]', 3], ['{"a":"\\q"}', 7], ['tru', 3]];
  for (const [text, position] of cases) it(`${JSON.stringify(text)} fails at ${position}`, () => assert.equal(jsonErrorPosition(text), position));
  it('converts offsets to line and column', () => assert.deepEqual(lineAndColumn('ab\ncd', 4), { line: 2, column: 2 }));
});
