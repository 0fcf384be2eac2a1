import { describe, expect, it } from 'vitest';
import { nearestRankIndex } from '../harness/kernel/statistics.ts';

describe('nearestRankIndex', () => {
  it('is the smallest rank r with r/n >= q, as a 0-based index', () => {
    expect(nearestRankIndex(4, 0.5)).toBe(1);
    expect(nearestRankIndex(5, 0.5)).toBe(2);
    expect(nearestRankIndex(20, 0.95)).toBe(18);
    expect(nearestRankIndex(20, 0.99)).toBe(19);
    expect(nearestRankIndex(100, 0.95)).toBe(94);
    expect(nearestRankIndex(1000, 0.999)).toBe(998);
  });

  it('is not thrown off by floating-point error in q × n (0.07 × 100 = 7.000000000000001)', () => {
    expect(0.07 * 100).toBeGreaterThan(7);
    expect(nearestRankIndex(100, 0.07)).toBe(6);
    expect(nearestRankIndex(100, 0.29)).toBe(28);
  });

  it('maps q = 0 to the first value and q = 1 to the last', () => {
    expect(nearestRankIndex(7, 0)).toBe(0);
    expect(nearestRankIndex(7, 1)).toBe(6);
    expect(nearestRankIndex(1, 0.99)).toBe(0);
  });

  it('rejects an empty set or q outside [0, 1] with USAGE', () => {
    expect(() => nearestRankIndex(0, 0.5)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => nearestRankIndex(10, 1.5)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => nearestRankIndex(10, Number.NaN)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
