/**
 * The hot routes' serialisers drop nothing: for many generated cases, the evaluation's JSON is
 * byte-for-byte JSON.stringify's (and so parses back deep-equal to the engine's output), on the
 * first call and from the cache; mutable parts are never served from the cache; the compiled
 * worklist serialiser writes every field of the zod schema and nothing else.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluateCase, parseCase } from '../engine/index.ts';
import { syntheticCaseGenerator } from '../store/synthetic-cases.ts';
import { CaseListSchema } from './schemas.ts';
import { compiledSerializer, serializeEvaluation } from './serializers.ts';

describe('serializeEvaluation', () => {
  it('writes exactly what JSON.stringify writes, for many generated cases, first time and cached', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 5 }), (seed, draws) => {
        const next = syntheticCaseGenerator(seed);
        for (let i = 0; i < draws; i++) {
          const evaluation = evaluateCase(parseCase(next().case));
          const expected = JSON.stringify(evaluation);
          const first = serializeEvaluation(evaluation);
          assert.equal(first, expected);
          assert.deepEqual(JSON.parse(first), JSON.parse(expected));
          assert.equal(serializeEvaluation(evaluation), expected, 'from the cache');
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never reuses the JSON of a part that can change', () => {
    const child = { note: 'before' };
    const frozenWithMutableChild = Object.freeze({ child });
    const getter = Object.freeze(Object.defineProperty({}, 'now', { enumerable: true, get: () => child.note }));
    const mutable = { text: 'before' };
    const value = { frozenWithMutableChild, getter, mutable, gone: undefined, fn: () => 1, list: Object.freeze([1, 'two', null]) };
    assert.equal(serializeEvaluation(value), JSON.stringify(value));
    child.note = 'after';
    mutable.text = 'after';
    assert.equal(serializeEvaluation(value), JSON.stringify(value));
    assert.match(serializeEvaluation(value), /"child":\{"note":"after"\}.*"now":"after".*"text":"after"/);
  });

  it('keeps the key order and leaves out undefined and function values, as JSON.stringify does', () => {
    const value = { b: 1, a: Object.freeze({ z: 1, y: Object.freeze(['x']) }), u: undefined, f: () => 0, 'quo"te': 'é\n' };
    assert.equal(serializeEvaluation(value), '{"b":1,"a":{"z":1,"y":["x"]},"quo\\"te":"é\\n"}');
  });
});

describe('compiledSerializer (worklist page)', () => {
  it('writes every field of the page and of each summary, and nothing outside the schema', () => {
    const text = fc.string({ maxLength: 30 });
    const summary = fc.record({
      id: text,
      version: fc.integer({ min: 1, max: 1_000_000 }),
      title: text,
      status: fc.constantFrom('workup', 'tumour_board', 'treatment', 'surveillance', 'closed'),
      archived: fc.boolean(),
      stageGroup: fc.option(text, { nil: null }),
      histology: fc.option(text, { nil: null }),
      nextStep: fc.option(text, { nil: null }),
      createdAt: text,
      createdBy: text,
      updatedAt: text,
      updatedBy: text,
      organisationId: text,
      referralStatus: fc.constantFrom(null, 'sent', 'info_requested', 'accepted', 'scheduled'),
      nextMeeting: fc.option(fc.record({ id: text, date: text }), { nil: null }),
      openNavigation: fc.integer({ min: 0, max: 50 }),
    });
    const page = fc.record({
      items: fc.array(summary, { maxLength: 5 }),
      total: fc.integer({ min: 0, max: 1000 }),
      totalCapped: fc.boolean(),
      nextCursor: fc.option(text, { nil: null }),
      limit: fc.integer({ min: 1, max: 100 }),
      offset: fc.integer({ min: 0, max: 1_000_000 }),
    });
    const stringify = compiledSerializer({ schema: CaseListSchema });
    fc.assert(
      fc.property(page, (p) => {
        // fast-check's records have no prototype: compared as plain JSON values.
        const plain: unknown = JSON.parse(JSON.stringify(p));
        assert.deepEqual(JSON.parse(stringify(p)), plain);
        const withExtra = { ...p, secret: 'x', items: p.items.map((i) => ({ ...i, case: { patient: 'x' } })) };
        assert.deepEqual(JSON.parse(stringify(withExtra)), plain, 'keys outside the schema are not written');
      }),
      { numRuns: 300 },
    );
  });
});
