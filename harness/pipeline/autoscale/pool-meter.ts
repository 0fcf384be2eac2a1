/**
 * What an autoscaled pool measures, as integrals over the run's clock of step functions that change
 * only at events (a call admitted, queued or ended; a replica requested, ready or gone): exact, no
 * sampling. `advance(now)` folds the time since the last change in before each change.
 */
export class PoolMeter {
  /** Calls in flight on the pool's replicas, and calls waiting in its queue. */
  busy = 0;
  queued = 0;
  /** Replicas the controller counts (`starting` + `ready`), ready replicas serving (`ready` + `draining`), and billed replicas by kind. */
  counted = 0;
  serving = 0;
  onDemand = 0;
  spot = 0;

  /** Since the last sync: ∫ (busy + queued) dt and ∫ counted × slotsPerReplica dt (the HPA's metric). */
  demandSinceSync = 0;
  slotsSinceSync = 0;
  /** Over the run: ∫ busy dt, ∫ serving × slotsPerReplica dt, and replica-ms by kind. */
  busyMs = 0;
  servingSlotMs = 0;
  onDemandReplicaMs = 0;
  spotReplicaMs = 0;
  /** Most replicas billed at once. */
  peakReplicas = 0;
  #lastMs = 0;

  constructor(readonly slotsPerReplica: number) {}

  /** Folds in the time from the last change to `nowMs`. */
  advance(nowMs: number): void {
    const dt = nowMs - this.#lastMs;
    if (dt <= 0) return;
    this.#lastMs = nowMs;
    this.demandSinceSync += (this.busy + this.queued) * dt;
    this.slotsSinceSync += this.counted * this.slotsPerReplica * dt;
    this.busyMs += this.busy * dt;
    this.servingSlotMs += this.serving * this.slotsPerReplica * dt;
    this.onDemandReplicaMs += this.onDemand * dt;
    this.spotReplicaMs += this.spot * dt;
  }

  /** A replica billed from now (`+1`) or no more (`-1`). */
  bill(spot: boolean, change: 1 | -1): void {
    if (spot) this.spot += change;
    else this.onDemand += change;
    this.peakReplicas = Math.max(this.peakReplicas, this.spot + this.onDemand);
  }

  /**
   * The HPA's metric for the period since the last sync, and a new period: demand (calls in flight
   * and queued) per slot of the counted replicas, time-averaged — 1 when the pool had no counted
   * replica but had demand (the controller scales 0 → 1 on any), 0 when it had neither.
   */
  takeUtilisation(): number {
    const { demandSinceSync: demand, slotsSinceSync: slots } = this;
    this.demandSinceSync = 0;
    this.slotsSinceSync = 0;
    if (slots > 0) return demand / slots;
    return demand > 0 ? 1 : 0;
  }
}
