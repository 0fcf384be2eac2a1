import { describe, expect, it } from 'vitest';
import { bootstrapDifferences, type WorkflowSample } from '../reports/compare/bootstrap.ts';
import { deriveRng } from '../harness/kernel/rng.ts';
import { Z_95 } from '../harness/kernel/statistics.ts';

/** n latencies evenly spread over [offset, offset + n): variance (n² − 1) / 12. */
function grid(n: number, offset: number): WorkflowSample {
  return { latencyMs: Float64Array.from({ length: n }, (_, index) => offset + index), costUsd: new Float64Array(n).fill(1) };
}

// Seeded, so deterministic; over seeds 11–15 the half-width ratio stayed within 0.96–1.04 (2,000 resamples).
describe('bootstrapDifferences', () => {
  const n = 4000;
  const shift = 150;
  // Normal theory for a difference of two independent means: half-width z · √(2 σ² / n).
  const halfWidth = (size: number): number => Z_95 * Math.sqrt((2 * (n * n - 1)) / 12 / size);

  it('gives the normal-theory interval of a difference of means (within 10 %), centred on the shift', () => {
    const interval = bootstrapDifferences(grid(n, 0), grid(n, shift), deriveRng(11, 'test'), { resamples: 2000 }).mean_latency;
    expect(Math.abs((interval.hi - interval.lo) / 2 / halfWidth(n) - 1)).toBeLessThan(0.1);
    expect(Math.abs((interval.hi + interval.lo) / 2 - shift)).toBeLessThan(0.1 * halfWidth(n));
  });

  it('bootstraps a subsample of a larger side: the interval is as wide as for the subsample, centred on the full delta', () => {
    const size = 1000;
    const interval = bootstrapDifferences(grid(n, 0), grid(n, shift), deriveRng(12, 'test'), { resamples: 2000, maxSample: size }).mean_latency;
    expect(Math.abs((interval.hi - interval.lo) / 2 / halfWidth(size) - 1)).toBeLessThan(0.1);
    expect(Math.abs((interval.hi + interval.lo) / 2 - shift)).toBeLessThan(0.1 * halfWidth(size));
  });

  it('gives a zero-width interval for constant samples (no variation to resample)', () => {
    const constant = { latencyMs: new Float64Array(50).fill(7), costUsd: new Float64Array(50).fill(1) };
    expect(bootstrapDifferences(constant, constant, deriveRng(1, 'test')).p95).toEqual({ lo: 0, hi: 0 });
  });
});
