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

// Every reason line, the basis, the provisional flag and each warning, written out by hand from
// REFERENCE §1 / AJCC 8 (the mutation run of stage.ts found these states asserted only loosely).
describe('stageRetroperitoneal: each reason, state and warning, exactly', () => {
  const CONFIRMED: SarcomaStatus = { isSarcoma: true, reason: 'DD-LPS confirmed', code: '8858/3' };

  it('a 22 cm G3 tumour with nodes and metastasis unrecorded: the reasons, in order', () => {
    const s = stage({ tumor: { sizeCm: 22 } }, 'G3', CONFIRMED);
    assert.deepEqual(s.reasons, [
      'T: T4 — greatest dimension 22 cm (> 15 cm).',
      'N: N0 — nodal status not recorded; AJCC 8 counts unknown nodal status as N0 (there is no NX for soft tissue sarcoma).',
      'M: M0 — no distant metastasis recorded; staged as M0 (confirm with CT of the chest, abdomen and pelvis).',
      'G: G3 (FNCLCC).',
      'Basis: clinical (no resection specimen, or the diagnosis is not confirmed).',
      'Stage group IIIB: T3–T4 N0 M0, G2–G3.',
    ]);
    assert.deepEqual(s.warnings, []);
    assert.deepEqual(s.sources, ['AJCC8']);
    assert.equal(s.recurrent, false);
    assert.equal(s.provisional, false);
  });

  it('recorded nodes and metastasis, an unknown size and GX are each said as such', () => {
    const s = stage({ tumor: { nodes: 'N1', metastasis: 'M0' } }, 'GX', CONFIRMED);
    assert.deepEqual(s.reasons.slice(0, 4), ['T: TX — tumour size unknown (tumor.sizeCm).', 'N: N1 as recorded.', 'M: M0 as recorded.', 'G: GX — grade not assessed.']);
    assert.equal(s.group, 'IIIB');
    assert.deepEqual(stage({ tumor: { sizeCm: 4, metastasis: 'M1' } }, 'G1', CONFIRMED).reasons.slice(0, 3), [
      'T: T1 — greatest dimension 4 cm (≤ 5 cm).',
      'N: N0 — nodal status not recorded; AJCC 8 counts unknown nodal status as N0 (there is no NX for soft tissue sarcoma).',
      'M: M1 as recorded.',
    ]);
  });

  it('a primary tumour is not called recurrent; a recurrent one is, in its own reason line', () => {
    const primary = stage({ presentation: 'primary', tumor: { sizeCm: 6 } }, 'G1', CONFIRMED);
    assert.equal(primary.recurrent, false);
    assert.ok(!primary.reasons.some((r) => /recurrent/i.test(r)));
    const recurrent = stage({ presentation: 'recurrent', tumor: { sizeCm: 6 } }, 'G1', CONFIRMED);
    assert.ok(recurrent.reasons.includes('Recurrent tumour: restaged with the same AJCC 8 system and noted as recurrent.'));
  });

  it('provisional exactly when the diagnosis is unconfirmed or unknown (hand-written table)', () => {
    const table: [SarcomaStatus, boolean][] = [
      [{ isSarcoma: true, reason: 'confirmed' }, false],
      [{ isSarcoma: true, reason: 'confirmed', provisional: false }, false],
      [{ isSarcoma: true, reason: 'suspected', provisional: true }, true],
      [{ isSarcoma: null, reason: 'no histology recorded' }, true],
      [{ isSarcoma: null, reason: 'no histology recorded', provisional: false }, true],
    ];
    for (const [status, provisional] of table) assert.equal(stage({ tumor: { sizeCm: 8 } }, 'G2', status).provisional, provisional, JSON.stringify(status));
  });

  it('pathological basis needs a confirmed diagnosis and a resection specimen or a recorded margin (hand-written table)', () => {
    const table: [CaseInput, SarcomaStatus, 'clinical' | 'pathological'][] = [
      [{ tumor: { sizeCm: 8 }, pathology: { specimen: 'resection' } }, CONFIRMED, 'pathological'],
      [{ tumor: { sizeCm: 8 }, pathology: { specimen: 'core_biopsy' }, surgery: { margin: 'R1' } }, CONFIRMED, 'pathological'],
      [{ tumor: { sizeCm: 8 }, surgery: { margin: 'R0' } }, CONFIRMED, 'pathological'],
      [{ tumor: { sizeCm: 8 }, pathology: { specimen: 'core_biopsy' } }, CONFIRMED, 'clinical'],
      [{ tumor: { sizeCm: 8 } }, CONFIRMED, 'clinical'],
      [{ tumor: { sizeCm: 8 }, pathology: { specimen: 'resection' } }, { ...CONFIRMED, provisional: true }, 'clinical'],
      [{ tumor: { sizeCm: 8 }, surgery: { margin: 'R0' } }, { isSarcoma: null, reason: 'no histology recorded' }, 'clinical'],
    ];
    for (const [input, status, basis] of table) {
      const s = stage(input, 'G2', status);
      assert.equal(s.basis, basis, JSON.stringify([input, status]));
      assert.ok(
        s.reasons.includes(basis === 'pathological' ? 'Basis: pathological (resection specimen examined).' : 'Basis: clinical (no resection specimen, or the diagnosis is not confirmed).'),
      );
    }
  });

  it('ICD-O-3 behaviour /1 (borderline) gets no group; /3 of the same size does', () => {
    const borderline = stage({ tumor: { sizeCm: 12 } }, 'G1', { isSarcoma: true, reason: 'solitary fibrous tumour', code: '8815/1' });
    assert.equal(borderline.group, null);
    assert.equal(
      borderline.reasons.at(-1),
      'No stage group: 8815/1 has ICD-O-3 behaviour /1 (borderline/uncertain), not a malignant sarcoma — AJCC 8 stage groups are for malignant sarcomas; record the malignant code (/3) if the pathologist calls it malignant.',
    );
    assert.equal(stage({ tumor: { sizeCm: 12 } }, 'G1', { isSarcoma: true, reason: 'malignant SFT', code: '8815/3' }).group, 'IB');
    assert.equal(stage({ tumor: { sizeCm: 12 } }, 'G1', { isSarcoma: true, reason: 'no code', code: null }).group, 'IB');
  });

  it('a histology not yet established: a provisional group and its exact warning; none when confirmed', () => {
    const s = stage({ tumor: { sizeCm: 8 } }, 'G2', { isSarcoma: null, reason: 'no histology recorded' });
    assert.equal(s.reasons.at(-1), 'Provisional stage group IIIA (T2 N0 M0, G2–G3): the diagnosis is not confirmed — no histology recorded.');
    assert.deepEqual(s.warnings, [
      {
        code: 'stage-assumes-sarcoma',
        path: 'pathology.histology',
        message: 'Provisional stage: it assumes the tumour is a sarcoma, which is not yet established (no histology recorded).',
        sources: ['AJCC8'],
      },
    ]);
    assert.deepEqual(stage({ tumor: { sizeCm: 8 } }, 'G2', CONFIRMED).warnings, []);
  });

  it('a leading suspicion that is not a sarcoma: no group, saying what it would be', () => {
    const s = stage({ tumor: { sizeCm: 22 } }, 'G3', { isSarcoma: true, reason: 'lymphoma suspected on imaging', provisional: true, suspectedNonSarcoma: true });
    assert.equal(s.group, null);
    assert.equal(s.t, 'T4');
    assert.equal(s.reasons.at(-1), 'No stage group: the leading suspicion is not a sarcoma (lymphoma suspected on imaging); were a sarcoma confirmed, the group would be IIIB.');
    assert.equal(stage({ tumor: { sizeCm: 22 } }, 'G3', { isSarcoma: true, reason: 'sarcoma suspected', provisional: true, suspectedNonSarcoma: false }).group, 'IIIB');
  });

  it('the GX warning comes only with IA or IB, and names the group a G2–G3 tumour would have', () => {
    assert.deepEqual(stage({ tumor: { sizeCm: 4 } }, 'GX', CONFIRMED).warnings, [
      {
        code: 'stage-grade-unknown',
        path: 'pathology.grade',
        message: 'Grade not assessed: AJCC 8 stages GX with G1 (IA); if the tumour is G2–G3 the stage would be II.',
        sources: ['AJCC8'],
      },
    ]);
    assert.match(stage({ tumor: { sizeCm: 8 } }, 'GX', CONFIRMED).warnings[0]!.message, /with G1 \(IB\); .* would be IIIA\.$/);
    for (const [input, grade] of [
      [{ tumor: { sizeCm: 4 } }, 'G1'],
      [{ tumor: { sizeCm: 8 } }, 'G1'],
      [{ tumor: { sizeCm: 8, nodes: 'N1' } }, 'GX'],
      [{ tumor: { sizeCm: 8, metastasis: 'M1' } }, 'GX'],
    ] as [CaseInput, Grade][]) {
      assert.deepEqual(stage(input, grade, CONFIRMED).warnings, [], JSON.stringify([input, grade]));
    }
  });
});
