/**
 * The seeded share of tail trace retention: a hash of (seed, scenario, workflow id) below
 * share × 2³². Over n workflows the kept count is Binomial(n, share); the tests allow 6 standard
 * deviations, √(n·p·(1 − p)) — a deterministic draw cannot flake, and a correct one would leave
 * this band with probability 2·10⁻⁹.
 */
import { describe, expect, it } from 'vitest';
import { sampleDraw, sampleSeedOf } from '../harness/run/trace-retention.ts';
import { MIXED_SCENARIO, runTraces } from './support/tail-run.ts';

const TWO_POW_32 = 2 ** 32;

/** |kept − n·p| ≤ 6σ. */
function withinSixSigma(kept: number, n: number, p: number): { kept: number; expected: number; tolerance: number; within: boolean } {
  const expected = n * p;
  const tolerance = 6 * Math.sqrt(n * p * (1 - p));
  return { kept, expected, tolerance, within: Math.abs(kept - expected) <= tolerance };
}

describe('the sampled share of tail trace retention', () => {
  it.each([0.01, 0.1, 0.5])('keeps share %s of 1,000,000 workflow ids, within 6σ', (share) => {
    const seed = sampleSeedOf(42, 'legal-review');
    let kept = 0;
    for (let id = 0; id < 1_000_000; id++) if (sampleDraw(seed, id) < share * TWO_POW_32) kept++;
    // share 0.01: 10,000 ± 597; 0.1: 100,000 ± 1,800; 0.5: 500,000 ± 3,000.
    expect(withinSixSigma(kept, 1_000_000, share)).toMatchObject({ within: true });
  });

  it('keeps the configured share of the workflows no other reason keeps, within 6σ', async () => {
    const share = 0.2;
    const { outcome } = await runTraces(MIXED_SCENARIO, { mode: 'tail', share });
    const kept = outcome.traces.kept;
    if (kept === null) throw new Error('a tail run reports its kept counts');
    const ordinary = outcome.workflows - kept.failed - kept.budget - kept.named - kept.slowest;
    // About 1,450 ordinary workflows: 290 ± 91.
    expect(ordinary).toBeGreaterThan(1000);
    expect(withinSixSigma(kept.sampled, ordinary, share)).toMatchObject({ within: true });
  });

  it('draws from the seed and scenario only: a workflow id gets the same draw in every run of them', () => {
    const seed = sampleSeedOf(7, 'tail-mix');
    expect(sampleSeedOf(7, 'tail-mix')).toBe(seed);
    expect(sampleSeedOf(8, 'tail-mix')).not.toBe(seed);
    expect(sampleSeedOf(7, 'other')).not.toBe(seed);
    const draws = Array.from({ length: 5 }, (_, id) => sampleDraw(seed, id));
    expect(new Set(draws).size).toBe(5);
    expect(draws).toEqual(Array.from({ length: 5 }, (_, id) => sampleDraw(seed, id)));
  });
});
