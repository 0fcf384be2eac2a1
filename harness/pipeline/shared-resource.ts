import { Cancellation, type Cancellable, type Clock } from '../kernel/clock.ts';
import type { TokenBucket } from './token-bucket.ts';

/** How an `acquire` ended. */
export type Admission =
  | { readonly admitted: true; readonly waitMs: number }
  | {
      readonly admitted: false;
      /** `rejected`: the resource refused (429); `timeout`: the deadline passed in the queue; `cancelled`: the caller gave up. */
      readonly reason: 'rejected' | 'timeout' | 'cancelled';
      readonly waitMs: number;
      /** For a rejection by a rate limit: when capacity will be there, ms from now. */
      readonly retryAfterMs: number | null;
    };

/**
 * Shortest wake-up delay, ms: a wait computed as a hair above 0 still moves the clock forward
 * (at a clock reading of hours, a smaller step would not change it, and the queue would spin).
 */
const MIN_WAKE_MS = 0.001;

/** Receives what happens at a resource, for its queue time series and wait histogram. */
export interface ResourceObserver {
  queueLength(nowMs: number, length: number): void;
  admitted(nowMs: number, waitMs: number): void;
  rejected(nowMs: number): void;
}

/** A bucket and what it counts: requests (cost 1 each) or input tokens. */
export interface LimitBucket {
  readonly bucket: TokenBucket;
  readonly counts: 'requests' | 'tokens';
}

/** What a resource limits: token buckets (a rate limit) and/or slots (a concurrency pool). */
export interface ResourceLimits {
  readonly buckets: readonly LimitBucket[];
  /** Slots of a pool; null = no slot limit. */
  readonly slots: number | null;
  /** `queue`: wait for capacity; `reject`: refuse at once (429). */
  readonly onLimit: 'queue' | 'reject';
  /** Longest queue before arrivals are refused; null = unbounded. */
  readonly maxQueue: number | null;
}

class Waiter implements Cancellable {
  readonly timer = new Cancellation();
  settled = false;
  constructor(
    readonly cost: number,
    readonly enqueuedMs: number,
    readonly settle: (admission: Admission) => void,
    readonly cancel: Cancellation | null,
    readonly onGiveUp: (waiter: Waiter, reason: 'timeout' | 'cancelled') => void,
  ) {}

  onCancelled(): void {
    this.onGiveUp(this, 'cancelled');
  }
}

/** An admission with no wait (shared: admissions are read, never changed). */
const ADMITTED: Admission = Object.freeze({ admitted: true, waitMs: 0 });

/**
 * A shared resource in front of agents: a provider's rate limit (token buckets for requests and
 * tokens per minute) or an agent's concurrency pool (slots), with a FIFO queue. Calls that cannot
 * be admitted wait in the queue (bounded by their deadline and cancellation) or are refused with a
 * 429, per `onLimit`. Runs on the run's clock, so virtual-time runs queue deterministically.
 */
export class SharedResource {
  /**
   * Waiters in arrival order. One that gives up (deadline, cancellation) is marked settled and left
   * in place until it reaches the head, so giving up costs O(1) however long the queue: at a peak
   * thousands wait and most time out (an `indexOf` + `splice` per timeout took 16 % of such a run).
   */
  readonly #queue: Waiter[] = [];
  /** Index of the first entry of `#queue` not yet taken off. */
  #head = 0;
  /** Waiters in the queue that have not settled: the queue's length. */
  #waiting = 0;
  #inUse = 0;
  #wake: Cancellation | null = null;
  /** Slots now: `limits.slots`, changed only by `resize` (an autoscaled pool, harness/pipeline/autoscale/). */
  #slots: number | null;

  constructor(
    readonly name: string,
    private readonly clock: Clock,
    private readonly limits: ResourceLimits,
    private readonly observer: ResourceObserver,
  ) {
    this.#slots = limits.slots;
  }

  /** Calls waiting now. */
  get queueLength(): number {
    return this.#waiting;
  }

  /**
   * Admits a call of `cost` (tokens for a TPM bucket; requests count 1), waiting in FIFO order
   * until capacity is there, `deadlineMs` passes or `cancel` fires. A pool slot taken must be given
   * back with `release()`.
   */
  acquire(cost: number, deadlineMs: number, cancel: Cancellation | null): Promise<Admission> {
    const admission = this.admit(cost, deadlineMs, cancel);
    return admission instanceof Promise ? admission : Promise.resolve(admission);
  }

  /**
   * `acquire`, answering at once when no wait is needed (admitted with capacity free, or refused):
   * a promise only for a call that queues.
   */
  admit(cost: number, deadlineMs: number, cancel: Cancellation | null): Admission | Promise<Admission> {
    const now = this.clock.now();
    if (this.#waiting === 0 && this.#admissibleInMs(cost, now) === 0) {
      this.#admit(cost, now);
      this.observer.admitted(now, 0);
      return ADMITTED;
    }
    if (this.limits.onLimit === 'reject' || (this.limits.maxQueue !== null && this.#waiting >= this.limits.maxQueue)) {
      this.observer.rejected(now);
      const retryAfter = this.#admissibleInMs(cost, now);
      return { admitted: false, reason: 'rejected', waitMs: 0, retryAfterMs: Number.isFinite(retryAfter) ? retryAfter : null };
    }
    if (cancel?.cancelled === true || deadlineMs <= now) {
      return { admitted: false, reason: cancel?.cancelled === true ? 'cancelled' : 'timeout', waitMs: 0, retryAfterMs: null };
    }
    return new Promise<Admission>((resolve) => {
      const waiter = new Waiter(cost, now, resolve, cancel, (gaveUp, reason) => this.#giveUp(gaveUp, reason));
      this.#queue.push(waiter);
      this.#waiting += 1;
      this.observer.queueLength(now, this.#waiting);
      cancel?.attach(waiter);
      if (Number.isFinite(deadlineMs)) {
        void this.clock.sleep(deadlineMs - now, waiter.timer).then((elapsed) => {
          if (elapsed) this.#giveUp(waiter, 'timeout');
        });
      }
      if (this.#waiting === 1) this.#pump();
    });
  }

  /** Pool slots taken now. */
  get inUse(): number {
    return this.#inUse;
  }

  /** Sets the pool's slots (an autoscaled pool's capacity) and admits the waiters that now fit. */
  resize(slots: number): void {
    this.#slots = slots;
    this.#pump();
  }

  /** Gives back a pool slot and admits the next waiter that fits. */
  release(): void {
    this.#inUse -= 1;
    this.#pump();
  }

  /** 0 when a call of `cost` fits now; else ms until the buckets allow it (Infinity when it waits for a slot). */
  #admissibleInMs(cost: number, now: number): number {
    if (this.#slots !== null && this.#inUse >= this.#slots) return Infinity;
    let wait = 0;
    for (const { bucket, counts } of this.limits.buckets) wait = Math.max(wait, bucket.waitMs(counts === 'requests' ? 1 : cost, now));
    return wait;
  }

  #admit(cost: number, now: number): void {
    for (const { bucket, counts } of this.limits.buckets) bucket.take(counts === 'requests' ? 1 : cost, now);
    if (this.#slots !== null) this.#inUse += 1;
  }

  /** Admits waiters from the head while they fit; arms one timer for when the head will fit. */
  #pump(): void {
    this.#wake?.cancel();
    this.#wake = null;
    const now = this.clock.now();
    for (let head = this.#first(); head !== null; head = this.#first()) {
      const wait = this.#admissibleInMs(head.cost, now);
      if (wait > 0) {
        if (Number.isFinite(wait)) {
          const wake = new Cancellation();
          this.#wake = wake;
          void this.clock.sleep(Math.max(wait, MIN_WAKE_MS), wake).then((elapsed) => {
            if (elapsed) this.#pump();
          });
        }
        break;
      }
      this.#head += 1;
      this.#waiting -= 1;
      this.#admit(head.cost, now);
      this.observer.queueLength(now, this.#waiting);
      this.observer.admitted(now, now - head.enqueuedMs);
      this.#settle(head, { admitted: true, waitMs: now - head.enqueuedMs });
    }
  }

  /** The waiter at the head of the queue (settled ones skipped and taken off), or null. */
  #first(): Waiter | null {
    const queue = this.#queue;
    while (this.#head < queue.length && (queue[this.#head] as Waiter).settled) this.#head += 1;
    // Taken-off entries are dropped in bulk once they are most of the array: O(1) amortised.
    if (this.#head > 1024 && this.#head * 2 > queue.length) {
      queue.splice(0, this.#head);
      this.#head = 0;
    }
    return queue[this.#head] ?? null;
  }

  #giveUp(waiter: Waiter, reason: 'timeout' | 'cancelled'): void {
    if (waiter.settled) return;
    const wasHead = this.#first() === waiter;
    this.#waiting -= 1;
    const now = this.clock.now();
    this.observer.queueLength(now, this.#waiting);
    this.#settle(waiter, { admitted: false, reason, waitMs: now - waiter.enqueuedMs, retryAfterMs: null });
    if (wasHead) this.#pump();
  }

  #settle(waiter: Waiter, admission: Admission): void {
    waiter.settled = true;
    waiter.timer.cancel();
    waiter.cancel?.detach(waiter);
    waiter.settle(admission);
  }
}
