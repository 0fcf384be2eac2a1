import { ArrivalSchedule } from './arrivals.ts';
import type { Clock } from '../kernel/clock.ts';
import type { RunMetrics } from './run-metrics.ts';
import type { SeededRng } from '../kernel/rng.ts';
import type { LoadModel } from '../scenario/types.ts';

/** What a load driver needs from the runner. */
export interface LoadContext {
  readonly clock: Clock;
  readonly metrics: RunMetrics;
  /** Polled before each workflow starts; true stops the run (interrupt). */
  readonly shouldStop: () => boolean;
  /**
   * Polled before each workflow starts; true once the run's budget is spent. The run then starts
   * nothing more, but every arrival it still planned is counted, as dropped: it was meant to run,
   * so success and accuracy count it (absent = never).
   */
  readonly budgetSpent?: () => boolean;
  /**
   * Open load: false for an arrival this run leaves to another slice of it (harness/run/slices.ts):
   * not counted, not waited for, not started. Absent = every arrival is the run's.
   */
  readonly owns?: (index: number) => boolean;
  /** Runs workflow `index` (cases cycle through indexes), intended to start at `intendedStartMs`. */
  readonly launch: (index: number, intendedStartMs: number) => Promise<void>;
}

/** How a driver ended: true when `shouldStop` stopped it early. */
export type Interrupted = boolean;

/**
 * Closed model: `concurrency` workers, each starting its next workflow when its last one ends
 * (after a think time). Runs `total` workflows, or, with a duration, keeps starting them until the
 * duration has passed.
 */
export async function driveClosed(
  load: Extract<LoadModel, { kind: 'closed' }>,
  context: LoadContext,
  total: number,
  thinkTimeMs: (index: number) => number,
): Promise<Interrupted> {
  const { clock } = context;
  let next = 0;
  let interrupted = false;
  const more = (): boolean => (load.durationMs === null ? next < total : clock.now() < load.durationMs);
  const worker = async (): Promise<void> => {
    while (more()) {
      if (context.shouldStop()) {
        interrupted = true;
        return;
      }
      if (context.budgetSpent?.() === true) {
        // The workflows the run planned and will not start. With a duration their number is unknown.
        for (const now = clock.now(); load.durationMs === null && next < total; next++) {
          context.metrics.arrival(now);
          context.metrics.dropped(now);
        }
        return;
      }
      const index = next++;
      const now = clock.now();
      context.metrics.arrival(now);
      await context.launch(index, now);
      const think = thinkTimeMs(index);
      if (think > 0) await clock.sleep(think);
    }
  };
  const workers = load.durationMs === null ? Math.min(load.concurrency, Math.max(total, 1)) : load.concurrency;
  await Promise.all(Array.from({ length: workers }, worker));
  return interrupted;
}

/**
 * Open model: arrivals on the schedule of the phases, whatever the system's state. At the
 * in-flight cap an arrival is dropped (counted) or queued until a workflow ends (its latency, from
 * the intended start, then includes the wait).
 */
export async function driveOpen(load: Extract<LoadModel, { kind: 'open' }>, context: LoadContext, rng: SeededRng): Promise<Interrupted> {
  const { clock, metrics } = context;
  const schedule = new ArrivalSchedule(load.phases, load.process, rng);
  const waiting: { readonly index: number; readonly intendedStartMs: number }[] = [];
  // Workflows in flight are counted, not kept: each holds only its own promise chain, and the two
  // settle callbacks below are shared by all of them (no closure or set entry per workflow).
  let inFlight = 0;
  /** The first workflow that threw (a harness error, not a failed workflow: those are rows). */
  const failures: unknown[] = [];
  let drained: (() => void) | null = null;
  const ended = (): void => {
    inFlight -= 1;
    const queued = waiting.shift();
    if (queued !== undefined) start(queued.index, queued.intendedStartMs);
    else if (inFlight === 0) drained?.();
  };
  const failed = (error: unknown): void => {
    failures.push(error);
    ended();
  };
  const start = (index: number, intendedStartMs: number): void => {
    inFlight += 1;
    context.launch(index, intendedStartMs).then(ended, failed);
  };
  let interrupted = false;
  // A slice of a run (harness/run/slices.ts) starts only its own arrivals, its clock reading at each
  // what the whole run's reads: the whole run sleeps from arrival to arrival (t + (at − t), which
  // rounds), so the slice follows that sum through the arrivals it leaves to other slices.
  let wholeRunMs = clock.now();
  for (let index = 0; ; index++) {
    const at = schedule.next();
    if (at === null) break;
    if (context.owns !== undefined) {
      if (at > wholeRunMs) wholeRunMs += at - wholeRunMs;
      if (!context.owns(index)) continue;
      await sleepUntil(clock, wholeRunMs);
    } else if (at > clock.now()) await clock.sleep(at - clock.now());
    if (context.shouldStop()) {
      interrupted = true;
      break;
    }
    if (context.budgetSpent?.() === true) {
      // The rest of the schedule arrives and is counted, dropped, without waiting for it.
      for (let rest: number | null = at; rest !== null; rest = schedule.next()) {
        metrics.arrival(rest);
        metrics.dropped(rest);
      }
      break;
    }
    metrics.arrival(at);
    if (load.maxInFlight !== null && inFlight >= load.maxInFlight) {
      if (load.onFull === 'drop') metrics.dropped(at);
      else waiting.push({ index, intendedStartMs: at });
      continue;
    }
    start(index, at);
  }
  if (interrupted) waiting.length = 0;
  if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
  if (failures.length > 0) throw failures[0];
  return interrupted;
}

/**
 * Sleeps until `clock` reads exactly `targetMs` (≥ now). A clock wakes at now + (target − now),
 * exactly the target when now ≥ target / 2 (the difference is then exact); from further back, a
 * first sleep lands in that range.
 */
async function sleepUntil(clock: Clock, targetMs: number): Promise<void> {
  const now = clock.now();
  if (targetMs <= now) return;
  if (now > 0 && now < targetMs / 2) await clock.sleep(targetMs * 0.75 - now);
  await clock.sleep(targetMs - clock.now());
}
