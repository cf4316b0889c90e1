import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CASE_SCHEMA_VERSION } from './case.ts';
import { upgradeCase } from './upgrade.ts';
import { parseCase, validateCase } from './validation.ts';
import { propertyRuns } from '../../../test/support/property-runs.ts';

/** A case exactly as case model v1 wrote it (no schemaVersion, none of v2's fields). */
const V1_CASE = {
  id: 'v1-case',
  patient: { ageYears: 61, sex: 'female' },
  presentation: 'primary',
  tumor: { sizeCm: 22, side: 'left', imaging: { macroscopicFat: true, solidComponent: true }, contacts: ['kidney_left'] },
  pathology: { histology: '8858/3', markers: { MDM2: 'amplified' }, grade: 'G3', specimen: 'core_biopsy' },
};

describe('case model versions', () => {
  it('a v1 case is upgraded to the current version and stays valid, its content unchanged', () => {
    const upgraded = upgradeCase(V1_CASE) as Record<string, unknown>;
    assert.equal(CASE_SCHEMA_VERSION, 2);
    assert.equal(upgraded.schemaVersion, 2);
    const { schemaVersion, ...rest } = upgraded;
    assert.equal(schemaVersion, 2);
    assert.deepEqual(rest, V1_CASE);
    assert.equal(parseCase(V1_CASE).schemaVersion, 2);
  });

  it('a current case is returned as it is (no copy), and non-objects pass through to validation', () => {
    const current = { schemaVersion: 2, tumor: {} };
    assert.equal(upgradeCase(current), current);
    for (const value of [null, 3, 'x', [1]]) assert.equal(upgradeCase(value), value);
  });

  it('a version that is not a known older one (text, zero, negative, fractional) is left for validation to refuse, never upgraded', () => {
    for (const schemaVersion of ['1', 0, -1, 1.5]) {
      const input = { schemaVersion, tumor: {} };
      assert.equal(upgradeCase(input), input, JSON.stringify(schemaVersion));
      const r = validateCase(input);
      assert.deepEqual(r.ok ? [] : r.errors.map((e) => e.path), ['schemaVersion'], JSON.stringify(schemaVersion));
    }
  });

  it('a case from a newer model is refused with the field named, not silently read', () => {
    const r = validateCase({ schemaVersion: 3 });
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.errors[0]!.path, 'schemaVersion');
  });

  it('v2 fields validate with field paths: dates that exist, measurements with a size, prior procedures by kind', () => {
    const r = validateCase({
      patient: { dateOfBirth: '1960-02-30', ecog: 5, identifiers: [{ kind: 'mrn', value: '' }] },
      tumor: { imaging: { series: [{ date: '2025-01-01' }], modality: 'X-ray' } },
      history: [{ kind: 'surgery', resectionType: 'partial' }, { kind: 'radiotherapy' }],
    });
    assert.equal(r.ok, false);
    const paths = new Set(r.ok ? [] : r.errors.map((e) => e.path));
    for (const p of ['patient.dateOfBirth', 'patient.ecog', 'patient.identifiers[0].value', 'tumor.imaging.series[0]', 'tumor.imaging.modality', 'history[0].resectionType', 'history[1].kind']) {
      assert.ok(paths.has(p), `${p} in ${[...paths].join(', ')}`);
    }
    const ok = validateCase({
      patient: { name: 'A Patient', dateOfBirth: '1964-02-29', ecog: 1, identifiers: [{ kind: 'mrn', system: 'urn:oid:1.2.3', value: 'H123' }] },
      tumor: { imaging: { date: '2026-01-10', modality: 'CT', series: [{ date: '2025-07-01', diametersCm: [10, 8, 6] }, { date: '2026-01-10', greatestDimensionCm: 14 }] } },
      history: [{ kind: 'biopsy', method: 'core', where: 'elsewhere' }, { kind: 'surgery', resectionType: 'shell_out', rupture: true, margin: 'R2' }],
      board: { question: 'Re-resection?', referrer: 'Dr Jones' },
    });
    assert.equal(ok.ok, true, JSON.stringify(ok));
  });

  it('property: every v1-shaped case upgrades to a valid case with the same content', () => {
    const v1 = fc.record(
      {
        patient: fc.record({ ageYears: fc.integer({ min: 0, max: 120 }), sex: fc.constantFrom('female', 'male', 'other', 'unknown') }, { requiredKeys: [] }),
        presentation: fc.constantFrom('primary', 'recurrent'),
        tumor: fc.record({ sizeCm: fc.double({ min: 0.1, max: 100, noNaN: true }), side: fc.constantFrom('left', 'right', 'midline', 'pelvic') }, { requiredKeys: [] }),
        surgery: fc.record({ margin: fc.constantFrom('R0', 'R1', 'R2') }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(v1, (c) => {
        const parsed = parseCase(c);
        assert.equal(parsed.schemaVersion, CASE_SCHEMA_VERSION);
        if (c.tumor?.sizeCm !== undefined) assert.equal(parsed.tumor.sizeCm, c.tumor.sizeCm);
        if (c.surgery) assert.equal(parsed.surgery?.margin, c.surgery.margin);
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});
