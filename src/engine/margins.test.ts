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
