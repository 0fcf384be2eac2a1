/**
 * Joins the slices of one run (harness/run/slices.ts), each in its own results file, into one
 * file holding the run as one: `merge`'s combination of the shards of a run (reports/store/merge/),
 * which unions workflows and spans, adds HDR histograms and span metrics exactly, sums the time
 * series and recomputes their latency percentiles from the joined workflows, and renumbers events
 * and dead letters by (time, slice, order) — made exact where `merge` only bounds a figure:
 *
 * - the windows of the time series: a slice's series widens (windows merge pairwise) when its last
 *   event passes its 3,600th window, so slices that ended at different times may have different
 *   widths; the narrower are folded into the widest first — the width the whole run reaches, as
 *   its last event is the last of some slice's;
 * - `in_flight_max`, summed by `merge` (an upper bound: the slices' peaks need not coincide), is
 *   recomputed per window from the joined workflows' start and end times: the most workflows in
 *   flight at once within the window, counting at equal times a start before an end (a workflow
 *   that ends as another starts is counted overlapping it), as the runner's own count does when
 *   they do not tie;
 * - `queue_series` (whose `wait_p95_ms` `merge` bounds): a sliced run has no shared resource, so
 *   none is written.
 *
 * The joined run's `shard` is the spec's matrix shard (`''` unless `--shard`) once every slice is
 * in; a run missing slices (interrupted before they started) is `interrupted` and keeps the label
 * of the slices it holds (`1,2/4`).
 */
import { mergeDatabases } from '../../reports/store/merge/merge.ts';
import { openDatabase, type Db } from '../../reports/store/schema.ts';

/** The time series of `temp.old_series` (each row with its `window` index at the new width) folded into windows of `:width`. */
const REBUCKET = `
INSERT INTO timeseries (run_id, window_start_ms, window_ms, arrivals, dropped, started, completed, failed,
  in_flight_max, in_flight_end, latency_p50_ms, latency_p95_ms, agent_calls, errors, cost_usd)
SELECT run_id, window * :width, :width, sum(arrivals), sum(dropped), sum(started), sum(completed), sum(failed),
  max(in_flight_max), (SELECT t.in_flight_end FROM old_series t WHERE t.run_id = o.run_id AND t.window = o.window ORDER BY t.window_start_ms DESC LIMIT 1),
  NULL, NULL, sum(agent_calls), sum(errors), sum(cost_usd)
FROM old_series o GROUP BY run_id, window ORDER BY 2`;

/** Folds the time series of the file at `path` into windows of `widthMs` (a multiple of its own width). */
function widenSeries(path: string, widthMs: number): void {
  const db = openDatabase(path);
  try {
    db.transaction(() => {
      db.prepare('CREATE TEMP TABLE old_series AS SELECT *, CAST(window_start_ms / ? AS INTEGER) AS window FROM main.timeseries').run(widthMs);
      db.exec('DELETE FROM main.timeseries');
      db.prepare(REBUCKET).run({ width: widthMs });
      db.exec('DROP TABLE temp.old_series');
    })();
  } finally {
    db.close();
  }
}

/** The widest time-series window of the files, ms; null when none has a series. */
function widestWindow(paths: readonly string[]): number | null {
  let widest: number | null = null;
  for (const path of paths) {
    const db = openDatabase(path, { readonly: true });
    try {
      const width = db.prepare('SELECT max(window_ms) FROM timeseries').pluck().get() as number | null;
      if (width !== null && (widest === null || width > widest)) widest = width;
    } finally {
      db.close();
    }
  }
  return widest;
}

/** Sets every window's `in_flight_max` of run `runId` in `db` from its workflows' start and end times. */
export function recomputeInFlightMax(db: Db, runId: string): void {
  // One column at a time, plucked: a row array per workflow cost four times as much (an hour's 360,000: 0.83 s).
  const starts = Float64Array.from(db.prepare('SELECT start_ms FROM workflows WHERE run_id = ?').pluck().all(runId) as number[]).sort();
  const ends = Float64Array.from(db.prepare('SELECT end_ms FROM workflows WHERE run_id = ?').pluck().all(runId) as number[]).sort();
  const windows = db.prepare('SELECT window_start_ms, window_ms FROM timeseries WHERE run_id = ? ORDER BY window_start_ms').raw().all(runId) as [number, number][];
  const update = db.prepare('UPDATE timeseries SET in_flight_max = ? WHERE run_id = ? AND window_start_ms = ?');
  let s = 0;
  let e = 0;
  let inFlight = 0;
  for (const [windowStartMs, windowMs] of windows) {
    // Everything before the window: its count when it opens.
    while (s < starts.length || e < ends.length) {
      const start = s < starts.length ? (starts[s] as number) : Infinity;
      const end = e < ends.length ? (ends[e] as number) : Infinity;
      if (Math.min(start, end) >= windowStartMs) break;
      if (start <= end) (s++, inFlight++);
      else (e++, inFlight--);
    }
    let most = inFlight;
    const windowEndMs = windowStartMs + windowMs;
    while (s < starts.length || e < ends.length) {
      const start = s < starts.length ? (starts[s] as number) : Infinity;
      const end = e < ends.length ? (ends[e] as number) : Infinity;
      if (Math.min(start, end) >= windowEndMs) break;
      if (start <= end) {
        s++;
        if (++inFlight > most) most = inFlight;
      } else (e++, inFlight--);
    }
    update.run(most, runId, windowStartMs);
  }
}

/** Options of `joinSlices`. */
export interface SliceJoinOptions {
  /** The run's id. */
  readonly runId: string;
  /** Slices the run was cut into. */
  readonly count: number;
  /** The run's matrix shard label (`RunSpec.shard`), '' when none. */
  readonly shard: string;
}

/**
 * Writes the run made of the slice files `slices` (in slice order, some possibly missing) to the
 * new file `out`. The slice files may be changed (their series widened).
 */
export function joinSlices(out: string, slices: readonly string[], options: SliceJoinOptions): void {
  const widest = widestWindow(slices);
  if (widest !== null) {
    for (const path of slices) {
      const db = openDatabase(path, { readonly: true });
      const narrower = (db.prepare('SELECT max(window_ms) FROM timeseries').pluck().get() as number | null) ?? widest;
      db.close();
      if (narrower < widest) widenSeries(path, widest);
    }
  }
  mergeDatabases(out, slices, {
    ownInputs: true,
    finish: (db) => {
      recomputeInFlightMax(db, options.runId);
      if (slices.length === options.count) db.prepare('UPDATE runs SET shard = ? WHERE run_id = ?').run(options.shard, options.runId);
      else db.prepare("UPDATE runs SET status = 'interrupted' WHERE run_id = ? AND status = 'completed'").run(options.runId);
    },
  });
}
