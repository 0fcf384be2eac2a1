/**
 * The "autoscaled pools" block: per run and autoscaled pool (harness/pipeline/autoscale/), what
 * its replicas cost and did — replica-hours and their cost, the peak, scale events, spot reclaims
 * and the calls they preempted, and the mean utilisation of the ready slots (busy slot-time ÷
 * ready slot-time). Read from the pool's `autoscale.pool` event; empty for runs without one.
 */
import type { Db } from '../../store/schema.ts';
import { formatUsd } from '../format.ts';
import { POOL_EVENT } from './autoscale-cost.ts';

/** One autoscaled pool of one run. */
export interface RunAutoscale {
  readonly runId: string;
  /** The pool's resource (`pool:<agent>`). */
  readonly pool: string;
  readonly replicaHours: number;
  readonly spotReplicaHours: number;
  readonly costUsd: number;
  readonly peakReplicas: number;
  readonly scaleUps: number;
  readonly scaleDowns: number;
  readonly reclaims: number;
  readonly preemptedCalls: number;
  /** Busy slot-time ÷ ready slot-time over the run; null when no slot was ever ready. */
  readonly meanUtilisation: number | null;
}

const POOLS = `SELECT run_id AS runId, subject AS pool, detail FROM events WHERE kind = '${POOL_EVENT}' ORDER BY run_id, seq`;

/** Every autoscaled pool of every run, by run. */
export function summariseAutoscale(db: Db): RunAutoscale[] {
  const rows = db.prepare(POOLS).all() as { runId: string; pool: string; detail: string }[];
  return rows.map(({ runId, pool, detail }) => {
    const d = JSON.parse(detail) as Record<string, number>;
    const get = (key: string): number => d[`patternbench.autoscale.${key}`] ?? 0;
    const serving = get('serving_slot_ms');
    return {
      runId,
      pool,
      replicaHours: get('replica_hours'),
      spotReplicaHours: get('spot_replica_hours'),
      costUsd: get('cost_usd'),
      peakReplicas: get('peak_replicas'),
      scaleUps: get('scale_ups'),
      scaleDowns: get('scale_downs'),
      reclaims: get('reclaims'),
      preemptedCalls: get('preempted_calls'),
      meanUtilisation: serving > 0 ? get('busy_slot_ms') / serving : null,
    };
  });
}

/** The block `run` prints under the summary; '' when no run had an autoscaled pool. */
export function formatAutoscaleBlock(pools: readonly RunAutoscale[]): string {
  if (pools.length === 0) return '';
  const lines = pools.map((p) => {
    const spot = p.spotReplicaHours > 0 ? ` (${p.spotReplicaHours.toFixed(2)} spot)` : '';
    const utilisation = p.meanUtilisation === null ? '–' : `${(p.meanUtilisation * 100).toFixed(1)}%`;
    return (
      `  ${p.runId} ${p.pool}: ${p.replicaHours.toFixed(2)} replica-hours${spot} ${formatUsd(p.costUsd)} · peak ${p.peakReplicas} replicas · ` +
      `scale ups ${p.scaleUps}, downs ${p.scaleDowns} · reclaims ${p.reclaims}, preempted calls ${p.preemptedCalls} · mean utilisation ${utilisation}`
    );
  });
  return ['', '', 'autoscaled pools (replica-hours billed from request, cost included in cost/wf; utilisation = busy ÷ ready slot-time):', ...lines].join('\n');
}
