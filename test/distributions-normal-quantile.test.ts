import { describe, it, expect } from 'vitest';
import { normalCdf, normalQuantile } from '../harness/kernel/distributions.ts';

// Reference values: scipy.stats.norm.ppf / norm.cdf (double precision).
const PPF: readonly (readonly [number, number])[] = [
  [1e-300, -37.0470962993612],
  [1e-20, -9.262340089798409],
  [1e-9, -5.9978070150076865],
  [0.001, -3.090232306167813],
  [0.025, -1.9599639845400545],
  [0.2, -0.8416212335729142],
  [0.8, 0.8416212335729143],
  [0.975, 1.959963984540054],
  [0.999, 3.090232306167813],
];
const CDF: readonly (readonly [number, number])[] = [
  [-30, 4.906713927147908e-198],
  [-10, 7.61985302416047e-24],
  [-5, 2.866515718791933e-7],
  [-3, 0.0013498980316300933],
  [-1, 0.15865525393145707],
  [0.5, 0.6914624612740131],
  [2, 0.9772498680518208],
  [6, 0.9999999990134123],
];

describe('normal quantile and CDF', () => {
  it('normalQuantile matches scipy to 1e-14 relative (AS241), far beyond the 1e-9 required', () => {
    for (const [p, z] of PPF) expect(Math.abs(normalQuantile(p) / z - 1)).toBeLessThan(1e-14);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('normalQuantile is −∞ at 0, +∞ at 1 and NaN outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(1.1)).toBeNaN();
    expect(normalQuantile(Number.NaN)).toBeNaN();
  });

  it('normalCdf matches scipy to 3e-13 relative, including the far lower tail', () => {
    for (const [x, p] of CDF) expect(Math.abs(normalCdf(x) / p - 1)).toBeLessThan(3e-13);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
  });

  it('normalCdf inverts normalQuantile across (0, 1)', () => {
    for (let k = 1; k < 1000; k++) {
      const p = k / 1000;
      expect(Math.abs(normalCdf(normalQuantile(p)) - p)).toBeLessThan(1e-13);
    }
  });
});
