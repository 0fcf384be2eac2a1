import { describe, expect, it } from 'vitest';
import { after, policyOf, PoolRig } from './support/autoscale-rig.ts';
import type { AutoscalePolicy } from '../harness/scenario/types.ts';

/**
 * The autoscaled pool asks the HPA at every sync with the utilisation it measured: calls in flight
 * and queued per slot of the requested replicas, time-averaged over the period. Under a constant
 * demand of D calls the measure is D ÷ (current × slotsPerReplica), so the count after each sync
 * must be the HPA formula ceil(current × utilisation ÷ target), limited to max(2 × current,
 * current + 4) per sync and clamped to [min, max].
 */
function hpaSequence(policy: AutoscalePolicy, demand: number, syncs: number): { counts: number[]; utilisations: number[] } {
  const counts: number[] = [];
  const utilisations: number[] = [];
  let current = policy.initialReplicas;
  for (let i = 0; i < syncs; i++) {
    const utilisation = demand / (current * policy.slotsPerReplica);
    const ratio = utilisation / policy.targetUtilisation;
    let desired = Math.abs(ratio - 1) <= policy.tolerance ? current : Math.ceil(current * ratio);
    if (desired > current) desired = Math.min(desired, Math.max(2 * current, current + 4));
    current = Math.min(policy.maxReplicas, Math.max(policy.minReplicas, desired));
    counts.push(current);
    utilisations.push(utilisation);
  }
  return { counts, utilisations };
}

/** Holds `demand` calls from 0 for longer than the run, runs `syncs` sync periods, returns the replicas requested and utilisation at each sync. */
async function constantDemand(policy: AutoscalePolicy, demand: number, syncs: number): Promise<{ counts: number[]; utilisations: number[]; times: number[] }> {
  const rig = new PoolRig(policy);
  await rig.run(async () => {
    for (let i = 0; i < demand; i++) void rig.call(1e9);
    await after(rig, syncs * policy.syncPeriodMs + policy.syncPeriodMs / 2);
  });
  const syncsSeen = rig.events('autoscale.sync');
  return {
    counts: syncsSeen.map((sync) => sync.detail.requested as number),
    utilisations: syncsSeen.map((sync) => sync.detail.utilisation as number),
    times: syncsSeen.map((sync) => sync.timeMs),
  };
}

describe('an autoscaled pool under a constant demand follows the HPA formula', () => {
  it('12 calls on 2-slot replicas at target 0.5: 2 → 6 (rate limit 2 × 2 + 4 … max(4, 6)) → 12 → 12 (ratio 1)', async () => {
    const policy = policyOf({ slotsPerReplica: 2, initialReplicas: 2, targetUtilisation: 0.5 });
    const seen = await constantDemand(policy, 12, 5);
    expect(seen.times).toEqual([10_000, 20_000, 30_000, 40_000, 50_000]);
    expect(seen.counts).toEqual([6, 12, 12, 12, 12]);
    // The measure: 12 ÷ (2 × 2) = 3, then 12 ÷ (6 × 2) = 1, then 0.5 (= the target).
    expect(seen.utilisations).toEqual([3, 1, 0.5, 0.5, 0.5]);
    expect(seen).toMatchObject(hpaSequence(policy, 12, 5));
  });

  it.each([
    ['13 calls, target 0.7, tolerance 0.1', { slotsPerReplica: 4, initialReplicas: 1, targetUtilisation: 0.7, tolerance: 0.1 }, 13],
    ['40 calls, clamped at max 9', { slotsPerReplica: 2, initialReplicas: 3, targetUtilisation: 0.6, maxReplicas: 9 }, 40],
    ['3 calls on 10 replicas, down to min 2', { slotsPerReplica: 1, initialReplicas: 10, targetUtilisation: 0.8, minReplicas: 2 }, 3],
  ])('%s: the count after every sync is the formula’s', async (_, overrides, demand) => {
    const policy = policyOf(overrides);
    const seen = await constantDemand(policy, demand, 8);
    const expected = hpaSequence(policy, demand, 8);
    expect(seen.counts).toEqual(expected.counts);
    for (const [index, utilisation] of seen.utilisations.entries()) expect(utilisation).toBeCloseTo(expected.utilisations[index] as number, 12);
  });

  it('a pool at zero replicas with demand scales to one, and one with none stays at zero', async () => {
    const policy = policyOf({ minReplicas: 0, initialReplicas: 0, slotsPerReplica: 2 });
    expect((await constantDemand(policy, 3, 3)).counts).toEqual([1, 2, 2]);
    expect((await constantDemand(policy, 0, 3)).counts).toEqual([0, 0, 0]);
  });
});
