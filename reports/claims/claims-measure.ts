/**
 * Each claim's measured figure: computed per seed from that seed's runs of the claim's scenario,
 * then the mean over seeds with its 95 % Student-t interval (the seeds are independent
 * replicates). The verdict compares the interval with the article's range:
 *
 * - `holds`: the interval lies inside the article's range (for a range claim: the measured
 *   p5–p95 lies inside it);
 * - `partly`: they overlap;
 * - `does not hold`: they are disjoint;
 * - `not measured`: the lever the claim needs is not built.
 */
import { HarnessError } from '../../harness/kernel/errors.ts';
import { meanInterval, type MeanInterval } from '../../harness/kernel/statistics.ts';
import type { Claim, SeedRuns } from './claims.ts';
import type { RunFigures } from './run-figures.ts';

export type Verdict = 'holds' | 'partly' | 'does not hold' | 'not measured';

/** A claim as measured. */
export interface ClaimResult {
  readonly claim: Claim;
  /** One interval per figure of the claim (two for a range claim); empty when not measured. */
  readonly measured: readonly MeanInterval[];
  /** The asides' figures, in order. */
  readonly asides: readonly MeanInterval[];
  readonly seeds: number;
  readonly verdict: Verdict;
}

/** The runs of `scenario` for one seed, by series. */
function seedRuns(runs: readonly RunFigures[], scenario: string, seed: number): SeedRuns {
  return {
    run(pattern: string, variant = 'base'): RunFigures {
      const found = runs.find((run) => run.scenario === scenario && run.seed === seed && run.pattern === pattern && run.variant === variant);
      if (found === undefined) throw new HarnessError('CLAIM_UNMEASURABLE', `no run of ${scenario} ${pattern} (${variant}) with seed ${seed} in the claims' results`);
      return found;
    },
  };
}

/** The verdict of measured intervals against the article's range [low, high]. */
export function verdictOf(measured: readonly MeanInterval[], low: number, high: number): Verdict {
  if (measured.length === 0) return 'not measured';
  // A range claim compares the measured range (the first figure's mean to the last's); a single figure its interval.
  const [from, to] = measured.length === 1 ? [(measured[0] as MeanInterval).lo, (measured[0] as MeanInterval).hi] : [(measured[0] as MeanInterval).mean, (measured.at(-1) as MeanInterval).mean];
  if (from >= low && to <= high) return 'holds';
  if (to < low || from > high) return 'does not hold';
  return 'partly';
}

/**
 * Measures `claims` on `runs`; `scenarioName(file)` is the name of the scenario in that file of
 * `scenarios/article/`. Every seed found for a claim's scenario is one replicate.
 */
export function measureClaims(claims: readonly Claim[], runs: readonly RunFigures[], scenarioName: (file: string) => string): ClaimResult[] {
  return claims.map((claim) => {
    if (claim.scenario === null) return { claim, measured: [], asides: [], seeds: 0, verdict: 'not measured' };
    const scenario = scenarioName(claim.scenario);
    const seeds = [...new Set(runs.filter((run) => run.scenario === scenario).map((run) => run.seed))].sort((a, b) => a - b);
    if (seeds.length === 0) throw new HarnessError('CLAIM_UNMEASURABLE', `no run of ${scenario} (${claim.scenario}) in the claims' results`);
    const perSeed = seeds.map((seed) => seedRuns(runs, scenario, seed));
    const figures = perSeed.map((one) => claim.figures(one));
    const measured = (figures[0] ?? []).map((_figure, index) => meanInterval(figures.map((values) => values[index] as number)));
    const asides = (claim.asides ?? []).map((aside) => meanInterval(perSeed.map((one) => aside.figure(one))));
    return { claim, measured, asides, seeds: seeds.length, verdict: verdictOf(measured, claim.article.low, claim.article.high) };
  });
}
