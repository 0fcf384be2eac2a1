/** Small, exact statistics for reports: confidence intervals on proportions and percentile ranks. */
import { HarnessError } from './errors.ts';

/** z for a two-sided 95 % interval: the 0.975 quantile of the standard normal. */
export const Z_95 = 1.959963984540054;

/** A confidence interval on a proportion, both ends in [0, 1]. */
export interface ProportionInterval {
  readonly lo: number;
  readonly hi: number;
}

/**
 * Wilson score interval for `successes` out of `n` trials (Wilson 1927): unlike the normal
 * approximation it stays inside [0, 1] and behaves at 0/n and n/n. `z` defaults to `Z_95` (a 95 %
 * interval). Returns null when `n` is 0 (no information). `USAGE` error unless
 * 0 ≤ successes ≤ n are integers and z > 0.
 */
export function wilsonInterval(successes: number, n: number, z: number = Z_95): ProportionInterval | null {
  if (!Number.isInteger(n) || !Number.isInteger(successes) || n < 0 || successes < 0 || successes > n) {
    throw new HarnessError('USAGE', `wilsonInterval needs integers 0 <= successes <= n, got ${successes}/${n}`);
  }
  if (!(z > 0) || !Number.isFinite(z)) throw new HarnessError('USAGE', `wilsonInterval needs z > 0, got ${z}`);
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    lo: successes === 0 ? 0 : Math.max(0, centre - half),
    hi: successes === n ? 1 : Math.min(1, centre + half),
  };
}

/**
 * 0-based index of the `q`-quantile of `n` sorted values by the nearest-rank method: the smallest
 * rank r with r / n ≥ q, minus one (so q = 0.5 of 4 values is index 1, q = 1 is index n − 1, q = 0
 * is index 0). Guards against floating-point error in q·n (0.07 × 100 = 7.000000000000001 still
 * gives rank 7). `USAGE` error unless n ≥ 1 is an integer and 0 ≤ q ≤ 1.
 */
export function nearestRankIndex(n: number, q: number): number {
  if (!Number.isInteger(n) || n < 1) throw new HarnessError('USAGE', `nearestRankIndex needs n >= 1, got ${n}`);
  if (!(q >= 0 && q <= 1)) throw new HarnessError('USAGE', `nearestRankIndex needs 0 <= q <= 1, got ${q}`);
  const rank = Math.ceil(q * n - 1e-9 * n);
  return Math.min(n - 1, Math.max(0, rank - 1));
}

/** The 0.975 quantile of Student's t with 1 to 30 degrees of freedom (two-sided 95 %), to 3 decimals. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** A mean and its two-sided 95 % interval. */
export interface MeanInterval {
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * The mean of independent replicates (one figure per seed) and its 95 % Student-t interval:
 * mean ± t(0.975, n − 1) × s ÷ √n, with z beyond 30 degrees of freedom. One replicate has no
 * spread: its interval is the value itself. `USAGE` error when `values` is empty or not finite.
 */
export function meanInterval(values: readonly number[]): MeanInterval {
  if (values.length === 0 || values.some((value) => !Number.isFinite(value))) {
    throw new HarnessError('USAGE', `meanInterval needs finite values, got [${values.join(', ')}]`);
  }
  const n = values.length;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  if (n === 1) return { mean, lo: mean, hi: mean };
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  const half = (T_975[n - 2] ?? Z_95) * Math.sqrt(variance / n);
  return { mean, lo: mean - half, hi: mean + half };
}
