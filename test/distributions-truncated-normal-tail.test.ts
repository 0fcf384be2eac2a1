import { describe, it, expect } from 'vitest';
import { compileSampler, distributionMean, distributionQuantile } from '../harness/kernel/distributions.ts';
import type { Distribution } from '../harness/kernel/distribution-types.ts';
import { SeededRng } from '../harness/kernel/rng.ts';

// A cut above the mean keeps only a tail; the sampler inverts that tail exactly, one uniform per
// draw, instead of resampling (which would need ~44 tries per draw at 2 sds, ~1e23 at 10).
describe('normal truncated above its mean', () => {
  const twoSds: Distribution = { kind: 'normal', mean: 0, sd: 1, min: 2 };
  const tenSds: Distribution = { kind: 'normal', mean: 0, sd: 1, min: 10 };

  it('has the mean and quantiles of scipy.stats.truncnorm', () => {
    expect(distributionMean(twoSds)).toBeCloseTo(2.37321553282284, 10);
    expect(distributionQuantile(twoSds, 0.1)).toBeCloseTo(2.0440335029544965, 10);
    expect(distributionQuantile(twoSds, 0.5)).toBeCloseTo(2.2776048388094594, 10);
    expect(distributionQuantile(twoSds, 0.9)).toBeCloseTo(2.837275980456457, 10);
    expect(distributionMean(tenSds)).toBeCloseTo(10.098093233962564, 8);
    expect(distributionQuantile(tenSds, 0.5)).toBeCloseTo(10.06841183608143, 8);
    expect(distributionQuantile(tenSds, 0.9)).toBeCloseTo(10.2255268112022, 8);
  });

  it('draws never fall below min, and their mean is within 6 SE of the closed form', () => {
    const n = 200_000;
    const sample = compileSampler(twoSds);
    const rng = new SeededRng(21);
    let sum = 0;
    let min = Infinity;
    for (let i = 0; i < n; i++) {
      const x = sample(rng);
      sum += x;
      if (x < min) min = x;
    }
    expect(min).toBeGreaterThanOrEqual(2);
    // truncnorm(2, inf).std() = 0.33805
    expect(Math.abs(sum / n - 2.37321553282284)).toBeLessThan((6 * 0.33805) / Math.sqrt(n));
  });

  it('samples a cut 10 sds out without stalling', () => {
    const sample = compileSampler(tenSds);
    const rng = new SeededRng(22);
    for (let i = 0; i < 10_000; i++) {
      const x = sample(rng);
      expect(x).toBeGreaterThanOrEqual(10);
      expect(x).toBeLessThan(12);
    }
  });
});
