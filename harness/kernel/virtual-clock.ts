import { Cancellation, type Cancellable, type Clock, type RunClockOptions } from './clock.ts';
import { HarnessError } from './errors.ts';

/** A scheduled wake-up. `resolve` is null once it has fired or been cancelled. */
class TimerEvent implements Cancellable {
  constructor(
    readonly time: number,
    readonly seq: number,
    public resolve: ((elapsed: boolean) => void) | null,
    readonly cancel: Cancellation | null,
  ) {}

  /** The cancellation fired first: resolve with `false`; the queue skips this event. */
  onCancelled(): void {
    const resolve = this.resolve;
    this.resolve = null;
    resolve?.(false);
  }
}

/** Resolves after the current macrotask, i.e. once every queued microtask has run. */
export function afterMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Resolves once the microtask queue is empty, without leaving for the event loop: Node runs
 * `process.nextTick` callbacks queued by a microtask only after the microtask queue has been
 * drained (including microtasks queued meanwhile), so this is as exact as `afterMicrotasks` and
 * several times cheaper (no poll of the event loop).
 */
export function afterMicrotasksInTurn(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}

/** Events fired between two turns of the event loop (so I/O, timers and signals are served). */
const EVENTS_PER_TURN = 256;

/** Options of the virtual clock. */
export interface VirtualClockOptions {
  /**
   * How the driver waits for pending continuations before each firing. Default: the end of the
   * microtask queue (`afterMicrotasksInTurn`), with a full event-loop turn (`afterMicrotasks`)
   * every 256 events so that I/O, timers and signals are served. Both are exact. Replaceable
   * only to demonstrate why: a single microtask turn is faster but fires events out of order
   * when continuations await several levels deep.
   */
  readonly settle?: () => Promise<void>;
}

/**
 * Discrete-event clock. Executors are ordinary async/await code; `sleep` enqueues a wake-up, and
 * `run` fires wake-ups one at a time in (time, insertion) order. Before each firing the driver lets
 * every pending continuation settle (it waits until the microtask queue is empty), so a
 * continuation however deeply nested schedules its own wake-up before time moves on. Events at
 * equal times fire in the order they were scheduled.
 */
export class VirtualClock implements Clock {
  readonly virtual = true;
  #now = 0;
  #seq = 0;
  /**
   * Pending timers, a binary min-heap by (time, seq); `#times` and `#seqs` hold each slot's keys
   * side by side, so that sifting compares numbers in two flat arrays rather than reading the
   * events (under an open load ~10,000 timers are pending: following each event's pointer cost a
   * cache miss per level, ~1 µs a timer measured). (time, seq) is a total order (seq is unique),
   * so the timers fire in the same order as from any heap.
   */
  readonly #heap: TimerEvent[] = [];
  readonly #times: number[] = [];
  readonly #seqs: number[] = [];
  #fired = 0;
  readonly #settle: () => Promise<void>;

  constructor(options: VirtualClockOptions = {}) {
    this.#settle =
      options.settle ??
      (() => (this.#fired % EVENTS_PER_TURN === 0 ? afterMicrotasks() : afterMicrotasksInTurn()));
  }

  now(): number {
    return this.#now;
  }

  /** Wake-ups fired so far (for benchmarks and diagnostics). */
  get eventsFired(): number {
    return this.#fired;
  }

  /** Wake-ups waiting (cancelled ones included until they reach the top of the queue). */
  get pending(): number {
    return this.#heap.length;
  }

  sleep(ms: number, cancel?: Cancellation): Promise<boolean> {
    if (!(ms >= 0)) throw new HarnessError('CLOCK_MISUSE', `sleep needs a non-negative duration, got ${ms}`);
    if (cancel?.cancelled) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const event = new TimerEvent(this.#now + ms, this.#seq++, resolve, cancel ?? null);
      if (ms !== Infinity) this.#push(event);
      cancel?.attach(event);
    });
  }

  async run<T>(main: () => Promise<T>, options: RunClockOptions = {}): Promise<T> {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | null = null;
    main().then(
      (value) => (outcome = { ok: true, value }),
      (error: unknown) => (outcome = { ok: false, error }),
    );
    const beforeAdvance = options.beforeAdvance;
    const settle = this.#settle;
    for (;;) {
      await settle();
      if (outcome !== null && (outcome as { ok: boolean }).ok === false) break;
      if (beforeAdvance) {
        const wait = beforeAdvance();
        if (wait) await wait;
      }
      let event = this.#pop();
      while (event !== undefined && event.resolve === null) event = this.#pop(); // cancelled: time does not move for it
      if (event === undefined) break;
      const resolve = event.resolve as (elapsed: boolean) => void;
      event.resolve = null;
      // Long-lived cancellations must not accumulate the timers that already fired.
      event.cancel?.detach(event);
      this.#now = event.time;
      this.#fired++;
      resolve(true);
    }
    const settled = outcome as { ok: true; value: T } | { ok: false; error: unknown } | null;
    if (settled === null) {
      throw new HarnessError(
        'CLOCK_MISUSE',
        'the simulation is waiting on something that is not a clock timer (real I/O or a never-settled promise) and no timer is left to fire',
      );
    }
    if (!settled.ok) throw settled.error;
    return settled.value;
  }

  #push(event: TimerEvent): void {
    const heap = this.#heap;
    const times = this.#times;
    const seqs = this.#seqs;
    const time = event.time;
    const seq = event.seq;
    let index = heap.length;
    heap.push(event);
    times.push(time);
    seqs.push(seq);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent] as number;
      if (!(time < parentTime || (time === parentTime && seq < (seqs[parent] as number)))) break;
      heap[index] = heap[parent] as TimerEvent;
      times[index] = parentTime;
      seqs[index] = seqs[parent] as number;
      index = parent;
    }
    heap[index] = event;
    times[index] = time;
    seqs[index] = seq;
  }

  #pop(): TimerEvent | undefined {
    const heap = this.#heap;
    const times = this.#times;
    const seqs = this.#seqs;
    const top = heap[0];
    const last = heap.pop();
    const lastTime = times.pop() as number;
    const lastSeq = seqs.pop() as number;
    if (top === undefined || last === undefined || heap.length === 0) return top;
    const size = heap.length;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      let childTime = times[left] as number;
      if (right < size) {
        const rightTime = times[right] as number;
        if (rightTime < childTime || (rightTime === childTime && (seqs[right] as number) < (seqs[left] as number))) {
          child = right;
          childTime = rightTime;
        }
      }
      if (!(childTime < lastTime || (childTime === lastTime && (seqs[child] as number) < lastSeq))) break;
      heap[index] = heap[child] as TimerEvent;
      times[index] = childTime;
      seqs[index] = seqs[child] as number;
      index = child;
    }
    heap[index] = last;
    times[index] = lastTime;
    seqs[index] = lastSeq;
    return top;
  }
}

export { Cancellation };
