import type { BreakerPolicy } from '../scenario/types.ts';

/** The states of a circuit breaker. */
export type BreakerState = 'closed' | 'open' | 'half_open';

/** What the breaker lets a call do: go through, go through as the half-open probe, or not go at all. */
export type BreakerDecision = 'call' | 'probe' | 'reject';

/** A state change: from, to, and the consecutive failures at that moment. */
export interface BreakerTransition {
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly failures: number;
}

/**
 * A circuit breaker per agent. Closed: calls go through; `failures` consecutive failed calls open
 * it. Open: calls are rejected (they go to the fallback) until `cooldownMs` has passed; the next
 * call then half-opens it and goes through as the one probe (calls arriving while the probe is in
 * flight are rejected). A successful probe closes it; a failed one opens it again for another
 * cooldown. Pure state on the caller's clock readings, so it is tested on the virtual clock. Each
 * method returns the transition it caused (at most one), for the caller to record.
 */
export class CircuitBreaker {
  #state: BreakerState = 'closed';
  #consecutive = 0;
  #openedAtMs = 0;
  #probing = false;

  constructor(private readonly policy: BreakerPolicy) {}

  get state(): BreakerState {
    return this.#state;
  }

  /** Whether a call arriving at `nowMs` may go through, and the transition (to half-open) it caused. */
  admit(nowMs: number): { readonly decision: BreakerDecision; readonly transition: BreakerTransition | null } {
    if (this.#state === 'closed') return { decision: 'call', transition: null };
    let transition: BreakerTransition | null = null;
    if (this.#state === 'open') {
      if (nowMs < this.#openedAtMs + this.policy.cooldownMs) return { decision: 'reject', transition: null };
      transition = this.#move('half_open');
    }
    if (this.#probing) return { decision: 'reject', transition };
    this.#probing = true;
    return { decision: 'probe', transition };
  }

  /** The outcome, at `nowMs`, of a call `admit` let through (`probe` when it was the probe); the transition it caused. */
  record(success: boolean, decision: 'call' | 'probe', nowMs: number): BreakerTransition | null {
    if (decision === 'probe') {
      this.#probing = false;
      if (success) {
        this.#consecutive = 0;
        return this.#move('closed');
      }
      this.#consecutive += 1;
      return this.#open(nowMs);
    }
    if (this.#state !== 'closed') return null; // a call admitted before the breaker opened
    if (success) {
      this.#consecutive = 0;
      return null;
    }
    this.#consecutive += 1;
    return this.#consecutive >= this.policy.failures ? this.#open(nowMs) : null;
  }

  #open(nowMs: number): BreakerTransition {
    this.#openedAtMs = nowMs;
    return this.#move('open');
  }

  #move(to: BreakerState): BreakerTransition {
    const from = this.#state;
    this.#state = to;
    return { from, to, failures: this.#consecutive };
  }
}
