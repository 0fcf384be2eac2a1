/**
 * The scaling decision of a Kubernetes HorizontalPodAutoscaler (autoscaling/v2), for an autoscaled
 * agent pool: pure arithmetic on the virtual clock's times, no timers of its own (the pool calls
 * `decide` once per sync period).
 *
 * Each sync, as the HPA controller does (kubernetes.io, "Horizontal Pod Autoscaling", algorithm
 * details):
 *
 * 1. the raw proposal: desired = ceil(current × utilisation ÷ target), unchanged while
 *    |utilisation ÷ target − 1| ≤ tolerance (default 0.1);
 * 2. stabilisation: from the current count, up to the lowest proposal of the last
 *    `scaleUpWindowMs` (default 0: the current proposal), down to the highest of the last
 *    `scaleDownWindowMs` (default 300 s) — so a brief dip does not remove replicas and, with an
 *    up window, a brief spike does not add them;
 * 3. the default scale-up policy: at most max(2 × current, current + 4) per sync;
 * 4. clamped to [min, max] replicas.
 */
import { HarnessError } from '../../kernel/errors.ts';

/** How the autoscaler behaves. */
export interface HpaPolicy {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Target utilisation of the ready replicas' slots, in (0, 1]. */
  readonly targetUtilisation: number;
  /** No change while the utilisation ratio is within 1 ± this; default 0.1. */
  readonly tolerance: number;
  /** Proposals considered before scaling down; default 300 s. */
  readonly scaleDownWindowMs: number;
  /** Proposals considered before scaling up; default 0 (act on the current one). */
  readonly scaleUpWindowMs: number;
}

/** The HPA's defaults for what a policy leaves out. */
export const HPA_DEFAULTS = { tolerance: 0.1, scaleDownWindowMs: 300_000, scaleUpWindowMs: 0 } as const;

/** The raw proposal of step 1 (pure): ceil(current × utilisation ÷ target), or current within the tolerance. */
export function proposedReplicas(current: number, utilisation: number, target: number, tolerance: number): number {
  const ratio = utilisation / target;
  if (Math.abs(ratio - 1) <= tolerance) return current;
  return Math.ceil(current * ratio);
}

/** One autoscaled pool's controller: remembers its recent proposals for the stabilisation windows. */
export class HpaController {
  readonly #policy: HpaPolicy;
  /** Proposals of the longest window, oldest first. */
  readonly #history: { readonly atMs: number; readonly replicas: number }[] = [];

  constructor(policy: HpaPolicy) {
    const { minReplicas, maxReplicas, targetUtilisation, tolerance } = policy;
    if (!Number.isInteger(minReplicas) || minReplicas < 0 || !Number.isInteger(maxReplicas) || maxReplicas < Math.max(1, minReplicas)) {
      throw new HarnessError('USAGE', `an autoscaled pool needs integer replicas 0 <= min <= max, max >= 1; got min ${minReplicas}, max ${maxReplicas}`);
    }
    if (!(targetUtilisation > 0 && targetUtilisation <= 1)) throw new HarnessError('USAGE', `target utilisation must be in (0, 1], got ${targetUtilisation}`);
    if (!(tolerance >= 0)) throw new HarnessError('USAGE', `tolerance must be >= 0, got ${tolerance}`);
    this.#policy = policy;
  }

  /**
   * The replicas to run from `nowMs` (a sync), given the `current` replicas and the utilisation
   * of their slots over the last period (busy slot-time ÷ ready slot-time; more than 1 when calls
   * queue: queued calls count as demand).
   */
  decide(nowMs: number, current: number, utilisation: number): number {
    const policy = this.#policy;
    // A pool at zero replicas with demand scales to one (the HPA's ratio is undefined at zero).
    const proposal = current === 0 ? (utilisation > 0 ? 1 : 0) : proposedReplicas(current, utilisation, policy.targetUtilisation, policy.tolerance);
    const keepMs = Math.max(policy.scaleDownWindowMs, policy.scaleUpWindowMs);
    while (this.#history.length > 0 && (this.#history[0] as { atMs: number }).atMs < nowMs - keepMs) this.#history.shift();
    this.#history.push({ atMs: nowMs, replicas: proposal });
    const within = (windowMs: number): number[] => this.#history.filter((entry) => entry.atMs >= nowMs - windowMs).map((entry) => entry.replicas);
    // As the controller's stabilizeRecommendationWithBehaviors: start from the current count, rise
    // to the lowest proposal of the scale-up window, fall to the highest of the scale-down window.
    let recommended = current;
    recommended = Math.max(recommended, Math.min(...within(policy.scaleUpWindowMs)));
    recommended = Math.min(recommended, Math.max(...within(policy.scaleDownWindowMs)));
    if (recommended > current) recommended = Math.min(recommended, Math.max(2 * current, current + 4));
    return Math.min(policy.maxReplicas, Math.max(policy.minReplicas, recommended));
  }
}
