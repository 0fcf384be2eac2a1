/**
 * Decision boundaries of a sweep: for each measure, the best candidate (pattern × variant, seeds
 * pooled) at each point, and every crossing between neighbouring points along each swept field
 * (the other fields held where they are) — where the winner changes, interpolated linearly in the
 * difference between the two (in the logarithm of the field on a log-spaced axis; for cost per
 * correct answer, in correct answers per dollar, which is linear in accuracy), with a 95 % interval
 * and whether the difference is significant at each side.
 *
 * Intervals come from repeated draws: by default a bootstrap over cases — each resample draws the
 * cases with replacement, the same draw for every candidate and point (their runs share cases and
 * random streams), the crossing is found again in each, and the interval runs from the 2.5th to the
 * 97.5th percentile; a resample in which the two never cross puts it beyond the swept range — or,
 * with `interval: 'seeds'`, the spread of the runs' seeds (a t interval over each seed's crossing).
 * Threshold checks are evaluated per run and not resampled: a change of the `threshold_pass`
 * winner that a candidate starting or ceasing to be viable makes, and the change of viability
 * itself, is placed where the deciding margin crosses zero, its interval the two points around it.
 */
import { HarnessError } from '../../harness/kernel/errors.ts';
import { deriveRng } from '../../harness/kernel/rng.ts';
import { nearestRankIndex } from '../../harness/kernel/statistics.ts';
import type { CellSample, SweepAxisData, SweepData, Viability } from './sweep-data.ts';
import { cellMeasures, SWEEP_MEASURES, type SweepMeasure } from './sweep-measures.ts';

/** Options of `sweepBoundaries`. */
export interface BoundaryOptions {
  /** Where intervals come from: a bootstrap over cases (default) or the runs' seeds (needs ≥ 2). */
  readonly interval?: 'cases' | 'seeds';
  /** Bootstrap resamples; default 1,000 (fewer above 200,000 workflows: `defaultResamples`). */
  readonly resamples?: number;
  /** Seed of the bootstrap's draws; default 1 (the same seed gives the same intervals). */
  readonly seed?: number;
}

/** Default bootstrap resamples. */
export const BOUNDARY_RESAMPLES = 1000;

/** Workflow visits the default bootstrap makes at most (resamples × workflows): a few seconds. */
const BOOTSTRAP_BUDGET = 200_000_000;

/**
 * Resamples by default: 1,000, fewer for a sweep of more than 200,000 workflows (so the bootstrap
 * stays within a few seconds), never under 200. Fewer resamples make the interval's ends noisier,
 * not biased; `resamples` sets the number.
 */
export function defaultResamples(workflows: number): number {
  return Math.max(200, Math.min(BOUNDARY_RESAMPLES, Math.floor(BOOTSTRAP_BUDGET / Math.max(1, workflows))));
}

/** A value on an axis. */
export interface AxisValue {
  readonly value: number;
  readonly text: string;
}

/** A 95 % interval; a null end lies beyond the swept range (or is unknown). */
export interface Interval {
  readonly lo: number | null;
  readonly hi: number | null;
}

/** One measure at one point. */
export interface PointMeasure {
  /** Each candidate's value (null: none — nothing correct, not viable, no workflow). */
  readonly values: Readonly<Record<string, number | null>>;
  /** Each candidate's 95 % interval, from the same draws as the crossings. */
  readonly intervals: Readonly<Record<string, Interval | null>>;
  /** The best candidates (several when they tie exactly); empty when none has a value. */
  readonly winners: readonly string[];
}

/** One point with its winners. */
export interface PointResult {
  readonly point: number;
  readonly coordinates: readonly AxisValue[];
  readonly measures: Readonly<Record<SweepMeasure, PointMeasure>>;
  readonly viability: Readonly<Record<string, Viability>>;
}

/** The points along one axis with every other axis held at one value each. */
export interface SweepLine {
  readonly axis: number;
  /** The other axes' values (empty in a one-axis sweep). */
  readonly fixed: readonly { readonly path: string; readonly text: string }[];
  /** Point indices, by ascending value on the axis. */
  readonly points: readonly number[];
}

/** Where the best candidate on a measure changes between two neighbouring points. */
export interface Crossing {
  readonly measure: SweepMeasure;
  readonly axis: number;
  readonly path: string;
  readonly fixed: SweepLine['fixed'];
  /** Best at the lower point, and at the upper one. */
  readonly below: string;
  readonly above: string;
  readonly lower: AxisValue;
  readonly upper: AxisValue;
  /** The interpolated value of the field where the two are equal. */
  readonly at: number;
  readonly interval: Interval;
  /** `cases` (bootstrap), `seeds` (t interval over seeds) or `bracket` (the two points: threshold checks are not resampled). */
  readonly method: 'cases' | 'seeds' | 'bracket';
  /** `below` is significantly better at the lower point (its difference's 95 % interval excludes 0); null when not tested. */
  readonly significantBelow: boolean | null;
  /** `above` is significantly better at the upper point; null when not tested. */
  readonly significantAbove: boolean | null;
  /**
   * The nearest point at or below the crossing where `below` is significantly better (going down
   * the line until the two cross again); null when there is none, or not tested.
   */
  readonly clearBelow: AxisValue | null;
  /** The nearest point at or above the crossing where `above` is significantly better; null when none, or not tested. */
  readonly clearAbove: AxisValue | null;
}

/** A candidate that starts or stops being viable between two neighbouring points. */
export interface ViabilityFlip {
  readonly candidate: string;
  readonly axis: number;
  readonly path: string;
  readonly fixed: SweepLine['fixed'];
  readonly lower: AxisValue;
  readonly upper: AxisValue;
  /** What it becomes going up the axis. */
  readonly becomes: 'viable' | 'not viable';
  /** Where its margin crosses zero, interpolated (the middle when the margin is unbounded). */
  readonly at: number;
  /** Why it is not viable on its failing side. */
  readonly reasons: readonly string[];
}

/** What a sweep varies, in words: `a × b` (a grid), or the changed assumptions (one at a time). */
export function sweepExtent(boundaries: Pick<SweepBoundaries, 'axes' | 'points'>): string {
  return oneAtATime(boundaries) ? `the scenario as written and ${boundaries.points.length - 1} changes, one at a time` : boundaries.axes.map((axis) => axis.path).join(' × ');
}

/** A sweep's boundaries. */
export interface SweepBoundaries {
  readonly scenario: string;
  readonly axes: readonly SweepAxisData[];
  readonly candidates: readonly string[];
  readonly points: readonly PointResult[];
  readonly lines: readonly SweepLine[];
  readonly crossings: readonly Crossing[];
  readonly flips: readonly ViabilityFlip[];
  readonly interval: 'cases' | 'seeds';
  /** Replicates behind the intervals: bootstrap resamples, or seeds. */
  readonly replicates: number;
  readonly minSuccess: number;
}

const MEASURES = SWEEP_MEASURES.length;
const THRESHOLD_PASS = SWEEP_MEASURES.findIndex((measure) => measure.name === 'threshold_pass');

/** The 0.975 quantile of Student's t with 1…30 degrees of freedom (beyond: the normal's). */
const T_975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Point estimates and replicates of every measure of every cell. */
interface Estimates {
  /** `values[cell][measure]`, NaN for none. */
  readonly values: Float64Array[];
  /** `replicates[cell][r * MEASURES + measure]`. */
  readonly replicates: Float64Array[];
  readonly count: number;
}

function estimate(data: SweepData, interval: 'cases' | 'seeds', resamples: number, seed: number): Estimates {
  const values = data.cells.map((cell) => {
    const out = new Float64Array(MEASURES);
    cellMeasures(cell, null, -1, out);
    return out;
  });
  const count = interval === 'seeds' ? data.seeds.length : resamples;
  const replicates = data.cells.map(() => new Float64Array(count * MEASURES));
  const out = new Float64Array(MEASURES);
  if (interval === 'seeds') {
    for (let r = 0; r < count; r++) {
      data.cells.forEach((cell, c) => {
        cellMeasures(cell, null, r, out);
        (replicates[c] as Float64Array).set(out, r * MEASURES);
      });
    }
  } else {
    const rng = deriveRng(seed, 'sweep-bootstrap', data.scenario);
    const cases = data.caseIds.length;
    const weights = new Float64Array(cases);
    for (let r = 0; r < count; r++) {
      weights.fill(0);
      for (let k = 0; k < cases; k++) weights[Math.floor(rng.next() * cases)]!++;
      data.cells.forEach((cell, c) => {
        cellMeasures(cell, weights, -1, out);
        (replicates[c] as Float64Array).set(out, r * MEASURES);
      });
    }
  }
  return { values, replicates, count };
}

/** True when `a` is better than `b` on a measure whose better side is `better` (NaN is never better). */
function better(a: number, b: number, direction: 'high' | 'low'): boolean {
  return direction === 'high' ? a > b : a < b;
}

/** Equal up to rounding: candidates this close tie. */
function tied(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** The percentile interval of `samples` (±Infinity ends become null: beyond the range). */
function percentileInterval(samples: Float64Array): Interval {
  const finite = samples.filter((value) => !Number.isNaN(value)).sort();
  if (finite.length === 0) return { lo: null, hi: null };
  const lo = finite[nearestRankIndex(finite.length, 0.025)] as number;
  const hi = finite[nearestRankIndex(finite.length, 0.975)] as number;
  return { lo: Number.isFinite(lo) ? lo : null, hi: Number.isFinite(hi) ? hi : null };
}

/** The t interval of the mean of `samples` (an infinite or missing sample leaves that side open). */
function tInterval(samples: Float64Array): Interval {
  const finite = [...samples].filter((value) => Number.isFinite(value));
  if (finite.length < 2) return { lo: null, hi: null };
  const mean = finite.reduce((sum, value) => sum + value, 0) / finite.length;
  const sd = Math.sqrt(finite.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (finite.length - 1));
  const half = (T_975[finite.length - 2] ?? 1.96) * (sd / Math.sqrt(finite.length));
  const below = [...samples].some((value) => value === -Infinity || Number.isNaN(value));
  const above = [...samples].some((value) => value === Infinity || Number.isNaN(value));
  return { lo: below ? null : mean - half, hi: above ? null : mean + half };
}

/** Where a linear interpolation between (x0, d0) and (x1, d1) reaches 0, in log space on a log axis. */
function zeroBetween(x0: number, x1: number, d0: number, d1: number, scale: 'linear' | 'log'): number {
  let t = d0 / (d0 - d1);
  if (!Number.isFinite(t)) t = 0.5;
  t = Math.min(1, Math.max(0, t));
  if (scale === 'log' && x0 > 0 && x1 > 0) return 10 ** (Math.log10(x0) + t * (Math.log10(x1) - Math.log10(x0)));
  return x0 + t * (x1 - x0);
}

/**
 * Whether the points change one axis at a time from the first (`advise`): more than two axes, and
 * every other point differs from the first on exactly one.
 */
export function oneAtATime(data: { readonly axes: readonly unknown[]; readonly points: readonly { readonly coordinates: readonly AxisValue[] }[] }): boolean {
  const base = data.points[0];
  if (base === undefined || data.axes.length <= 2) return false;
  return data.points.slice(1).every((point) => point.coordinates.filter((coordinate, axis) => coordinate?.value !== base.coordinates[axis]?.value).length === 1);
}

/**
 * Groups the points into lines along each axis (other axes fixed), each of at least two points.
 * A line's `fixed` lists the other axes' values — none for one-at-a-time changes, whose other axes
 * are the scenario as written.
 */
export function sweepLines(data: Pick<SweepData, 'axes' | 'points'>): SweepLine[] {
  const lines: SweepLine[] = [];
  const asWritten = oneAtATime(data);
  for (const axis of data.axes) {
    const groups = new Map<string, number[]>();
    for (const point of data.points) {
      const key = point.coordinates.map((coordinate, index) => (index === axis.index ? '' : String(coordinate?.value))).join('\n');
      groups.set(key, [...(groups.get(key) ?? []), point.index]);
    }
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      const valueOf = (index: number): number => data.points.find((point) => point.index === index)?.coordinates[axis.index]?.value ?? 0;
      const sorted = [...members].sort((a, b) => valueOf(a) - valueOf(b));
      const first = data.points.find((point) => point.index === sorted[0]);
      const fixed = asWritten ? [] : data.axes.filter((other) => other.index !== axis.index).map((other) => ({ path: other.path, text: first?.coordinates[other.index]?.text ?? '' }));
      lines.push({ axis: axis.index, fixed, points: sorted });
    }
  }
  return lines;
}

/**
 * The boundaries of `data`. `USAGE` error for `interval: 'seeds'` with fewer than two seeds.
 */
export function sweepBoundaries(data: SweepData, options: BoundaryOptions = {}): SweepBoundaries {
  const interval = options.interval ?? 'cases';
  if (interval === 'seeds' && data.seeds.length < 2) {
    throw new HarnessError('USAGE', `intervals over seeds need at least 2 seeds (the sweep ran ${data.seeds.length}): run it with --seed 1,2,3, or use --interval cases`);
  }
  const workflows = data.cells.reduce((sum, cell) => sum + cell.latencyMs.length, 0);
  const resamples = options.resamples ?? defaultResamples(workflows);
  if (!Number.isInteger(resamples) || resamples < 1) throw new HarnessError('USAGE', `resamples must be a positive integer, got ${resamples}`);
  const estimates = estimate(data, interval, resamples, options.seed ?? 1);
  const cellAt = new Map<string, number>(data.cells.map((cell, index) => [`${cell.candidate}\n${cell.point}`, index]));
  const cellOf = (candidate: string, point: number): number | undefined => cellAt.get(`${candidate}\n${point}`);

  const points: PointResult[] = data.points.map((point) => {
    const measures = {} as Record<SweepMeasure, PointMeasure>;
    SWEEP_MEASURES.forEach((measure, m) => {
      const values: Record<string, number | null> = {};
      const intervals: Record<string, Interval | null> = {};
      for (const candidate of data.candidates) {
        const c = cellOf(candidate, point.index);
        const value = c === undefined ? NaN : (estimates.values[c]?.[m] ?? NaN);
        values[candidate] = Number.isNaN(value) ? null : value;
        if (c === undefined || Number.isNaN(value) || m === THRESHOLD_PASS) intervals[candidate] = null;
        else {
          const replicates = estimates.replicates[c] as Float64Array;
          const samples = new Float64Array(estimates.count);
          for (let r = 0; r < estimates.count; r++) samples[r] = replicates[r * MEASURES + m] as number;
          intervals[candidate] = interval === 'seeds' ? tInterval(samples) : percentileInterval(samples);
        }
      }
      measures[measure.name] = { values, intervals, winners: winnersOf(values, measure.better) };
    });
    const viability: Record<string, Viability> = {};
    for (const candidate of data.candidates) {
      const c = cellOf(candidate, point.index);
      if (c !== undefined) viability[candidate] = (data.cells[c] as CellSample).viability;
    }
    return { point: point.index, coordinates: point.coordinates, measures, viability };
  });

  const lines = sweepLines(data);
  const resultOf = new Map(points.map((point) => [point.point, point]));
  const crossings: Crossing[] = [];
  const flips: ViabilityFlip[] = [];
  for (const line of lines) {
    const axis = data.axes[line.axis] as SweepAxisData;
    const xs = line.points.map((index) => resultOf.get(index)?.coordinates[line.axis] as AxisValue);
    SWEEP_MEASURES.forEach((measure, m) => {
      for (let i = 0; i + 1 < line.points.length; i++) {
        const here = resultOf.get(line.points[i] as number)?.measures[measure.name].winners ?? [];
        const next = resultOf.get(line.points[i + 1] as number)?.measures[measure.name].winners ?? [];
        if (here.length === 0 || next.length === 0 || here.some((candidate) => next.includes(candidate))) continue;
        const below = here[0] as string;
        const above = next[0] as string;
        const context = { data, estimates, cellOf, line, axis, xs, m, direction: measure.better, i, below, above, interval };
        const found = m === THRESHOLD_PASS ? thresholdCrossing(context) : measuredCrossing(context);
        crossings.push({ measure: measure.name, axis: line.axis, path: axis.path, fixed: line.fixed, below, above, lower: xs[i] as AxisValue, upper: xs[i + 1] as AxisValue, ...found });
      }
    });
    for (const candidate of data.candidates) {
      for (let i = 0; i + 1 < line.points.length; i++) {
        const a = resultOf.get(line.points[i] as number)?.viability[candidate];
        const b = resultOf.get(line.points[i + 1] as number)?.viability[candidate];
        if (a === undefined || b === undefined || a.viable === b.viable) continue;
        const lower = xs[i] as AxisValue;
        const upper = xs[i + 1] as AxisValue;
        const at = Number.isFinite(a.margin) && Number.isFinite(b.margin) ? zeroBetween(lower.value, upper.value, a.margin, b.margin, axis.scale) : zeroBetween(lower.value, upper.value, 1, -1, axis.scale);
        flips.push({ candidate, axis: line.axis, path: axis.path, fixed: line.fixed, lower, upper, becomes: b.viable ? 'viable' : 'not viable', at, reasons: b.viable ? a.reasons : b.reasons });
      }
    }
  }
  return { scenario: data.scenario, axes: data.axes, candidates: data.candidates, points, lines, crossings, flips, interval, replicates: estimates.count, minSuccess: data.minSuccess };
}

/** The best candidates of one measure at one point (ties included), sorted. */
function winnersOf(values: Readonly<Record<string, number | null>>, direction: 'high' | 'low'): string[] {
  let best: number | null = null;
  for (const value of Object.values(values)) if (value !== null && (best === null || better(value, best, direction))) best = value;
  if (best === null) return [];
  const top = best;
  return Object.entries(values)
    .filter(([, value]) => value !== null && tied(value, top))
    .map(([candidate]) => candidate)
    .sort();
}

/** What a crossing's finder sees. */
interface CrossingContext {
  readonly data: SweepData;
  readonly estimates: Estimates;
  readonly cellOf: (candidate: string, point: number) => number | undefined;
  readonly line: SweepLine;
  readonly axis: SweepAxisData;
  readonly xs: readonly AxisValue[];
  readonly m: number;
  readonly direction: 'high' | 'low';
  readonly i: number;
  readonly below: string;
  readonly above: string;
  readonly interval: 'cases' | 'seeds';
}

type Found = Pick<Crossing, 'at' | 'interval' | 'method' | 'significantBelow' | 'significantAbove' | 'clearBelow' | 'clearAbove'>;

/**
 * `below`'s advantage over `above` at each point of the line (positive: `below` better), from
 * `values(cell)` — or from their reciprocals for a measure interpolated so (cost per correct answer:
 * correct answers per dollar, where lower cost is better and a higher reciprocal is).
 */
function advantages(context: CrossingContext, value: (cell: number) => number): Float64Array {
  const reciprocal = SWEEP_MEASURES[context.m]?.interpolate === 'reciprocal';
  const sign = context.direction === 'high' ? 1 : -1;
  return Float64Array.from(context.line.points, (point) => {
    const a = context.cellOf(context.below, point);
    const b = context.cellOf(context.above, point);
    if (a === undefined || b === undefined) return NaN;
    return reciprocal ? 1 / value(a) - 1 / value(b) : sign * (value(a) - value(b));
  });
}

/**
 * Where `below`'s advantage falls through zero nearest to `near` (the crossing found on the measured
 * values); +Infinity when it stays above zero to the line's end, -Infinity when below zero from its
 * start (the two do not cross within the range in this replicate).
 */
function nearestCrossing(d: Float64Array, xs: readonly AxisValue[], scale: 'linear' | 'log', near: number): number {
  let best = NaN;
  for (let j = 0; j + 1 < d.length; j++) {
    const d0 = d[j] as number;
    const d1 = d[j + 1] as number;
    if (Number.isNaN(d0) || Number.isNaN(d1) || !(d0 > 0 && d1 <= 0)) continue;
    const x = zeroBetween((xs[j] as AxisValue).value, (xs[j + 1] as AxisValue).value, d0, d1, scale);
    if (Number.isNaN(best) || Math.abs(x - near) < Math.abs(best - near)) best = x;
  }
  if (!Number.isNaN(best)) return best;
  const known = [...d].filter((value) => !Number.isNaN(value));
  if (known.length === 0) return NaN;
  return (known[known.length - 1] as number) > 0 ? Infinity : -Infinity;
}

/** A crossing of a measured (resampled) measure: interpolated, with its interval and significance from the replicates. */
function measuredCrossing(context: CrossingContext): Found {
  const { estimates, m, i, xs, axis } = context;
  const d = advantages(context, (cell) => (estimates.values[cell] as Float64Array)[m] as number);
  const at = zeroBetween((xs[i] as AxisValue).value, (xs[i + 1] as AxisValue).value, d[i] as number, d[i + 1] as number, axis.scale);
  const positions = new Float64Array(estimates.count);
  const sides = context.line.points.map(() => new Float64Array(estimates.count));
  for (let r = 0; r < estimates.count; r++) {
    const dr = advantages(context, (cell) => (estimates.replicates[cell] as Float64Array)[r * MEASURES + m] as number);
    positions[r] = nearestCrossing(dr, xs, axis.scale, at);
    dr.forEach((value, j) => ((sides[j] as Float64Array)[r] = value));
  }
  const spread = context.interval === 'seeds' ? tInterval : percentileInterval;
  const intervals = sides.map(spread);
  const clear = (j: number, sign: 1 | -1): boolean => {
    const interval = intervals[j] as Interval;
    return sign > 0 ? interval.lo !== null && interval.lo > 0 : interval.hi !== null && interval.hi < 0;
  };
  // Down the line from the lower point while `below` stays ahead, up from the upper one while `above` does.
  let clearBelow: AxisValue | null = null;
  for (let j = i; j >= 0 && (d[j] as number) > 0 && clearBelow === null; j--) if (clear(j, 1)) clearBelow = xs[j] as AxisValue;
  let clearAbove: AxisValue | null = null;
  for (let j = i + 1; j < d.length && (d[j] as number) < 0 && clearAbove === null; j++) if (clear(j, -1)) clearAbove = xs[j] as AxisValue;
  return {
    at,
    interval: spread(positions),
    method: context.interval,
    significantBelow: clear(i, 1),
    significantAbove: clear(i + 1, -1),
    clearBelow,
    clearAbove,
  };
}

/**
 * A change of the `threshold_pass` winner: where the cost per correct answer of the two crosses
 * when both are viable at both points (resampled as that measure is), else where the margin of the
 * one that stops (or starts) being viable crosses zero, its interval the two points around it.
 */
function thresholdCrossing(context: CrossingContext): Found {
  const { data, cellOf, line, i, xs, axis, below, above } = context;
  const x0 = (xs[i] as AxisValue).value;
  const x1 = (xs[i + 1] as AxisValue).value;
  const viability = (candidate: string, j: number): Viability | undefined => {
    const cell = cellOf(candidate, line.points[j] as number);
    return cell === undefined ? undefined : (data.cells[cell] as CellSample).viability;
  };
  const [a0, a1, b0, b1] = [viability(below, i), viability(below, i + 1), viability(above, i), viability(above, i + 1)];
  // Both viable on both sides: the change is one of cost per correct answer, resampled like it.
  if (a0?.viable === true && a1?.viable === true && b0?.viable === true && b1?.viable === true) return measuredCrossing(context);
  const [m0, m1] = a1?.viable === false ? [a0?.margin ?? 1, a1.margin] : [-(b0?.margin ?? -1), -(b1?.margin ?? 1)];
  const at = Number.isFinite(m0) && Number.isFinite(m1) ? zeroBetween(x0, x1, m0, m1, axis.scale) : zeroBetween(x0, x1, 1, -1, axis.scale);
  return { at, interval: { lo: x0, hi: x1 }, method: 'bracket', significantBelow: null, significantAbove: null, clearBelow: null, clearAbove: null };
}
