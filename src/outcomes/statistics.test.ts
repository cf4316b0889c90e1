import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { binomialQuantile, cumulativeIncidence, funnelLimits, funnelZone, kaplanMeier, median, medianSurvival, normalQuantile, numbersAtRisk, survivalAt } from './statistics.ts';

const close = (actual: number, expected: number, tolerance: number, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} ${actual} ≠ ${expected} ± ${tolerance}`);

/**
 * The 6-MP arm of Freireich's leukaemia trial (Gehan 1965), weeks of remission; `*` censored.
 * Its Kaplan–Meier estimates and Greenwood standard errors are printed in survival textbooks
 * (e.g. Kleinbaum & Klein, Survival Analysis, ch. 2; Klein & Moeschberger): the expected values below.
 */
const SIX_MP = '6 6 6 6* 7 9* 10 10* 11* 13 16 17* 19* 20* 22 23 25* 32* 32* 34* 35*'
  .split(' ')
  .map((t) => ({ time: Number.parseInt(t, 10), event: !t.endsWith('*') }));

describe('Kaplan–Meier (Gehan 6-MP data, published values)', () => {
  const curve = kaplanMeier(SIX_MP);
  const published: [number, number, number, number][] = [
    // time, at risk, S(t), Greenwood SE
    [6, 21, 0.857, 0.076],
    [7, 17, 0.807, 0.087],
    [10, 15, 0.753, 0.096],
    [13, 12, 0.69, 0.107],
    [16, 11, 0.627, 0.114],
    [22, 7, 0.538, 0.128],
    [23, 6, 0.448, 0.135],
  ];

  it('survival and standard error at every event time', () => {
    assert.equal(curve.steps.length, published.length);
    published.forEach(([time, atRisk, s, se], i) => {
      const step = curve.steps[i]!;
      assert.equal(step.time, time);
      assert.equal(step.atRisk, atRisk);
      close(step.survival, s, 0.0006, `S(${time})`);
      close(step.standardError, se, 0.0006, `SE(${time})`);
    });
    assert.equal(curve.events, 9);
    assert.equal(medianSurvival(curve), 23);
  });

  it('95 % log(−log) limits at 6 weeks, computed by hand: (0.620, 0.952)', () => {
    // Greenwood sum 3/(21·18) = 0.0079365; se(log(−log S)) = 0.08909/0.15415 = 0.5779;
    // exp(−exp(log 0.15415 ± 1.96·0.5779)) = 0.620 and 0.952.
    close(curve.steps[0]!.lower, 0.6197, 0.0005, 'lower');
    close(curve.steps[0]!.upper, 0.9516, 0.0005, 'upper');
  });

  it('a step function: survival between event times is the last step; numbers at risk count times ≥ t', () => {
    assert.equal(survivalAt(curve, 5).survival, 1);
    close(survivalAt(curve, 12).survival, 0.753, 0.0006);
    assert.deepEqual(numbersAtRisk(SIX_MP, [0, 10, 20, 30]), [21, 15, 8, 4]);
  });

  it('properties: survival never rises, limits bracket it and stay in [0, 1]', () => {
    const data = fc.array(fc.record({ time: fc.integer({ min: 0, max: 120 }), event: fc.boolean() }), { minLength: 1, maxLength: 80 });
    fc.assert(
      fc.property(data, (d) => {
        let previous = 1;
        for (const s of kaplanMeier(d).steps) {
          assert.ok(s.survival <= previous + 1e-12);
          assert.ok(s.lower <= s.survival + 1e-12 && s.survival <= s.upper + 1e-12);
          assert.ok(s.lower >= 0 && s.upper <= 1);
          previous = s.survival;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('cumulative incidence with a competing event (Aalen–Johansen)', () => {
  it('a hand-computed example, and 1 − KM overstating it', () => {
    // t=2 LR (n=5): CIF = 1/5 = 0.2, S = 0.8; t=3 death (n=4): S = 0.6; t=4 censored;
    // t=5 LR (n=2): CIF = 0.2 + 0.6·1/2 = 0.5, S = 0.3; t=6 death (n=1).
    const data = [
      { time: 2, cause: 1 as const },
      { time: 3, cause: 2 as const },
      { time: 4, cause: 0 as const },
      { time: 5, cause: 1 as const },
      { time: 6, cause: 2 as const },
    ];
    const steps = cumulativeIncidence(data);
    assert.deepEqual(steps.map((s) => [s.time, s.atRisk, Number(s.incidence.toFixed(10))]), [[2, 5, 0.2], [3, 4, 0.2], [5, 2, 0.5], [6, 1, 0.5]]);
    // Censoring the deaths instead: S = 0.8 at 2, 0.8·1/2 = 0.4 at 5 → 1 − KM = 0.6 > 0.5.
    const naive = kaplanMeier(data.map((d) => ({ time: d.time, event: d.cause === 1 })));
    close(1 - naive.steps.at(-1)!.survival, 0.6, 1e-12);
  });

  it('property: the incidences of both causes add up to 1 − KM of any event', () => {
    const data = fc.array(fc.record({ time: fc.integer({ min: 0, max: 60 }), cause: fc.constantFrom(0 as const, 1 as const, 2 as const) }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(data, (d) => {
        const one = cumulativeIncidence(d);
        const two = cumulativeIncidence(d.map((x) => ({ time: x.time, cause: x.cause === 0 ? 0 : ((3 - x.cause) as 1 | 2) })));
        const any = kaplanMeier(d.map((x) => ({ time: x.time, event: x.cause !== 0 })));
        const last = (steps: { incidence: number }[]) => steps.at(-1)?.incidence ?? 0;
        const survival = any.steps.at(-1)?.survival ?? 1;
        close(last(one) + last(two), 1 - survival, 1e-9);
      }),
      { numRuns: 300 },
    );
  });
});

describe('funnel-plot limits (Spiegelhalter)', () => {
  it('normal approximation by hand: p0 = 0.164, n = 100 → 95 % [0.0914, 0.2366], 99.8 % [0.0496, 0.2784]', () => {
    // sd = √(0.164·0.836/100) = 0.037028
    const l = funnelLimits(0.164, 100, 'normal-approximation');
    close(l.lower95, 0.0914, 0.0001);
    close(l.upper95, 0.2366, 0.0001);
    close(l.lower998, 0.0496, 0.0001);
    close(l.upper998, 0.2784, 0.0001);
  });

  it('exact binomial quantiles agree with a direct summation written here (pmf by recurrence)', () => {
    const quantile = (q: number, n: number, p: number) => {
      let pmf = (1 - p) ** n;
      let cdf = pmf;
      let k = 0;
      while (cdf < q - 1e-12 && k < n) {
        pmf *= ((n - k) / (k + 1)) * (p / (1 - p));
        k++;
        cdf += pmf;
      }
      return k;
    };
    for (const [n, p] of [[10, 0.164], [25, 0.018], [40, 0.349], [80, 0.82]] as const) {
      for (const q of [0.001, 0.025, 0.975, 0.999]) assert.equal(binomialQuantile(q, n, p), quantile(q, n, p), `n=${n} p=${p} q=${q}`);
    }
    const limits = funnelLimits(0.164, 20);
    assert.equal(limits.method, 'exact-binomial');
    assert.equal(limits.upper95, quantile(0.975, 20, 0.164) / 20);
  });

  it('zones: beyond 99.8 % is an alarm, beyond 95 % an alert, on the worse side only', () => {
    const l = funnelLimits(0.164, 100, 'normal-approximation');
    assert.equal(funnelZone(0.3, l, true), 'alarm');
    assert.equal(funnelZone(0.25, l, true), 'alert');
    assert.equal(funnelZone(0.01, l, true), 'within');
    assert.equal(funnelZone(0.01, l, false), 'alarm');
  });

  it('normal quantile and median', () => {
    close(normalQuantile(0.975), 1.959964, 1e-6);
    close(normalQuantile(0.999), 3.090232, 1e-6);
    close(normalQuantile(0.001), -3.090232, 1e-6);
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([]), null);
  });
});
