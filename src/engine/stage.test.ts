import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stageGroupFor, stageRetroperitoneal, tCategory, type SarcomaStatus } from './stage.ts';
import { parseCase, type CaseInput, type Grade } from './index.ts';
import type { TCategory } from './tables/ajcc8.ts';

const SARCOMA: SarcomaStatus = { isSarcoma: true, reason: 'test sarcoma' };
const stage = (input: CaseInput, grade: Grade = 'GX', sarcoma = SARCOMA) => stageRetroperitoneal(parseCase(input), grade, sarcoma);

describe('AJCC 8 T category (REFERENCE §1)', () => {
  const boundaries: [number, TCategory][] = [
    [0.1, 'T1'], [5, 'T1'], [5.01, 'T2'], [10, 'T2'], [10.01, 'T3'], [15, 'T3'], [15.01, 'T4'], [22, 'T4'], [100, 'T4'],
  ];
  for (const [size, t] of boundaries) {
    it(`${size} cm is ${t}`, () => assert.equal(tCategory(size), t));
  }
  it('unknown size is TX', () => assert.equal(tCategory(undefined), 'TX'));

  it('a larger tumour never gets a lower T (property)', () => {
    const order = ['T1', 'T2', 'T3', 'T4'];
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 100, noNaN: true }), fc.double({ min: 0.001, max: 100, noNaN: true }), (a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        return order.indexOf(tCategory(large)) >= order.indexOf(tCategory(small));
      }),
    );
  });
});

describe('AJCC 8 stage groups, every row of the retroperitoneum table', () => {
  const rows: [TCategory, 'N0' | 'N1', 'M0' | 'M1', Grade, string][] = [
    ['T1', 'N0', 'M0', 'G1', 'IA'], ['T1', 'N0', 'M0', 'GX', 'IA'],
    ['T2', 'N0', 'M0', 'G1', 'IB'], ['T3', 'N0', 'M0', 'G1', 'IB'], ['T4', 'N0', 'M0', 'G1', 'IB'],
    ['T2', 'N0', 'M0', 'GX', 'IB'], ['T3', 'N0', 'M0', 'GX', 'IB'], ['T4', 'N0', 'M0', 'GX', 'IB'],
    ['T1', 'N0', 'M0', 'G2', 'II'], ['T1', 'N0', 'M0', 'G3', 'II'],
    ['T2', 'N0', 'M0', 'G2', 'IIIA'], ['T2', 'N0', 'M0', 'G3', 'IIIA'],
    ['T3', 'N0', 'M0', 'G2', 'IIIB'], ['T3', 'N0', 'M0', 'G3', 'IIIB'], ['T4', 'N0', 'M0', 'G2', 'IIIB'], ['T4', 'N0', 'M0', 'G3', 'IIIB'],
  ];
  for (const [t, n, m, g, group] of rows) {
    it(`${t} ${n} ${m} ${g} → ${group}`, () => assert.equal(stageGroupFor(t, n, m, g)?.group, group));
  }
  for (const t of ['TX', 'T1', 'T2', 'T3', 'T4'] as const) {
    for (const g of ['G1', 'G2', 'G3', 'GX'] as const) {
      it(`${t} N1 M0 ${g} → IIIB (retroperitoneum, not IV)`, () => assert.equal(stageGroupFor(t, 'N1', 'M0', g)?.group, 'IIIB'));
      for (const n of ['N0', 'N1'] as const) {
        it(`${t} ${n} M1 ${g} → IV`, () => assert.equal(stageGroupFor(t, n, 'M1', g)?.group, 'IV'));
      }
    }
  }
  it('TX N0 M0 has no group', () => {
    for (const g of ['G1', 'G2', 'G3', 'GX'] as const) assert.equal(stageGroupFor('TX', 'N0', 'M0', g), undefined);
  });
});

describe('stageRetroperitoneal', () => {
  it("stages the seed's 22 cm G3 N0 M0 tumour IIIB", () => {
    const s = stage({ tumor: { sizeCm: 22 } }, 'G3');
    assert.deepEqual([s.t, s.n, s.m, s.g, s.group], ['T4', 'N0', 'M0', 'G3', 'IIIB']);
    assert.equal(s.edition, 'AJCC 8');
    assert.deepEqual(s.missing, []);
    assert.ok(s.sources.includes('AJCC8'));
  });

  it('says why it cannot stage when the size is unknown', () => {
    const s = stage({}, 'G2');
    assert.equal(s.group, null);
    assert.equal(s.t, 'TX');
    assert.match(s.missing.join(' '), /tumor\.sizeCm/);
    assert.match(s.reasons.join(' '), /cannot be staged: tumour size unknown/i);
  });

  it('still stages M1 and N1 without a size', () => {
    assert.equal(stage({ tumor: { metastasis: 'M1' } }).group, 'IV');
    assert.equal(stage({ tumor: { nodes: 'N1' } }).group, 'IIIB');
  });

  it('explains the N0 and M0 defaults', () => {
    const s = stage({ tumor: { sizeCm: 3 } }, 'G1');
    assert.match(s.reasons.join(' '), /unknown nodal status as N0/);
    assert.match(s.reasons.join(' '), /no distant metastasis recorded/);
    const recorded = stage({ tumor: { sizeCm: 3, nodes: 'N0', metastasis: 'M0' } }, 'G1');
    assert.doesNotMatch(recorded.reasons.join(' '), /unknown nodal status/);
  });

  it('gives no group to a known non-sarcoma, with the reason', () => {
    const s = stage({ tumor: { sizeCm: 22 } }, 'G3', { isSarcoma: false, reason: 'lymphoma, NOS (9590/3) is not a sarcoma' });
    assert.equal(s.group, null);
    assert.equal(s.t, 'T4');
    assert.match(s.reasons.join(' '), /apply only to sarcomas/);
  });

  it('warns when the histology is not yet established', () => {
    const s = stage({ tumor: { sizeCm: 8 } }, 'G2', { isSarcoma: null, reason: 'no histology recorded' });
    assert.equal(s.group, 'IIIA');
    assert.ok(s.warnings.some((w) => w.code === 'stage-assumes-sarcoma'));
  });

  it('warns what GX hides', () => {
    const s = stage({ tumor: { sizeCm: 12 } }, 'GX');
    assert.equal(s.group, 'IB');
    const w = s.warnings.find((x) => x.code === 'stage-grade-unknown');
    assert.ok(w);
    assert.match(w.message, /IIIB/);
  });

  it('notes a recurrent tumour', () => {
    const s = stage({ presentation: 'recurrent', tumor: { sizeCm: 6 } }, 'G1');
    assert.equal(s.recurrent, true);
    assert.equal(s.group, 'IB');
    assert.match(s.reasons.join(' '), /recurrent/i);
  });

  it('M1 always gives IV (property)', () => {
    fc.assert(
      fc.property(
        fc.option(fc.double({ min: 0.01, max: 100, noNaN: true }), { nil: undefined }),
        fc.constantFrom('N0' as const, 'N1' as const, undefined),
        fc.constantFrom<Grade>('G1', 'G2', 'G3', 'GX'),
        (sizeCm, nodes, grade) => stage({ tumor: { sizeCm, nodes, metastasis: 'M1' } }, grade).group === 'IV',
      ),
    );
  });

  it('a larger tumour never gets a lower stage group at the same N, M, G (property)', () => {
    const order = ['IA', 'IB', 'II', 'IIIA', 'IIIB', 'IV'];
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.constantFrom<Grade>('G1', 'G2', 'G3', 'GX'),
        (a, b, grade) => {
          const [small, large] = a <= b ? [a, b] : [b, a];
          return order.indexOf(stage({ tumor: { sizeCm: large } }, grade).group!) >= order.indexOf(stage({ tumor: { sizeCm: small } }, grade).group!);
        },
      ),
    );
  });
});
