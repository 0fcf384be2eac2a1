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
 *   its last event is the last of some slice's (reports/store/merge/run-join.ts);
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
 *
 * `run --workers` joins as the slices end (`SliceJoiner`): the copying of the early slices goes on
 * beside the later ones, and only the last slices, the folding and the indexes are left when the
 * pool is done (an hour at 100 workflows/s keeping every trace: 22.6 s of its join's CPU moved off
 * the end, 9.4 s left there, 7.9 of them the spans' unique index; 2026-12-04).
 */
import { mergeDatabases } from '../../reports/store/merge/merge.ts';
import { RunJoin } from '../../reports/store/merge/run-join.ts';
import type { Db } from '../../reports/store/schema.ts';

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

/** The corrections of a run joined from `joined` of its slices: exact in-flight peaks, and its shard label, or `interrupted` when slices are missing. */
function corrections(joined: number, options: SliceJoinOptions): (db: Db) => void {
  return (db) => {
    recomputeInFlightMax(db, options.runId);
    if (joined === options.count) db.prepare('UPDATE runs SET shard = ? WHERE run_id = ?').run(options.shard, options.runId);
    else db.prepare("UPDATE runs SET status = 'interrupted' WHERE run_id = ? AND status = 'completed'").run(options.runId);
  };
}

/**
 * Writes the run made of the slice files `slices` (in slice order, some possibly missing) to the
 * new file `out`: one slice is `merge`d as a run found whole, two or more are joined as parts of one run.
 */
export function joinSlices(out: string, slices: readonly string[], options: SliceJoinOptions): void {
  if (slices.length === 1) {
    mergeDatabases(out, slices, { ownInputs: true, finish: corrections(1, options) });
    return;
  }
  const join = new RunJoin(out, options.runId);
  try {
    for (const path of slices) join.add(path);
  } catch (error) {
    join.abort();
    throw error;
  }
  join.finish(corrections(slices.length, options));
}

/**
 * The join of one run's slices while the others still run: a slice is added as soon as every
 * slice before it has ended (from the second on: a run of one slice is joined whole, by
 * `joinSlices`), so that only what ends last is left to copy when the pool is done. The file is
 * the one `joinSlices` writes from the same slices.
 */
export class SliceJoiner {
  #join: RunJoin | null = null;
  readonly #ended = new Map<number, string>();
  /** Position (0-based) of the next slice to add. */
  #next = 0;

  constructor(
    private readonly out: string,
    private readonly options: SliceJoinOptions,
  ) {}

  /** Slice `position` (0-based) has ended into the file at `path`. */
  ended(position: number, path: string): void {
    this.#ended.set(position, path);
    if (this.#join === null) {
      const [first, second] = [this.#ended.get(0), this.#ended.get(1)];
      if (first === undefined || second === undefined) return;
      this.#join = new RunJoin(this.out, this.options.runId);
    }
    for (let next = this.#ended.get(this.#next); next !== undefined; next = this.#ended.get(this.#next)) {
      this.#join.add(next);
      this.#next += 1;
    }
  }

  /** Writes the joined run from `slices`, the files of every slice that ended, in slice order. */
  finish(slices: readonly string[]): void {
    const join = this.#join;
    if (join === null) return joinSlices(this.out, slices, this.options);
    for (const path of slices.slice(join.parts)) join.add(path);
    join.finish(corrections(slices.length, this.options));
  }

  /** Drops the unfinished join (a failed or stopped pool). */
  abort(): void {
    this.#join?.abort();
  }
}
