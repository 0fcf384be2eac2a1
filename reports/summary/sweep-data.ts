/**
 * A sweep as stored: its axes and points (`sweep_points`), its candidates (pattern × variant,
 * seeds pooled), and per candidate and point the workflows of its runs — latency, cost, outcome and
 * case — held in typed arrays for the boundary analysis (`boundaries.ts`), which resamples them.
 * Viability per candidate and point (every threshold passed on every seed, at least `minSuccess`
 * completed) comes from the `thresholds` table.
 */
import { parseThreshold } from '../../harness/scenario/thresholds.ts';
import type { Db } from '../store/schema.ts';
import { DROPPED_BY_RUN } from './rates.ts';

/** One axis: a swept field (or an assumption `advise` scales) and the values it takes, ascending. */
export interface SweepAxisData {
  readonly index: number;
  readonly path: string;
  readonly scale: 'linear' | 'log';
  readonly values: readonly { readonly value: number; readonly text: string }[];
}

/** One point: its value on each axis. */
export interface SweepPointData {
  readonly index: number;
  readonly coordinates: readonly { readonly value: number; readonly text: string }[];
}

/** Whether a candidate is viable at a point: every threshold passed on every seed, and `minSuccess` completed. */
export interface Viability {
  readonly viable: boolean;
  /**
   * How far it is from failing: the smallest relative slack over its thresholds (limit − observed,
   * or observed − limit, ÷ the limit) and its success over `minSuccess`; negative when it fails.
   */
  readonly margin: number;
  /** Why it is not viable (`success 81% < 95%`, `p95(latency) < 30s: 41.2s`); empty when viable. */
  readonly reasons: readonly string[];
}

/** The workflows of one candidate at one point (its runs, every seed), sorted by latency. */
export interface CellSample {
  readonly candidate: string;
  readonly point: number;
  readonly runIds: readonly string[];
  readonly latencyMs: Float64Array;
  readonly costUsd: Float64Array;
  /** Index of each workflow's case in `SweepData.caseIds`. */
  readonly caseIndex: Int32Array;
  /** Index of each workflow's seed in `SweepData.seeds`. */
  readonly seedIndex: Int32Array;
  /** Bit 0: completed; bit 1: scored; bit 2: correct. */
  readonly outcome: Uint8Array;
  /** Arrivals dropped (never started), per seed index. */
  readonly droppedBySeed: Float64Array;
  readonly viability: Viability;
}

/** Outcome bits of `CellSample.outcome`. */
export const COMPLETED = 1;
export const SCORED = 2;
export const CORRECT = 4;

/** One scenario's sweep. */
export interface SweepData {
  readonly scenario: string;
  readonly axes: readonly SweepAxisData[];
  /** Points present in the file, by index. */
  readonly points: readonly SweepPointData[];
  /** `router`, `router (keyword-rules)`, … sorted. */
  readonly candidates: readonly string[];
  readonly seeds: readonly number[];
  readonly caseIds: readonly string[];
  /** The share of arrivals a run must complete to be viable (the scenario's `minSuccess`). */
  readonly minSuccess: number;
  /** Every candidate × point sample; `cell` finds one. */
  readonly cells: readonly CellSample[];
}

/** A candidate's label: the pattern, with its variant when not `base`. */
export function candidateLabel(pattern: string, variant: string): string {
  return variant === 'base' ? pattern : `${pattern} (${variant})`;
}

/** The variant a sweep run was planned from: its `runs.variant` without the point label (`base@p03` → `base`). */
export function sweepVariant(variant: string): string {
  return variant.replace(/@p\d+$/, '');
}

/** `minSuccess` when a run's configuration does not record it. */
const DEFAULT_MIN_SUCCESS = 0.95;

interface SweepRunRow {
  run_id: string;
  point: number;
  scenario: string;
  pattern: string;
  variant: string;
  seed: number;
  min_success: number | null;
}

interface WorkflowRow {
  latency_ms: number;
  cost_usd: number;
  case_id: string;
  status: string;
  correct: number | null;
}

/** Whether `db` holds a sweep (a `sweep_points` table with rows). */
export function hasSweep(db: Db): boolean {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sweep_points'").get();
  return table !== undefined && db.prepare('SELECT 1 FROM sweep_points LIMIT 1').get() !== undefined;
}

/** Every scenario's sweep in `db` (none when it holds no sweep). */
export function readSweeps(db: Db): SweepData[] {
  if (!hasSweep(db)) return [];
  const runs = db
    .prepare(
      `SELECT DISTINCT p.run_id, p.point, r.scenario, r.pattern, r.variant, r.seed, json_extract(r.config, '$.minSuccess') AS min_success
       FROM sweep_points p JOIN runs r ON r.run_id = p.run_id ORDER BY r.scenario, p.point, r.run_id`,
    )
    .all() as SweepRunRow[];
  const scenarios = [...new Set(runs.map((run) => run.scenario))];
  return scenarios.map((scenario) => readScenarioSweep(db, scenario, runs.filter((run) => run.scenario === scenario)));
}

function readScenarioSweep(db: Db, scenario: string, runs: readonly SweepRunRow[]): SweepData {
  const runIds = JSON.stringify(runs.map((run) => run.run_id));
  const rows = db
    .prepare(`SELECT point, axis, path, scale, value, text FROM sweep_points WHERE run_id IN (SELECT value FROM json_each(?)) GROUP BY point, axis ORDER BY point, axis`)
    .all(runIds) as { point: number; axis: number; path: string; scale: 'linear' | 'log'; value: number; text: string }[];
  const axisCount = rows.reduce((max, row) => Math.max(max, row.axis + 1), 0);
  const axes: SweepAxisData[] = [];
  for (let index = 0; index < axisCount; index++) {
    const own = rows.filter((row) => row.axis === index);
    const values = new Map<number, string>();
    for (const row of own) if (!values.has(row.value)) values.set(row.value, row.text);
    axes.push({
      index,
      path: own[0]?.path ?? `axis ${index}`,
      scale: own[0]?.scale ?? 'linear',
      values: [...values].sort((a, b) => a[0] - b[0]).map(([value, text]) => ({ value, text })),
    });
  }
  const pointMap = new Map<number, { value: number; text: string }[]>();
  for (const row of rows) {
    const coordinates = pointMap.get(row.point) ?? [];
    coordinates[row.axis] = { value: row.value, text: row.text };
    pointMap.set(row.point, coordinates);
  }
  const points = [...pointMap].sort((a, b) => a[0] - b[0]).map(([index, coordinates]) => ({ index, coordinates }));
  const seeds = [...new Set(runs.map((run) => run.seed))].sort((a, b) => a - b);
  const minSuccess = runs.find((run) => run.min_success !== null)?.min_success ?? DEFAULT_MIN_SUCCESS;
  const dropped = new Map((db.prepare(DROPPED_BY_RUN).all() as { run_id: string; dropped: number }[]).map((row) => [row.run_id, row.dropped]));
  const thresholds = readThresholds(db, runIds);

  const caseIds = (db.prepare('SELECT DISTINCT case_id FROM workflows WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY case_id').pluck().all(runIds) as string[]);
  const caseIndexOf = new Map(caseIds.map((id, index) => [id, index]));
  const byCell = new Map<string, SweepRunRow[]>();
  for (const run of runs) {
    const key = `${candidateLabel(run.pattern, sweepVariant(run.variant))}\n${run.point}`;
    byCell.set(key, [...(byCell.get(key) ?? []), run]);
  }
  const workflows = db.prepare('SELECT latency_ms, cost_usd, case_id, status, correct FROM workflows WHERE run_id = ? ORDER BY latency_ms');
  const cells: CellSample[] = [];
  for (const [key, cellRuns] of byCell) {
    const [candidate = '', point = '0'] = key.split('\n');
    const parts = cellRuns.map((run) => ({ run, rows: workflows.all(run.run_id) as WorkflowRow[] }));
    const total = parts.reduce((sum, part) => sum + part.rows.length, 0);
    const order: { latency: number; part: number; row: number }[] = [];
    parts.forEach((part, partIndex) => part.rows.forEach((row, rowIndex) => order.push({ latency: row.latency_ms, part: partIndex, row: rowIndex })));
    order.sort((a, b) => a.latency - b.latency || a.part - b.part || a.row - b.row);
    const sample = {
      latencyMs: new Float64Array(total),
      costUsd: new Float64Array(total),
      caseIndex: new Int32Array(total),
      seedIndex: new Int32Array(total),
      outcome: new Uint8Array(total),
    };
    order.forEach((entry, index) => {
      const part = parts[entry.part] as (typeof parts)[number];
      const row = part.rows[entry.row] as WorkflowRow;
      sample.latencyMs[index] = row.latency_ms;
      sample.costUsd[index] = row.cost_usd;
      sample.caseIndex[index] = caseIndexOf.get(row.case_id) ?? 0;
      sample.seedIndex[index] = seeds.indexOf(part.run.seed);
      sample.outcome[index] = (row.status === 'completed' ? COMPLETED : 0) | (row.correct !== null ? SCORED : 0) | (row.correct === 1 ? CORRECT : 0);
    });
    const droppedBySeed = new Float64Array(seeds.length);
    for (const run of cellRuns) droppedBySeed[seeds.indexOf(run.seed)] = (droppedBySeed[seeds.indexOf(run.seed)] as number) + (dropped.get(run.run_id) ?? 0);
    const completed = sample.outcome.reduce((sum, bits) => sum + (bits & COMPLETED), 0);
    const arrivals = total + droppedBySeed.reduce((sum, value) => sum + value, 0);
    const viability = viabilityOf(cellRuns.map((run) => run.run_id), thresholds, arrivals === 0 ? null : completed / arrivals, minSuccess);
    cells.push({ candidate, point: Number(point), runIds: cellRuns.map((run) => run.run_id), ...sample, droppedBySeed, viability });
  }
  const candidates = [...new Set(cells.map((cell) => cell.candidate))].sort();
  return { scenario, axes, points, candidates, seeds, caseIds, minSuccess, cells };
}

interface ThresholdRow {
  run_id: string;
  expression: string;
  observed: number | null;
  passed: number;
}

function readThresholds(db: Db, runIds: string): Map<string, ThresholdRow[]> {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'thresholds'").get();
  const byRun = new Map<string, ThresholdRow[]>();
  if (table === undefined) return byRun;
  const rows = db.prepare('SELECT run_id, expression, observed, passed FROM thresholds WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, expression').all(runIds) as ThresholdRow[];
  for (const row of rows) byRun.set(row.run_id, [...(byRun.get(row.run_id) ?? []), row]);
  return byRun;
}

/** Relative slack of `observed` against a threshold: positive while it holds. */
function slack(row: ThresholdRow): number {
  const parsed = parseThreshold(row.expression);
  if (!parsed.ok || row.observed === null) return row.passed === 1 ? 0 : -Infinity;
  const { op, limit } = parsed.threshold;
  const scale = Math.abs(limit) > 0 ? Math.abs(limit) : 1;
  const room = op === '<' || op === '<=' ? limit - row.observed : row.observed - limit;
  // A threshold at its limit exactly: `<` fails there, `<=` passes; the slack says which side it is on.
  return row.passed === 1 ? Math.max(room / scale, 0) : Math.min(room / scale, -Number.EPSILON);
}

function viabilityOf(runIds: readonly string[], thresholds: ReadonlyMap<string, readonly ThresholdRow[]>, success: number | null, minSuccess: number): Viability {
  const reasons: string[] = [];
  let margin = success === null ? -Infinity : (success - minSuccess) / minSuccess;
  if (success === null) reasons.push('no workflow ran');
  else if (success < minSuccess) reasons.push(`success ${(Math.floor(success * 1000) / 10).toFixed(1)}% < ${(minSuccess * 100).toFixed(0)}%`);
  const failed = new Set<string>();
  for (const runId of runIds) {
    for (const row of thresholds.get(runId) ?? []) {
      margin = Math.min(margin, slack(row));
      if (row.passed !== 1) failed.add(row.expression);
    }
  }
  for (const expression of failed) reasons.push(`${expression} failed`);
  return { viable: reasons.length === 0, margin, reasons };
}
