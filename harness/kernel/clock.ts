/**
 * Time, as the harness sees it. Executors and agents never read the wall clock: they use the
 * run's `Clock`, which is a `VirtualClock` (discrete-event, the default) or a `RealClock`.
 */
export interface Clock {
  /** True for the discrete-event clock. */
  readonly virtual: boolean;
  /** Milliseconds since the clock's origin (the run's start). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds with `true`, or early with `false` when `cancel` fires first.
   * Never rejects. `Infinity` waits until cancelled.
   */
  sleep(ms: number, cancel?: Cancellation): Promise<boolean>;
  /**
   * Runs `main` to completion on this clock. The virtual clock drives its event queue here; between
   * two events it awaits `beforeAdvance` when given (backpressure from sinks).
   */
  run<T>(main: () => Promise<T>, options?: RunClockOptions): Promise<T>;
  /**
   * Real clocks only: `listener` hears how late (ms) each sleep woke past its deadline — the
   * harness's own scheduling lag. `null` stops listening.
   */
  observeLag?(listener: ((lateMs: number) => void) | null): void;
}

export interface RunClockOptions {
  /** Called before each advance of time; a returned promise is awaited first. */
  readonly beforeAdvance?: () => Promise<void> | undefined;
}

/** Something a `Cancellation` stops: told once, synchronously, when the cancellation fires. */
export interface Cancellable {
  onCancelled(): void;
}

/**
 * A one-shot cancellation signal, lighter than `AbortController` (created for every timed attempt).
 * Listeners and attached targets run synchronously, once.
 */
export class Cancellation {
  #cancelled = false;
  #listeners: (() => void)[] | null = null;
  #targets: Set<Cancellable> | null = null;

  get cancelled(): boolean {
    return this.#cancelled;
  }

  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    const listeners = this.#listeners;
    const targets = this.#targets;
    this.#listeners = null;
    this.#targets = null;
    if (targets) for (const target of targets) target.onCancelled();
    if (listeners) for (const listener of listeners) listener();
  }

  /**
   * Tells `target` when this fires (at once if it already has). Cheaper than `onCancel` for the
   * hot path: no closures; `detach` when the target no longer needs telling.
   */
  attach(target: Cancellable): void {
    if (this.#cancelled) target.onCancelled();
    else (this.#targets ??= new Set()).add(target);
  }

  detach(target: Cancellable): void {
    this.#targets?.delete(target);
  }

  /** Runs `listener` on cancel (at once if already cancelled). Returns a function that removes it. */
  onCancel(listener: () => void): () => void {
    if (this.#cancelled) {
      listener();
      return () => {};
    }
    (this.#listeners ??= []).push(listener);
    return () => {
      const listeners = this.#listeners;
      if (!listeners) return;
      const index = listeners.indexOf(listener);
      if (index >= 0) listeners.splice(index, 1);
    };
  }
}
