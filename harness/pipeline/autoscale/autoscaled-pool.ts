import { Cancellation, type Clock } from '../../kernel/clock.ts';
import { compileSampler, type Sampler } from '../../kernel/distributions.ts';
import { deriveRng, type SeededRng } from '../../kernel/rng.ts';
import type { AutoscalePolicy } from '../../scenario/types.ts';
import type { RunEvents } from '../run-events.ts';
import { SharedResource, type ResourceLimits, type ResourceObserver } from '../shared-resource.ts';
import { HpaController } from './hpa.ts';
import { PoolMeter } from './pool-meter.ts';
import { nextIsSpot, Replica, replicaFor, replicasToRemove, type CallOnReplica } from './replica.ts';

/** Ms per hour: replica-hours = replica-ms ÷ this. */
export const MS_PER_HOUR = 3_600_000;

/** What an autoscaled pool needs of its run. */
export interface AutoscaleRun {
  readonly clock: Clock;
  readonly events: RunEvents;
  readonly seed: number;
  readonly scenario: string;
}

/**
 * An agent's autoscaled pool: replicas of `slotsPerReplica` slots behind the pool's shared resource
 * (harness/pipeline/shared-resource.ts), whose capacity it keeps at the ready replicas' slots plus
 * the calls still in flight on replicas on their way out. Every sync period (a timer on the run's
 * clock, stopped with the run) it measures the HPA's metric — calls in flight and queued per slot
 * of the replicas it counts (starting and ready, as the HPA counts not-ready pods at 0 % on a
 * scale-up), time-averaged over the period — and asks `HpaController.decide` for a count. New
 * replicas are ready after a cold start drawn per replica; a scale-down removes starting replicas,
 * then idle ones, then drains the least busy (no new calls; removed when its last call ends).
 *
 * A spot replica, once ready, is warned of its reclaim after an exponential time at
 * `reclaimPerHour` (seeded stream `autoscale.reclaim`), drains during the `notice` and is then
 * reclaimed: its calls still in flight end as `preempted` (retried like any error), and a
 * replacement is requested at once (as a ReplicaSet replaces a lost pod), with its cold start.
 * Billing counts a replica from its request (cold start included) to its removal.
 */
export class AutoscaledPool {
  readonly meter: PoolMeter;
  readonly #replicas: Replica[] = [];
  readonly #calls = new Map<object, { replica: Replica; handle: CallOnReplica }>();
  readonly #controller: HpaController;
  readonly #coldStart: Sampler;
  readonly #coldStartRng: SeededRng;
  readonly #reclaimRng: SeededRng;
  readonly #sync = new Cancellation();
  /** Calls in flight on draining or reclaimed replicas: slots that exist until those calls end. */
  #leaving = 0;
  #nextId = 0;
  #stopped = false;
  scaleUps = 0;
  scaleDowns = 0;
  reclaims = 0;
  preemptedCalls = 0;

  constructor(
    readonly agent: string,
    readonly policy: AutoscalePolicy,
    /** The pool's shared resource (admission and queue), whose slots this pool sets. */
    readonly resource: SharedResource,
    private readonly run: AutoscaleRun,
  ) {
    this.meter = new PoolMeter(policy.slotsPerReplica);
    this.#controller = new HpaController({ ...policy });
    this.#coldStart = compileSampler(policy.coldStartMs);
    this.#coldStartRng = deriveRng(run.seed, 'autoscale.cold-start', run.scenario, agent);
    this.#reclaimRng = deriveRng(run.seed, 'autoscale.reclaim', run.scenario, agent);
    for (let i = 0; i < policy.initialReplicas; i++) this.#ready(this.#request(0, false));
    this.#resize();
    this.#armSync();
  }

  /** The resource's name (`pool:<agent>`). */
  get name(): string {
    return this.resource.name;
  }

  /**
   * Puts `call` (admitted by the pool's resource) on the least busy ready replica. False when none
   * has a slot for it: its replica was reclaimed while it waited between admission and its start
   * (at the provider's rate limit) — the call is preempted.
   */
  assign(call: object): boolean {
    const replica = replicaFor(this.#replicas, this.policy.slotsPerReplica);
    if (replica === null) {
      this.preemptedCalls += 1;
      return false;
    }
    this.meter.advance(this.run.clock.now());
    const handle: CallOnReplica = { preempt: null };
    replica.calls.add(handle);
    this.#calls.set(call, { replica, handle });
    this.meter.busy += 1;
    return true;
  }

  /** The replica `call` runs on: its handle when that replica is spot (it can be reclaimed), else null. */
  preemptible(call: object): CallOnReplica | null {
    const entry = this.#calls.get(call);
    return entry !== undefined && entry.replica.spot ? entry.handle : null;
  }

  /** `call` ended on its replica (before its slot is given back to the resource). */
  unassign(call: object): void {
    const entry = this.#calls.get(call);
    if (entry === undefined) return;
    this.#calls.delete(call);
    const { replica, handle } = entry;
    this.meter.advance(this.run.clock.now());
    replica.calls.delete(handle);
    this.meter.busy -= 1;
    if (replica.state === 'ready') return;
    // A call on a replica on its way out: its slot goes with it.
    this.#leaving -= 1;
    if (replica.state === 'draining' && replica.calls.size === 0) this.#remove(replica);
    this.#resize();
  }

  /** The pool's queue length changed (its resource's observer). */
  queued(nowMs: number, length: number): void {
    this.meter.advance(nowMs);
    this.meter.queued = length;
  }

  /** Ends the pool with its run at `nowMs`: no timer fires after; the pool's figures become an `autoscale.pool` event. */
  stop(nowMs: number): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.meter.advance(nowMs);
    this.#sync.cancel();
    for (const replica of this.#replicas) replica.timer.cancel();
    const m = this.meter;
    const spotPrice = this.policy.spot?.costPerReplicaHour ?? 0;
    this.run.events.emit('autoscale.pool', this.name, nowMs, {
      'patternbench.autoscale.replica_hours': (m.onDemandReplicaMs + m.spotReplicaMs) / MS_PER_HOUR,
      'patternbench.autoscale.spot_replica_hours': m.spotReplicaMs / MS_PER_HOUR,
      'patternbench.autoscale.cost_usd': (m.onDemandReplicaMs * this.policy.costPerReplicaHour + m.spotReplicaMs * spotPrice) / MS_PER_HOUR,
      'patternbench.autoscale.peak_replicas': m.peakReplicas,
      'patternbench.autoscale.scale_ups': this.scaleUps,
      'patternbench.autoscale.scale_downs': this.scaleDowns,
      'patternbench.autoscale.reclaims': this.reclaims,
      'patternbench.autoscale.preempted_calls': this.preemptedCalls,
      'patternbench.autoscale.busy_slot_ms': m.busyMs,
      'patternbench.autoscale.serving_slot_ms': m.servingSlotMs,
    });
  }

  #armSync(): void {
    void this.run.clock.sleep(this.policy.syncPeriodMs, this.#sync).then((elapsed) => {
      if (elapsed && !this.#stopped) this.#decide();
    });
  }

  /** One sync: measure, decide, scale, record, and arm the next. */
  #decide(): void {
    const now = this.run.clock.now();
    this.meter.advance(now);
    const utilisation = this.meter.takeUtilisation();
    const current = this.meter.counted;
    const desired = this.#controller.decide(now, current, utilisation);
    if (desired > current) {
      this.scaleUps += 1;
      for (let i = current; i < desired; i++) this.#request(now);
    } else if (desired < current) {
      // Never the free slots of calls admitted and not yet on a replica (waiting at the provider's rate limit).
      const reserved = this.resource.inUse - this.meter.busy;
      let free = 0;
      for (const replica of this.#replicas) if (replica.state === 'ready') free += this.policy.slotsPerReplica - replica.calls.size;
      for (const replica of replicasToRemove(this.#replicas, current - desired)) {
        const freed = replica.state === 'ready' ? this.policy.slotsPerReplica - replica.calls.size : 0;
        if (free - freed < reserved) continue;
        free -= freed;
        this.#retire(replica);
      }
      this.#resize();
      if (this.meter.counted < current) this.scaleDowns += 1;
    }
    const scaledTo = this.meter.counted;
    if (scaledTo !== current) this.run.events.emit('autoscale.scale', this.name, now, { 'patternbench.autoscale.from': current, 'patternbench.autoscale.to': scaledTo, 'patternbench.autoscale.utilisation': utilisation });
    this.run.events.emit('autoscale.sync', this.name, now, {
      'patternbench.autoscale.requested': this.meter.counted,
      'patternbench.autoscale.ready': this.#replicas.filter((replica) => replica.state === 'ready').length,
      'patternbench.autoscale.utilisation': utilisation,
      'patternbench.autoscale.busy': this.meter.busy,
      'patternbench.autoscale.queued': this.meter.queued,
    });
    this.#armSync();
  }

  /** Requests a replica at `nowMs` (billed from now); it is ready after its cold start (`coldStart`; the initial replicas are ready at once). */
  #request(nowMs: number, coldStart = true): Replica {
    const spot = this.policy.spot;
    const billed = this.meter.spot + this.meter.onDemand;
    const replica = new Replica(this.#nextId++, spot !== null && nextIsSpot(spot.share, this.meter.spot, billed), nowMs);
    this.#replicas.push(replica);
    this.meter.advance(nowMs);
    this.meter.counted += 1;
    this.meter.bill(replica.spot, 1);
    if (coldStart) {
      const coldStartMs = Math.max(0, this.#coldStart(this.#coldStartRng));
      void this.run.clock.sleep(coldStartMs, replica.timer).then((elapsed) => {
        if (elapsed && !this.#stopped) this.#ready(replica);
      });
    }
    return replica;
  }

  #ready(replica: Replica): void {
    this.meter.advance(this.run.clock.now());
    replica.state = 'ready';
    this.meter.serving += 1;
    this.#resize();
    const spot = this.policy.spot;
    if (!replica.spot || spot === null || spot.reclaimPerHour <= 0) return;
    const warnInMs = (-Math.log(1 - this.#reclaimRng.next()) * MS_PER_HOUR) / spot.reclaimPerHour;
    void this.run.clock.sleep(warnInMs, replica.timer).then((elapsed) => {
      if (elapsed && !this.#stopped) this.#warned(replica, spot.noticeMs);
    });
  }

  /** A spot replica told it will be reclaimed in `noticeMs`: replaced at once, drained, then reclaimed. */
  #warned(replica: Replica, noticeMs: number): void {
    const now = this.run.clock.now();
    this.reclaims += 1;
    this.run.events.emit('autoscale.reclaim', this.name, now, { 'patternbench.autoscale.replica': replica.id, 'patternbench.autoscale.notice_ms': noticeMs });
    // Replaced at once (unless a scale-down was removing it anyway): after it, or during its notice.
    const replace = replica.state === 'ready';
    if (noticeMs <= 0) {
      this.#reclaim(replica);
      if (replace) this.#request(now);
      return;
    }
    if (replace) {
      this.#request(now);
      this.#retire(replica);
      this.#resize();
    }
    void this.run.clock.sleep(noticeMs, replica.timer).then((elapsed) => {
      if (elapsed && !this.#stopped && replica.state !== 'gone') this.#reclaim(replica);
    });
  }

  /** The replica's capacity is taken back now: its calls in flight are preempted (an `autoscale.preempt` event when it had any). */
  #reclaim(replica: Replica): void {
    const now = this.run.clock.now();
    this.meter.advance(now);
    if (replica.state === 'ready') {
      this.meter.counted -= 1;
      this.meter.serving -= 1;
      this.#leaving += replica.calls.size;
    }
    const preempted = [...replica.calls];
    this.#remove(replica);
    this.preemptedCalls += preempted.length;
    if (preempted.length > 0) this.run.events.emit('autoscale.preempt', this.name, now, { 'patternbench.autoscale.replica': replica.id, 'patternbench.autoscale.preempted_calls': preempted.length });
    for (const call of preempted) call.preempt?.();
    this.#resize();
  }

  /** Takes `replica` out of the count: a starting or idle one goes now, a busy one drains. */
  #retire(replica: Replica): void {
    this.meter.advance(this.run.clock.now());
    this.meter.counted -= 1;
    if (replica.state === 'starting') return this.#remove(replica);
    this.meter.serving -= replica.calls.size === 0 ? 1 : 0;
    if (replica.calls.size === 0) return this.#remove(replica, false);
    replica.state = 'draining';
    this.#leaving += replica.calls.size;
  }

  /** The replica is gone: no longer billed, its timers stopped. */
  #remove(replica: Replica, serving = replica.state === 'draining'): void {
    this.meter.advance(this.run.clock.now());
    if (serving) this.meter.serving -= 1;
    replica.state = 'gone';
    replica.timer.cancel();
    this.meter.bill(replica.spot, -1);
    this.#replicas.splice(this.#replicas.indexOf(replica), 1);
  }

  /** Capacity: the ready replicas' slots and the slots of calls still on replicas on their way out. */
  #resize(): void {
    const ready = this.#replicas.filter((replica) => replica.state === 'ready').length;
    this.resource.resize(ready * this.policy.slotsPerReplica + this.#leaving);
  }
}

/**
 * The shared resource of an autoscaled pool (`limits`: its initial slots, queue and refusals) and
 * the pool resizing it; the pool hears the queue's length beside the run's `observer`.
 */
export function createAutoscaledPool(agent: string, policy: AutoscalePolicy, name: string, limits: ResourceLimits, observer: ResourceObserver, run: AutoscaleRun): AutoscaledPool {
  let pool: AutoscaledPool | null = null;
  const heard: ResourceObserver = {
    queueLength: (nowMs, length) => {
      observer.queueLength(nowMs, length);
      pool?.queued(nowMs, length);
    },
    admitted: (nowMs, waitMs) => observer.admitted(nowMs, waitMs),
    rejected: (nowMs) => observer.rejected(nowMs),
  };
  pool = new AutoscaledPool(agent, policy, new SharedResource(name, run.clock, limits, heard), run);
  return pool;
}
