import { describe, it, expect } from 'vitest';
import { compileSampler, distributionMean, distributionQuantile } from '../harness/kernel/distributions.ts';
import type { Distribution } from '../harness/kernel/distribution-types.ts';
import { SeededRng } from '../harness/kernel/rng.ts';

function moments(d: Distribution, n: number, seed: number): { mean: number; sd: number; min: number } {
  const sample = compileSampler(d);
  const rng = new SeededRng(seed);
  let sum = 0;
  let sumSq = 0;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const x = sample(rng);
    sum += x;
    sumSq += x * x;
    if (x < min) min = x;
  }
  const mean = sum / n;
  return { mean, sd: Math.sqrt((sumSq - n * mean * mean) / (n - 1)), min };
}

describe('normal distribution', () => {
  const n = 200_000;

  it('untruncated (min = -Infinity): sample mean and sd within 6 standard errors', () => {
    const d: Distribution = { kind: 'normal', mean: 300, sd: 50, min: -Infinity };
    const got = moments(d, n, 5);
    // SE(mean) = sd/√n; SE(sd) ≈ sd/√(2n) for a normal sample.
    expect(Math.abs(got.mean - 300)).toBeLessThan((6 * 50) / Math.sqrt(n));
    expect(Math.abs(got.sd - 50)).toBeLessThan((6 * 50) / Math.sqrt(2 * n));
    expect(distributionMean(d)).toBe(300);
  });

  it('truncated at min = 0 with the mean 2 sds away: never below min, mean as the closed form', () => {
    const d: Distribution = { kind: 'normal', mean: 100, sd: 50, min: 0 };
    // scipy.stats.truncnorm(-2, inf, loc=100, scale=50).mean() = 102.7623931339495
    expect(distributionMean(d)).toBeCloseTo(102.7623931339495, 9);
    const got = moments(d, n, 6);
    expect(got.min).toBeGreaterThanOrEqual(0);
    // the truncated sd (47.08) is below 50, so 50/√n bounds the SE of the mean
    expect(Math.abs(got.mean - 102.7623931339495)).toBeLessThan((6 * 50) / Math.sqrt(n));
  });

  it('quantiles of the truncated law match scipy.stats.truncnorm', () => {
    const d: Distribution = { kind: 'normal', mean: 100, sd: 50, min: 0 };
    expect(distributionQuantile(d, 0.1)).toBeCloseTo(41.36925075814026, 8);
    expect(distributionQuantile(d, 0.5)).toBeCloseTo(101.42584632954588, 8);
    expect(distributionQuantile(d, 0.9)).toBeCloseTo(164.73119933225672, 8);
    expect(distributionQuantile(d, 0)).toBe(0);
    expect(distributionQuantile(d, 1)).toBe(Infinity);
  });

  it('sd 0 always gives the mean', () => {
    const sample = compileSampler({ kind: 'normal', mean: 12, sd: 0, min: 0 });
    const rng = new SeededRng(1);
    for (let i = 0; i < 100; i++) expect(sample(rng)).toBe(12);
  });
});
