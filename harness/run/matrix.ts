import { materialiseCases } from './cases.ts';
import { HarnessError } from '../kernel/errors.ts';
import { applyLoadOverrides, type LoadOverrides } from '../scenario/load-overrides.ts';
import type { RunSpec } from './runner.ts';
import type { TracePolicy } from './trace-policy.ts';
import type { CompiledScenario, PatternName } from '../scenario/types.ts';

/** What the user asked to run (CLI flags). */
export interface MatrixOptions {
  /** Only these patterns (default: every pattern each scenario configures). */
  readonly patterns: readonly PatternName[] | null;
  /** Only these variants, `base` naming the scenario as written (default: all of them). */
  readonly variants: readonly string[] | null;
  /** Seeds to run (default: each scenario's own seed). */
  readonly seeds: readonly number[] | null;
  /** Number of cases (default: the scenario's). */
  readonly cases: number | null;
  /** Times each case runs, default 1. */
  readonly repeat: number;
  /** Workflows in flight at once (a closed loop); null = the scenario's load. */
  readonly concurrency: number | null;
  /** Other load overrides from the command line (open arrivals, duration, in-flight cap). */
  readonly load?: LoadOverrides;
  /** Run only shard `index` (1-based) of `count`: every count-th cell of the matrix, in order. */
  readonly shard?: { readonly index: number; readonly count: number } | null;
  /** Which traces every run keeps (`--traces`); null or absent = each run's default (harness/run/trace-policy.ts). */
  readonly traces?: TracePolicy | null;
}

/**
 * The matrix: scenario × pattern × variant × seed, in a stable order (scenarios as given, then
 * each scenario's base and its variants as written, patterns in the scenario's order, then seeds).
 * Every variant of a scenario is fed the same cases unless it overrides them. Throws `USAGE` when
 * the filters leave nothing.
 */
export function planRuns(scenarios: readonly CompiledScenario[], options: MatrixOptions): RunSpec[] {
  const specs: RunSpec[] = [];
  for (const base of scenarios) {
    for (const scenario of [base, ...base.variants.values()]) {
      if (options.variants !== null && !options.variants.includes(scenario.variant)) continue;
      const cases = materialiseCases(scenario, options.cases);
      for (const pattern of scenario.patterns.keys()) {
        if (options.patterns !== null && !options.patterns.includes(pattern)) continue;
        for (const seed of options.seeds ?? [scenario.seed]) {
          const load = applyLoadOverrides(scenario.load, { ...options.load, concurrency: options.concurrency });
          const traces = options.traces ?? null;
          specs.push({ scenario, pattern, variant: scenario.variant, seed, cases, repeat: options.repeat, load, ...(traces !== null && { traces }) });
        }
      }
    }
  }
  const shard = options.shard ?? null;
  if (shard !== null) {
    const label = `${shard.index}/${shard.count}`;
    const mine = specs.filter((_spec, position) => position % shard.count === shard.index - 1).map((spec) => ({ ...spec, shard: label }));
    if (mine.length === 0) throw new HarnessError('USAGE', `shard ${label} is empty: the matrix has only ${specs.length} cell(s)`);
    return mine;
  }
  if (specs.length === 0) {
    const wanted = [...(options.patterns ?? []), ...(options.variants ?? [])].join(', ');
    throw new HarnessError('USAGE', `no scenario has the requested pattern(s) or variant(s): ${wanted}`);
  }
  return specs;
}
