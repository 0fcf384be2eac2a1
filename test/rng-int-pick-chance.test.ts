import { describe, it, expect } from 'vitest';
import { SeededRng } from '../harness/kernel/rng.ts';

/** Two-sided 99.9 % normal quantile, Φ⁻¹(0.9995). */
const Z_999 = 3.2905;

describe('SeededRng.int, pick and chance', () => {
  it('int(k) covers exactly 0..k-1', () => {
    const rng = new SeededRng(10);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const v = rng.int(7);
      expect(Number.isInteger(v)).toBe(true);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rng.int(1)).toBe(0);
    expect(new SeededRng(1).int(2 ** 32)).toBe(new SeededRng(1).nextUint32());
  });

  it('int rejects sizes that are not integers in [1, 2^32]', () => {
    const rng = new SeededRng(1);
    for (const bad of [0, -3, 2.5, Number.NaN, 2 ** 32 + 1, Infinity]) expect(() => rng.int(bad)).toThrow(RangeError);
  });

  it('pick returns every item, and refuses an empty list', () => {
    const rng = new SeededRng(11);
    const items = ['a', 'b', 'c'] as const;
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) seen.add(rng.pick(items));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
    expect(() => rng.pick([])).toThrow(RangeError);
  });

  it('chance(p) is true with frequency p within its 99.9 % binomial interval; 0 never, 1 always', () => {
    const rng = new SeededRng(12);
    const n = 200_000;
    for (const p of [0.01, 0.3, 0.75]) {
      let hits = 0;
      for (let i = 0; i < n; i++) if (rng.chance(p)) hits++;
      expect(Math.abs(hits / n - p)).toBeLessThan(Z_999 * Math.sqrt((p * (1 - p)) / n));
    }
    for (let i = 0; i < 10_000; i++) {
      expect(rng.chance(0)).toBe(false);
      expect(rng.chance(1)).toBe(true);
    }
  });
});
