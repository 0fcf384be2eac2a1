/**
 * Thresholds, k6-style: pass/fail criteria on a run's results, given in a scenario (`thresholds:`)
 * or with `--threshold`. Grammar (whitespace is free between tokens):
 *
 *   threshold := [ pattern ":" ] metric op value
 *   pattern   := sequential | fanout | router | supervisor | single-agent   (scopes it to that pattern's runs)
 *   metric    := "p" N "(" quantity ")" | "mean(" quantity ")" | "max(" quantity ")" | scalar
 *   N         := a percentile, 0 < N ≤ 100: 50, 95, 99, 99.9
 *   quantity  := latency      intended start → end (queueing included)
 *              | service      start → end
 *              | queue_wait   time a call waited for a shared resource (from the queue.wait histograms)
 *   scalar    := accuracy | success_rate | error_rate | dropped_rate        rates: 0.9 or 90%
 *              | cost_per_workflow | cost_per_correct                      USD: 0.05 or $0.05
 *              | tokens_per_workflow | retries_per_workflow                numbers
 *              | throughput                                                workflows/s: 30 or 30/s
 *   op        := "<" | "<=" | ">" | ">="
 *   value     := a duration with its unit for quantities (20s, 250ms, 1.5m); otherwise as listed above
 *
 * Rates count every workflow the run was meant to run — the ones that started and the arrivals
 * dropped at the in-flight cap: `accuracy` is correct ÷ all of them (a failed or dropped one is not
 * correct), and success_rate + error_rate + dropped_rate = 1 (reports/summary/rates.ts).
 *
 * Examples: `p95(latency) < 20s`, `router: accuracy >= 90%`, `error_rate < 0.01`.
 */
import { parseDuration } from '../kernel/duration.ts';
import { HarnessError } from '../kernel/errors.ts';
import { PATTERN_NAMES, type PatternName } from './types.ts';

/** Comparison operators, in the order error messages list them. */
export const THRESHOLD_OPS = ['<', '<=', '>', '>='] as const;
export type ThresholdOp = (typeof THRESHOLD_OPS)[number];

/** Durations a statistic can be taken of (see the grammar above). */
export const DURATION_QUANTITIES = ['latency', 'service', 'queue_wait'] as const;
export type DurationQuantity = (typeof DURATION_QUANTITIES)[number];

/** How a threshold's limit and observed value are measured. */
export type ThresholdUnit = 'ms' | 'ratio' | 'usd' | 'count' | 'per_second';

/** Metrics that are one number per run, with their unit. */
export const SCALAR_METRICS = {
  accuracy: 'ratio',
  success_rate: 'ratio',
  error_rate: 'ratio',
  dropped_rate: 'ratio',
  cost_per_workflow: 'usd',
  cost_per_correct: 'usd',
  tokens_per_workflow: 'count',
  retries_per_workflow: 'count',
  throughput: 'per_second',
} as const satisfies Record<string, ThresholdUnit>;
export type ScalarMetricName = keyof typeof SCALAR_METRICS;

/** What a threshold measures. */
export type ThresholdMetric =
  | { readonly kind: 'percentile'; readonly quantity: DurationQuantity; /** 95 for p95. */ readonly percentile: number }
  | { readonly kind: 'mean' | 'max'; readonly quantity: DurationQuantity }
  | { readonly kind: 'scalar'; readonly name: ScalarMetricName };

/** A parsed threshold. */
export interface ThresholdSpec {
  /**
   * Canonical text, `router: p95(latency) < 20s`: scope, metric and operator normalised, the value
   * as written. Identifies the threshold per run (the `thresholds` table's key).
   */
  readonly expression: string;
  /** The pattern whose runs it applies to; null for every run. */
  readonly pattern: PatternName | null;
  readonly metric: ThresholdMetric;
  /** Canonical metric text: `p95(latency)`, `accuracy`. */
  readonly metricText: string;
  readonly op: ThresholdOp;
  /** The limit in `unit`: milliseconds, a fraction in [0, 1], USD, a count or workflows per second. */
  readonly limit: number;
  readonly unit: ThresholdUnit;
}

export type ThresholdParseResult = { readonly ok: true; readonly threshold: ThresholdSpec } | { readonly ok: false; readonly message: string };

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const SCALAR_NAMES = Object.keys(SCALAR_METRICS) as ScalarMetricName[];
const RATE_NAMES = SCALAR_NAMES.filter((name) => SCALAR_METRICS[name] === 'ratio');
const EXAMPLE = 'e.g. "p95(latency) < 20s" or "router: accuracy >= 0.9"';
const METRIC_LIST = `pN(latency), pN(service), pN(queue_wait), mean(…), max(…), ${SCALAR_NAMES.join(', ')}`;
const NUMBER = /^(?:\d+(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?$/i;
const CALL = /^([\w.]+)\s*\(\s*([^()]*?)\s*\)$/;
const PERCENTILE = /^p(\d+(?:\.\d+)?)$/;

/** Parses one threshold (grammar at the top of this file); the message says what is wrong. */
export function parseThreshold(text: string): ThresholdParseResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: `empty threshold; expected [pattern:] metric op value, ${EXAMPLE}` };
  const opMatch = /[<>=!]+/.exec(trimmed);
  if (opMatch === null) {
    return { ok: false, message: `no comparison in "${trimmed}"; expected [pattern:] metric op value with op <, <=, > or >=, ${EXAMPLE}` };
  }
  const opText = opMatch[0];
  if (!(THRESHOLD_OPS as readonly string[]).includes(opText)) {
    return { ok: false, message: `"${opText}" is not a comparison; use <, <=, > or >=` };
  }
  const op = opText as ThresholdOp;
  const left = trimmed.slice(0, opMatch.index);
  const valueText = trimmed.slice(opMatch.index + opText.length).trim();
  const second = /[<>=!]+/.exec(valueText);
  if (second !== null) return { ok: false, message: `only one comparison is allowed; found "${opText}" and then "${second[0]}"` };
  const colon = left.indexOf(':');
  const scopeText = colon < 0 ? null : left.slice(0, colon).trim();
  const metricSource = (colon < 0 ? left : left.slice(colon + 1)).trim();
  const pattern = parseScope(scopeText);
  if (!pattern.ok) return pattern;
  if (metricSource === '') return { ok: false, message: `missing metric before "${op}"; metrics are ${METRIC_LIST}` };
  const metric = parseMetric(metricSource);
  if (!metric.ok) return metric;
  const unit = metricUnit(metric.value);
  const metricText = formatMetric(metric.value);
  if (valueText === '') return { ok: false, message: `missing value after "${op}" (${metricText} ${valueHint(unit)})` };
  const limit = parseLimit(valueText, metricText, unit);
  if (!limit.ok) return limit;
  const expression = `${pattern.value === null ? '' : `${pattern.value}: `}${metricText} ${op} ${valueText}`;
  return { ok: true, threshold: { expression, pattern: pattern.value, metric: metric.value, metricText, op, limit: limit.value, unit } };
}

/** `parseThreshold` for callers that want an exception: a `USAGE` error carrying the message. */
export function parseThresholdOrThrow(text: string): ThresholdSpec {
  const result = parseThreshold(text);
  if (!result.ok) throw new HarnessError('USAGE', `threshold "${text.trim()}": ${result.message}`);
  return result.threshold;
}

/** True when `observed op limit` holds (exact comparison: `<` fails at equality, `<=` passes). */
export function thresholdHolds(op: ThresholdOp, observed: number, limit: number): boolean {
  switch (op) {
    case '<':
      return observed < limit;
    case '<=':
      return observed <= limit;
    case '>':
      return observed > limit;
    case '>=':
      return observed >= limit;
  }
}

/** Canonical text of a metric: `p99.9(latency)`, `mean(service)`, `accuracy`. */
export function formatMetric(metric: ThresholdMetric): string {
  switch (metric.kind) {
    case 'percentile':
      return `p${metric.percentile}(${metric.quantity})`;
    case 'mean':
    case 'max':
      return `${metric.kind}(${metric.quantity})`;
    case 'scalar':
      return metric.name;
  }
}

function metricUnit(metric: ThresholdMetric): ThresholdUnit {
  return metric.kind === 'scalar' ? SCALAR_METRICS[metric.name] : 'ms';
}

function parseScope(scope: string | null): Parsed<PatternName | null> {
  if (scope === null) return { ok: true, value: null };
  if (scope === '') return { ok: false, message: `missing pattern before ":"; patterns are ${PATTERN_NAMES.join(', ')}` };
  if ((PATTERN_NAMES as readonly string[]).includes(scope)) return { ok: true, value: scope as PatternName };
  return { ok: false, message: `unknown pattern "${scope}" before ":"; patterns are ${PATTERN_NAMES.join(', ')}` };
}

function parseMetric(text: string): Parsed<ThresholdMetric> {
  if ((SCALAR_NAMES as readonly string[]).includes(text)) return { ok: true, value: { kind: 'scalar', name: text as ScalarMetricName } };
  const call = CALL.exec(text);
  if (call === null) {
    if ((DURATION_QUANTITIES as readonly string[]).includes(text)) {
      return { ok: false, message: `"${text}" needs a statistic: p95(${text}), mean(${text}) or max(${text})` };
    }
    if (PERCENTILE.test(text) || text === 'mean' || text === 'max') {
      return { ok: false, message: `"${text}" needs a quantity: ${text}(latency), ${text}(service) or ${text}(queue_wait)` };
    }
    return { ok: false, message: `unknown metric "${text}"; metrics are ${METRIC_LIST}` };
  }
  const [, statistic = '', quantity = ''] = call;
  if (statistic === 'p') return { ok: false, message: `write the percentile into the name: p${quantity}(latency), not k6's p(${quantity})` };
  if (!(DURATION_QUANTITIES as readonly string[]).includes(quantity)) {
    return { ok: false, message: `unknown quantity "${quantity}" in "${text}"; use latency (intended start → end), service (start → end) or queue_wait` };
  }
  const of = quantity as DurationQuantity;
  if (statistic === 'mean' || statistic === 'max') return { ok: true, value: { kind: statistic, quantity: of } };
  const percentile = PERCENTILE.exec(statistic);
  if (percentile === null) return { ok: false, message: `unknown statistic "${statistic}" in "${text}"; use pN (e.g. p95, p99.9), mean or max` };
  const value = Number(percentile[1]);
  if (!(value > 0 && value <= 100)) return { ok: false, message: `percentile ${statistic} is out of range; N must be above 0 and at most 100` };
  return { ok: true, value: { kind: 'percentile', quantity: of, percentile: value } };
}

function valueHint(unit: ThresholdUnit): string {
  switch (unit) {
    case 'ms':
      return 'takes a duration with a unit, e.g. 20s or 250ms';
    case 'ratio':
      return 'takes a fraction between 0 and 1 or a percentage, e.g. 0.9 or 90%';
    case 'usd':
      return 'takes US dollars, e.g. 0.05 or $0.05';
    case 'count':
      return 'takes a number, e.g. 1500';
    case 'per_second':
      return 'takes workflows per second, e.g. 30 or 30/s';
  }
}

function parseLimit(text: string, metricText: string, unit: ThresholdUnit): Parsed<number> {
  const invalid = (why: string): Parsed<number> => ({ ok: false, message: `${why}: ${metricText} ${valueHint(unit)}` });
  if (unit === 'ms') {
    if (NUMBER.test(text)) return invalid(`"${text}" has no unit`);
    try {
      return { ok: true, value: parseDuration(text) };
    } catch (error: unknown) {
      if (error instanceof HarnessError && error.code === 'DURATION_INVALID') return invalid(`"${text}" is not a duration`);
      throw error;
    }
  }
  const percent = text.endsWith('%');
  if (percent && unit !== 'ratio') return invalid(`"${text}" is a percentage, allowed only for rates (${RATE_NAMES.join(', ')})`);
  const stripped = unitSuffixRemoved(text, unit);
  if (!NUMBER.test(stripped)) return invalid(`"${text}" is not a ${unit === 'ratio' ? 'rate' : 'non-negative number'}`);
  const value = Number(stripped);
  if (unit !== 'ratio') return { ok: true, value };
  if (percent) return value <= 100 ? { ok: true, value: value / 100 } : invalid(`"${text}" is above 100%`);
  if (value <= 1) return { ok: true, value };
  return invalid(`${text} is above 1 (write ${text}% for a percentage)`);
}

/** The number part of a value: without `%` (rates), a leading `$` (USD) or a trailing `/s` (throughput). */
function unitSuffixRemoved(text: string, unit: ThresholdUnit): string {
  if (unit === 'ratio' && text.endsWith('%')) return text.slice(0, -1).trimEnd();
  if (unit === 'usd' && text.startsWith('$')) return text.slice(1).trimStart();
  if (unit === 'per_second' && text.endsWith('/s')) return text.slice(0, -2).trimEnd();
  return text;
}
