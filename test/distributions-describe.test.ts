import { describe, it, expect } from 'vitest';
import { describeDistribution } from '../harness/kernel/distributions.ts';
import { formatDuration } from '../harness/kernel/duration.ts';

describe('describeDistribution', () => {
  it('writes each kind with plain numbers by default (4 significant digits)', () => {
    expect(describeDistribution({ kind: 'fixed', value: 5 })).toBe('fixed(5)');
    expect(describeDistribution({ kind: 'uniform', min: 1, max: 2.345678 })).toBe('uniform(min=1, max=2.346)');
    expect(describeDistribution({ kind: 'normal', mean: 300, sd: 50, min: 0 })).toBe('normal(mean=300, sd=50)');
    expect(describeDistribution({ kind: 'normal', mean: 300, sd: 50, min: 100 })).toBe('normal(mean=300, sd=50, min=100)');
    expect(describeDistribution({ kind: 'normal', mean: 0, sd: 1, min: -Infinity })).toBe('normal(mean=0, sd=1, min=-Infinity)');
    expect(describeDistribution({ kind: 'lognormal', p50: 2000, p95: 6000 })).toBe('lognormal(p50=2000, p95=6000)');
    expect(describeDistribution({ kind: 'exponential', mean: 0.125 })).toBe('exponential(mean=0.125)');
    expect(describeDistribution({ kind: 'empirical', values: [300, 80, 950] })).toBe('empirical(n=3, min=80, max=950)');
  });

  it('formats quantities with the given unit formatter', () => {
    expect(describeDistribution({ kind: 'lognormal', p50: 2000, p95: 6000 }, formatDuration)).toBe(
      'lognormal(p50=2.00s, p95=6.00s)',
    );
    expect(describeDistribution({ kind: 'fixed', value: 800 }, (n) => `${n} tokens`)).toBe('fixed(800 tokens)');
  });
});
