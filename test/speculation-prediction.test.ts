import { describe, expect, it } from 'vitest';
import type { Distribution } from '../harness/kernel/distribution-types.ts';
import { compileSampler } from '../harness/kernel/distributions.ts';
import { SeededRng } from '../harness/kernel/rng.ts';
import { expectedTokens, predictable, predictedOutput } from '../patterns/speculation.ts';

describe('the prediction of a speculative step', () => {
  it.each<[string, Distribution]>([
    ['fixed', { kind: 'fixed', value: 700 }],
    ['uniform', { kind: 'uniform', min: 200, max: 1200 }],
    ['lognormal', { kind: 'lognormal', p50: 700, p95: 1400 }],
    ['exponential', { kind: 'exponential', mean: 500 }],
    ['empirical', { kind: 'empirical', values: [100, 300, 800, 1000] }],
  ])('is sized at the mean of a %s output distribution', (_name, distribution) => {
    // 200,000 draws: the sample mean is within 6 standard errors (coefficient of variation ≤ 1, so ≤ 1.4 %) of the true one, plus rounding.
    const sample = compileSampler(distribution);
    const rng = new SeededRng(11);
    const n = 200_000;
    let sum = 0;
    for (let index = 0; index < n; index++) sum += sample(rng);
    const mean = sum / n;
    expect(Math.abs(expectedTokens(distribution, null) - mean)).toBeLessThan((6 * mean) / Math.sqrt(n) + 0.5);
  });

  it('never exceeds the output cap and is at least one token', () => {
    expect(expectedTokens({ kind: 'fixed', value: 900 }, 500)).toBe(500);
    expect(expectedTokens({ kind: 'fixed', value: 0.2 }, null)).toBe(1);
  });

  it('is the right answer, so only a right real output can match it', () => {
    const expected = { label: 'approve', findings: ['a:1', 'b:2'] };
    expect(predictedOutput('researcher', 700, expected)).toEqual({ agent: 'researcher', tokens: 700, label: 'approve', findings: ['a:1', 'b:2'] });
    const right = { agent: 'researcher', tokens: 650, label: 'approve', findings: ['a:1', 'b:2'] };
    expect(predictable(right, expected)).toBe(true);
    expect(predictable({ ...right, label: 'reject' }, expected)).toBe(false);
    expect(predictable({ ...right, findings: ['b:2', 'a:1'] }, expected)).toBe(false);
    expect(predictable({ ...right, malformed: true }, expected)).toBe(false);
    expect(predictable({ ...right, injected: true }, expected)).toBe(false);
    expect(predictable({ agent: 'researcher', tokens: 10 }, { value: 3 })).toBe(false);
  });
});
