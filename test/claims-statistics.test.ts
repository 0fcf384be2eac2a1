import { describe, expect, it } from 'vitest';
import { meanInterval } from '../harness/kernel/statistics.ts';
import { verdictOf } from '../reports/claims/claims-measure.ts';

describe('the mean of replicates and its Student-t interval', () => {
  it('is mean ± t(0.975, n − 1) · s / √n: 1…5 gives 3 ± 2.776 · 1.5811 / √5', () => {
    const { mean, lo, hi } = meanInterval([1, 2, 3, 4, 5]);
    const half = (2.776 * Math.sqrt(2.5)) / Math.sqrt(5);
    expect(mean).toBe(3);
    expect(lo).toBeCloseTo(3 - half, 12);
    expect(hi).toBeCloseTo(3 + half, 12);
  });

  it('uses z past 30 degrees of freedom, and no spread for one replicate', () => {
    const values = Array.from({ length: 41 }, (_value, index) => index);
    const { mean, hi } = meanInterval(values);
    const sd = Math.sqrt(values.reduce((sum, value) => sum + (value - 20) ** 2, 0) / 40);
    expect(mean).toBe(20);
    expect(hi).toBeCloseTo(20 + (1.959963984540054 * sd) / Math.sqrt(41), 12);
    expect(meanInterval([7])).toEqual({ mean: 7, lo: 7, hi: 7 });
  });

  it('refuses an empty list or a value that is not finite', () => {
    expect(() => meanInterval([])).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => meanInterval([1, Number.NaN])).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

describe('a verdict against the article’s range', () => {
  const figure = (mean: number, lo: number, hi: number) => ({ mean, lo, hi });

  it('holds when the interval lies inside the range, partly when they overlap, not when disjoint', () => {
    expect(verdictOf([figure(40, 35, 45)], 30, 50)).toBe('holds');
    expect(verdictOf([figure(50, 45, 55)], 30, 50)).toBe('partly');
    expect(verdictOf([figure(25, 20, 29.9)], 30, 50)).toBe('does not hold');
    expect(verdictOf([figure(67, 66.9, 67.1)], 40, 60)).toBe('does not hold');
  });

  it('compares a range claim’s measured p5–p95 with the range', () => {
    expect(verdictOf([figure(13, 12.5, 13.5), figure(19, 18.5, 19.5)], 12, 20)).toBe('holds');
    expect(verdictOf([figure(11.2, 11, 11.3), figure(16.9, 16.8, 17)], 12, 20)).toBe('partly');
    expect(verdictOf([figure(21, 20.5, 21.5), figure(25, 24, 26)], 12, 20)).toBe('does not hold');
  });

  it('is "not measured" without a figure', () => {
    expect(verdictOf([], 60, 80)).toBe('not measured');
  });
});
