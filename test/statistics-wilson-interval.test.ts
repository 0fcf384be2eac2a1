import { describe, expect, it } from 'vitest';
import { wilsonInterval, Z_95 } from '../harness/kernel/statistics.ts';

// Published 95 % Wilson score intervals (no continuity correction): Newcombe, "Two-sided confidence
// intervals for the single proportion", Statistics in Medicine 17 (1998), method 3; 8/10 is the
// textbook example; 3/4 worked by hand from the closed form (centre 0.62753 ± 0.32688).
const PUBLISHED: readonly [number, number, number, number][] = [
  [81, 263, 0.2553, 0.3662],
  [15, 148, 0.0624, 0.1605],
  [0, 20, 0, 0.1611],
  [1, 29, 0.0061, 0.1718],
  [8, 10, 0.4902, 0.9433],
  [3, 4, 0.3006, 0.9544],
];

describe('wilsonInterval', () => {
  it.each(PUBLISHED)('gives the published 95%% interval for %i/%i (to 4 decimals)', (successes, n, lo, hi) => {
    const interval = wilsonInterval(successes, n);
    expect(interval?.lo).toBeCloseTo(lo, 4);
    expect(interval?.hi).toBeCloseTo(hi, 4);
  });

  it('uses z = 1.959963984540054 by default', () => {
    expect(Z_95).toBe(1.959963984540054);
    expect(wilsonInterval(8, 10)).toEqual(wilsonInterval(8, 10, Z_95));
  });

  it('widens with z (99 %: 8/10 → centre 0.68035 ± 0.27952, worked by hand)', () => {
    const interval = wilsonInterval(8, 10, 2.5758293035489);
    expect(interval?.lo).toBeCloseTo(0.4008, 4);
    expect(interval?.hi).toBeCloseTo(0.9599, 4);
  });

  it('starts exactly at 0 for 0/n and ends exactly at 1 for n/n', () => {
    expect(wilsonInterval(0, 10)).toEqual({ lo: 0, hi: expect.closeTo(0.2775, 4) });
    expect(wilsonInterval(10, 10)).toEqual({ lo: expect.closeTo(0.7225, 4), hi: 1 });
    expect(wilsonInterval(1, 1)).toEqual({ lo: expect.closeTo(0.2065, 4), hi: 1 });
  });

  it('returns null when there are no trials', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('rejects impossible counts with USAGE', () => {
    for (const [successes, n] of [[11, 10], [-1, 10], [1.5, 10], [0, -1]] as const) {
      expect(() => wilsonInterval(successes, n)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    }
  });
});
