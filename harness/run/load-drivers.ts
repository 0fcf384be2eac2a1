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
  const running = new Set<Promise<void>>();
  const waiting: { readonly index: number; readonly intendedStartMs: number }[] = [];
  let inFlight = 0;
  const start = (index: number, intendedStartMs: number): void => {
    inFlight += 1;
    const done = context.launch(index, intendedStartMs).then(() => {
      inFlight -= 1;
      running.delete(done);
      const queued = waiting.shift();
      if (queued !== undefined) start(queued.index, queued.intendedStartMs);
    });
    running.add(done);
  };
  let interrupted = false;
  for (let index = 0; ; index++) {
    const at = schedule.next();
    if (at === null) break;
    if (at > clock.now()) await clock.sleep(at - clock.now());
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
  while (running.size > 0) await Promise.all([...running]);
  return interrupted;
}
