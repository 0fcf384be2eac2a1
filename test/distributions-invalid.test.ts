import { describe, it, expect } from 'vitest';
import {
  compileSampler,
  distributionMean,
  distributionProblem,
  distributionQuantile,
} from '../harness/kernel/distributions.ts';
import type { Distribution } from '../harness/kernel/distribution-types.ts';
import { HarnessError } from '../harness/kernel/errors.ts';

const INVALID: readonly (readonly [Distribution, RegExp])[] = [
  [{ kind: 'fixed', value: Number.NaN }, /value must be a finite number/],
  [{ kind: 'uniform', min: 5, max: 1 }, /min \(5\) must not exceed max \(1\)/],
  [{ kind: 'uniform', min: 0, max: Infinity }, /min and max must be finite/],
  [{ kind: 'normal', mean: 1, sd: -1, min: 0 }, /sd must be a finite number ≥ 0/],
  [{ kind: 'normal', mean: Infinity, sd: 1, min: 0 }, /mean must be finite/],
  [{ kind: 'normal', mean: 1, sd: 1, min: Number.NaN }, /min must be a number or -Infinity/],
  [{ kind: 'normal', mean: -1, sd: 0, min: 0 }, /with sd 0, mean \(-1\) must not be below min \(0\)/],
  [{ kind: 'normal', mean: 0, sd: 1, min: 31 }, /more than 30 sds above mean/],
  [{ kind: 'lognormal', p50: 0, p95: 10 }, /p50 must be a finite number > 0/],
  [{ kind: 'lognormal', p50: 10, p95: 10 }, /p95 \(10\) must be greater than p50 \(10\)/],
  [{ kind: 'lognormal', p50: 10, p95: Infinity }, /p95 must be finite/],
  [{ kind: 'exponential', mean: 0 }, /mean must be a finite number > 0/],
  [{ kind: 'empirical', values: [] }, /values must not be empty/],
  [{ kind: 'empirical', values: [1, Number.NaN] }, /values must all be finite numbers/],
];

describe('invalid distributions', () => {
  for (const [d, message] of INVALID) {
    it(`${d.kind}: ${message.source}`, () => {
      expect(distributionProblem(d)).toMatch(message);
      for (const use of [() => compileSampler(d), () => distributionMean(d), () => distributionQuantile(d, 0.5)]) {
        expect(use).toThrow(HarnessError);
        expect(use).toThrow(message);
        expect(use).toThrow(expect.objectContaining({ code: 'DISTRIBUTION_INVALID' }));
      }
    });
  }

  it('rejects an unknown kind with DISTRIBUTION_INVALID', () => {
    const bogus = { kind: 'poisson', mean: 3 } as unknown as Distribution;
    expect(distributionProblem(bogus)).toMatch(/unknown distribution kind "poisson"/);
    expect(() => compileSampler(bogus)).toThrow(expect.objectContaining({ code: 'DISTRIBUTION_INVALID' }));
  });

  it('accepts the boundary cases', () => {
    expect(distributionProblem({ kind: 'uniform', min: 2, max: 2 })).toBeUndefined();
    expect(distributionProblem({ kind: 'normal', mean: 0, sd: 1, min: 30 })).toBeUndefined();
    expect(distributionProblem({ kind: 'normal', mean: 0, sd: 1, min: -Infinity })).toBeUndefined();
    expect(distributionProblem({ kind: 'normal', mean: 3, sd: 0, min: 3 })).toBeUndefined();
  });

  it('rejects a quantile level outside [0, 1]', () => {
    expect(() => distributionQuantile({ kind: 'fixed', value: 1 }, 1.5)).toThrow(RangeError);
    expect(() => distributionQuantile({ kind: 'fixed', value: 1 }, Number.NaN)).toThrow(RangeError);
  });
});
