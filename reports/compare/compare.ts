/**
 * `compare`: the metric deltas head − base per cell (scenario × pattern × variant, seeds pooled),
 * each with its significance — a percentile-bootstrap interval for latency percentiles, mean
 * latency and mean cost (`reports/compare/bootstrap.ts`), a two-proportion z-test for accuracy and
 * success rate (`reports/compare/proportion-test.ts`), both over every workflow meant to run —
 * failed workflows and dropped arrivals count as neither correct nor successful (`../summary/rates.ts`).
 */
import { deriveRng } from '../../harness/kernel/rng.ts';
import {
  BOOTSTRAP_MAX_SAMPLE,
  BOOTSTRAP_RESAMPLES,
  bootstrapDifferences,
  SAMPLE_STATISTICS,
  sampleValues,
  type SampleStatistic,
} from './bootstrap.ts';
import { cellName, loadCells, type CellKey, type CellSample } from './load.ts';
import { twoProportionTest } from './proportion-test.ts';
import type { Db } from '../store/schema.ts';
import { accuracyRate, arrivalCount, judgedCount } from '../summary/rates.ts';

/** Metrics compared, in output order. */
export const COMPARE_METRICS = [...SAMPLE_STATISTICS, 'accuracy', 'success'] as const;

/** p50/p95/p99/mean_latency (ms), cost (mean USD per workflow), accuracy and success (proportions). */
export type CompareMetric = (typeof COMPARE_METRICS)[number];

/** Metrics where higher is worse (latency, cost); for the others (accuracy, success) lower is worse. */
export function higherIsWorse(metric: CompareMetric): boolean {
  return metric !== 'accuracy' && metric !== 'success';
}

/** Unit of a metric's values: milliseconds, US dollars, or a proportion in [0, 1]. */
export type MetricUnit = 'ms' | 'usd' | 'proportion';

/** One metric of one cell. Values are null when a side has nothing to measure (no workflows, nothing scored). */
export interface MetricDelta {
  readonly metric: CompareMetric;
  readonly unit: MetricUnit;
  readonly base: number | null;
  readonly head: number | null;
  /** head − base, in `unit` (a proportion difference: × 100 for points). */
  readonly delta: number | null;
  /** 100 × delta ÷ base; null when base is 0 or null. */
  readonly deltaPct: number | null;
  /** 95 % interval on `delta`: bootstrap for ms and USD, Wald for proportions. */
  readonly ciLo: number | null;
  readonly ciHi: number | null;
  /** Two-proportion z-test p-value (proportions only). */
  readonly pValue: number | null;
  /** Significant at 95 %: the interval excludes 0 (bootstrap) or p < 0.05 (proportions). */
  readonly significant: boolean;
}

/** How much a side of a cell holds. */
export interface SideCounts {
  readonly runs: number;
  readonly workflows: number;
}

/** A cell present in both files. */
export interface CellComparison extends CellKey {
  readonly baseCounts: SideCounts;
  readonly headCounts: SideCounts;
  readonly metrics: readonly MetricDelta[];
}

/** A cell present in one file only. */
export interface UnmatchedCell extends CellKey, SideCounts {}

/** The comparison of two files. */
export interface Comparison {
  /** Seed of the bootstrap streams. */
  readonly seed: number;
  readonly resamples: number;
  /** Largest sample bootstrapped without subsampling. */
  readonly maxSample: number;
  readonly cells: readonly CellComparison[];
  /** Cells only in head. */
  readonly added: readonly UnmatchedCell[];
  /** Cells only in base. */
  readonly removed: readonly UnmatchedCell[];
}

/** Options of `compareDatabases`. */
export interface CompareOptions {
  /** Seed of the bootstrap; default 1. Same seed and files ⇒ identical output. */
  readonly seed?: number;
  /** Bootstrap resamples; default `BOOTSTRAP_RESAMPLES` (1,000). */
  readonly resamples?: number;
  /** Subsample sides larger than this; default `BOOTSTRAP_MAX_SAMPLE` (20,000). */
  readonly maxSample?: number;
}

/** Compares every cell of `head` with the same cell of `base`. */
export function compareDatabases(base: Db, head: Db, options: CompareOptions = {}): Comparison {
  return compareCells(loadCells(base), loadCells(head), options);
}

/** `compareDatabases` over cells already loaded. */
export function compareCells(base: readonly CellSample[], head: readonly CellSample[], options: CompareOptions = {}): Comparison {
  const seed = options.seed ?? 1;
  const resamples = options.resamples ?? BOOTSTRAP_RESAMPLES;
  const maxSample = options.maxSample ?? BOOTSTRAP_MAX_SAMPLE;
  const baseByName = new Map(base.map((cell) => [cellName(cell), cell]));
  const headNames = new Set(head.map(cellName));
  const cells: CellComparison[] = [];
  const added: UnmatchedCell[] = [];
  for (const headCell of head) {
    const baseCell = baseByName.get(cellName(headCell));
    if (baseCell === undefined) added.push(unmatched(headCell));
    else cells.push(compareCell(baseCell, headCell, seed, resamples, maxSample));
  }
  const removed = base.filter((cell) => !headNames.has(cellName(cell))).map(unmatched);
  return { seed, resamples, maxSample, cells, added, removed };
}

function unmatched(cell: CellSample): UnmatchedCell {
  return { scenario: cell.scenario, pattern: cell.pattern, variant: cell.variant, runs: cell.runs, workflows: cell.workflows };
}

function compareCell(base: CellSample, head: CellSample, seed: number, resamples: number, maxSample: number): CellComparison {
  const measured = base.workflows > 0 && head.workflows > 0;
  const baseValues = base.workflows > 0 ? sampleValues(base.sample) : null;
  const headValues = head.workflows > 0 ? sampleValues(head.sample) : null;
  const rng = deriveRng(seed, 'compare', base.scenario, base.pattern, base.variant);
  const intervals = measured ? bootstrapDifferences(base.sample, head.sample, rng, { resamples, maxSample }) : null;
  const sampled = SAMPLE_STATISTICS.map((metric: SampleStatistic): MetricDelta => {
    const interval = intervals?.[metric] ?? null;
    return delta(metric, metric === 'cost' ? 'usd' : 'ms', baseValues?.[metric] ?? null, headValues?.[metric] ?? null, interval, null);
  });
  return {
    scenario: base.scenario,
    pattern: base.pattern,
    variant: base.variant,
    baseCounts: { runs: base.runs, workflows: base.workflows },
    headCounts: { runs: head.runs, workflows: head.workflows },
    metrics: [
      ...sampled,
      proportionDelta('accuracy', base.correct, accuracyDenominator(base), head.correct, accuracyDenominator(head)),
      proportionDelta('success', base.completed, arrivalCount(base), head.completed, arrivalCount(head)),
    ],
  };
}

/** Of how many workflows accuracy is taken (`rates.ts`: every one meant to run); 0 when the cell has no accuracy. */
function accuracyDenominator(cell: CellSample): number {
  return accuracyRate(cell) === null ? 0 : judgedCount(cell);
}

function proportionDelta(metric: CompareMetric, baseHits: number, baseN: number, headHits: number, headN: number): MetricDelta {
  const baseValue = baseN === 0 ? null : baseHits / baseN;
  const headValue = headN === 0 ? null : headHits / headN;
  if (baseN === 0 || headN === 0) return delta(metric, 'proportion', baseValue, headValue, null, null);
  const test = twoProportionTest(baseHits, baseN, headHits, headN);
  return delta(metric, 'proportion', baseValue, headValue, test, test.pValue);
}

function delta(
  metric: CompareMetric,
  unit: MetricUnit,
  base: number | null,
  head: number | null,
  interval: { readonly lo: number; readonly hi: number } | null,
  pValue: number | null,
): MetricDelta {
  const difference = base === null || head === null ? null : head - base;
  const significant = pValue !== null ? pValue < 0.05 : interval !== null && (interval.lo > 0 || interval.hi < 0);
  return {
    metric,
    unit,
    base,
    head,
    delta: difference,
    deltaPct: difference === null || base === null || base === 0 ? null : (100 * difference) / base,
    ciLo: interval?.lo ?? null,
    ciHi: interval?.hi ?? null,
    pValue,
    significant,
  };
}
