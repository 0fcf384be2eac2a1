import { describe, it, expect } from 'vitest';
import { SeededRng } from '../harness/kernel/rng.ts';

/** Two-sided 99.9 % normal quantile, Φ⁻¹(0.9995). */
const Z_999 = 3.2905;

describe('SeededRng.weighted', () => {
  it('picks each index with frequency weight/sum, within its 99.9 % binomial interval', () => {
    const weights = [1, 2, 3, 4, 0.5, 9.5];
    const total = weights.reduce((a, b) => a + b, 0);
    const n = 200_000;
    const rng = new SeededRng(31337);
    const counts = new Array<number>(weights.length).fill(0);
    for (let i = 0; i < n; i++) counts[rng.weighted(weights)]! += 1;
    weights.forEach((w, i) => {
      const p = w / total;
      const halfWidth = Z_999 * Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(counts[i]! / n - p)).toBeLessThan(halfWidth);
    });
  });

  it('never picks a zero weight, even first or last', () => {
    const rng = new SeededRng(8);
    const weights = [0, 1, 0, 3, 0];
    for (let i = 0; i < 10_000; i++) expect([1, 3]).toContain(rng.weighted(weights));
  });

  it('consumes exactly one draw per pick', () => {
    const a = new SeededRng(77);
    const b = new SeededRng(77);
    a.weighted([1, 1, 1]);
    a.weighted([5, 0, 2]);
    b.next();
    b.next();
    expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it('rejects negative, non-finite and all-zero weights', () => {
    const rng = new SeededRng(1);
    expect(() => rng.weighted([1, -1])).toThrow(RangeError);
    expect(() => rng.weighted([1, Number.NaN])).toThrow(/weight 1 is NaN/);
    expect(() => rng.weighted([Infinity])).toThrow(RangeError);
    expect(() => rng.weighted([0, 0])).toThrow(/at least one positive weight/);
    expect(() => rng.weighted([])).toThrow(/at least one positive weight/);
  });
});
