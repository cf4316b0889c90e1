import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assessMargin, blocksNeeded, pseudocapsuleModel, samplingMissProbability } from './margins.ts';

const round2 = (x: number) => Math.round(x * 100) / 100;

describe("the seed's pseudocapsule model (REFERENCE §6)", () => {
  it('c = 1 mm, ℓ = 3 mm → 0.72; with φ = 0.15 → 0.76', () => {
    const r = pseudocapsuleModel(1, 3, 0.15);
    assert.equal(round2(r.satelliteBeyondCapsule), 0.72);
    assert.equal(r.defectFailure, 0.15);
    assert.equal(round2(r.residualDisease), 0.76);
    assert.equal(round2(pseudocapsuleModel(1, 3, 0).residualDisease), 0.72);
  });
  it('a thicker capsule never raises the residual-disease probability (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0.01, max: 50, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b, l, f) => {
        const [thin, thick] = a <= b ? [a, b] : [b, a];
        return pseudocapsuleModel(thick, l, f).residualDisease <= pseudocapsuleModel(thin, l, f).residualDisease + 1e-12;
      }),
    );
  });
  it('rejects out-of-range parameters', () => {
    assert.throws(() => pseudocapsuleModel(-1, 3, 0), RangeError);
    assert.throws(() => pseudocapsuleModel(1, 0, 0), RangeError);
    assert.throws(() => pseudocapsuleModel(1, 3, 1.5), RangeError);
    assert.throws(() => pseudocapsuleModel(1, 3, Number.NaN), RangeError);
  });
});

describe("the seed's sampling model (REFERENCE §6)", () => {
  it('p = 0.01, n = 40 → miss 0.67', () => {
    const r = samplingMissProbability(0.01, 40);
    assert.equal(round2(r.missProbability), 0.67);
    assert.equal(round2(r.detectionProbability), 0.33);
  });
  it('p = 0.01, d = 0.95 → 299 blocks', () => assert.equal(blocksNeeded(0.01, 0.95), 299));
  it('zero blocks never detect; zero target needs zero blocks', () => {
    assert.equal(samplingMissProbability(0.2, 0).missProbability, 1);
    assert.equal(blocksNeeded(0.2, 0), 0);
  });
  it('p = 0.5, d = 0.75 → exactly 2 blocks (no floating-point overshoot)', () => assert.equal(blocksNeeded(0.5, 0.75), 2));
  it('more blocks never raise the miss probability (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), fc.nat(2000), fc.nat(2000), (p, a, b) => {
        const [few, many] = a <= b ? [a, b] : [b, a];
        return samplingMissProbability(p, many).missProbability <= samplingMissProbability(p, few).missProbability;
      }),
    );
  });
  it('the blocks needed reach the target and one fewer does not (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), (p, d) => {
        const n = blocksNeeded(p, d);
        const reached = samplingMissProbability(p, n).detectionProbability >= d - 1e-9;
        const notBefore = n === 0 || samplingMissProbability(p, n - 1).detectionProbability < d + 1e-9;
        return reached && notBefore;
      }),
    );
  });
  it('rejects out-of-range parameters', () => {
    assert.throws(() => samplingMissProbability(0, 10), RangeError);
    assert.throws(() => samplingMissProbability(1, 10), RangeError);
    assert.throws(() => samplingMissProbability(0.1, -1), RangeError);
    assert.throws(() => samplingMissProbability(0.1, 2.5), RangeError);
    assert.throws(() => blocksNeeded(0.1, 1), RangeError);
  });
});

describe('margin status', () => {
  it('explains R0, R1, R2 and an unrecorded margin', () => {
    assert.match(assessMargin('R0').meaning!, /no tumour at the inked margin/);
    assert.match(assessMargin('R1').meaning!, /microscopic/);
    assert.match(assessMargin('R2').meaning!, /gross/);
    assert.equal(assessMargin(undefined).status, null);
  });
});

describe('margin models: boundaries and messages (each rule checked on its own)', () => {
  it('the defect fraction may be 0 or 1, not below 0 or above 1; the capsule may be 0 mm, the satellite distance not', () => {
    assert.equal(pseudocapsuleModel(1, 3, 1).residualDisease, 1);
    assert.equal(pseudocapsuleModel(0, 3, 0).residualDisease, 1);
    assert.throws(() => pseudocapsuleModel(1, 3, -0.01), { name: 'RangeError', message: 'defect fraction must be between 0 and 1' });
    assert.throws(() => pseudocapsuleModel(1, 3, 1.01), { message: 'defect fraction must be between 0 and 1' });
    assert.throws(() => pseudocapsuleModel(-0.1, 3, 0), { message: 'capsule thickness must be a number ≥ 0 mm' });
    assert.throws(() => pseudocapsuleModel(1, 0, 0), { message: 'mean satellite distance must be a number > 0 mm' });
  });

  it('sampling: the involved fraction strictly inside (0, 1), blocks whole and ≥ 0, detection in [0, 1)', () => {
    assert.throws(() => samplingMissProbability(0, 3), { message: 'involved fraction must be strictly between 0 and 1' });
    assert.throws(() => samplingMissProbability(0.1, 1.5), { message: 'number of blocks must be a whole number ≥ 0' });
    assert.equal(samplingMissProbability(0.1, 0).missProbability, 1);
    assert.equal(blocksNeeded(0.1, 0), 0);
    assert.throws(() => blocksNeeded(0.1, -0.01), { message: 'target detection probability must be ≥ 0 and < 1' });
    assert.throws(() => blocksNeeded(0.1, 1), { message: 'target detection probability must be ≥ 0 and < 1' });
  });

  it('blocks needed: an exact whole number is not pushed up by floating-point noise (p = 0.5, d = 1 − 0.5^n → n)', () => {
    for (let n = 1; n <= 30; n++) assert.equal(blocksNeeded(0.5, 1 - 0.5 ** n), n, `n = ${n}`);
    for (let n = 1; n <= 12; n++) assert.equal(blocksNeeded(0.75, 1 - 0.25 ** n), n, `n = ${n}`);
    assert.equal(blocksNeeded(0.5, 0.874), 3);
    assert.equal(blocksNeeded(0.5, 0.876), 4);
  });

  it('each margin status: its meaning, its reasons, its sources; R0 reminds that a negative margin is sampled', () => {
    assert.deepEqual(assessMargin(undefined), { status: null, meaning: null, reasons: ['Margin status not recorded (no resection yet, or pathology pending).'], sources: ['CAP'] });
    const r0 = assessMargin('R0');
    assert.deepEqual(r0.reasons.length, 2);
    assert.equal(r0.reasons[0], 'R0: no tumour at the inked margin.');
    assert.match(r0.reasons[1]!, /40 blocks miss it with probability 0\.67/);
    assert.deepEqual(r0.sources, ['CAP', 'SEED']);
    for (const m of ['R1', 'R2'] as const) {
      const a = assessMargin(m);
      assert.equal(a.reasons.length, 1);
      assert.equal(a.reasons[0], `${m}: ${a.meaning}.`);
      assert.deepEqual(a.sources, ['CAP', 'SEED']);
    }
    assert.match(assessMargin('R1').meaning!, /macroscopically complete/);
    assert.equal(assessMargin('R2').meaning, 'gross tumour left behind');
  });
});
