/**
 * Behaviour over (virtual) time, for runs that recorded it: throughput, workflows in flight, p95
 * latency and spend per window (`timeseries`), and queue length per shared resource
 * (`queue_series`), over the scenario's time axis (`time-axis.ts`: a long tail after the arrivals
 * is cut off and counted). Each run is its own line; a run is labelled by its series, plus its seed
 * when a series has several.
 */
import type { Db } from '../store/schema.ts';
import { describeLoad } from '../summary/load.ts';
import { SCENARIO_RUNS, type ReportSeries } from './series.ts';
import { isUnloaded, runTimings, scenarioTimeAxis, type RunTiming, type TimeAxis } from './time-axis.ts';

/** One window of a run's time series. */
export interface LoadPoint {
  /** Window start, virtual seconds from the run's start. */
  readonly t: number;
  /** Workflows completed or failed per second in the window. */
  readonly throughput: number;
  /** Most workflows in flight at once in the window. */
  readonly inFlight: number;
  /** p95 latency of the workflows that ended in the window, ms; null when none ended. */
  readonly p95Ms: number | null;
  /** Cost of the model attempts in the window per minute, USD. */
  readonly costPerMinuteUsd: number;
}

/** The time series of one run. */
export interface RunLoad {
  readonly label: string;
  /** Its load as the load table prints it (`poisson 2→40/s for 10m`, `closed ×1`). */
  readonly load: string;
  /**
   * False for a closed loop of one workflow at a time, or a run with no load block
   * (`isUnloaded`): its throughput only mirrors its latency and its in-flight count is always 1.
   */
  readonly loaded: boolean;
  /** Its windows up to the end of the time axis (and the first past it, so a line reaches the edge). */
  readonly points: readonly LoadPoint[];
  /** The scenario's time axis: the same for every run of the scenario (`scenarioTimeAxis`). */
  readonly axis: TimeAxis;
}

/** Queue length over time of one shared resource in one run. */
export interface QueueLine {
  /** `<run label> · <resource>`. */
  readonly label: string;
  /** `[window start s, queue_max]`, up to the end of the time axis (and the first window past it). */
  readonly points: readonly (readonly [number, number])[];
  /** End of the last window after the time axis's end in which calls waited, s; null when none (or the axis is not clipped). */
  readonly queuedUntilS: number | null;
}

/** Label of every run of `series`: the series label, with ` seed N` when the series pools seeds. */
/** The timing of each run of a scenario and the time axis its over-time charts share (read once per scenario). */
export interface ScenarioTimes {
  readonly timings: ReadonlyMap<string, RunTiming>;
  readonly axis: TimeAxis;
}

/** The `ScenarioTimes` of `scenario`, whose runs `series` label. */
export function scenarioTimes(db: Db, scenario: string, series: readonly ReportSeries[]): ScenarioTimes {
  const timings = runTimings(db, scenario, runLabels(series));
  return { timings, axis: scenarioTimeAxis(db, timings) };
}

export function runLabels(series: readonly ReportSeries[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const entry of series) {
    entry.runIds.forEach((runId, index) => {
      labels.set(runId, entry.runIds.length > 1 ? `${entry.label} seed ${entry.seeds[index] ?? index}` : entry.label);
    });
  }
  return labels;
}

/** Most points drawn per run: longer series are merged into buckets of whole windows. */
export const MAX_LOAD_POINTS = 600;

/**
 * The bucket (ms) that keeps every run of `scenario` within `MAX_LOAD_POINTS` points up to
 * the end of the time axis `axis` (when clipped; else the whole run).
 */
function bucketMs(db: Db, scenario: string, table: 'timeseries' | 'queue_series', axis: TimeAxis): number {
  const span = db
    .prepare(`SELECT max(window_start_ms + window_ms) AS end, min(window_ms) AS window FROM ${table} WHERE ${SCENARIO_RUNS}`)
    .get(scenario) as { end: number | null; window: number | null };
  if (span.end === null || span.window === null || span.window <= 0) return 1;
  const shown = axis.clipped && axis.endMs !== null ? Math.min(span.end, axis.endMs) : span.end;
  return Math.max(1, Math.ceil(shown / MAX_LOAD_POINTS / span.window)) * span.window;
}

/** Windows starting before this are drawn: the axis's end plus one bucket, so a line runs to the edge. */
function drawnUntilMs(axis: TimeAxis, bucket: number): number {
  return axis.clipped && axis.endMs !== null ? axis.endMs + bucket : Number.MAX_VALUE;
}

// Merged windows: throughput and spend over their total length, the most in flight, the worst window p95.
const TIMESERIES = `
SELECT run_id, min(window_start_ms) AS start_ms, sum(window_ms) AS window_ms, sum(completed + failed) AS finished,
       max(in_flight_max) AS in_flight, max(latency_p95_ms) AS p95, sum(cost_usd) AS cost
FROM timeseries WHERE ${SCENARIO_RUNS} AND window_start_ms < ?
GROUP BY run_id, CAST(window_start_ms / ? AS INTEGER)
ORDER BY run_id, start_ms`;

interface TimeseriesRow {
  run_id: string;
  start_ms: number;
  window_ms: number;
  finished: number;
  in_flight: number;
  p95: number | null;
  cost: number;
}

/**
 * Per run of `scenario`: its load and its windows over the scenario's time axis (merged into at
 * most `MAX_LOAD_POINTS` buckets, where the p95 of a bucket is the worst p95 of its windows). A run
 * that recorded no time series has no points.
 */
export function loadSeries(db: Db, scenario: string, series: readonly ReportSeries[], times: ScenarioTimes = scenarioTimes(db, scenario, series)): RunLoad[] {
  const { timings, axis } = times;
  const bucket = bucketMs(db, scenario, 'timeseries', axis);
  const byRun = new Map<string, LoadPoint[]>();
  for (const row of db.prepare(TIMESERIES).all(scenario, drawnUntilMs(axis, bucket), bucket) as TimeseriesRow[]) {
    const points = byRun.get(row.run_id) ?? [];
    byRun.set(row.run_id, points);
    points.push({
      t: row.start_ms / 1000,
      throughput: row.window_ms > 0 ? (row.finished * 1000) / row.window_ms : 0,
      inFlight: row.in_flight,
      p95Ms: row.p95,
      costPerMinuteUsd: row.window_ms > 0 ? (row.cost * 60_000) / row.window_ms : 0,
    });
  }
  const loads = new Map((db.prepare('SELECT run_id, load FROM runs WHERE scenario = ?').all(scenario) as { run_id: string; load: string }[]).map((row) => [row.run_id, row.load]));
  return series.flatMap((entry) => entry.runIds).flatMap((runId) => {
    const timing = timings.get(runId);
    return timing === undefined
      ? []
      : [{ label: timing.label, load: describeLoad(loads.get(runId) ?? '{}'), loaded: !isUnloaded(timing.load), points: byRun.get(runId) ?? [], axis }];
  });
}

const QUEUES = `
SELECT run_id, resource, min(window_start_ms) AS window_start_ms, max(queue_max) AS queue_max
FROM queue_series WHERE ${SCENARIO_RUNS} AND window_start_ms < ?
GROUP BY run_id, resource, CAST(window_start_ms / ? AS INTEGER)
ORDER BY run_id, resource, window_start_ms`;

const QUEUED_AFTER = `
SELECT run_id, resource, max(window_start_ms + window_ms) AS until_ms
FROM queue_series WHERE ${SCENARIO_RUNS} AND window_start_ms + window_ms > ? AND queue_max > 0
GROUP BY run_id, resource`;

/**
 * Per run and shared resource of `scenario`: the longest queue per window (or bucket) over the
 * scenario's time axis, and until when calls still waited after it; empty when none recorded.
 */
export function queueLines(db: Db, scenario: string, series: readonly ReportSeries[], times: ScenarioTimes = scenarioTimes(db, scenario, series)): QueueLine[] {
  const labels = runLabels(series);
  const { axis } = times;
  const bucket = bucketMs(db, scenario, 'queue_series', axis);
  const label = (row: { run_id: string; resource: string }): string => `${labels.get(row.run_id) ?? row.run_id} · ${row.resource}`;
  const lines = new Map<string, [number, number][]>();
  const rows = db.prepare(QUEUES).all(scenario, drawnUntilMs(axis, bucket), bucket) as { run_id: string; resource: string; window_start_ms: number; queue_max: number }[];
  for (const row of rows) {
    const points = lines.get(label(row)) ?? [];
    lines.set(label(row), points);
    points.push([row.window_start_ms / 1000, row.queue_max]);
  }
  const after = !axis.clipped || axis.endMs === null ? [] : (db.prepare(QUEUED_AFTER).all(scenario, axis.endMs) as { run_id: string; resource: string; until_ms: number }[]);
  const until = new Map(after.map((row) => [label(row), row.until_ms / 1000]));
  return [...lines].map(([name, points]) => ({ label: name, points, queuedUntilS: until.get(name) ?? null }));
}
