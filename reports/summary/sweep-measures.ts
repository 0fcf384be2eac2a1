/**
 * The measures a sweep finds the best pattern on, computed from a candidate's workflows at a point
 * (`CellSample`) with a weight per case — 1 for the measured value, a bootstrap resample's counts
 * for its replicates — or over one seed's runs only. Success and accuracy count every workflow
 * meant to run, dropped arrivals included, as the summary defines them (`rates.ts`).
 */
import { formatDuration } from '../../harness/kernel/duration.ts';
import { nearestRankIndex } from '../../harness/kernel/statistics.ts';
import { formatPercent, formatUsd } from './format.ts';
import { COMPLETED, CORRECT, SCORED, type CellSample } from './sweep-data.ts';

/** A measure's name (also its key in JSON and its `--gate` name). */
export type SweepMeasure = 'accuracy' | 'cost_per_correct' | 'p95_latency' | 'success_rate' | 'cost_per_workflow' | 'threshold_pass';

/** What a measure is and how it reads. */
export interface SweepMeasureDef {
  readonly name: SweepMeasure;
  /** As a sentence names it (`threshold pass`: the decision, explained beside the tables). */
  readonly title: string;
  /** Which way is better. */
  readonly better: 'high' | 'low';
  /** How its values print. */
  readonly unit: 'ratio' | 'usd' | 'ms';
  /**
   * What a crossing is interpolated in: the value, or its reciprocal — correct answers per dollar,
   * which is linear in accuracy where cost per correct answer (cost ÷ accuracy) is curved.
   */
  readonly interpolate: 'value' | 'reciprocal';
}

/**
 * The measures, in the order they print. `threshold_pass` is the report's decision: the cheapest
 * per correct answer among the candidates that pass every threshold and complete at least
 * `minSuccess` of their arrivals (its value: cost per correct answer, or none when not viable).
 */
export const SWEEP_MEASURES: readonly SweepMeasureDef[] = [
  { name: 'accuracy', title: 'accuracy', better: 'high', unit: 'ratio', interpolate: 'value' },
  { name: 'cost_per_correct', title: 'cost per correct answer', better: 'low', unit: 'usd', interpolate: 'reciprocal' },
  { name: 'p95_latency', title: 'p95 latency', better: 'low', unit: 'ms', interpolate: 'value' },
  { name: 'success_rate', title: 'success', better: 'high', unit: 'ratio', interpolate: 'value' },
  { name: 'cost_per_workflow', title: 'cost per workflow', better: 'low', unit: 'usd', interpolate: 'value' },
  { name: 'threshold_pass', title: 'threshold pass', better: 'low', unit: 'usd', interpolate: 'reciprocal' },
];

/** The measure named `name`; undefined for an unknown name. */
export function sweepMeasure(name: string): SweepMeasureDef | undefined {
  return SWEEP_MEASURES.find((measure) => measure.name === name);
}

/** A value of `measure` as it prints: `87.5%`, `$0.0123`, `2.41s`; `–` for none. */
export function formatMeasure(measure: SweepMeasureDef, value: number | null): string {
  if (value === null || Number.isNaN(value)) return '–';
  if (measure.unit === 'ratio') return formatPercent(value);
  if (measure.unit === 'usd') return formatUsd(value);
  return formatDuration(value);
}

/**
 * Every measure of `cell` into `out` (in `SWEEP_MEASURES` order; NaN where a measure has no value),
 * each workflow weighted by `weights[its case]` (null: 1 each) and, with `seed` ≥ 0, only the
 * workflows (and dropped arrivals) of that seed index.
 */
export function cellMeasures(cell: CellSample, weights: Float64Array | null, seed: number, out: Float64Array): void {
  const n = cell.latencyMs.length;
  let total = 0;
  let completed = 0;
  let scored = 0;
  let correct = 0;
  let cost = 0;
  for (let i = 0; i < n; i++) {
    if (seed >= 0 && cell.seedIndex[i] !== seed) continue;
    const w = weights === null ? 1 : (weights[cell.caseIndex[i] as number] as number);
    if (w === 0) continue;
    const bits = cell.outcome[i] as number;
    total += w;
    if ((bits & COMPLETED) !== 0) completed += w;
    if ((bits & SCORED) !== 0) scored += w;
    if ((bits & CORRECT) !== 0) correct += w;
    cost += w * (cell.costUsd[i] as number);
  }
  let dropped = 0;
  if (seed >= 0) dropped = cell.droppedBySeed[seed] ?? 0;
  else for (const value of cell.droppedBySeed) dropped += value;
  const arrivals = total + dropped;
  const judged = arrivals - (completed - scored);
  const costPerCorrect = correct > 0 ? cost / correct : NaN;
  out[0] = (scored === 0 && completed > 0) || judged === 0 ? NaN : correct / judged;
  out[1] = costPerCorrect;
  out[2] = total >= 1 ? weightedP95(cell, weights, seed, Math.round(total)) : NaN;
  out[3] = arrivals === 0 ? NaN : completed / arrivals;
  out[4] = total > 0 ? cost / total : NaN;
  out[5] = cell.viability.viable ? costPerCorrect : NaN;
}

/** The nearest-rank p95 of the weighted latencies (`total` = their integer weight). */
function weightedP95(cell: CellSample, weights: Float64Array | null, seed: number, total: number): number {
  const rank = nearestRankIndex(total, 0.95);
  let seen = 0;
  for (let i = 0; i < cell.latencyMs.length; i++) {
    if (seed >= 0 && cell.seedIndex[i] !== seed) continue;
    seen += weights === null ? 1 : (weights[cell.caseIndex[i] as number] as number);
    if (rank < seen) return cell.latencyMs[i] as number;
  }
  return cell.latencyMs[cell.latencyMs.length - 1] ?? NaN;
}
