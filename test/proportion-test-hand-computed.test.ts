import { describe, expect, it } from 'vitest';
import { normalUpperTail, twoProportionTest } from '../reports/compare/proportion-test.ts';

describe('twoProportionTest', () => {
  it('matches a hand computation: 45/50 against 35/50', () => {
    // p1 = 0.9, p2 = 0.7, pooled 0.8: se = √(0.8 · 0.2 · (1/50 + 1/50)) = 0.08, z = −0.2 / 0.08 = −2.5,
    // p = 2 (1 − Φ(2.5)) = 0.0124193. Interval: −0.2 ± 1.959964 · √(0.9·0.1/50 + 0.7·0.3/50) = −0.2 ± 0.151818.
    const test = twoProportionTest(45, 50, 35, 50);
    expect(test.difference).toBeCloseTo(-0.2, 12);
    expect(test.z).toBeCloseTo(-2.5, 12);
    expect(test.pValue).toBeCloseTo(0.0124193, 6);
    expect(test.lo).toBeCloseTo(-0.351818, 5);
    expect(test.hi).toBeCloseTo(-0.048182, 5);
  });

  it('gives p = 1 and a zero-width interval when both sides are all successes', () => {
    expect(twoProportionTest(20, 20, 30, 30)).toEqual({ difference: 0, z: 0, pValue: 1, lo: 0, hi: 0 });
  });

  it('has normal tail probabilities within 1.2e-7 relative error', () => {
    // Φ̄(1.959963984540054) = 0.025, Φ̄(0) = 0.5, Φ̄(3) = 0.001349898, Φ̄(−1) = 0.841344746.
    expect(normalUpperTail(1.959963984540054) / 0.025).toBeCloseTo(1, 6);
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(3) / 0.001349898031630).toBeCloseTo(1, 6);
    expect(normalUpperTail(-1)).toBeCloseTo(0.841344746068543, 7);
  });

  it('rejects counts that are not proportions', () => {
    expect(() => twoProportionTest(6, 5, 1, 2)).toThrow(/successes <= n/);
    expect(() => twoProportionTest(0, 0, 1, 2)).toThrow(/n >= 1/);
  });
});
