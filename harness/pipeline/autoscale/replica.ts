import { Cancellation } from '../../kernel/clock.ts';

/** A call in flight on a replica: cut short (`preempted`) when a spot replica is reclaimed under it. */
export interface CallOnReplica {
  /** Ends the call's attempt as `preempted`; null while the call cannot be cut (an on-demand replica). */
  preempt: (() => void) | null;
}

/**
 * One replica of an autoscaled pool, through its life: `starting` (requested, in its cold start),
 * `ready` (serving), `draining` (removed by a scale-down or warned of a spot reclaim: takes no new
 * call, finishes those it has), `gone`. Billed from its request until it is gone.
 */
export class Replica {
  state: 'starting' | 'ready' | 'draining' | 'gone' = 'starting';
  /** Calls in flight on it. */
  readonly calls = new Set<CallOnReplica>();
  /** Its cold-start and reclaim timers (cancelled when it goes). */
  readonly timer = new Cancellation();

  constructor(
    /** 0-based, in order of request: names it in events. */
    readonly id: number,
    readonly spot: boolean,
    readonly requestedMs: number,
  ) {}
}

/**
 * The ready replica a new call goes to: the least busy with a free slot, the oldest on a tie (as a
 * Service spreads requests); null when none has a free slot. Pure.
 */
export function replicaFor(replicas: readonly Replica[], slotsPerReplica: number): Replica | null {
  let best: Replica | null = null;
  for (const replica of replicas) {
    if (replica.state !== 'ready' || replica.calls.size >= slotsPerReplica) continue;
    if (best === null || replica.calls.size < best.calls.size) best = replica;
  }
  return best;
}

/**
 * Which of the counted replicas (`starting` or `ready`) a scale-down by `count` removes, in order:
 * replicas still starting (newest first: the least sunk cold start), then idle ready ones (newest
 * first), then the least busy ready ones (which drain). Pure.
 */
export function replicasToRemove(replicas: readonly Replica[], count: number): Replica[] {
  const rank = (replica: Replica): number => (replica.state === 'starting' ? -1 : replica.calls.size);
  return replicas
    .filter((replica) => replica.state === 'starting' || replica.state === 'ready')
    .sort((a, b) => rank(a) - rank(b) || b.id - a.id)
    .slice(0, count);
}

/** Whether the next replica of a pool with `spot` spot replicas among `total` is spot, keeping spot ≤ `share` of them. Pure. */
export function nextIsSpot(share: number, spot: number, total: number): boolean {
  return spot + 1 <= share * (total + 1) + 1e-9;
}
