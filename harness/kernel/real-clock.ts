import { performance } from 'node:perf_hooks';
import type { Cancellation, Clock, RunClockOptions } from './clock.ts';
import { HarnessError } from './errors.ts';

/** Longest delay `setTimeout` accepts; longer sleeps are chained. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** The wall clock, for real-time runs and real agents. Time 0 is when the clock was created. */
export class RealClock implements Clock {
  readonly virtual = false;
  readonly #origin = performance.now();
  #onLag: ((lateMs: number) => void) | null = null;

  observeLag(listener: ((lateMs: number) => void) | null): void {
    this.#onLag = listener;
  }

  now(): number {
    return performance.now() - this.#origin;
  }

  /** Wall-clock milliseconds since the Unix epoch (run metadata only, never simulation input). */
  static wallTimeMs(): number {
    return Date.now();
  }

  sleep(ms: number, cancel?: Cancellation): Promise<boolean> {
    if (!(ms >= 0)) throw new HarnessError('CLOCK_MISUSE', `sleep needs a non-negative duration, got ${ms}`);
    if (cancel?.cancelled) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      let handle: NodeJS.Timeout | undefined;
      let remove = (): void => {};
      const deadline = this.now() + ms;
      const arm = (): void => {
        const left = deadline - this.now();
        if (left === Infinity || left > MAX_TIMEOUT_MS) {
          handle = setTimeout(arm, MAX_TIMEOUT_MS);
          return;
        }
        handle = setTimeout(() => {
          // libuv counts whole milliseconds from the start of its loop turn: a timer can fire up to
          // a millisecond before `now()` reaches its deadline. A sleeper never wakes early.
          if (this.now() < deadline) return arm();
          remove();
          this.#onLag?.(Math.max(0, this.now() - deadline));
          resolve(true);
        }, Math.max(0, left));
      };
      arm();
      if (cancel) {
        remove = cancel.onCancel(() => {
          clearTimeout(handle);
          resolve(false);
        });
      }
    });
  }

  async run<T>(main: () => Promise<T>, _options?: RunClockOptions): Promise<T> {
    return main();
  }
}
