import { describe, it, expect } from 'vitest';
import { compileSampler, distributionMean, distributionQuantile } from '../harness/kernel/distributions.ts';
import { SeededRng } from '../harness/kernel/rng.ts';

describe('exponential(mean)', () => {
  const mean = 250;
  const d = { kind: 'exponential', mean } as const;
  const n = 200_000;

  it('has sample mean within 6 SE (SE = mean/√n) and median within 6 SE of mean·ln 2', () => {
    const sample = compileSampler(d);
    const rng = new SeededRng(77);
    const draws = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = sample(rng);
      expect(x).toBeGreaterThanOrEqual(0);
      draws[i] = x;
      sum += x;
    }
    expect(Math.abs(sum / n - mean)).toBeLessThan((6 * mean) / Math.sqrt(n));
    draws.sort();
    // SE of the sample median = 1/(2 f(m) √n), f(m) = 1/(2·mean), so SE = mean/√n.
    expect(Math.abs((draws[n / 2] as number) - mean * Math.LN2)).toBeLessThan((6 * mean) / Math.sqrt(n));
  });

  it('has closed-form mean and quantiles −mean·ln(1 − q)', () => {
    expect(distributionMean(d)).toBe(mean);
    expect(distributionQuantile(d, 0.5)).toBeCloseTo(mean * Math.LN2, 10);
    expect(distributionQuantile(d, 0.99)).toBeCloseTo(mean * Math.log(100), 10);
    expect(distributionQuantile(d, 0)).toBe(0);
    expect(distributionQuantile(d, 1)).toBe(Infinity);
  });
});
