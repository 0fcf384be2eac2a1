import { describe, it, expect } from 'vitest';
import { compileSampler } from '../harness/kernel/distributions.ts';
import type { Distribution } from '../harness/kernel/distribution-types.ts';
import { SeededRng } from '../harness/kernel/rng.ts';

describe('a compiled sampler keeps no state between calls', () => {
  const kinds: Distribution[] = [
    { kind: 'normal', mean: 10, sd: 3, min: -Infinity },
    { kind: 'lognormal', p50: 100, p95: 400 },
    { kind: 'exponential', mean: 2 },
    { kind: 'empirical', values: [3, 1, 4, 1, 5] },
    { kind: 'uniform', min: 0, max: 1 },
  ];

  for (const d of kinds) {
    it(`${d.kind}: two interleaved rngs each get their own sequence`, () => {
      const sample = compileSampler(d);
      const alone = (seed: number) => {
        const rng = new SeededRng(seed);
        return Array.from({ length: 500 }, () => sample(rng));
      };
      const expectedA = alone(1);
      const expectedB = alone(2);

      const a = new SeededRng(1);
      const b = new SeededRng(2);
      const gotA: number[] = [];
      const gotB: number[] = [];
      for (let i = 0; i < 500; i++) {
        gotA.push(sample(a));
        gotB.push(sample(b));
        if (i % 3 === 0) gotB.push(sample(b)); // uneven interleaving
      }
      expect(gotA).toEqual(expectedA);
      expect(gotB.slice(0, 500)).toEqual(expectedB);
    });
  }

  it('two samplers compiled from the same distribution agree draw for draw', () => {
    const d: Distribution = { kind: 'lognormal', p50: 2000, p95: 6000 };
    const first = compileSampler(d);
    const second = compileSampler(d);
    const a = new SeededRng(9);
    const b = new SeededRng(9);
    for (let i = 0; i < 1000; i++) expect(first(a)).toBe(second(b));
  });
});
