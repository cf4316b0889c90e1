import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ellipsoidVolume, growthKinetics, wdlpsGrowthWarning, type GrowthResult } from './growth.ts';
import { parseCase, type CaseInput } from './index.ts';

// Every figure below is worked out by hand from REFERENCE-2 §3.1 (month = 30.4375 days; rate = Δd / months;
// DT = Δt·ln 2 / ln(V2/V1), with V2/V1 = (d2/d1)³ under the sphere assumption) and §3.2 (WD-LPS growth).
type Series = NonNullable<NonNullable<NonNullable<CaseInput['tumor']>['imaging']>['series']>;
const grow = (series: Series, imaging: { date?: string } = {}, sizeCm?: number) =>
  growthKinetics(parseCase({ tumor: { ...(sizeCm === undefined ? {} : { sizeCm }), imaging: { ...imaging, series } } }));

const SPHERE = 'Only one dimension at one or both dates: the volume doubling time assumes a sphere (isotropic growth) — DT = Δt·ln 2 / (3·ln(d2/d1)) [consensus, derived].';
const NO_DT = 'No growth or regression: the volume doubling time is not defined.';
const rateLine = (from: string, d1: number, to: string, d2: number, days: number, rate: string) =>
  `From ${from} (${d1} cm) to ${to} (${d2} cm), ${days} days: greatest dimension ${rate} cm/month (month = 30.4375 days; REFERENCE-2 §3.1 [consensus]).`;
const errorWarning = (from: string, to: string, why: string) => ({
  code: 'growth-within-measurement-error',
  path: 'tumor.imaging.series',
  message: `The change between ${from} and ${to} is within measurement error (${why}): do not read a growth rate into it.`,
  sources: ['MEHRARA-2007'],
  evidence: 'consensus',
});

describe('growthKinetics: each result, reason and warning, exactly', () => {
  it('ellipsoidVolume is π/6·a·b·c (2×3×1 cm → π cm³)', () => {
    assert.ok(Math.abs(ellipsoidVolume([2, 3, 1]) - Math.PI) < 1e-12);
  });

  it('ellipsoid 10×8×6 → 12×10×8 cm over 181 days: volume doubles (251.3 → 502.7 cm³), DT 181 days, +0.336 cm/month', () => {
    // Greatest dimension from three diameters is their largest (given out of order here): 10 and 12 cm.
    const g = grow([
      { date: '2025-07-01', diametersCm: [8, 12, 10] },
      { date: '2025-01-01', diametersCm: [8, 6, 10] },
    ]);
    assert.deepEqual(g, {
      rateCmPerMonth: 0.3363, // 2 cm / (181 / 30.4375) months
      volumeDoublingTimeDays: 181,
      method: 'ellipsoid',
      from: '2025-01-01',
      to: '2025-07-01',
      intervalDays: 181,
      withinMeasurementError: false,
      evidence: 'consensus',
      warnings: [],
      reasons: [
        rateLine('2025-01-01', 10, '2025-07-01', 12, 181, '+0.336'),
        'Volumes by the ellipsoid formula π/6·a·b·c: 251.3 → 502.7 cm³.',
        'Volume doubling time 181 days (DT = Δt·ln 2 / ln(V2/V1), Mehrara 2007).',
      ],
      sources: ['MEHRARA-2007'],
    });
  });

  it('one dimension, sphere assumed: 8 → 10 cm over 90 days: DT 90·ln 2 / (3·ln 1.25) = 93.2 days, +0.676 cm/month', () => {
    const g = grow([
      { date: '2025-01-01', greatestDimensionCm: 8 },
      { date: '2025-04-01', greatestDimensionCm: 10 },
    ]);
    assert.deepEqual(g, {
      rateCmPerMonth: 0.6764,
      volumeDoublingTimeDays: 93.2,
      method: 'greatest-dimension',
      from: '2025-01-01',
      to: '2025-04-01',
      intervalDays: 90,
      withinMeasurementError: false,
      evidence: 'consensus',
      warnings: [],
      reasons: [rateLine('2025-01-01', 8, '2025-04-01', 10, 90, '+0.676'), SPHERE, 'Volume doubling time 93.2 days (DT = Δt·ln 2 / ln(V2/V1), Mehrara 2007).'],
      sources: ['MEHRARA-2007'],
    });
  });

  it('three diameters at only one of the two dates: the sphere assumption, whichever date lacks them', () => {
    const firstOnly = grow([
      { date: '2025-01-01', diametersCm: [8, 6, 5] },
      { date: '2025-04-01', greatestDimensionCm: 10 },
    ])!;
    const lastOnly = grow([
      { date: '2025-01-01', greatestDimensionCm: 8 },
      { date: '2025-04-01', diametersCm: [10, 6, 5] },
    ])!;
    for (const g of [firstOnly, lastOnly]) {
      assert.equal(g.method, 'greatest-dimension');
      assert.equal(g.volumeDoublingTimeDays, 93.2); // 8 → 10 cm in 90 days, as above
      assert.deepEqual(g.reasons.slice(1), [SPHERE, 'Volume doubling time 93.2 days (DT = Δt·ln 2 / ln(V2/V1), Mehrara 2007).']);
    }
  });

  it('regression 10 → 9 cm over 181 days: −0.168 cm/month (no plus sign), no doubling time, not within error', () => {
    const g = grow([
      { date: '2025-01-01', greatestDimensionCm: 10 },
      { date: '2025-07-01', greatestDimensionCm: 9 },
    ])!;
    assert.equal(g.rateCmPerMonth, -0.1682);
    assert.equal(g.volumeDoublingTimeDays, null);
    assert.equal(g.withinMeasurementError, false);
    assert.deepEqual(g.warnings, []);
    assert.deepEqual(g.reasons, [rateLine('2025-01-01', 10, '2025-07-01', 9, 181, '-0.168'), SPHERE, NO_DT]);
  });

  it('no change at all (10 → 10 cm over 181 days): +0 cm/month, no doubling time, within error by the 0 cm change', () => {
    const g = grow([
      { date: '2025-01-01', greatestDimensionCm: 10 },
      { date: '2025-07-01', greatestDimensionCm: 10 },
    ])!;
    assert.equal(g.rateCmPerMonth, 0);
    assert.equal(g.volumeDoublingTimeDays, null);
    assert.equal(g.withinMeasurementError, true);
    assert.deepEqual(g.reasons, [rateLine('2025-01-01', 10, '2025-07-01', 10, 181, '+0'), SPHERE, NO_DT]);
    assert.deepEqual(g.warnings, [errorWarning('2025-01-01', '2025-07-01', 'change 0 cm < 0.5 cm')]);
  });

  it('measurement error, interval boundary: 27 days is within error (said by the interval), 28 days is not', () => {
    const d27 = grow([
      { date: '2025-01-01', greatestDimensionCm: 10 },
      { date: '2025-01-28', greatestDimensionCm: 12 },
    ])!;
    assert.equal(d27.intervalDays, 27);
    assert.equal(d27.withinMeasurementError, true);
    assert.deepEqual(d27.warnings, [errorWarning('2025-01-01', '2025-01-28', 'interval 27 days < 28')]);
    const d28 = grow([
      { date: '2025-01-01', greatestDimensionCm: 10 },
      { date: '2025-01-29', greatestDimensionCm: 12 },
    ])!;
    assert.equal(d28.intervalDays, 28);
    assert.equal(d28.withinMeasurementError, false);
    assert.deepEqual(d28.warnings, []);
  });

  it('measurement error, size boundary: a 0.3 cm change is within error (said by the change), 0.5 cm is not', () => {
    const small = grow([
      { date: '2025-01-01', greatestDimensionCm: 10 },
      { date: '2025-03-01', greatestDimensionCm: 10.3 },
    ])!;
    assert.equal(small.withinMeasurementError, true);
    assert.deepEqual(small.warnings, [errorWarning('2025-01-01', '2025-03-01', 'change 0.3 cm < 0.5 cm')]);
    const half = grow([
      { date: '2025-01-01', greatestDimensionCm: 10 },
      { date: '2025-07-01', greatestDimensionCm: 10.5 },
    ])!;
    assert.equal(half.withinMeasurementError, false);
    assert.deepEqual(half.warnings, []);
  });

  it('no imaging at all, or undated staging imaging with one scan: no growth result', () => {
    assert.equal(growthKinetics(parseCase({})), null);
    assert.equal(growthKinetics(parseCase({ tumor: { sizeCm: 10, imaging: { date: '2025-04-01' } } })), null);
    assert.equal(grow([{ date: '2025-01-01', greatestDimensionCm: 8 }], {}, 10), null);
  });

  it('at exactly 28 days the interval is long enough: a small change is blamed on the change, not the interval', () => {
    const g = grow([
      { date: '2025-01-01', greatestDimensionCm: 10 },
      { date: '2025-01-29', greatestDimensionCm: 10.2 },
    ])!;
    assert.deepEqual(g.warnings, [errorWarning('2025-01-01', '2025-01-29', 'change 0.2 cm < 0.5 cm')]);
  });

  it('fewer than two dates, or two measurements on the same day: no growth result', () => {
    assert.equal(grow([]), null);
    assert.equal(grow([{ date: '2025-01-01', greatestDimensionCm: 10 }]), null);
    assert.equal(
      grow([
        { date: '2025-01-01', greatestDimensionCm: 10 },
        { date: '2025-01-01', greatestDimensionCm: 12 },
      ]),
      null,
    );
  });

  it('the staging imaging size counts as a measurement when dated and not already in the series', () => {
    // One series point (8 cm on 1 January) + staging size 10 cm dated 1 April: the 8 → 10 cm / 90 days case.
    const g = grow([{ date: '2025-01-01', greatestDimensionCm: 8 }], { date: '2025-04-01' }, 10)!;
    assert.equal(g.from, '2025-01-01');
    assert.equal(g.to, '2025-04-01');
    assert.equal(g.volumeDoublingTimeDays, 93.2);
    assert.deepEqual(g.reasons, [rateLine('2025-01-01', 8, '2025-04-01', 10, 90, '+0.676'), SPHERE, 'Volume doubling time 93.2 days (DT = Δt·ln 2 / ln(V2/V1), Mehrara 2007).']);
    // Dated imaging without a size adds nothing.
    assert.equal(grow([{ date: '2025-01-01', greatestDimensionCm: 8 }], { date: '2025-04-01' }), null);
    const twoPoints = grow(
      [
        { date: '2025-01-01', greatestDimensionCm: 8 },
        { date: '2025-04-01', greatestDimensionCm: 10 },
      ],
      { date: '2025-07-01' },
    )!;
    assert.equal(twoPoints.to, '2025-04-01');
    assert.equal(twoPoints.reasons.length, 3);
  });

  it('the series measurement wins over the staging size on the same date (not counted twice)', () => {
    const g = grow(
      [
        { date: '2025-01-01', greatestDimensionCm: 8 },
        { date: '2025-04-01', greatestDimensionCm: 10 },
      ],
      { date: '2025-04-01' },
      11,
    )!;
    assert.equal(g.rateCmPerMonth, 0.6764);
    assert.deepEqual(g.reasons, [rateLine('2025-01-01', 8, '2025-04-01', 10, 90, '+0.676'), SPHERE, 'Volume doubling time 93.2 days (DT = Δt·ln 2 / ln(V2/V1), Mehrara 2007).']);
  });

  it('three measurements: the earliest and the latest are used, and the reasons say so', () => {
    const g = grow(
      [
        { date: '2025-02-15', greatestDimensionCm: 20 },
        { date: '2025-04-01', greatestDimensionCm: 10 },
      ],
      { date: '2025-01-01' },
      8,
    )!;
    assert.equal(g.volumeDoublingTimeDays, 93.2);
    assert.deepEqual(g.reasons, [
      rateLine('2025-01-01', 8, '2025-04-01', 10, 90, '+0.676'),
      SPHERE,
      'Volume doubling time 93.2 days (DT = Δt·ln 2 / ln(V2/V1), Mehrara 2007).',
      '3 measurements: the rate uses the earliest and the latest.',
    ]);
  });
});

describe('wdlpsGrowthWarning: when it fires and its exact words (REFERENCE-2 §3.2)', () => {
  // Built inside each test, not while the suite is collected (Stryker counts code run at collection as "static").
  const growing = () =>
    grow([
      { date: '2025-01-01', greatestDimensionCm: 15 },
      { date: '2025-07-01', greatestDimensionCm: 19 },
    ])!;
  const tail =
    ': rapid growth of a fatty tumour suggests dedifferentiation — look for a new or enlarging solid nodule and biopsy the solid part. No verified growth cut-off exists (whether this is "rapid" is not determined).';

  it('a WD-LPS growing 15 → 19 cm in 181 days: 0.6727 cm/month, DT 181·ln 2 / (3·ln(19/15)) = 176.9 days', () => {
    assert.deepEqual(wdlpsGrowthWarning(growing(), 'wdlps'), {
      code: 'wdlps-growth-suspect-dedifferentiation',
      path: 'tumor.imaging.series',
      message: `Well-differentiated liposarcoma growing 0.6727 cm/month (volume doubling time 176.9 days)${tail}`,
      sources: ['DDLPS-MRI', 'LUCAS-1994'],
      evidence: 'consensus',
    });
  });

  it('growing greatest dimension but a shrinking ellipsoid volume: the rate only, no doubling time', () => {
    // 10×10×10 → 12×5×5 cm: greatest +2 cm in 181 days, volume 523.6 → 157.1 cm³.
    const g = grow([
      { date: '2025-01-01', diametersCm: [10, 10, 10] },
      { date: '2025-07-01', diametersCm: [12, 5, 5] },
    ])!;
    assert.equal(g.volumeDoublingTimeDays, null);
    assert.equal(wdlpsGrowthWarning(g, 'wdlps')!.message, `Well-differentiated liposarcoma growing 0.3363 cm/month${tail}`);
  });

  it('no warning: no growth result, another family, within measurement error, shrinking or flat', () => {
    assert.equal(wdlpsGrowthWarning(null, 'wdlps'), null);
    assert.equal(wdlpsGrowthWarning(growing(), 'ddlps'), null);
    assert.equal(wdlpsGrowthWarning(growing(), undefined), null);
    assert.equal(wdlpsGrowthWarning({ ...growing(), withinMeasurementError: true }, 'wdlps'), null);
    const shrinking = grow([
      { date: '2025-01-01', greatestDimensionCm: 10 },
      { date: '2025-07-01', greatestDimensionCm: 9 },
    ])!;
    assert.equal(shrinking.withinMeasurementError, false);
    assert.equal(wdlpsGrowthWarning(shrinking, 'wdlps'), null);
    // A rate of exactly 0 beyond measurement error (the rate is rounded to 4 decimals) is not growth.
    const flat: GrowthResult = { ...growing(), rateCmPerMonth: 0, volumeDoublingTimeDays: null };
    assert.equal(wdlpsGrowthWarning(flat, 'wdlps'), null);
  });
});
