import { VirtualClock } from '../../harness/kernel/virtual-clock.ts';
import { createAutoscaledPool, type AutoscaledPool } from '../../harness/pipeline/autoscale/autoscaled-pool.ts';
import { RunEvents } from '../../harness/pipeline/run-events.ts';
import type { AutoscalePolicy } from '../../harness/scenario/types.ts';
import { MemorySink } from '../../reports/store/memory-sink.ts';

/** A policy with every setting given: no tolerance, no windows, no cold start, 10 s syncs. */
export function policyOf(overrides: Partial<AutoscalePolicy>): AutoscalePolicy {
  return {
    slotsPerReplica: 1, minReplicas: 1, maxReplicas: 100, initialReplicas: 1, targetUtilisation: 1, syncPeriodMs: 10_000,
    coldStartMs: { kind: 'fixed', value: 0 }, scaleUpWindowMs: 0, scaleDownWindowMs: 0, tolerance: 0, costPerReplicaHour: 0, spot: null,
    ...overrides,
  };
}

/** One event of the pool, its detail parsed (keys without the `patternbench.autoscale.` prefix). */
export interface PoolEvent {
  readonly kind: string;
  readonly timeMs: number;
  readonly detail: Readonly<Record<string, number>>;
}

/** An autoscaled pool on a virtual clock, driven by calls the test holds for fixed times. */
export class PoolRig {
  readonly clock = new VirtualClock();
  readonly sink = new MemorySink();
  readonly pool: AutoscaledPool;

  constructor(policy: AutoscalePolicy, seed = 1) {
    const events = new RunEvents('rig', this.sink);
    const limits = { buckets: [], slots: policy.initialReplicas * policy.slotsPerReplica, onLimit: 'queue' as const, maxQueue: null };
    const observer = { queueLength: () => {}, admitted: () => {}, rejected: () => {} };
    this.pool = createAutoscaledPool('worker', policy, 'pool:worker', limits, observer, { clock: this.clock, events, seed, scenario: 'rig' });
  }

  /**
   * One call from now: waits for a slot, runs on a replica for `holdMs`, gives the slot back.
   * Resolves with how long it waited and whether it ended or was preempted.
   */
  async call(holdMs: number): Promise<{ waitMs: number; ended: 'ok' | 'preempted' }> {
    const admission = await this.pool.resource.acquire(1, Infinity, null);
    const token = {};
    this.pool.assign(token);
    const handle = this.pool.preemptible(token);
    const ended = await new Promise<'ok' | 'preempted'>((resolve) => {
      if (handle !== null) handle.preempt = () => resolve('preempted');
      void this.clock.sleep(holdMs).then(() => resolve('ok'));
    });
    this.pool.unassign(token);
    this.pool.resource.release();
    return { waitMs: admission.waitMs, ended };
  }

  /** Runs `main` on the clock, then stops the pool at the time `main` ended (as a run does). */
  async run<T>(main: () => Promise<T>): Promise<T> {
    return this.clock.run(() => main().finally(() => this.pool.stop(this.clock.now())));
  }

  /** The pool's events of `kind`, in order. */
  events(kind: string): PoolEvent[] {
    return this.sink.aux.flatMap((record) => {
      if (record.table !== 'events') return [];
      const row = record.row as { kind: string; timeMs: number; detail: string };
      if (row.kind !== kind) return [];
      const detail = Object.fromEntries(Object.entries(JSON.parse(row.detail) as Record<string, number>).map(([key, value]) => [key.replace('patternbench.autoscale.', ''), value]));
      return [{ kind: row.kind, timeMs: row.timeMs, detail }];
    });
  }

  /** The pool's figures at its end (`autoscale.pool`). */
  figures(): Readonly<Record<string, number>> {
    return (this.events('autoscale.pool')[0] as PoolEvent).detail;
  }
}

/** Sleeps `ms` on the rig's clock. */
export function after(rig: PoolRig, ms: number): Promise<boolean> {
  return rig.clock.sleep(ms);
}
