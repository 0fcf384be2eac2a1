import { describe, it, expect } from 'vitest';
import { compileSampler, distributionMean, distributionQuantile } from '../harness/kernel/distributions.ts';
import { SeededRng } from '../harness/kernel/rng.ts';

describe('uniform(min, max)', () => {
  const d = { kind: 'uniform', min: 40, max: 90 } as const;

  it('stays in [min, max) and has mean within 6 SE of (min + max)/2', () => {
    const n = 200_000;
    const sample = compileSampler(d);
    const rng = new SeededRng(3);
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = sample(rng);
      sum += x;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    expect(lo).toBeGreaterThanOrEqual(40);
    expect(hi).toBeLessThan(90);
    // both ends are approached: the gap to each bound is ~ width/n
    expect(lo).toBeLessThan(40.01);
    expect(hi).toBeGreaterThan(89.99);
    expect(Math.abs(sum / n - 65)).toBeLessThan((6 * (50 / Math.sqrt(12))) / Math.sqrt(n));
  });

  it('has closed-form mean and quantiles', () => {
    expect(distributionMean(d)).toBe(65);
    expect(distributionQuantile(d, 0.25)).toBe(52.5);
    expect(distributionQuantile(d, 1)).toBe(90);
  });

  it('min = max always gives min', () => {
    const sample = compileSampler({ kind: 'uniform', min: 5, max: 5 });
    expect(sample(new SeededRng(1))).toBe(5);
  });
});
