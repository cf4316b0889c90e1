import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateCase, parseCase, InputError } from './validation.ts';

const errorsOf = (input: unknown) => {
  const r = validateCase(input);
  assert.equal(r.ok, false);
  return r.ok ? [] : r.errors;
};

describe('case validation (case model v1)', () => {
  it('applies defaults: primary presentation, empty sections', () => {
    const c = parseCase({});
    assert.equal(c.presentation, 'primary');
    assert.deepEqual(c.tumor, {});
    assert.deepEqual(c.patient, {});
  });

  it('names the field and the rule for every problem', () => {
    const errors = errorsOf({
      patient: { ageYears: 130, sex: 'x' },
      tumor: { sizeCm: 0, nodes: 'N2', contacts: ['kidney_left', 'kidney'], imaging: { macroscopicFat: 'yes' } },
      pathology: { histology: '8858', markers: { MDM2: 'strong', FOO: 'positive' }, fnclcc: { differentiation: 4, mitosesPer10Hpf: 2.5, necrosisPercent: 120 } },
      surgery: { margin: 'R3' },
    });
    const byPath = new Map(errors.map((e) => [e.path, e.message]));
    assert.equal(byPath.get('tumor.sizeCm'), 'must be a positive number ≤ 100');
    for (const path of [
      'patient.ageYears', 'patient.sex', 'tumor.nodes', 'tumor.contacts[1]', 'tumor.imaging.macroscopicFat', 'pathology.histology',
      'pathology.markers.MDM2', 'pathology.markers.FOO', 'pathology.fnclcc.differentiation', 'pathology.fnclcc.mitosesPer10Hpf',
      'pathology.fnclcc.necrosisPercent', 'surgery.margin',
    ]) {
      assert.ok(byPath.has(path), `expected an error at ${path}, got ${[...byPath.keys()].join(', ')}`);
    }
    assert.match(byPath.get('tumor.contacts[1]')!, /unknown organ id "kidney"/);
    assert.match(byPath.get('pathology.markers.FOO')!, /not a recognised field/);
  });

  it('rejects unknown keys, including prototype-pollution keys, without polluting', () => {
    const errors = errorsOf(JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}'));
    assert.deepEqual(errors.map((e) => e.path).sort(), ['__proto__', 'constructor']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('rejects a non-object', () => {
    for (const bad of [null, 3, 'case', [1]]) assert.equal(errorsOf(bad)[0]!.path, '');
  });

  it('reports missing FNCLCC components as required', () => {
    const errors = errorsOf({ pathology: { fnclcc: { differentiation: 2 } } });
    assert.deepEqual(errors.map((e) => `${e.path}: ${e.message}`), [
      'pathology.fnclcc.mitosesPer10Hpf: is required',
      'pathology.fnclcc.necrosisPercent: is required',
    ]);
  });

  it('reports a missing value of a closed list as required, not as an unknown value "undefined"; a null stays a wrong value', () => {
    assert.deepEqual(
      errorsOf({ patient: { identifiers: [{ value: 'x' }] }, history: [{ kind: 'surgery' }, { kind: 'biopsy' }] }).map((e) => `${e.path}: ${e.message}`),
      ['patient.identifiers[0].kind: is required', 'history[0].resectionType: is required', 'history[1].method: is required'],
    );
    assert.deepEqual(errorsOf({ patient: { sex: null } }).map((e) => `${e.path}: ${e.message}`), ['patient.sex: unknown sex null; expected one of "female", "male", "other", "unknown"']);
  });

  it('does not echo a huge hostile string back whole', () => {
    const errors = errorsOf({ tumor: { nodes: 'N'.repeat(100_000) } });
    assert.ok(errors[0]!.message.length < 200);
  });

  it('parseCase throws an InputError carrying every field error', () => {
    assert.throws(() => parseCase({ tumor: { sizeCm: -3 } }), (e: unknown) => e instanceof InputError && e.errors[0]!.path === 'tumor.sizeCm');
  });
});
