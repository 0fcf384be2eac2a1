/**
 * The plan of a sweep: its axes (swept fields, or assumptions `advise` scales), its points (a value
 * on every axis and the fields each sets), and its cells — every point × pattern × variant × seed
 * of the matrix, in a stable order. Each point is compiled here, so a value the scenario refuses
 * stops the sweep before anything is written. A point's runs carry its number in their variant
 * (`base@p03`), so their run ids are distinct while their cases and random streams — keyed by the
 * seed, scenario, case and agent, never the variant — are the same at every point.
 */
import { HarnessError } from '../../kernel/errors.ts';
import type { CompiledScenario } from '../../scenario/types.ts';
import { planRuns, type MatrixOptions } from '../matrix.ts';
import { runIdOf, type RunSpec } from '../runner.ts';
import { checkSweepPath, compilePoint, type PointAssignment, type SweepSource } from './sweep-point.ts';
import type { SweepScale, SweepValue, VarySpec } from './sweep-values.ts';

/** One axis of a sweep. */
export interface SweepAxis {
  /** The field's YAML path, or the name of a scaled assumption (`latency ×`): `sweep_points.path`. */
  readonly path: string;
  readonly scale: SweepScale;
  /** Every value the axis takes, in the order given. */
  readonly values: readonly SweepValue[];
}

/** One point of a sweep. */
export interface SweepPoint {
  readonly index: number;
  /** Its value on each axis, in the order of the axes. */
  readonly coordinates: readonly SweepValue[];
  /** The fields it sets in the scenario (none: the scenario as written). */
  readonly assignments: readonly PointAssignment[];
}

/** The axes and points of a sweep. */
export interface SweepDesign {
  readonly axes: readonly SweepAxis[];
  readonly points: readonly SweepPoint[];
}

/** Most points one sweep may plan: the product of its axes' value counts. */
export const MAX_SWEEP_POINTS = 10_000;

/**
 * The grid of `varies`: every combination of their values, in row-major order (the last `--vary`
 * changes fastest). Each path is checked against the file first (`checkSweepPath`).
 */
export function gridDesign(source: SweepSource, varies: readonly VarySpec[]): SweepDesign {
  if (varies.length === 0) throw new HarnessError('USAGE', 'a sweep needs at least one --vary PATH=VALUES');
  const paths = new Set<string>();
  for (const vary of varies) {
    if (paths.has(vary.path)) throw new HarnessError('USAGE', `--vary ${vary.path} is given twice (give all its values in one list or range)`);
    paths.add(vary.path);
    checkSweepPath(source, vary.segments);
  }
  const total = varies.reduce((product, vary) => product * vary.values.length, 1);
  if (total > MAX_SWEEP_POINTS) throw new HarnessError('USAGE', `the sweep has ${total.toLocaleString('en-US')} points, more than ${MAX_SWEEP_POINTS.toLocaleString('en-US')}: use fewer values`);
  const axes: SweepAxis[] = varies.map((vary) => ({ path: vary.path, scale: vary.scale, values: vary.values }));
  const points: SweepPoint[] = [];
  for (let index = 0; index < total; index++) {
    let rest = index;
    const picks = new Array<number>(varies.length);
    for (let axis = varies.length - 1; axis >= 0; axis--) {
      const size = (varies[axis] as VarySpec).values.length;
      picks[axis] = rest % size;
      rest = Math.floor(rest / size);
    }
    const coordinates = varies.map((vary, axis) => vary.values[picks[axis] as number] as SweepValue);
    const assignments = varies.map((vary, axis) => ({ segments: vary.segments, value: vary.unit === 'number' ? (coordinates[axis] as SweepValue).value : (coordinates[axis] as SweepValue).text }));
    points.push({ index, coordinates, assignments });
  }
  return { axes, points };
}

/** The label a point's runs carry after their variant: `@p03` (zero-padded to the largest point number). */
export function pointLabel(point: number, points: number): string {
  return `@p${String(point).padStart(String(Math.max(0, points - 1)).length, '0')}`;
}

/** The matrix options of a sweep (what `run` takes, without `--shard`, which applies to the sweep's cells). */
export type SweepMatrix = Omit<MatrixOptions, 'shard'>;

/** One cell of a sweep: a point and one run of its matrix. */
export interface SweepCell {
  readonly point: number;
  /** Index of the run in `planRuns` of the point's scenario (`pointRuns`). */
  readonly run: number;
  readonly runId: string;
  /** The run, compiled in this thread (a worker compiles its own from the source). */
  readonly spec: RunSpec;
}

/** A sweep ready to run. */
export interface SweepPlan {
  readonly source: SweepSource;
  readonly design: SweepDesign;
  readonly matrix: SweepMatrix;
  /** The cells to run, in order (after `--shard`). */
  readonly cells: readonly SweepCell[];
  /** `i/n` when sharded, else ''. */
  readonly shard: string;
  /** The scenario as written (the base of every point). */
  readonly base: CompiledScenario;
}

/**
 * The runs of point `point` of `design`: `planRuns` of the point's scenario, each with the point's
 * label after its variant (and `shard` when sharded).
 */
export function pointRuns(scenario: CompiledScenario, design: SweepDesign, point: number, matrix: SweepMatrix, shard = ''): RunSpec[] {
  const label = pointLabel(point, design.points.length);
  return planRuns([scenario], matrix).map((spec) => ({ ...spec, variant: `${spec.variant}${label}`, ...(shard === '' ? {} : { shard }) }));
}

/**
 * Compiles every point of `design` (a refused value is a located `ScenarioError`) and lists the
 * cells: points in order, then each point's runs in matrix order; with `shard` only every
 * count-th cell, as `run --shard` does.
 */
export function planSweep(source: SweepSource, base: CompiledScenario, design: SweepDesign, matrix: SweepMatrix, shard: MatrixOptions['shard'] = null): SweepPlan {
  const label = shard === null ? '' : `${shard.index}/${shard.count}`;
  const all: SweepCell[] = [];
  for (const point of design.points) {
    const scenario = point.assignments.length === 0 ? base : compilePoint(source, point.assignments);
    pointRuns(scenario, design, point.index, matrix, label).forEach((spec, run) => all.push({ point: point.index, run, runId: runIdOf(spec), spec }));
  }
  const cells = shard === null ? all : all.filter((_cell, position) => position % shard.count === shard.index - 1);
  if (cells.length === 0) throw new HarnessError('USAGE', `shard ${label} is empty: the sweep has only ${all.length} cell(s)`);
  return { source, design, matrix, cells, shard: label, base };
}
