/**
 * Behaviour over (virtual) time, for runs that recorded it: throughput, workflows in flight and
 * p95 latency per window (`timeseries`), and queue length per shared resource (`queue_series`).
 * Each run is its own line; a run is labelled by its series, plus its seed when a series has several.
 */
import type { Db } from '../store/schema.ts';
import { SCENARIO_RUNS, type ReportSeries } from './series.ts';

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
}

/** The time series of one run. */
export interface RunLoad {
  readonly label: string;
  readonly points: readonly LoadPoint[];
}

/** Queue length over time of one shared resource in one run. */
export interface QueueLine {
  /** `<run label> · <resource>`. */
  readonly label: string;
  /** `[window start s, queue_max]`. */
  readonly points: readonly (readonly [number, number])[];
}

/** Label of every run of `series`: the series label, with ` seed N` when the series pools seeds. */
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

/** The bucket (ms) that keeps every run of `scenario` within `MAX_LOAD_POINTS` points. */
function bucketMs(db: Db, scenario: string, table: 'timeseries' | 'queue_series'): number {
  const span = db
    .prepare(`SELECT max(window_start_ms + window_ms) AS end, min(window_ms) AS window FROM ${table} WHERE ${SCENARIO_RUNS}`)
    .get(scenario) as { end: number | null; window: number | null };
  if (span.end === null || span.window === null || span.window <= 0) return 1;
  return Math.max(1, Math.ceil(span.end / MAX_LOAD_POINTS / span.window)) * span.window;
}

// Merged windows: throughput over their total length, the most in flight, the worst window p95.
const TIMESERIES = `
SELECT run_id, min(window_start_ms) AS start_ms, sum(window_ms) AS window_ms, sum(completed + failed) AS finished,
       max(in_flight_max) AS in_flight, max(latency_p95_ms) AS p95
FROM timeseries WHERE ${SCENARIO_RUNS}
GROUP BY run_id, CAST(window_start_ms / ? AS INTEGER)
ORDER BY run_id, start_ms`;

interface TimeseriesRow {
  run_id: string;
  start_ms: number;
  window_ms: number;
  finished: number;
  in_flight: number;
  p95: number | null;
}

/**
 * Per run of `scenario`: its windows (merged into at most `MAX_LOAD_POINTS` buckets, where the p95
 * of a bucket is the worst p95 of its windows); empty when the runs recorded no time series.
 */
export function loadSeries(db: Db, scenario: string, series: readonly ReportSeries[]): RunLoad[] {
  const labels = runLabels(series);
  const byRun = new Map<string, LoadPoint[]>();
  for (const row of db.prepare(TIMESERIES).all(scenario, bucketMs(db, scenario, 'timeseries')) as TimeseriesRow[]) {
    const points = byRun.get(row.run_id) ?? [];
    byRun.set(row.run_id, points);
    points.push({
      t: row.start_ms / 1000,
      throughput: row.window_ms > 0 ? (row.finished * 1000) / row.window_ms : 0,
      inFlight: row.in_flight,
      p95Ms: row.p95,
    });
  }
  return [...byRun].map(([runId, points]) => ({ label: labels.get(runId) ?? runId, points }));
}

const QUEUES = `
SELECT run_id, resource, min(window_start_ms) AS window_start_ms, max(queue_max) AS queue_max
FROM queue_series WHERE ${SCENARIO_RUNS}
GROUP BY run_id, resource, CAST(window_start_ms / ? AS INTEGER)
ORDER BY run_id, resource, window_start_ms`;

/** Per run and shared resource of `scenario`: the longest queue per window (or bucket); empty when none recorded. */
export function queueLines(db: Db, scenario: string, series: readonly ReportSeries[]): QueueLine[] {
  const labels = runLabels(series);
  const lines = new Map<string, [number, number][]>();
  const rows = db.prepare(QUEUES).all(scenario, bucketMs(db, scenario, 'queue_series')) as { run_id: string; resource: string; window_start_ms: number; queue_max: number }[];
  for (const row of rows) {
    const label = `${labels.get(row.run_id) ?? row.run_id} · ${row.resource}`;
    const points = lines.get(label) ?? [];
    lines.set(label, points);
    points.push([row.window_start_ms / 1000, row.queue_max]);
  }
  return [...lines].map(([label, points]) => ({ label, points }));
}
