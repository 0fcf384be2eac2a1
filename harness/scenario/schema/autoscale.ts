import { z } from 'zod';
import { durationDistributionSchema, durationSchema } from './distributions.ts';
import type { AutoscalePolicy } from '../types.ts';

/**
 * The autoscaling fields of an agent's `pool:` (`poolInputSchema` in load.ts): replicas that
 * scale like a Kubernetes HorizontalPodAutoscaler, optionally on spot capacity. A pool gives
 * either `slots` (fixed) or `slotsPerReplica` and `replicas` (autoscaled).
 */

const usd = z.number().min(0);

/** `pool.spot`. */
const spotInputSchema = z
  .strictObject({
    share: z.number().gt(0).max(1).default(1).describe('Share of the replicas that are spot, in (0, 1]. Default 1 (all).'),
    reclaimPerHour: z.number().min(0).describe('Reclaims per hour of a ready spot replica (exponential times, seeded).'),
    notice: durationSchema.default(0).describe('Warning before a reclaim: the replica takes no new calls from then. Default 0.'),
    costPerReplicaHour: usd.optional().describe("USD per spot replica-hour. Default the pool's costPerReplicaHour."),
  })
  .meta({ id: 'SpotReplicas', description: 'Spot (preemptible) replicas: reclaimed at random, their calls in flight preempted and retried.' });

/** The fields a pool adds to autoscale (all optional here; `autoscaleProblems` says which go together). */
export const autoscaleInputFields = {
  slotsPerReplica: z.number().int().min(1).optional().describe('Calls one replica serves at once (an autoscaled pool).'),
  replicas: z
    .strictObject({
      min: z.number().int().min(0).describe('Fewest replicas.'),
      max: z.number().int().min(1).describe('Most replicas.'),
      initial: z.number().int().min(0).optional().describe('Replicas ready at the start. Default min.'),
    })
    .optional()
    .describe('Replica count bounds of an autoscaled pool.'),
  targetUtilisation: z.number().optional().describe('Target utilisation of the slots, in (0, 1]. Default 0.7.'),
  syncPeriod: durationSchema.optional().describe('Time between two scaling decisions. Default 15s.'),
  coldStart: durationDistributionSchema.optional().describe('From a replica requested to ready (a duration or distribution). Default 0.'),
  stabilisation: z
    .strictObject({
      up: durationSchema.default(0).describe('Scale-up stabilisation window. Default 0s.'),
      down: durationSchema.default(300_000).describe('Scale-down stabilisation window. Default 300s.'),
    })
    .optional()
    .describe('Stabilisation windows: up to the lowest proposal of the up window, down to the highest of the down window.'),
  tolerance: z.number().min(0).optional().describe('No change while utilisation ÷ target is within 1 ± tolerance. Default 0.1.'),
  costPerReplicaHour: usd.optional().describe('USD per replica-hour, billed from request (cold start included) to removal. Default 0.'),
  spot: spotInputSchema.optional(),
} as const;

type Fields = { readonly [K in keyof typeof autoscaleInputFields]?: z.output<(typeof autoscaleInputFields)[K]> };

const AUTOSCALE_ONLY = ['targetUtilisation', 'syncPeriod', 'coldStart', 'stabilisation', 'tolerance', 'costPerReplicaHour', 'spot'] as const;

/** What is wrong with a pool's fixed/autoscaled fields, each with its path inside the pool. */
export function autoscaleProblems(pool: Fields & { slots?: number | undefined }): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const scaled = pool.slotsPerReplica !== undefined || pool.replicas !== undefined;
  if (pool.slots !== undefined && scaled) {
    problems.push({ path: ['slots'], message: "give either 'slots' (a fixed pool) or 'slotsPerReplica' and 'replicas' (an autoscaled pool), not both" });
    return problems;
  }
  if (!scaled) {
    if (pool.slots === undefined) problems.push({ path: [], message: "give 'slots' (a fixed pool) or 'slotsPerReplica' and 'replicas' (an autoscaled pool)" });
    for (const key of AUTOSCALE_ONLY) if (pool[key] !== undefined) problems.push({ path: [key], message: "only applies to an autoscaled pool (give 'slotsPerReplica' and 'replicas')" });
    return problems;
  }
  if (pool.slotsPerReplica === undefined) problems.push({ path: ['slotsPerReplica'], message: 'an autoscaled pool needs slotsPerReplica' });
  if (pool.replicas === undefined) problems.push({ path: ['replicas'], message: 'an autoscaled pool needs replicas: { min, max }' });
  else {
    const { min, max, initial } = pool.replicas;
    if (min > max) problems.push({ path: ['replicas', 'min'], message: `min (${min}) must not be more than max (${max})` });
    else if (initial !== undefined && (initial < min || initial > max)) problems.push({ path: ['replicas', 'initial'], message: `initial (${initial}) must be within min (${min}) and max (${max})` });
  }
  const target = pool.targetUtilisation;
  if (target !== undefined && !(target > 0 && target <= 1)) problems.push({ path: ['targetUtilisation'], message: `must be in (0, 1], got ${target}` });
  if (pool.syncPeriod !== undefined && pool.syncPeriod <= 0) problems.push({ path: ['syncPeriod'], message: 'must be longer than 0' });
  return problems;
}

/** The compiled policy of a valid autoscaled pool (`autoscaleProblems` found nothing). */
export function compileAutoscale(pool: Fields): AutoscalePolicy | undefined {
  const { slotsPerReplica, replicas } = pool;
  if (slotsPerReplica === undefined || replicas === undefined) return undefined;
  const costPerReplicaHour = pool.costPerReplicaHour ?? 0;
  const spot = pool.spot;
  return {
    slotsPerReplica,
    minReplicas: replicas.min,
    maxReplicas: replicas.max,
    initialReplicas: replicas.initial ?? replicas.min,
    targetUtilisation: pool.targetUtilisation ?? 0.7,
    syncPeriodMs: pool.syncPeriod ?? 15_000,
    coldStartMs: pool.coldStart ?? { kind: 'fixed', value: 0 },
    scaleUpWindowMs: pool.stabilisation?.up ?? 0,
    scaleDownWindowMs: pool.stabilisation?.down ?? 300_000,
    tolerance: pool.tolerance ?? 0.1,
    costPerReplicaHour,
    spot:
      spot === undefined
        ? null
        : { share: spot.share, reclaimPerHour: spot.reclaimPerHour, noticeMs: spot.notice, costPerReplicaHour: spot.costPerReplicaHour ?? costPerReplicaHour },
  };
}
