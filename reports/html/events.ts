/**
 * What went wrong in a scenario's runs: failed workflows by error type (`workflows`), and the
 * reliability events — breaker transitions, budget alerts and stops, compensations, dropped
 * arrivals — on a timeline (`events`) over the scenario's time axis (`time-axis.ts`).
 */
import type { Db } from '../store/schema.ts';
import { SCENARIO_RUNS, seriesIndex, type ReportSeries } from './series.ts';
import { runLabels, scenarioTimes, type ScenarioTimes } from './load.ts';

/** Failed workflows per error type and series. */
export interface FailureBreakdown {
  readonly errorTypes: readonly string[];
  /** `counts[errorType][series]`. */
  readonly counts: readonly (readonly number[])[];
}

const FAILURES = `
SELECT r.pattern, r.variant, coalesce(w.error_type, 'unknown') AS error_type, count(*) AS n
FROM workflows w JOIN runs r ON r.run_id = w.run_id
WHERE r.scenario = ? AND w.status = 'failed'
GROUP BY r.pattern, r.variant, error_type
ORDER BY error_type`;

/** Failed workflows of `scenario` by error type; no error types when nothing failed. */
export function failureBreakdown(db: Db, scenario: string, series: readonly ReportSeries[]): FailureBreakdown {
  const rows = db.prepare(FAILURES).all(scenario) as { pattern: string; variant: string; error_type: string; n: number }[];
  const errorTypes = [...new Set(rows.map((row) => row.error_type))];
  const find = seriesIndex(series);
  const counts = errorTypes.map(() => series.map(() => 0));
  for (const row of rows) {
    const target = counts[errorTypes.indexOf(row.error_type)] as number[];
    const position = find(row.pattern, row.variant);
    if (position >= 0) target[position] = row.n;
  }
  return { errorTypes, counts };
}

/** Most events drawn per scenario; the rest are counted, not drawn. */
export const MAX_TIMELINE_EVENTS = 5000;

/** One event on the timeline. */
export interface TimelineEvent {
  /** Virtual seconds from the run's start. */
  readonly t: number;
  readonly kind: string;
  readonly subject: string;
  /** The run's label (series, plus seed when a series pools several). */
  readonly run: string;
  readonly workflowId: number | null;
}

/** The events of a scenario's runs in time order, up to the end of its time axis, at most `MAX_TIMELINE_EVENTS`. */
export interface EventTimeline {
  readonly events: readonly TimelineEvent[];
  /** Events recorded, drawn or not. */
  readonly total: number;
  /** Events after the end of the time axis (never drawn), and when the last of them was, s (null when none). */
  readonly later: { readonly events: number; readonly lastS: number | null };
}

/** An autoscaled pool's per-sync samples are a time series (reports/html/levers/autoscale.ts), not events to mark. */
const ON_TIMELINE = "kind != 'autoscale.sync'";

const EVENTS = `
SELECT run_id, time_ms, kind, subject, workflow_id
FROM events WHERE ${SCENARIO_RUNS} AND ${ON_TIMELINE} AND time_ms <= ?
ORDER BY time_ms, run_id, seq LIMIT ?`;

const LATER = `SELECT count(*) AS events, max(time_ms) AS last_ms FROM events WHERE ${SCENARIO_RUNS} AND ${ON_TIMELINE} AND time_ms > ?`;

/** The events of `scenario`'s runs. */
export function eventTimeline(db: Db, scenario: string, series: readonly ReportSeries[], times?: ScenarioTimes): EventTimeline {
  const labels = runLabels(series);
  const total = db
    .prepare(`SELECT count(*) FROM events WHERE ${SCENARIO_RUNS} AND ${ON_TIMELINE}`)
    .pluck()
    .get(scenario) as number;
  const axis = total === 0 ? null : (times ?? scenarioTimes(db, scenario, series)).axis;
  const endMs = axis !== null && axis.clipped ? axis.endMs : null;
  const later = endMs === null ? { events: 0, last_ms: null } : (db.prepare(LATER).get(scenario, endMs) as { events: number; last_ms: number | null });
  const rows = db.prepare(EVENTS).all(scenario, endMs ?? Number.MAX_VALUE, MAX_TIMELINE_EVENTS) as {
    run_id: string;
    time_ms: number;
    kind: string;
    subject: string;
    workflow_id: number | null;
  }[];
  const events = rows.map((row) => ({
    t: row.time_ms / 1000,
    kind: row.kind,
    subject: row.subject,
    run: labels.get(row.run_id) ?? row.run_id,
    workflowId: row.workflow_id,
  }));
  return { events, total, later: { events: later.events, lastS: later.last_ms === null ? null : later.last_ms / 1000 } };
}
