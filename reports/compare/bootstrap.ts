/**
 * Percentile-bootstrap intervals on the difference head − base of latency percentiles, mean
 * latency and mean cost per workflow. Deterministic: every draw comes from the `SeededRng` the
 * caller passes (derive one per cell with `deriveRng`), so the same seed gives the same intervals.
 *
 * One resample draws n workflows with replacement and counts how often each was drawn; since the
 * sample is sorted by latency, a cumulative walk over the counts gives every nearest-rank
 * percentile, and weighted sums give the means — O(n) per resample, no sorting.
 */
import type { SeededRng } from '../../harness/kernel/rng.ts';
import { nearestRankIndex } from '../../harness/kernel/statistics.ts';

/** Resamples per interval: 1,000, the usual minimum for the tails of a 95 % percentile interval. */
export const BOOTSTRAP_RESAMPLES = 1000;

/**
 * Largest sample bootstrapped as it is. A larger side is first reduced to a random subsample of
 * this many workflows (without replacement, seeded), which keeps a comparison of millions of
 * workflows to seconds; see `bootstrapDifferences` for what that does to the interval.
 */
export const BOOTSTRAP_MAX_SAMPLE = 20_000;

/** The workflows of one side, `latencyMs` sorted ascending and `costUsd` in the same order. */
export interface WorkflowSample {
  readonly latencyMs: Float64Array;
  readonly costUsd: Float64Array;
}

/** Statistics bootstrapped together from one resample. */
export const SAMPLE_STATISTICS = ['p50', 'p95', 'p99', 'mean_latency', 'cost'] as const;

/** One of `SAMPLE_STATISTICS`: latency percentiles and mean (ms), mean cost per workflow (USD). */
export type SampleStatistic = (typeof SAMPLE_STATISTICS)[number];

/** A value per statistic. */
export type SampleValues = Record<SampleStatistic, number>;

/** A 95 % interval per statistic. */
export type DifferenceIntervals = Record<SampleStatistic, { readonly lo: number; readonly hi: number }>;

const QUANTILES = [0.5, 0.95, 0.99] as const;

/** Point values over a (non-empty) sample: nearest-rank percentiles, as the summary reports them. */
export function sampleValues(sample: WorkflowSample): SampleValues {
  const counts = new Uint32Array(sample.latencyMs.length).fill(1);
  const out = new Float64Array(SAMPLE_STATISTICS.length);
  weightedValues(sample, counts, out);
  return toValues(out);
}

/** Options of `bootstrapDifferences`. */
export interface BootstrapOptions {
  /** Resamples; default `BOOTSTRAP_RESAMPLES`. */
  readonly resamples?: number;
  /** Subsample above this size; default `BOOTSTRAP_MAX_SAMPLE`. */
  readonly maxSample?: number;
}

/**
 * 95 % percentile-bootstrap intervals of head − base for every statistic: `resamples` times,
 * resample each side with replacement and take the difference; the interval runs from the
 * 2.5th to the 97.5th percentile (nearest rank) of the differences. Both samples must be
 * non-empty.
 *
 * A side larger than `maxSample` is bootstrapped on a seeded random subsample of `maxSample`
 * workflows, and the interval is moved by (full-sample difference − subsample difference) so it
 * is centred where the reported delta is. Its width is then that of `maxSample` workflows: wider
 * than the full sample's, so the test errs towards "not significant", never the other way.
 */
export function bootstrapDifferences(
  base: WorkflowSample,
  head: WorkflowSample,
  rng: SeededRng,
  options: BootstrapOptions = {},
): DifferenceIntervals {
  const resamples = options.resamples ?? BOOTSTRAP_RESAMPLES;
  const maxSample = options.maxSample ?? BOOTSTRAP_MAX_SAMPLE;
  const baseUsed = subsample(base, maxSample, rng);
  const headUsed = subsample(head, maxSample, rng);
  const stats = SAMPLE_STATISTICS.length;
  const differences = SAMPLE_STATISTICS.map(() => new Float64Array(resamples));
  const baseCounts = new Uint32Array(baseUsed.latencyMs.length);
  const headCounts = new Uint32Array(headUsed.latencyMs.length);
  const baseOut = new Float64Array(stats);
  const headOut = new Float64Array(stats);
  for (let b = 0; b < resamples; b++) {
    resample(baseCounts, rng);
    resample(headCounts, rng);
    weightedValues(baseUsed, baseCounts, baseOut);
    weightedValues(headUsed, headCounts, headOut);
    for (let s = 0; s < stats; s++) (differences[s] as Float64Array)[b] = (headOut[s] as number) - (baseOut[s] as number);
  }
  const shift = centringShift(base, head, baseUsed, headUsed);
  const loIndex = nearestRankIndex(resamples, 0.025);
  const hiIndex = nearestRankIndex(resamples, 0.975);
  const entries = SAMPLE_STATISTICS.map((name, s) => {
    const sorted = (differences[s] as Float64Array).sort();
    const offset = shift[name];
    return [name, { lo: (sorted[loIndex] as number) + offset, hi: (sorted[hiIndex] as number) + offset }] as const;
  });
  return Object.fromEntries(entries) as DifferenceIntervals;
}

/** Zero for unsampled sides; else full difference − subsample difference, per statistic. */
function centringShift(base: WorkflowSample, head: WorkflowSample, baseUsed: WorkflowSample, headUsed: WorkflowSample): SampleValues {
  const zero = Object.fromEntries(SAMPLE_STATISTICS.map((name) => [name, 0])) as SampleValues;
  if (baseUsed === base && headUsed === head) return zero;
  const [fullBase, fullHead, usedBase, usedHead] = [base, head, baseUsed, headUsed].map(sampleValues) as [SampleValues, SampleValues, SampleValues, SampleValues];
  for (const name of SAMPLE_STATISTICS) zero[name] = fullHead[name] - fullBase[name] - (usedHead[name] - usedBase[name]);
  return zero;
}

/**
 * `size` workflows of `sample` chosen uniformly without replacement, in their sorted order
 * (selection sampling, Knuth's Algorithm S: one pass, one draw per workflow). The sample itself
 * when it is no larger than `size`.
 */
export function subsample(sample: WorkflowSample, size: number, rng: SeededRng): WorkflowSample {
  const n = sample.latencyMs.length;
  if (n <= size) return sample;
  const latencyMs = new Float64Array(size);
  const costUsd = new Float64Array(size);
  let chosen = 0;
  for (let i = 0; i < n && chosen < size; i++) {
    if ((n - i) * rng.next() < size - chosen) {
      latencyMs[chosen] = sample.latencyMs[i] as number;
      costUsd[chosen] = sample.costUsd[i] as number;
      chosen++;
    }
  }
  return { latencyMs, costUsd };
}

/** Draws `counts.length` indices with replacement; `counts[i]` = times index i was drawn. */
function resample(counts: Uint32Array, rng: SeededRng): void {
  const n = counts.length;
  counts.fill(0);
  for (let k = 0; k < n; k++) counts[Math.floor(rng.next() * n)]!++;
}

/** Statistics of the multiset in which workflow i appears counts[i] times (total = sample size). */
function weightedValues(sample: WorkflowSample, counts: Uint32Array, out: Float64Array): void {
  const n = counts.length;
  const ranks = QUANTILES.map((q) => nearestRankIndex(n, q));
  let seen = 0;
  let next = 0;
  let latencySum = 0;
  let costSum = 0;
  for (let i = 0; i < n; i++) {
    const count = counts[i] as number;
    if (count === 0) continue;
    const latency = sample.latencyMs[i] as number;
    seen += count;
    while (next < ranks.length && (ranks[next] as number) < seen) out[next++] = latency;
    latencySum += count * latency;
    costSum += count * (sample.costUsd[i] as number);
  }
  out[3] = latencySum / n; // mean_latency
  out[4] = costSum / n; // cost
}

function toValues(out: Float64Array): SampleValues {
  return Object.fromEntries(SAMPLE_STATISTICS.map((name, s) => [name, out[s] as number])) as SampleValues;
}
