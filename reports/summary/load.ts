/**
 * How each run under load behaved over time: arrivals, drops, peak throughput and in-flight,
 * latency against service time (coordinated omission shows as the gap), queue waits per shared
 * resource, and where p95 latency broke while arrivals came (see `breakPoint`), with the arrival
 * rate at that moment.
 * SQL over `runs`, `workflows`, `timeseries`, `histograms` and `thresholds`.
 */
import { formatDuration } from '../../harness/kernel/duration.ts';
import { parseThreshold } from '../../harness/scenario/thresholds.ts';
import { DurationHistogram } from '../../harness/kernel/hdr.ts';
import type { Db } from '../store/schema.ts';
import { nearestRankIndex } from '../../harness/kernel/statistics.ts';

/** Where a run's windowed p95 first went over `limitMs`. */
export interface BreakPoint {
  readonly limitMs: number;
  /** `threshold` when the limit is a p95(latency) threshold, `baseline` when it is 2 × the early p95. */
  readonly basis: 'threshold' | 'baseline';
  /** Intended start of the first workflow of the first block over the limit, ms; null when p95 never broke. */
  readonly atMs: number | null;
  /**
   * Arrivals per second over the 30 s before the break (the workflows meant to start then, dropped
   * arrivals included); null when p95 never broke.
   */
  readonly arrivalRate: number | null;
  /**
   * Workflows over the limit that the search left out because they ended after the arrivals
   * stopped (the drain tail: say, tickets escalated to a human who answers an hour later); their
   * latency says nothing about the load the run was under.
   */
  readonly drainTail: number;
}

/** The load summary of one run. */
export interface RunLoad {
  readonly runId: string;
  readonly load: string;
  readonly arrivals: number;
  readonly dropped: number;
  /** Most completed workflows per second in one window. */
  readonly peakThroughput: number;
  readonly peakInFlight: number;
  readonly latencyP95Ms: number | null;
  readonly serviceP95Ms: number | null;
  /** p95 wait per shared resource, from the `queue.wait` histograms. */
  readonly queueWaitP95Ms: readonly (readonly [string, number | null])[];
  readonly breakPoint: BreakPoint | null;
}

/** Workflows per block when looking for the break point (fewer for small runs). */
const BLOCK = 500;

/** Seconds of arrivals before the break that give the arrival rate at the break. */
const RATE_LOOKBACK_MS = 30_000;

function histogramQuantile(db: Db, runId: string, metric: string, scope: string, q: number): number | null {
  const row = db.prepare('SELECT encoded FROM histograms WHERE run_id = ? AND metric = ? AND scope = ?').get(runId, metric, scope) as { encoded: string } | undefined;
  return row === undefined ? null : DurationHistogram.decode(row.encoded).quantileMs(q);
}

/** A run's load model as stored in `runs.load` (the fields read here). */
interface StoredLoad {
  readonly kind?: string;
  readonly durationMs?: number | null;
  readonly phases?: readonly { readonly durationMs: number }[];
}

/**
 * When the run's arrivals stopped, ms: the end of an open load's last phase, a closed load's
 * duration, or else (a closed loop over the cases) the last workflow's intended start.
 */
export function arrivalsEndMs(load: StoredLoad, lastIntendedStartMs: number): number {
  if (load.kind === 'open' && load.phases !== undefined) return load.phases.reduce((sum, phase) => sum + phase.durationMs, 0);
  if (load.kind === 'closed' && typeof load.durationMs === 'number') return load.durationMs;
  return lastIntendedStartMs;
}

/**
 * Dropped arrivals of the run in [fromMs, toMs): each `timeseries` window's drops, in proportion
 * to its overlap with the span (windows widen on long runs: a 16 s window counts for the part of
 * it inside).
 */
const DROPPED_BETWEEN = `
SELECT coalesce(sum(dropped * (min(window_start_ms + window_ms, :to) - max(window_start_ms, :from)) / window_ms), 0)
FROM timeseries
WHERE run_id = :run AND window_ms > 0 AND window_start_ms < :to AND window_start_ms + window_ms > :from`;

/** Some workflows of a run as columns, in order of intended start then workflow id. */
interface WorkflowColumns {
  readonly intendedStartMs: Float64Array;
  readonly latencyMs: Float64Array;
}

/**
 * The workflows of `runId` that ended by `endMs`, as columns in order of intended start then
 * workflow id. Each column is read in the order the rows are stored (by workflow id: no sort of the
 * whole run in SQL, and a column of numbers crosses into JavaScript ~4× faster than rows do), which
 * is arrival order for a run's own workflows; they are sorted only when it is not.
 */
function endedBy(db: Db, runId: string, endMs: number): WorkflowColumns {
  const column = (name: string): number[] =>
    db.prepare(`SELECT ${name} FROM workflows WHERE run_id = ? AND end_ms <= ? ORDER BY workflow_id`).pluck().all(runId, endMs) as number[];
  // One read transaction: both columns of the same rows, even while a run is being written.
  const [intended, latency] = db.transaction(() => [column('intended_start_ms'), column('latency_ms')])() as [number[], number[]];
  const sorted = intended.every((start, index) => index === 0 || (intended[index - 1] as number) <= start);
  if (sorted) return { intendedStartMs: Float64Array.from(intended), latencyMs: Float64Array.from(latency) };
  // A stable sort keeps workflow id order among equal intended starts.
  const order = intended.map((_, index) => index).sort((a, b) => (intended[a] as number) - (intended[b] as number));
  const reordered = (values: readonly number[]): Float64Array => Float64Array.from(order, (index) => values[index] as number);
  return { intendedStartMs: reordered(intended), latencyMs: reordered(latency) };
}

const RUN_SPAN = 'SELECT count(*) AS workflows, max(intended_start_ms) AS lastIntendedStartMs FROM workflows WHERE run_id = ?';
const STARTED_BETWEEN = 'SELECT count(*) FROM workflows WHERE run_id = :run AND intended_start_ms >= :from AND intended_start_ms < :to';
const DRAIN_TAIL = 'SELECT count(*) FROM workflows WHERE run_id = :run AND end_ms > :end AND latency_ms > :limit';

/**
 * Where p95 broke: workflows in order of their intended start, in blocks of `BLOCK` (at least 10,
 * at most a twentieth of the run); the break is the first block whose p95 latency (nearest rank)
 * exceeds the limit when the next block does too (one noisy block is not a break), i.e. the
 * workflows arriving from then on wait too long. Workflows that ended after the arrivals stopped
 * (`arrivalsEndMs`) are left out: that drain tail — escalations answered long after, the queue
 * emptying — is not the load breaking the run. The limit is the run's p95(latency) threshold, or
 * else twice the median p95 of the first tenth of the blocks. The arrival rate at the break is the
 * arrivals of the 30 s before it per second: the workflows meant to start then (by their intended
 * start) and the arrivals dropped then, whatever the width of the time-series windows.
 */
function breakPoint(db: Db, runId: string, load: StoredLoad, thresholdMs: number | null): BreakPoint | null {
  const run = db.prepare(RUN_SPAN).get(runId) as { workflows: number; lastIntendedStartMs: number | null };
  if (run.lastIntendedStartMs === null) return null;
  const endMs = arrivalsEndMs(load, run.lastIntendedStartMs);
  const during = endedBy(db, runId, endMs);
  const size = Math.max(10, Math.min(BLOCK, Math.floor(run.workflows / 20)));
  const block = new Float64Array(size);
  const blocks: { startMs: number; p95: number }[] = [];
  for (let offset = 0; offset + size <= during.latencyMs.length; offset += size) {
    block.set(during.latencyMs.subarray(offset, offset + size));
    block.sort();
    blocks.push({ startMs: during.intendedStartMs[offset] as number, p95: block[nearestRankIndex(size, 0.95)] as number });
  }
  if (blocks.length === 0) return null;
  let limitMs = thresholdMs;
  if (limitMs === null) {
    const early = blocks.slice(0, Math.max(1, Math.ceil(blocks.length / 10))).map((entry) => entry.p95).sort((a, b) => a - b);
    limitMs = 2 * (early[Math.floor((early.length - 1) / 2)] as number);
  }
  const limit = limitMs;
  const over = (index: number): boolean => (blocks[index]?.p95 ?? -Infinity) > limit;
  const index = blocks.findIndex((_block, i) => over(i) && (over(i + 1) || i === blocks.length - 1));
  const atMs = index === -1 ? null : (blocks[index] as { startMs: number }).startMs;
  let arrivalRate: number | null = null;
  if (atMs !== null && atMs > 0) {
    const from = Math.max(0, atMs - RATE_LOOKBACK_MS);
    const started = db.prepare(STARTED_BETWEEN).pluck().get({ run: runId, from, to: atMs }) as number;
    const dropped = db.prepare(DROPPED_BETWEEN).pluck().get({ run: runId, from, to: atMs }) as number;
    arrivalRate = (started + dropped) / ((atMs - from) / 1000);
  }
  const drainTail = db.prepare(DRAIN_TAIL).pluck().get({ run: runId, end: endMs, limit }) as number;
  return { limitMs, basis: thresholdMs === null ? 'baseline' : 'threshold', atMs, arrivalRate, drainTail };
}

/**
 * Each run's p95 latency limit for `summariseLoad`: the limit of its first recorded threshold
 * `p95(latency) <` (or `<=`) in the `thresholds` table, in the order they were recorded (a
 * scenario's own, then the command line's). Runs without one are absent.
 */
export function p95Limits(db: Db): Map<string, number> {
  const limits = new Map<string, number>();
  const rows = db.prepare('SELECT run_id, expression FROM thresholds ORDER BY rowid').all() as { run_id: string; expression: string }[];
  for (const row of rows) {
    const parsed = parseThreshold(row.expression);
    if (!parsed.ok || limits.has(row.run_id)) continue;
    const { metric, op, limit } = parsed.threshold;
    if (metric.kind === 'percentile' && metric.quantity === 'latency' && metric.percentile === 95 && op.startsWith('<')) limits.set(row.run_id, limit);
  }
  return limits;
}

/**
 * The load summary of every run that had load worth describing: an open arrival model, more than
 * one workflow in flight, or a shared resource. `p95LimitMs` maps a run id to its p95(latency)
 * threshold, when it has one.
 */
export function summariseLoad(db: Db, p95LimitMs: ReadonlyMap<string, number> = new Map()): RunLoad[] {
  const runs = db.prepare('SELECT run_id, load FROM runs ORDER BY scenario, pattern, variant, seed').all() as { run_id: string; load: string }[];
  const result: RunLoad[] = [];
  for (const run of runs) {
    const load = JSON.parse(run.load) as StoredLoad & { concurrency?: number };
    const resources = db.prepare("SELECT scope FROM histograms WHERE run_id = ? AND metric = 'queue.wait' ORDER BY scope").pluck().all(run.run_id) as string[];
    if (load.kind !== 'open' && (load.concurrency ?? 1) <= 1 && resources.length === 0) continue;
    const totals = db
      .prepare(
        `SELECT coalesce(sum(arrivals), 0) AS arrivals, coalesce(sum(dropped), 0) AS dropped,
                coalesce(max(completed * 1000.0 / window_ms), 0) AS peak, coalesce(max(in_flight_max), 0) AS in_flight
         FROM timeseries WHERE run_id = ?`,
      )
      .get(run.run_id) as { arrivals: number; dropped: number; peak: number; in_flight: number };
    result.push({
      runId: run.run_id,
      load: describeLoad(run.load),
      arrivals: totals.arrivals,
      dropped: totals.dropped,
      peakThroughput: totals.peak,
      peakInFlight: totals.in_flight,
      latencyP95Ms: histogramQuantile(db, run.run_id, 'workflow.latency', '', 0.95),
      serviceP95Ms: histogramQuantile(db, run.run_id, 'workflow.service', '', 0.95),
      queueWaitP95Ms: resources.map((scope) => [scope, histogramQuantile(db, run.run_id, 'queue.wait', scope, 0.95)] as const),
      breakPoint: breakPoint(db, run.run_id, load, p95LimitMs.get(run.run_id) ?? null),
    });
  }
  return result;
}

/** `poisson 2→40/s over 10m, cap 500` / `closed ×8`. */
export function describeLoad(json: string): string {
  const load = JSON.parse(json) as {
    kind?: string; concurrency?: number; process?: string; maxInFlight?: number | null;
    phases?: { durationMs: number; fromPerSecond: number; toPerSecond: number }[];
  };
  if (load.kind !== 'open') return `closed ×${load.concurrency ?? 1}`;
  const phases = (load.phases ?? [])
    .map((p) => `${p.fromPerSecond === p.toPerSecond ? p.fromPerSecond : `${p.fromPerSecond}→${p.toPerSecond}`}/s for ${formatDuration(p.durationMs)}`)
    .join(', ');
  return `${load.process ?? 'poisson'} ${phases}${load.maxInFlight ? `, cap ${load.maxInFlight}` : ''}`;
}

const ms = (value: number | null): string => (value === null ? '–' : formatDuration(value));

/** The load block printed under the summary table; empty when no run had load. */
export function formatLoadBlock(runs: readonly RunLoad[]): string {
  if (runs.length === 0) return '';
  const lines = ['', '', 'load (latency from the intended start; service from the actual start):'];
  for (const run of runs) {
    const parts = [
      run.load,
      `${run.arrivals.toLocaleString('en-US')} arrivals${run.dropped > 0 ? `, ${run.dropped.toLocaleString('en-US')} dropped` : ''}`,
      `peak ${run.peakThroughput.toFixed(1)} wf/s, ${run.peakInFlight} in flight`,
      `p95 latency ${ms(run.latencyP95Ms)} vs service ${ms(run.serviceP95Ms)}`,
    ];
    for (const [resource, wait] of run.queueWaitP95Ms) parts.push(`${resource} wait p95 ${ms(wait)}`);
    const point = run.breakPoint;
    if (point !== null) {
      const limit = `${point.basis === 'threshold' ? 'threshold' : '2× early p95'} ${ms(point.limitMs)}`;
      const rate = point.arrivalRate === null ? '' : ` (${point.arrivalRate.toFixed(1)} arrivals/s)`;
      const tail = point.drainTail === 0 ? '' : ` (not counting ${point.drainTail.toLocaleString('en-US')} over it that ended after arrivals stopped)`;
      parts.push(point.atMs === null ? `p95 held under ${limit}${tail}` : `p95 broke ${limit} at ${ms(point.atMs)}${rate}`);
    }
    lines.push(`  ${run.runId}: ${parts.join(' · ')}`);
  }
  return lines.join('\n');
}
