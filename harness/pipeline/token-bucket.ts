/**
 * A token bucket on the run's clock: holds at most `capacity` tokens, refills continuously at
 * `refillPerMs`, starts full. Refill is computed lazily from the time of each request, so the bucket
 * costs nothing while idle. Any window of length T admits at most `capacity + refillPerMs × T`.
 */
export class TokenBucket {
  #tokens: number;
  #updatedMs: number;

  constructor(
    readonly capacity: number,
    readonly refillPerMs: number,
    startMs: number,
  ) {
    this.#tokens = capacity;
    this.#updatedMs = startMs;
  }

  /**
   * A bucket for a provider's per-minute `limit` R with burst share `burst`: refill R per minute
   * (R / 60,000 per ms), so the sustained rate is exactly R, and capacity `max(1, burst × R)` on
   * top — what a call finds at once after an idle spell. A 60-second window can then hold
   * R + capacity at most (a full bucket spent at its start, plus a minute of refill).
   */
  static perMinute(limit: number, burst: number, startMs: number): TokenBucket {
    return new TokenBucket(Math.max(1, burst * limit), limit / 60_000, startMs);
  }

  /** Tokens available at `nowMs`. */
  level(nowMs: number): number {
    this.#refill(nowMs);
    return this.#tokens;
  }

  /**
   * What a request of `cost` needs in the bucket: the cost, or the whole capacity when the cost is
   * larger (a request bigger than the bucket waits for a full bucket and leaves it in debt).
   */
  needed(cost: number): number {
    return Math.min(cost, this.capacity);
  }

  /** Milliseconds from `nowMs` until a request of `cost` can be admitted (0 = now). */
  waitMs(cost: number, nowMs: number): number {
    const missing = this.needed(cost) - this.level(nowMs);
    // Rounding must not leave a request a hair short of admission for ever.
    if (missing <= 1e-9 * Math.max(1, this.capacity)) return 0;
    return missing / this.refillPerMs;
  }

  /** Takes `cost` tokens (the caller checked `waitMs` is 0); the level may go below 0 for an oversized request. */
  take(cost: number, nowMs: number): void {
    this.#refill(nowMs);
    this.#tokens -= cost;
  }

  #refill(nowMs: number): void {
    if (nowMs > this.#updatedMs) {
      this.#tokens = Math.min(this.capacity, this.#tokens + (nowMs - this.#updatedMs) * this.refillPerMs);
      this.#updatedMs = nowMs;
    }
  }
}
