/**
 * The per-run side tables of runs combined from shards: their rows are staged from every input
 * (`temp.stage_<table>`, with the input's position) and folded here with SQL.
 *
 * - `timeseries`, per (run, window): counts summed — shards run side by side, so arrivals, started,
 *   completed, failed, agent calls, errors, cost and in-flight add up (`in_flight_max` summed is an
 *   upper bound: the shards' peaks need not coincide); `latency_p50_ms`/`latency_p95_ms`
 *   recomputed by nearest rank over the merged workflows whose `end_ms` falls in the window.
 * - `queue_series`, per (run, resource, window): queue sizes, admitted and rejected summed;
 *   `wait_p95_ms` the largest of the shards' p95s — an upper bound of the merged p95 (a
 *   percentile of a union never exceeds the largest percentile of its parts).
 * - `events` and `dead_letters`: renumbered per run by (time_ms, input order, original seq), from
 *   the smallest seq (each shard numbers its own from 0).
 * - `thresholds`: identical rows kept once; when shards disagree on an expression, `observed` is
 *   NULL (a shard's observation is not the run's) and `passed` is 1 only if every shard passed.
 */
import { HarnessError } from '../../../harness/kernel/errors.ts';
import { nearestRankIndex } from '../../../harness/kernel/statistics.ts';
import type { Db } from '../schema.ts';

/** Tables folded here, each staged as `temp.stage_<table>`. */
export const SERIES_TABLES = ['timeseries', 'queue_series', 'events', 'dead_letters', 'thresholds'] as const;

/** `temp.stage_<table>`. */
export function stagingName(table: (typeof SERIES_TABLES)[number]): string {
  return `stage_${table}`;
}

function checkWindows(db: Db, table: string, keys: string): void {
  const clash = db
    .prepare(`SELECT run_id, window_start_ms FROM temp.stage_${table} GROUP BY ${keys} HAVING count(DISTINCT window_ms) > 1 LIMIT 1`)
    .get() as { run_id: string; window_start_ms: number } | undefined;
  if (clash !== undefined) {
    throw new HarnessError('MERGE_CONFLICT', `run ${clash.run_id}: ${table} window at ${clash.window_start_ms} ms has different window_ms in the shards`);
  }
}

const TIMESERIES = `
INSERT INTO main.timeseries (run_id, window_start_ms, window_ms, arrivals, dropped, started, completed, failed,
  in_flight_max, in_flight_end, latency_p50_ms, latency_p95_ms, agent_calls, errors, cost_usd)
SELECT run_id, window_start_ms, max(window_ms), sum(arrivals), sum(dropped), sum(started), sum(completed), sum(failed),
  sum(in_flight_max), sum(in_flight_end), NULL, NULL, sum(agent_calls), sum(errors), sum(cost_usd)
FROM temp.stage_timeseries GROUP BY run_id, window_start_ms`;

/** The workflows of a staged run ending in each of its windows, nearest-rank percentiles apart. */
interface WindowLatencies {
  readonly startMs: number;
  readonly endMs: number;
  readonly latencies: number[];
}

/** Index of the last of `windows` (by start, ascending) starting at or before `timeMs`; −1 when none. */
function windowAt(windows: readonly WindowLatencies[], timeMs: number): number {
  let low = 0;
  let high = windows.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((windows[middle] as WindowLatencies).startMs <= timeMs) (found = middle), (low = middle + 1);
    else high = middle - 1;
  }
  return found;
}

/**
 * Sets the nearest-rank p50/p95 of the workflows ending in each window of the staged runs (the
 * window starting last at or before a workflow's end, if the end falls inside it); a window no
 * workflow ends in keeps NULL. Placed in JavaScript from one read of the run's workflows: in SQL
 * (a correlated lookup of each workflow's window, then window functions over every workflow) the
 * 360,000 workflows of an hour's slices took 3.3 s, here ~0.3 s (2026-12-04).
 */
function foldWindowPercentiles(db: Db): void {
  const runIds = db.prepare('SELECT DISTINCT run_id FROM temp.stage_timeseries ORDER BY run_id').pluck().all() as string[];
  const windowsOf = db.prepare('SELECT window_start_ms, window_ms FROM main.timeseries WHERE run_id = ? ORDER BY window_start_ms').raw();
  // One column at a time, plucked, in key order: a row array per workflow cost twice as much.
  const endsOf = db.prepare('SELECT end_ms FROM main.workflows WHERE run_id = ? ORDER BY workflow_id').pluck();
  const latenciesOf = db.prepare('SELECT latency_ms FROM main.workflows WHERE run_id = ? ORDER BY workflow_id').pluck();
  const update = db.prepare('UPDATE main.timeseries SET latency_p50_ms = ?, latency_p95_ms = ? WHERE run_id = ? AND window_start_ms = ?');
  for (const runId of runIds) {
    const windows = (windowsOf.all(runId) as [number, number][]).map(([startMs, widthMs]): WindowLatencies => ({ startMs, endMs: startMs + widthMs, latencies: [] }));
    const ends = endsOf.all(runId) as number[];
    const latencies = latenciesOf.all(runId) as number[];
    ends.forEach((endMs, index) => {
      const window = windows[windowAt(windows, endMs)];
      if (window !== undefined && endMs < window.endMs) window.latencies.push(latencies[index] as number);
    });
    for (const window of windows) {
      if (window.latencies.length === 0) continue;
      const sorted = Float64Array.from(window.latencies).sort();
      update.run(sorted[nearestRankIndex(sorted.length, 0.5)], sorted[nearestRankIndex(sorted.length, 0.95)], runId, window.startMs);
    }
  }
}

const QUEUE_SERIES = `
INSERT INTO main.queue_series (run_id, resource, window_start_ms, window_ms, queue_max, queue_end, admitted, rejected, wait_p95_ms)
SELECT run_id, resource, window_start_ms, max(window_ms), sum(queue_max), sum(queue_end), sum(admitted), sum(rejected), max(wait_p95_ms)
FROM temp.stage_queue_series GROUP BY run_id, resource, window_start_ms`;

const EVENTS = `
INSERT INTO main.events (run_id, seq, time_ms, workflow_id, kind, subject, trace_id, detail)
SELECT run_id,
       row_number() OVER (PARTITION BY run_id ORDER BY time_ms, source_input, seq) - 1 + min(seq) OVER (PARTITION BY run_id),
       time_ms, workflow_id, kind, subject, trace_id, detail
FROM temp.stage_events`;

const DEAD_LETTERS = `
INSERT INTO main.dead_letters (run_id, seq, time_ms, kind, workflow_id, case_id, repeat, step, input, error_type, error_message,
  trace_id, replayed_run_id, replayed_workflow_id)
SELECT run_id,
       row_number() OVER (PARTITION BY run_id ORDER BY time_ms, source_input, seq) - 1 + min(seq) OVER (PARTITION BY run_id),
       time_ms, kind, workflow_id, case_id, repeat, step, input, error_type, error_message, trace_id, replayed_run_id, replayed_workflow_id
FROM temp.stage_dead_letters`;

const THRESHOLDS = `
INSERT INTO main.thresholds (run_id, expression, source, observed, passed)
SELECT run_id, expression, min(source),
       CASE WHEN count(DISTINCT coalesce(observed, 'null')) = 1 THEN min(observed) END,
       min(passed)
FROM temp.stage_thresholds GROUP BY run_id, expression`;

/** Folds the staged rows of combined runs into the output's series tables (after the workflows are in). */
export function foldSeries(db: Db): void {
  checkWindows(db, 'timeseries', 'run_id, window_start_ms');
  checkWindows(db, 'queue_series', 'run_id, resource, window_start_ms');
  const sources = db.prepare('SELECT run_id, expression FROM temp.stage_thresholds GROUP BY 1, 2 HAVING count(DISTINCT source) > 1 LIMIT 1').get() as
    | { run_id: string; expression: string }
    | undefined;
  if (sources !== undefined) {
    throw new HarnessError('MERGE_CONFLICT', `run ${sources.run_id}: threshold ${JSON.stringify(sources.expression)} comes from the scenario in one shard and the CLI in another`);
  }
  db.exec(TIMESERIES);
  foldWindowPercentiles(db);
  db.exec(QUEUE_SERIES);
  db.exec(EVENTS);
  db.exec(DEAD_LETTERS);
  db.exec(THRESHOLDS);
}
