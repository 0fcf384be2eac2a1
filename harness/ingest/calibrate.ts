/**
 * Fitting model profiles to observed model attempts (`patternbench calibrate`), per agent and
 * model (provider, request model):
 * - latency of successful attempts, or — when every successful attempt carries its time to first
 *   token — the time to first token and the output tokens per second after it;
 * - output and input tokens of successful attempts;
 * - fault rates over attempts: `timeout`, `rateLimit` (429) and `error` (every other error type;
 *   attempts the pattern cancelled and workflow timeouts are not the model's and are left out, as
 *   are context-length refusals, which the input size decides).
 * A distribution is fitted as a lognormal through the sample median and 95th percentile (nearest
 * rank), plus an empirical one (the sample at up to `EMPIRICAL_POINTS` evenly spaced quantiles).
 *
 * Estimation error. For a lognormal with shape σ, the sample q-quantile x̂_q of n values has,
 * asymptotically, relative standard error SE(x̂_q)/x_q = σ·√(q(1−q)/n) / φ(z_q), with φ the standard
 * normal density and z_q its q-quantile. For p95 (z = 1.645, φ = 0.103) of a p50 1 s / p95 3 s
 * lognormal (σ = ln 3 / 1.645 = 0.668): 1.41/√n, so 0.32 % at n = 200,000; for p50 (φ = 0.399):
 * 1.05/√n. A rate p has SE √(p(1−p)/n): relative √((1−p)/(p·n)), 1.0 % for p = 0.05 at n = 190,000.
 */
import type { ObservedAttempt } from './calibrate-attempts.ts';
import { groupBy } from '../kernel/keyed.ts';
import { nearestRankIndex } from '../kernel/statistics.ts';

/** Points kept of an empirical distribution. */
export const EMPIRICAL_POINTS = 100;

/** A fitted distribution: sample median and 95th percentile, and the empirical points. */
export interface FittedDistribution {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  /** Sorted; all values when there are at most `EMPIRICAL_POINTS`. */
  readonly values: readonly number[];
}

/** The profile fitted to one agent's attempts on one model. */
export interface FittedProfile {
  readonly agent: string;
  readonly provider: string;
  readonly model: string;
  /** Attempts counted in the fault rates. */
  readonly attempts: number;
  readonly successes: number;
  readonly faults: { readonly error: number; readonly timeout: number; readonly rateLimit: number };
  /** Successful attempts' latency, ms; null when none succeeded. */
  readonly latencyMs: FittedDistribution | null;
  /** Time to first token, ms, and output tokens per second after it: null unless every successful attempt carries a time to first token. */
  readonly ttftMs: FittedDistribution | null;
  readonly outputTokensPerSecond: FittedDistribution | null;
  readonly outputTokens: FittedDistribution | null;
  readonly inputTokens: FittedDistribution | null;
}

/** Error types that are not the model's doing, left out of the fault rates. */
const NOT_THE_MODEL = new Set(['cancelled', 'workflow_timeout', 'context_length_exceeded']);

/** Fits one profile per (agent, provider, model), in order of first appearance. */
export function fitProfiles(attempts: readonly ObservedAttempt[]): FittedProfile[] {
  return [...groupBy(attempts, (attempt) => JSON.stringify([attempt.agent, attempt.provider, attempt.model])).values()].map(fitProfile);
}

function fitProfile(group: readonly ObservedAttempt[]): FittedProfile {
  const first = group[0] as ObservedAttempt;
  const counted = group.filter((attempt) => attempt.errorType === null || !NOT_THE_MODEL.has(attempt.errorType));
  const ok = counted.filter((attempt) => attempt.errorType === null);
  const share = (test: (type: string) => boolean): number =>
    counted.length === 0 ? 0 : counted.filter((attempt) => attempt.errorType !== null && test(attempt.errorType)).length / counted.length;
  const streamed = ok.length > 0 && ok.every((attempt) => attempt.ttftMs !== null);
  const generating = streamed ? ok.filter((attempt) => attempt.outputTokens > 0 && attempt.durationMs > (attempt.ttftMs as number)) : [];
  return {
    agent: first.agent,
    provider: first.provider,
    model: first.model,
    attempts: counted.length,
    successes: ok.length,
    faults: {
      error: share((type) => type !== 'timeout' && type !== 'rate_limit'),
      timeout: share((type) => type === 'timeout'),
      rateLimit: share((type) => type === 'rate_limit'),
    },
    latencyMs: fitDistribution(ok.map((attempt) => attempt.durationMs)),
    ttftMs: streamed ? fitDistribution(ok.map((attempt) => attempt.ttftMs as number)) : null,
    outputTokensPerSecond: streamed
      ? fitDistribution(generating.map((attempt) => (attempt.outputTokens * 1000) / (attempt.durationMs - (attempt.ttftMs as number))))
      : null,
    outputTokens: fitDistribution(ok.map((attempt) => attempt.outputTokens)),
    inputTokens: fitDistribution(ok.map((attempt) => attempt.inputTokens)),
  };
}

/** Median, 95th percentile (nearest rank) and empirical points of `values`; null when empty. */
export function fitDistribution(values: readonly number[]): FittedDistribution | null {
  const n = values.length;
  if (n === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => sorted[nearestRankIndex(n, q)] as number;
  const points = n <= EMPIRICAL_POINTS ? [...sorted] : Array.from({ length: EMPIRICAL_POINTS }, (_, index) => at((index + 0.5) / EMPIRICAL_POINTS));
  return { n, p50: at(0.5), p95: at(0.95), values: points };
}
