/**
 * Samplers, means, quantiles and descriptions of the compiled `Distribution`s.
 *
 * Every sampler is an inverse-CDF transform of exactly ONE `rng.next()` per draw, whatever its
 * kind (a `fixed` sampler draws and discards one too). So a sampler keeps no state between calls,
 * can be shared by any number of rngs, and swapping one distribution for another in a variant never
 * shifts the later draws of the same stream.
 */
import { HarnessError } from './errors.ts';
import type { Distribution, Rng } from './distribution-types.ts';

/** Draws one value from `rng`, consuming exactly one `rng.next()`. */
export type Sampler = (rng: Rng) => number;

/** Φ⁻¹(0.95): the lognormal's p95 sits this many sigmas above its median. */
export const Z_95 = 1.6448536269514722;
/**
 * Half of the 2^-32 resolution of `Rng.next()`. `u + HALF_STEP` maps [0, 1 − 2^-32] onto
 * (0, 1) symmetrically (the midpoint of each 2^-32 cell), so the normal quantile stays finite:
 * |z| ≤ 6.23.
 */
const HALF_STEP = 2 ** -33;
/** 1 / √(2π). */
const INV_SQRT_2PI = 0.3989422804014327;
/** Truncation more than this many sds above the mean is rejected (the kept mass is < 1e-197). */
const MAX_TRUNCATION_SDS = 30;

/**
 * Standard normal quantile Φ⁻¹(p), by Wichura's algorithm AS241 (PPND16; relative error about
 * 1e-16, the same as Python's `statistics.NormalDist.inv_cdf`). Returns −∞ at 0, +∞ at 1 and NaN
 * outside [0, 1].
 */
export function normalQuantile(p: number): number {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    const num = (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
      45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
      133.14166789178437745) * r + 3.387132872796366608) * q;
    const den = ((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
      21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
      42.313330701600911252) * r + 1;
    return num / den;
  }
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
      1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
      4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
        2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    x = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
      0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
      5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
        0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -x : x;
}

/** Terms of the continued fraction used for the normal tail beyond 3 sds. */
const TAIL_CF_TERMS = 60;

/**
 * Standard normal CDF Φ(x), accurate in relative terms in both tails (so `normalCdf(-x)` is a
 * good upper-tail probability): Hart's rational approximation (algorithm 5666, as given by
 * G. West, "Better approximations to cumulative normal functions", 2005) for |x| < 3, and Laplace's
 * continued fraction φ(x)/(x + 1/(x + 2/(x + …))), 60 terms, beyond. Relative error of the smaller
 * tail, checked against `0.5·erfc(−x/√2)`: below 2e-14 for |x| ≤ 10, below 3e-13 out to |x| = 37
 * (where rounding in exp(−x²/2) dominates). Meant for compile time and reports, not per draw.
 */
export function normalCdf(x: number): number {
  const ax = Math.abs(x);
  let tail: number;
  if (ax < 3) {
    const num = ((((((0.0352624965998911 * ax + 0.700383064443688) * ax + 6.37396220353165) * ax +
      33.912866078383) * ax + 112.079291497871) * ax + 221.213596169931) * ax + 220.206867912376);
    const den = (((((((0.0883883476483184 * ax + 1.75566716318264) * ax + 16.064177579207) * ax +
      86.7807322029461) * ax + 296.564248779674) * ax + 637.333633378831) * ax + 793.826512519948) * ax +
      440.413735824752);
    tail = (Math.exp(-0.5 * ax * ax) * num) / den;
  } else if (ax < Infinity) {
    let cf = ax;
    for (let k = TAIL_CF_TERMS; k >= 1; k--) cf = ax + k / cf;
    tail = (INV_SQRT_2PI * Math.exp(-0.5 * ax * ax)) / cf;
  } else {
    tail = Number.isNaN(x) ? NaN : 0;
  }
  return x > 0 ? 1 - tail : tail;
}

/**
 * What is wrong with `d`, or `undefined` when it is valid. The rules: every number finite (a
 * normal's `min` may be −∞, meaning no truncation); uniform `min ≤ max`; normal `sd ≥ 0`, and
 * `min` at most 30 sds above `mean` (`mean ≥ min` when `sd` is 0); lognormal `0 < p50 < p95`;
 * exponential `mean > 0`; empirical at least one value. The scenario compiler can turn this
 * message into a located issue; the functions below throw it as `DISTRIBUTION_INVALID`.
 */
export function distributionProblem(d: Distribution): string | undefined {
  switch (d.kind) {
    case 'fixed':
      return Number.isFinite(d.value) ? undefined : `value must be a finite number, got ${d.value}`;
    case 'uniform':
      if (!Number.isFinite(d.min) || !Number.isFinite(d.max)) return `min and max must be finite, got ${d.min} and ${d.max}`;
      return d.min <= d.max ? undefined : `min (${d.min}) must not exceed max (${d.max})`;
    case 'normal':
      if (!Number.isFinite(d.mean)) return `mean must be finite, got ${d.mean}`;
      if (!(d.sd >= 0 && d.sd < Infinity)) return `sd must be a finite number ≥ 0, got ${d.sd}`;
      if (Number.isNaN(d.min) || d.min === Infinity) return `min must be a number or -Infinity, got ${d.min}`;
      if (d.sd === 0) return d.mean >= d.min ? undefined : `with sd 0, mean (${d.mean}) must not be below min (${d.min})`;
      return (d.min - d.mean) / d.sd <= MAX_TRUNCATION_SDS
        ? undefined
        : `min (${d.min}) is more than ${MAX_TRUNCATION_SDS} sds above mean (${d.mean})`;
    case 'lognormal':
      if (!(d.p50 > 0 && Number.isFinite(d.p50))) return `p50 must be a finite number > 0, got ${d.p50}`;
      if (!Number.isFinite(d.p95)) return `p95 must be finite, got ${d.p95}`;
      return d.p95 > d.p50 ? undefined : `p95 (${d.p95}) must be greater than p50 (${d.p50})`;
    case 'exponential':
      return d.mean > 0 && Number.isFinite(d.mean) ? undefined : `mean must be a finite number > 0, got ${d.mean}`;
    case 'empirical':
      if (d.values.length === 0) return 'values must not be empty';
      return d.values.every(Number.isFinite) ? undefined : 'values must all be finite numbers';
    default:
      return unknownKind(d);
  }
}

function unknownKind(d: never): string {
  return `unknown distribution kind ${JSON.stringify((d as { kind?: unknown }).kind)}`;
}

function assertValid(d: Distribution): void {
  const problem = distributionProblem(d);
  if (problem !== undefined) {
    throw new HarnessError('DISTRIBUTION_INVALID', `invalid ${String((d as { kind?: unknown }).kind)} distribution: ${problem}`);
  }
}

/** Lognormal parameters of the underlying normal: mu = ln p50, sigma = (ln p95 − ln p50) / Φ⁻¹(0.95). */
function lognormalParams(p50: number, p95: number): { mu: number; sigma: number } {
  return { mu: Math.log(p50), sigma: (Math.log(p95) - Math.log(p50)) / Z_95 };
}

/**
 * The normal truncated below at `min`, as a map from a probability in (0, 1) to a value. Exact
 * (inverse CDF of the truncated law), so it needs one uniform and never resamples. When the cut
 * is above the mean it works from the upper tail, keeping precision however far out the cut is.
 */
function truncatedNormalInverse(mean: number, sd: number, min: number): (p: number) => number {
  if (sd === 0) return () => mean;
  const alpha = (min - mean) / sd;
  if (alpha <= 0) {
    const below = normalCdf(alpha); // 0 when min is −∞
    const kept = 1 - below;
    return (p) => Math.max(min, mean + sd * normalQuantile(below + kept * p));
  }
  const kept = normalCdf(-alpha);
  return (p) => Math.max(min, mean - sd * normalQuantile(kept * (1 - p)));
}

/**
 * Builds the sampler of `d` once; the closure holds only constants. Each draw consumes exactly one
 * `rng.next()` (u) and maps it through the inverse CDF:
 * fixed → `value`; uniform → `min + u·(max − min)`; normal → truncated-normal quantile at
 * `u + 2^-33` (exact truncation, no resampling); lognormal → `exp(mu + sigma·Φ⁻¹(u + 2^-33))`;
 * exponential → `−mean·ln(1 − u)`; empirical → `sorted[⌊u·n⌋]` of a sorted copy taken now. Every
 * sampler is thus non-decreasing in u, so variants drawing from the same stream stay coupled
 * (common random numbers).
 * @throws HarnessError `DISTRIBUTION_INVALID` when {@link distributionProblem} finds a problem.
 */
export function compileSampler(d: Distribution): Sampler {
  assertValid(d);
  switch (d.kind) {
    case 'fixed': {
      const value = d.value;
      return (rng) => {
        rng.next();
        return value;
      };
    }
    case 'uniform': {
      const min = d.min;
      const width = d.max - d.min;
      return (rng) => min + width * rng.next();
    }
    case 'normal': {
      const inverse = truncatedNormalInverse(d.mean, d.sd, d.min);
      return (rng) => inverse(rng.next() + HALF_STEP);
    }
    case 'lognormal': {
      const { mu, sigma } = lognormalParams(d.p50, d.p95);
      return (rng) => Math.exp(mu + sigma * normalQuantile(rng.next() + HALF_STEP));
    }
    case 'exponential': {
      const mean = d.mean;
      return (rng) => -mean * Math.log1p(-rng.next());
    }
    case 'empirical': {
      const values = d.values.slice().sort(ascending);
      const n = values.length;
      return (rng) => values[Math.floor(rng.next() * n)] as number;
    }
    default:
      throw new HarnessError('DISTRIBUTION_INVALID', unknownKind(d));
  }
}

/**
 * The exact mean of `d`. Truncated normal: `mean + sd·φ(α)/(1 − Φ(α))` with `α = (min − mean)/sd`;
 * lognormal: `exp(mu + sigma²/2)`; empirical: the average of the values.
 * @throws HarnessError `DISTRIBUTION_INVALID` for an invalid `d`.
 */
export function distributionMean(d: Distribution): number {
  assertValid(d);
  switch (d.kind) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'normal': {
      if (d.sd === 0 || d.min === -Infinity) return d.mean;
      const alpha = (d.min - d.mean) / d.sd;
      return d.mean + (d.sd * INV_SQRT_2PI * Math.exp(-0.5 * alpha * alpha)) / normalCdf(-alpha);
    }
    case 'lognormal': {
      const { mu, sigma } = lognormalParams(d.p50, d.p95);
      return Math.exp(mu + (sigma * sigma) / 2);
    }
    case 'exponential':
      return d.mean;
    case 'empirical':
      return d.values.reduce((sum, v) => sum + v, 0) / d.values.length;
    default:
      throw new HarnessError('DISTRIBUTION_INVALID', unknownKind(d));
  }
}

/**
 * The `q`-quantile of `d` (q in [0, 1]), exact: the inverse CDF the sampler uses, evaluated at q.
 * Empirical: the smallest recorded value v with P(X ≤ v) ≥ q (sorted[⌈q·n⌉ − 1], sorted[0] at 0),
 * which is what the sampler's uniform pick makes true. Unbounded laws return ±∞ at 0 or 1.
 * @throws HarnessError `DISTRIBUTION_INVALID` for an invalid `d`; RangeError for q outside [0, 1].
 */
export function distributionQuantile(d: Distribution, q: number): number {
  assertValid(d);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
  switch (d.kind) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return d.min + q * (d.max - d.min);
    case 'normal':
      return q === 0 && d.sd > 0 ? d.min : truncatedNormalInverse(d.mean, d.sd, d.min)(q);
    case 'lognormal': {
      const { mu, sigma } = lognormalParams(d.p50, d.p95);
      return Math.exp(mu + sigma * normalQuantile(q));
    }
    case 'exponential':
      return -d.mean * Math.log1p(-q);
    case 'empirical': {
      const sorted = d.values.slice().sort(ascending);
      return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
    }
    default:
      throw new HarnessError('DISTRIBUTION_INVALID', unknownKind(d));
  }
}

function ascending(a: number, b: number): number {
  return a - b;
}

function lower(a: number, b: number): number {
  return a < b ? a : b;
}

function higher(a: number, b: number): number {
  return a > b ? a : b;
}

/** Default number format of {@link describeDistribution}: at most 4 significant digits, no trailing zeros. */
function formatPlain(n: number): string {
  return Number.isInteger(n) || !Number.isFinite(n) ? String(n) : String(Number(n.toPrecision(4)));
}

/**
 * Short human text for `d`, e.g. `lognormal(p50=2s, p95=6s)`, `normal(mean=300, sd=50)` (`min` is
 * shown only when not 0), `empirical(n=12, min=80, max=950)`. `format` renders each quantity
 * (pass `formatDuration` for milliseconds); default: plain numbers, 4 significant digits.
 * Does not validate `d`.
 */
export function describeDistribution(d: Distribution, format: (n: number) => string = formatPlain): string {
  switch (d.kind) {
    case 'fixed':
      return `fixed(${format(d.value)})`;
    case 'uniform':
      return `uniform(min=${format(d.min)}, max=${format(d.max)})`;
    case 'normal':
      return `normal(mean=${format(d.mean)}, sd=${format(d.sd)}${d.min === 0 ? '' : `, min=${format(d.min)}`})`;
    case 'lognormal':
      return `lognormal(p50=${format(d.p50)}, p95=${format(d.p95)})`;
    case 'exponential':
      return `exponential(mean=${format(d.mean)})`;
    case 'empirical':
      return `empirical(n=${d.values.length}, min=${format(d.values.reduce(lower, Infinity))}, max=${format(d.values.reduce(higher, -Infinity))})`;
    default:
      return unknownKind(d);
  }
}
