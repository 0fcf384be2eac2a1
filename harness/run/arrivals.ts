import type { SeededRng } from '../kernel/rng.ts';
import type { ArrivalPhase } from '../scenario/types.ts';

/**
 * Arrival times of an open load model. The phases define a rate λ(t) that is constant or moves
 * linearly within each phase; Λ(t) = ∫λ is the expected number of arrivals by t. Arrival k happens
 * where Λ reaches a target: k for `constant` arrivals (evenly spaced in expectation, like k6's
 * arrival-rate executors), or a running sum of Exp(1) draws for `poisson` — by the time-rescaling
 * theorem, a (non-homogeneous) Poisson process with rate λ(t). Pure apart from the RNG.
 */
export class ArrivalSchedule {
  #phase = 0;
  /** Start of the current phase, ms. */
  #phaseStartMs = 0;
  /** Λ at the start of the current phase. */
  #massBefore = 0;
  #target = 0;
  #first = true;

  constructor(
    private readonly phases: readonly ArrivalPhase[],
    private readonly process: 'constant' | 'poisson',
    private readonly rng: SeededRng,
  ) {}

  /** Expected number of arrivals over all phases: Σ (from + to) / 2 × duration. */
  static expectedArrivals(phases: readonly ArrivalPhase[]): number {
    return phases.reduce((sum, phase) => sum + ((phase.fromPerSecond + phase.toPerSecond) / 2) * (phase.durationMs / 1000), 0);
  }

  /** Total length of the phases, ms. */
  static durationMs(phases: readonly ArrivalPhase[]): number {
    return phases.reduce((sum, phase) => sum + phase.durationMs, 0);
  }

  /** Time of the next arrival, ms from the start; null once the phases are over. */
  next(): number | null {
    if (this.process === 'poisson') this.#target += -Math.log(1 - this.rng.next());
    else if (!this.#first) this.#target += 1;
    this.#first = false;
    while (this.#phase < this.phases.length) {
      const phase = this.phases[this.#phase] as ArrivalPhase;
      const mass = ((phase.fromPerSecond + phase.toPerSecond) / 2) * (phase.durationMs / 1000);
      const within = this.#target - this.#massBefore;
      if (within < mass) return this.#phaseStartMs + inverseWithinPhase(phase, within) * 1000;
      this.#massBefore += mass;
      this.#phaseStartMs += phase.durationMs;
      this.#phase += 1;
    }
    return null;
  }
}

/**
 * Seconds τ into `phase` at which Λ grows by `x`: solves a·τ + k·τ²/2 = x with a the starting rate
 * and k its slope (per s²), in the form 2x / (a + √(a² + 2kx)) that stays exact when k → 0.
 */
function inverseWithinPhase(phase: ArrivalPhase, x: number): number {
  const a = phase.fromPerSecond;
  const k = (phase.toPerSecond - phase.fromPerSecond) / (phase.durationMs / 1000);
  if (x <= 0) return 0;
  return (2 * x) / (a + Math.sqrt(Math.max(0, a * a + 2 * k * x)));
}
