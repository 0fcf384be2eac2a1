/**
 * Compiled distributions. Durations are already in milliseconds; token counts are plain numbers.
 * Samplers are built once from these by `compileSampler` in `distributions.ts`.
 */
export type Distribution =
  /** Always `value`. */
  | { readonly kind: 'fixed'; readonly value: number }
  /** Uniform on [min, max). */
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  /** Normal(mean, sd), truncated below at `min` (default 0) by resampling. */
  | { readonly kind: 'normal'; readonly mean: number; readonly sd: number; readonly min: number }
  /** Lognormal whose median is `p50` and 95th percentile is `p95` (p95 > p50 > 0). */
  | { readonly kind: 'lognormal'; readonly p50: number; readonly p95: number }
  /** Exponential with the given mean. */
  | { readonly kind: 'exponential'; readonly mean: number }
  /** Uniform draw from recorded values (non-empty). */
  | { readonly kind: 'empirical'; readonly values: readonly number[] };

/** A source of uniform numbers in [0, 1), as produced by the run's seeded streams. */
export interface Rng {
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
}
