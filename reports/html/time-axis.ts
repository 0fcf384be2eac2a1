/**
 * The span of virtual time a scenario's over-time charts show (throughput, in flight, p95, spend,
 * queues, events), and what they leave out. A run under a timed load — open arrivals, or a closed
 * loop with a duration — is shown up to the end of its arrivals plus a drain (its p95 workflow
 * latency, at most `DRAIN_SHARE` of the arrival period); a closed loop over the cases, to its last
 * workflow's end. The axes stop there only when the last workflows end much later (`CLIP_GAIN`): a
 * few tickets escalated to a human and answered 12 h after a 15-minute peak would otherwise squeeze
 * the peak into 2 % of the width. What ended later is counted per run (`TimeAxis.tail`), not drawn.
 * Unclipped, the axes run to the end of the longest run, so every over-time chart spans the same time.
 */
import { nearestRankIndex } from '../../harness/kernel/statistics.ts';
import { arrivalsEndMs } from '../summary/load.ts';
import type { Db } from '../store/schema.ts';

/** Longest drain shown after the arrivals stop, as a share of the arrival period. */
export const DRAIN_SHARE = 0.1;

/** Clip only when the runs' last workflow ends more than this many times later than the clipped end. */
export const CLIP_GAIN = 1.5;

/** How a run was loaded (`runs.load`). */
export interface RunLoadModel {
  /** `open` arrivals, a `closed` loop, or `none` for a run that recorded no load block. */
  readonly kind: 'open' | 'closed' | 'none';
  /** Workflows a closed loop keeps in flight; 1 otherwise. */
  readonly concurrency: number;
  /**
   * When arrivals stopped, ms from the run's start: the end of an open load's phases (or, without
   * phases, of its last time-series window with arrivals), a closed loop's duration; null for a
   * closed loop over the cases, which has no arrival period.
   */
  readonly arrivalsEndMs: number | null;
}

/** What the time axis needs to know of one run. */
export interface RunTiming {
  readonly label: string;
  readonly load: RunLoadModel;
  /** p95 latency of its workflows (nearest rank), ms; null without workflows. */
  readonly latencyP95Ms: number | null;
  /** When it ended, ms: its virtual end, or its last workflow's end when later; null when it recorded neither. */
  readonly endMs: number | null;
}

/** Workflows of one run that ended after the time axis's end. */
export interface RunTail {
  readonly label: string;
  readonly workflows: number;
  /** End of the last of them, ms. */
  readonly lastEndMs: number;
}

/** The span the over-time charts of a scenario show. */
export interface TimeAxis {
  /** Where the time axes end, ms: the clip point, or else the end of the longest run; null when no run recorded an end. */
  readonly endMs: number | null;
  /** True when the axes stop before the end of the longest run, leaving `tail` out. */
  readonly clipped: boolean;
  /** When the arrivals stopped (the latest of the timed runs), ms; null when not clipped. */
  readonly arrivalsEndMs: number | null;
  /** The drain allowed after them: `endMs − arrivalsEndMs`; null when not clipped. */
  readonly drainMs: number | null;
  /** Per run, the workflows that ended after `endMs` (runs with none are left out); empty when not clipped. */
  readonly tail: readonly RunTail[];
}

/** The time axis of runs drawn whole, up to `endMs` (null: wherever the data ends). */
export function wholeRuns(endMs: number | null): TimeAxis {
  return { endMs, clipped: false, arrivalsEndMs: null, drainMs: null, tail: [] };
}

/**
 * A closed loop of one workflow at a time, or a run with no load block: its throughput only mirrors
 * its latency (1 ÷ latency) and its in-flight count is always 1.
 */
export function isUnloaded(load: RunLoadModel): boolean {
  return load.kind === 'none' || (load.kind === 'closed' && load.concurrency <= 1);
}

/**
 * Where the time axes of `runs` end (pure). Clipped: at the latest of each run's shown end — the
 * end of its arrivals plus min(its p95 latency, `DRAIN_SHARE` of the arrival period), or its own
 * end when it has no arrival period. Not clipped — when no run has an arrival period, or the
 * longest run ends within `CLIP_GAIN` times that — at the end of the longest run (null without one).
 */
export function chooseTimeAxis(runs: readonly RunTiming[]): { endMs: number | null; clipped: boolean; arrivalsEndMs: number | null } {
  let shownEndMs = 0;
  let arrivalsEnd: number | null = null;
  let lastEndMs = 0;
  for (const run of runs) {
    if (run.endMs === null) continue;
    lastEndMs = Math.max(lastEndMs, run.endMs);
    const arrivals = run.load.arrivalsEndMs;
    if (arrivals === null) {
      shownEndMs = Math.max(shownEndMs, run.endMs);
      continue;
    }
    arrivalsEnd = Math.max(arrivalsEnd ?? 0, arrivals);
    const drainMs = Math.min(run.latencyP95Ms ?? 0, DRAIN_SHARE * arrivals);
    shownEndMs = Math.max(shownEndMs, Math.min(arrivals + drainMs, run.endMs));
  }
  if (arrivalsEnd === null || !(shownEndMs > 0) || lastEndMs <= CLIP_GAIN * shownEndMs) {
    return { endMs: lastEndMs > 0 ? lastEndMs : null, clipped: false, arrivalsEndMs: null };
  }
  return { endMs: shownEndMs, clipped: true, arrivalsEndMs: Math.min(arrivalsEnd, shownEndMs) };
}

/** The load model stored in `runs.load` (`{}` when the run recorded none). */
function parseLoad(json: string, lastWindowWithArrivalsMs: number | null, lastIntendedStartMs: number): RunLoadModel {
  const load = JSON.parse(json) as { kind?: string; concurrency?: number; durationMs?: number | null; phases?: readonly { durationMs: number }[] };
  if (load.kind === 'open') {
    const end = load.phases !== undefined ? arrivalsEndMs(load, lastIntendedStartMs) : lastWindowWithArrivalsMs;
    return { kind: 'open', concurrency: 1, arrivalsEndMs: end };
  }
  if (load.kind === 'closed') {
    return { kind: 'closed', concurrency: load.concurrency ?? 1, arrivalsEndMs: typeof load.durationMs === 'number' ? load.durationMs : null };
  }
  return { kind: 'none', concurrency: 1, arrivalsEndMs: null };
}

const RUNS = `
SELECT r.run_id, r.load, count(w.run_id) AS workflows, max(coalesce(r.virtual_end_ms, 0), coalesce(max(w.end_ms), 0)) AS end_ms,
       coalesce(max(w.intended_start_ms), 0) AS last_start,
       (SELECT max(t.window_start_ms + t.window_ms) FROM timeseries t WHERE t.run_id = r.run_id AND t.arrivals > 0) AS last_arrivals
FROM runs r LEFT JOIN workflows w ON w.run_id = r.run_id
WHERE r.scenario = ?
GROUP BY r.run_id
ORDER BY r.run_id`;

const P95 = 'SELECT latency_ms FROM workflows WHERE run_id = ? ORDER BY latency_ms LIMIT 1 OFFSET ?';

const TAIL = 'SELECT count(*) AS workflows, max(end_ms) AS last_end FROM workflows WHERE run_id = ? AND end_ms > ?';

/** Per run of `scenario` (by run id): its load model and timing; `labels` name the runs. */
export function runTimings(db: Db, scenario: string, labels: ReadonlyMap<string, string>): Map<string, RunTiming> {
  const rows = db.prepare(RUNS).all(scenario) as { run_id: string; load: string; workflows: number; end_ms: number; last_start: number; last_arrivals: number | null }[];
  const p95 = db.prepare(P95).pluck();
  return new Map(
    rows.map((row) => [
      row.run_id,
      {
        label: labels.get(row.run_id) ?? row.run_id,
        load: parseLoad(row.load, row.last_arrivals, row.last_start),
        latencyP95Ms: row.workflows === 0 ? null : (p95.get(row.run_id, nearestRankIndex(row.workflows, 0.95)) as number),
        endMs: row.end_ms > 0 ? row.end_ms : null,
      },
    ]),
  );
}

/** The time axis of the over-time charts of the runs `timings` describes (`runTimings`), with the workflows each run ended after it. */
export function scenarioTimeAxis(db: Db, timings: ReadonlyMap<string, RunTiming>): TimeAxis {
  const clip = chooseTimeAxis([...timings.values()]);
  if (!clip.clipped || clip.endMs === null || clip.arrivalsEndMs === null) return wholeRuns(clip.endMs);
  const { endMs } = clip;
  const tailOf = db.prepare(TAIL);
  const tail = [...timings].flatMap(([runId, timing]) => {
    const row = tailOf.get(runId, endMs) as { workflows: number; last_end: number | null };
    return row.workflows === 0 || row.last_end === null ? [] : [{ label: timing.label, workflows: row.workflows, lastEndMs: row.last_end }];
  });
  return { endMs, clipped: true, arrivalsEndMs: clip.arrivalsEndMs, drainMs: endMs - clip.arrivalsEndMs, tail };
}
