/**
 * Regression gates of `compare --fail-on`: rules like `p95 +10%`, `cost +5%`, `accuracy -2pt`.
 *
 * A rule fails a cell when the change is worse than its limit AND significant at 95 % — the
 * bootstrap interval of the difference excludes 0 (latency, cost) or the two-proportion test
 * gives p < 0.05 (accuracy, success). A large but noisy change (few workflows) does not fail; a
 * significant change within the limit does not either.
 */
import { HarnessError } from '../../harness/kernel/errors.ts';
import type { CellKey } from './load.ts';
import { COMPARE_METRICS, higherIsWorse, type CellComparison, type CompareMetric, type Comparison, type MetricDelta } from './compare.ts';

/** One parsed `--fail-on` rule. */
export interface FailRule {
  /** The rule as written, normalised (`p95 +10%`). */
  readonly text: string;
  readonly metric: CompareMetric;
  /**
   * Limit of the change: percent of the base value for latency and cost (an increase is worse),
   * percentage points for accuracy and success (a decrease is worse). ≥ 0.
   */
  readonly limit: number;
}

/** A rule broken by a cell. */
export interface RuleFailure extends CellKey {
  readonly rule: FailRule;
  readonly delta: MetricDelta;
}

const RULE = /^([a-z0-9_]+)\s*([+-])\s*(\d+(?:\.\d+)?)\s*(%|pt)$/;

const FORMS = '`p50|p95|p99|mean_latency|cost +N%` or `accuracy|success -Npt`';

/** Parses one rule; `USAGE` error naming the rule and the accepted forms when it is malformed. */
export function parseFailRule(text: string): FailRule {
  const trimmed = text.trim();
  const match = RULE.exec(trimmed);
  const fail = (why: string): never => {
    throw new HarnessError('USAGE', `--fail-on rule ${JSON.stringify(text)}: ${why}; write ${FORMS}`);
  };
  if (match === null) return fail('not a rule');
  const [, name = '', sign, amount = '', unit] = match;
  if (!(COMPARE_METRICS as readonly string[]).includes(name)) return fail(`unknown metric '${name}'`);
  const metric = name as CompareMetric;
  const increaseIsWorse = higherIsWorse(metric);
  if (increaseIsWorse && (sign !== '+' || unit !== '%')) return fail(`a ${metric} regression is an increase, in percent (e.g. ${metric} +10%)`);
  if (!increaseIsWorse && (sign !== '-' || unit !== 'pt')) return fail(`a ${metric} regression is a drop, in points (e.g. ${metric} -2pt)`);
  return { text: `${metric} ${sign}${amount}${unit}`, metric, limit: Number(amount) };
}

/** Parses every `--fail-on` argument; each may hold several rules separated by commas. */
export function parseFailRules(args: readonly string[]): FailRule[] {
  return args.flatMap((arg) => arg.split(',')).map(parseFailRule);
}

/** Whether `delta` breaks `rule` (worse than the limit and significant). */
export function breaksRule(rule: FailRule, delta: MetricDelta): boolean {
  if (rule.metric !== delta.metric || !delta.significant || delta.delta === null) return false;
  if (higherIsWorse(rule.metric)) {
    if (delta.delta <= 0) return false;
    return delta.deltaPct === null || delta.deltaPct > rule.limit; // from 0 to anything: infinitely worse
  }
  return delta.delta * 100 < -rule.limit;
}

/** Every (cell, rule) pair that fails, in cell order then rule order. */
export function evaluateRules(comparison: Comparison, rules: readonly FailRule[]): RuleFailure[] {
  return comparison.cells.flatMap((cell: CellComparison) =>
    rules.flatMap((rule) => {
      const delta = cell.metrics.find((metric) => metric.metric === rule.metric);
      return delta !== undefined && breaksRule(rule, delta)
        ? [{ scenario: cell.scenario, pattern: cell.pattern, variant: cell.variant, rule, delta }]
        : [];
    }),
  );
}
