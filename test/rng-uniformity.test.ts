import { describe, it, expect } from 'vitest';
import { SeededRng, deriveRng } from '../harness/kernel/rng.ts';

/** Chi-square critical value at 99.99 % for 99 degrees of freedom (scipy.stats.chi2.ppf(0.9999, 99)). */
const CHI2_99_DF_9999 = 160.0557;

function chiSquare(counts: readonly number[], total: number): number {
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + ((c - expected) * (c - expected)) / expected, 0);
}

describe('SeededRng uniformity', () => {
  it('draws in [0, 1) whose mean over 1e6 draws is within 0.002 of 0.5', () => {
    // SE of the mean is sqrt(1/12)/1000 ≈ 0.00029, so 0.002 is about 7 SE.
    const rng = new SeededRng(20240601);
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < 1e6; i++) {
      const u = rng.next();
      sum += u;
      if (u < min) min = u;
      if (u > max) max = u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / 1e6 - 0.5)).toBeLessThan(0.002);
  });

  it('fills 100 equal bins with a chi-square below the 99.99 % critical value (160.06, 99 df)', () => {
    const rng = deriveRng(7, 'latency');
    const n = 1e6;
    const counts = new Array<number>(100).fill(0);
    for (let i = 0; i < n; i++) counts[Math.floor(rng.next() * 100)]! += 1;
    expect(chiSquare(counts, n)).toBeLessThan(CHI2_99_DF_9999);
  });

  it('spreads the low bits evenly too (nextUint32 % 100, same chi-square bound)', () => {
    const rng = new SeededRng(99);
    const n = 1e6;
    const counts = new Array<number>(100).fill(0);
    // 2^32 mod 100 = 96, so the modulo bias is below 1e-8 per bin: negligible here.
    for (let i = 0; i < n; i++) counts[rng.nextUint32() % 100]! += 1;
    expect(chiSquare(counts, n)).toBeLessThan(CHI2_99_DF_9999);
  });

  it('makes the first draw of 1e5 consecutive seeds uniform (seeding mixes well)', () => {
    const n = 1e5;
    const counts = new Array<number>(100).fill(0);
    for (let seed = 0; seed < n; seed++) counts[Math.floor(new SeededRng(seed).next() * 100)]! += 1;
    expect(chiSquare(counts, n)).toBeLessThan(CHI2_99_DF_9999);
  });
});
