import { describe, it, expect } from 'vitest';
import { compileSampler, distributionMean, distributionQuantile } from '../harness/kernel/distributions.ts';
import { SeededRng } from '../harness/kernel/rng.ts';

/** Two-sided 99.9 % normal quantile, Φ⁻¹(0.9995). */
const Z_999 = 3.2905;

describe('empirical(values)', () => {
  it('draws each recorded value with frequency (its count)/n, within its 99.9 % binomial interval', () => {
    const values = [120, 80, 950, 80, 300];
    const expected = new Map([[80, 2 / 5], [120, 1 / 5], [300, 1 / 5], [950, 1 / 5]]);
    const sample = compileSampler({ kind: 'empirical', values });
    const rng = new SeededRng(13);
    const n = 100_000;
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const x = sample(rng);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([80, 120, 300, 950]);
    for (const [v, p] of expected) {
      expect(Math.abs((counts.get(v) ?? 0) / n - p)).toBeLessThan(Z_999 * Math.sqrt((p * (1 - p)) / n));
    }
  });

  it('keeps its own copy of the values', () => {
    const values = [1, 2, 3];
    const sample = compileSampler({ kind: 'empirical', values });
    values.fill(99);
    const rng = new SeededRng(1);
    for (let i = 0; i < 100; i++) expect(sample(rng)).toBeLessThan(4);
  });

  it('has the mean of the values and type-1 quantiles of the sorted values', () => {
    const d = { kind: 'empirical', values: [40, 10, 30, 20] } as const;
    expect(distributionMean(d)).toBe(25);
    expect(distributionQuantile(d, 0)).toBe(10);
    expect(distributionQuantile(d, 0.25)).toBe(10);
    expect(distributionQuantile(d, 0.26)).toBe(20);
    expect(distributionQuantile(d, 0.5)).toBe(20);
    expect(distributionQuantile(d, 0.75)).toBe(30);
    expect(distributionQuantile(d, 1)).toBe(40);
  });
});
