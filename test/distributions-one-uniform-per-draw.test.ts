import { describe, it, expect } from 'vitest';
import { compileSampler } from '../harness/kernel/distributions.ts';
import type { Distribution, Rng } from '../harness/kernel/distribution-types.ts';
import { SeededRng } from '../harness/kernel/rng.ts';

const ALL_KINDS: Distribution[] = [
  { kind: 'fixed', value: 7 },
  { kind: 'uniform', min: 1, max: 2 },
  { kind: 'normal', mean: 10, sd: 3, min: 0 },
  { kind: 'normal', mean: 0, sd: 1, min: 3 },
  { kind: 'normal', mean: 5, sd: 0, min: 0 },
  { kind: 'lognormal', p50: 100, p95: 400 },
  { kind: 'exponential', mean: 2 },
  { kind: 'empirical', values: [3, 1, 4, 1, 5] },
];

describe('every sampler consumes exactly one uniform per draw', () => {
  for (const d of ALL_KINDS) {
    it(`${d.kind} ${JSON.stringify(d)}`, () => {
      const inner = new SeededRng(42);
      let calls = 0;
      const counting: Rng = {
        next: () => {
          calls++;
          return inner.next();
        },
      };
      const sample = compileSampler(d);
      for (let i = 0; i < 1000; i++) sample(counting);
      expect(calls).toBe(1000);
    });
  }

  it('fixed returns its value whatever the uniform', () => {
    const sample = compileSampler({ kind: 'fixed', value: 7 });
    for (const u of [0, 0.5, 1 - 2 ** -32]) expect(sample({ next: () => u })).toBe(7);
  });

  it('maps the extreme uniforms 0 and 1 − 2^-32 to finite values', () => {
    for (const d of ALL_KINDS) {
      const sample = compileSampler(d);
      for (const u of [0, 1 - 2 ** -32]) expect(Number.isFinite(sample({ next: () => u }))).toBe(true);
    }
  });

  it('is monotone in the uniform (inverse CDF), so common random numbers line up across variants', () => {
    for (const d of ALL_KINDS) {
      const sample = compileSampler(d);
      let previous = -Infinity;
      for (let k = 0; k <= 1000; k++) {
        const x = sample({ next: () => Math.min(k / 1000, 1 - 2 ** -32) });
        expect(x).toBeGreaterThanOrEqual(previous);
        previous = x;
      }
    }
  });
});
