/**
 * Comparing two proportions (accuracy, success rate) between a base and a head run: the
 * two-proportion z-test and a 95 % interval on the difference.
 */
import { HarnessError } from '../../harness/kernel/errors.ts';
import { Z_95 } from '../../harness/kernel/statistics.ts';

/** The test of `head − base` for two proportions. */
export interface ProportionDifference {
  /** head proportion − base proportion, in [−1, 1]. */
  readonly difference: number;
  /** The z statistic with the pooled standard error; 0 when both samples are all-or-nothing alike. */
  readonly z: number;
  /** Two-sided p-value of "no difference": 2 (1 − Φ(|z|)); 1 when the pooled proportion is 0 or 1. */
  readonly pValue: number;
  /** Lower end of the 95 % (unpooled Wald) interval on the difference. */
  readonly lo: number;
  /** Upper end of the 95 % (unpooled Wald) interval on the difference. */
  readonly hi: number;
}

/**
 * Two-proportion z-test of `headSuccesses / headN` against `baseSuccesses / baseN` (e.g.
 * Agresti, *Categorical Data Analysis*, §2.2): z = (p̂₂ − p̂₁) / √(p̄(1 − p̄)(1/n₁ + 1/n₂)) with the
 * pooled p̄, and the interval (p̂₂ − p̂₁) ± 1.96 √(p̂₁(1 − p̂₁)/n₁ + p̂₂(1 − p̂₂)/n₂). The test
 * and the interval can disagree at the margin (the test pools, the interval does not); callers
 * decide significance by the p-value. `USAGE` error unless both counts are integers with
 * 0 ≤ successes ≤ n and n ≥ 1.
 */
export function twoProportionTest(baseSuccesses: number, baseN: number, headSuccesses: number, headN: number): ProportionDifference {
  checkCounts(baseSuccesses, baseN);
  checkCounts(headSuccesses, headN);
  const p1 = baseSuccesses / baseN;
  const p2 = headSuccesses / headN;
  const difference = p2 - p1;
  const pooled = (baseSuccesses + headSuccesses) / (baseN + headN);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / baseN + 1 / headN));
  const z = pooledSe === 0 ? 0 : difference / pooledSe;
  const pValue = pooledSe === 0 ? 1 : Math.min(1, 2 * normalUpperTail(Math.abs(z)));
  const se = Math.sqrt((p1 * (1 - p1)) / baseN + (p2 * (1 - p2)) / headN);
  return { difference, z, pValue, lo: difference - Z_95 * se, hi: difference + Z_95 * se };
}

function checkCounts(successes: number, n: number): void {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || n < 1 || successes < 0 || successes > n) {
    throw new HarnessError('USAGE', `twoProportionTest needs integers 0 <= successes <= n, n >= 1, got ${successes}/${n}`);
  }
}

/**
 * P(Z > z) for a standard normal Z: erfc(z / √2) / 2, with the Chebyshev approximation of erfc
 * from *Numerical Recipes* (§6.2, `erfcc`): fractional error below 1.2 × 10⁻⁷ everywhere, ample
 * for a p-value.
 */
export function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const poly =
    -x * x - 1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
      t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return (x >= 0 ? erfc : 2 - erfc) / 2;
}
