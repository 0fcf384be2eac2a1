// Boundaries with intervals from `--seed` repeats, on data whose crossing is known exactly: pattern
// a's accuracy is x + δ_s on seed s (δ = −1, 0, +1, +0.5 points), b's is 0.6 everywhere. Each seed
// crosses at 0.6 − δ_s (linear, so interpolation is exact), the pooled runs at 0.6 − mean δ =
// 0.59875, and the 95 % t interval over the four seeds is mean ± t(0.975, 3) · sd / √4 =
// [0.5851, 0.6124]. With one seed there is no spread to take: a USAGE error says so.
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../harness/kernel/errors.ts';
import { sweepBoundaries } from '../reports/summary/boundaries.ts';
import { COMPLETED, CORRECT, SCORED, type CellSample, type SweepData } from '../reports/summary/sweep-data.ts';

const XS = [0.45, 0.55, 0.65, 0.75];
const DELTAS = [-0.01, 0, 0.01, 0.005];
const PER_SEED = 10_000;

/** A candidate's workflows at one point: PER_SEED per seed, `accuracy(seed)` of them correct. */
function cell(candidate: string, point: number, seeds: number, accuracy: (seed: number) => number): CellSample {
  const n = PER_SEED * seeds;
  const outcome = new Uint8Array(n);
  const seedIndex = new Int32Array(n);
  const caseIndex = new Int32Array(n);
  for (let seed = 0; seed < seeds; seed++) {
    const correct = Math.round(PER_SEED * accuracy(seed));
    for (let i = 0; i < PER_SEED; i++) {
      const at = seed * PER_SEED + i;
      seedIndex[at] = seed;
      caseIndex[at] = i;
      outcome[at] = COMPLETED | SCORED | (i < correct ? CORRECT : 0);
    }
  }
  return {
    candidate, point, runIds: [], seedIndex, caseIndex, outcome,
    latencyMs: Float64Array.from({ length: n }, (_, i) => i), costUsd: new Float64Array(n).fill(0.001),
    droppedBySeed: new Float64Array(seeds), viability: { viable: true, margin: 1, reasons: [] },
  };
}

function data(seeds: number): SweepData {
  return {
    scenario: 'synthetic',
    axes: [{ index: 0, path: 'x', scale: 'linear', values: XS.map((value) => ({ value, text: String(value) })) }],
    points: XS.map((value, index) => ({ index, coordinates: [{ value, text: String(value) }] })),
    candidates: ['a', 'b'],
    seeds: Array.from({ length: seeds }, (_, seed) => seed + 1),
    caseIds: Array.from({ length: PER_SEED }, (_, i) => `case-${i}`),
    minSuccess: 0.95,
    cells: XS.flatMap((x, point) => [cell('a', point, seeds, (seed) => x + (DELTAS[seed] ?? 0)), cell('b', point, seeds, () => 0.6)]),
  };
}

describe('sweep boundaries over seeds', () => {
  it('give the t interval of the seeds\' crossings', () => {
    const boundaries = sweepBoundaries(data(4), { interval: 'seeds' });
    expect(boundaries.replicates).toBe(4);
    const crossing = boundaries.crossings.find((candidate) => candidate.measure === 'accuracy');
    expect(crossing).toMatchObject({ below: 'b', above: 'a', method: 'seeds', lower: { value: 0.55 }, upper: { value: 0.65 } });
    expect(crossing!.at).toBeCloseTo(0.59875, 6);
    const mean = 0.6 - DELTAS.reduce((sum, delta) => sum + delta, 0) / 4;
    const sd = Math.sqrt(DELTAS.reduce((sum, delta) => sum + (0.6 - delta - mean) ** 2, 0) / 3);
    expect(crossing!.interval.lo).toBeCloseTo(mean - (3.182 * sd) / 2, 6);
    expect(crossing!.interval.hi).toBeCloseTo(mean + (3.182 * sd) / 2, 6);
    // 5 points from the crossing on either side, every seed agrees on the better one.
    expect([crossing!.significantBelow, crossing!.significantAbove]).toEqual([true, true]);
    // Equal costs per workflow: cost per correct answer crosses where accuracy does (it is
    // interpolated in correct answers per dollar, linear in accuracy).
    expect(boundaries.crossings.find((candidate) => candidate.measure === 'cost_per_correct')?.at).toBeCloseTo(0.59875, 9);
  });

  it('refuse seeds as the source of intervals with a single seed', () => {
    expect(() => sweepBoundaries(data(1), { interval: 'seeds' })).toThrow(HarnessError);
    expect(() => sweepBoundaries(data(1), { interval: 'seeds' })).toThrow('intervals over seeds need at least 2 seeds (the sweep ran 1)');
  });
});
