import { describe, expect, it } from 'vitest';
import { ArrivalSchedule } from '../harness/run/arrivals.ts';
import { deriveRng } from '../harness/kernel/rng.ts';
import type { ArrivalPhase } from '../harness/scenario/types.ts';

/** A ramp 0 → 10/s over 10 s, 5 s at 10/s, a ramp 10/s → 0 over 10 s: Λ = 50 + 50 + 50 = 150. */
const PHASES: readonly ArrivalPhase[] = [
  { durationMs: 10_000, fromPerSecond: 0, toPerSecond: 10 },
  { durationMs: 5000, fromPerSecond: 10, toPerSecond: 10 },
  { durationMs: 10_000, fromPerSecond: 10, toPerSecond: 0 },
];
const TOTAL = 150;

function arrivals(phases: readonly ArrivalPhase[], process: 'constant' | 'poisson', seed: number): number[] {
  const schedule = new ArrivalSchedule(phases, process, deriveRng(seed, 'arrivals-test'));
  const times: number[] = [];
  for (let at = schedule.next(); at !== null; at = schedule.next()) times.push(at);
  return times;
}

/** Where Λ(t) = k for the phases above, seconds: λ(t) = t on the way up (Λ = t²/2), 10 on the plateau, 25 − t on the way down. */
function expectedConstantArrival(k: number): number {
  if (k < 50) return Math.sqrt(2 * k);
  if (k < 100) return 10 + (k - 50) / 10;
  // 10τ − τ²/2 = k − 100 ⇒ τ = 10 − √(100 − 2(k − 100)).
  return 15 + 10 - Math.sqrt(100 - 2 * (k - 100));
}

describe('arrival schedule', () => {
  it('places constant arrivals exactly where the cumulative rate Λ(t) reaches 0, 1, 2, … (Λ = 150 arrivals in all)', () => {
    expect(ArrivalSchedule.expectedArrivals(PHASES)).toBe(TOTAL);
    expect(ArrivalSchedule.durationMs(PHASES)).toBe(25_000);
    const times = arrivals(PHASES, 'constant', 1);
    expect(times).toHaveLength(TOTAL);
    times.forEach((at, k) => expect(at).toBeCloseTo(expectedConstantArrival(k) * 1000, 6));
    // Spot values: on the ramp up, arrival k at √(2k) s; on the plateau every 100 ms; on the way
    // down, arrival 148 where 10τ − τ²/2 = 48, τ = 8 s into the phase.
    expect(times[2]).toBeCloseTo(2000, 9);
    expect(times[8]).toBeCloseTo(4000, 9);
    expect(times[32]).toBeCloseTo(8000, 9);
    expect(times[60]).toBeCloseTo(11_000, 9);
    expect(times[148]).toBeCloseTo(23_000, 6);
  });

  it('gives ⌈Λ⌉ constant arrivals when Λ is not a whole number: the first at 0, then every 1/rate', () => {
    const times = arrivals([{ durationMs: 1050, fromPerSecond: 10, toPerSecond: 10 }], 'constant', 1);
    expect(times).toHaveLength(11);
    times.forEach((at, k) => expect(at).toBeCloseTo(100 * k, 9));
  });

  it('draws Poisson counts with mean and variance Λ over independent seeds', () => {
    // N(25 s) ~ Poisson(150). Over 2,000 seeds the sample mean has sd √(150/2000) = 0.27 and the
    // sample variance sd ≈ √(2·150²/2000) = 4.7 (a Poisson count of mean 150 is near normal);
    // the tolerances are 5 sd. A constant process would give variance 0.
    const seeds = 2000;
    const counts = Array.from({ length: seeds }, (_, seed) => arrivals(PHASES, 'poisson', seed).length);
    const mean = counts.reduce((sum, count) => sum + count, 0) / seeds;
    const variance = counts.reduce((sum, count) => sum + (count - mean) ** 2, 0) / (seeds - 1);
    expect(Math.abs(mean - TOTAL)).toBeLessThan(5 * Math.sqrt(TOTAL / seeds));
    expect(Math.abs(variance - TOTAL)).toBeLessThan(5 * Math.sqrt((2 * TOTAL * TOTAL) / seeds));
  });

  it('spreads Poisson arrivals on a ramp with density proportional to the rate', () => {
    // Ramp 0 → 10/s over 10 s: a second [i, i + 1) holds Λ(i + 1) − Λ(i) = (2i + 1)/2 of the 50
    // expected arrivals, a share (2i + 1)/100. Each arrival falls there independently, so over
    // ~100,000 arrivals (2,000 seeds) the share's sd is √(p(1 − p)/n) ≤ 0.0016; tolerance 5 sd.
    const bins = new Array<number>(10).fill(0);
    let total = 0;
    for (let seed = 0; seed < 2000; seed++) {
      for (const at of arrivals([PHASES[0] as ArrivalPhase], 'poisson', seed)) {
        bins[Math.floor(at / 1000)]! += 1;
        total += 1;
      }
    }
    bins.forEach((count, i) => {
      const p = (2 * i + 1) / 100;
      expect(Math.abs(count / total - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / total));
    });
    // The second half holds three times the first: Λ(5) = 12.5 against 50 − 12.5 = 37.5.
    const firstHalf = bins.slice(0, 5).reduce((sum, count) => sum + count, 0);
    expect(firstHalf / total).toBeCloseTo(0.25, 2);
  });
});
