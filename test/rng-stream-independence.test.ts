import { describe, it, expect } from 'vitest';
import { SeededRng, STREAM_NAMES, deriveRng } from '../harness/kernel/rng.ts';

describe('named streams are independent by construction', () => {
  it('deriving and drawing from extra streams does not change another stream\'s draws', () => {
    const alone = deriveRng(2024, 'latency', 3);
    const expected = Array.from({ length: 200 }, () => alone.next());

    const latency = deriveRng(2024, 'latency', 3);
    const got: number[] = [];
    for (let i = 0; i < 200; i++) {
      // a new consumer appears mid-run and draws heavily, interleaved with the latency stream
      const extra = deriveRng(2024, 'faults', 3, i);
      extra.next();
      extra.nextUint32();
      deriveRng(2024, 'tokens', 3).next();
      got.push(latency.next());
    }
    expect(got).toEqual(expected);
  });

  it('gives each stream name its own sequence', () => {
    const firsts = STREAM_NAMES.map((name) => deriveRng(1, name).nextUint32());
    expect(new Set(firsts).size).toBe(STREAM_NAMES.length);
  });

  it('first draws of adjacent seeds are uncorrelated (|r| < 6/sqrt(n))', () => {
    const n = 100_000;
    const x = Array.from({ length: n }, (_, s) => new SeededRng(s).next());
    const y = Array.from({ length: n }, (_, s) => new SeededRng(s + 1).next());
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
      mx += (x[i] as number) / n;
      my += (y[i] as number) / n;
    }
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      const dx = (x[i] as number) - mx;
      const dy = (y[i] as number) - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    // Under independence r has standard error 1/sqrt(n); 6 SE never flakes with a fixed seed range.
    expect(Math.abs(sxy / Math.sqrt(sxx * syy))).toBeLessThan(6 / Math.sqrt(n));
  });
});
