import { describe, expect, it } from 'vitest';
import { compileSampler } from '../harness/kernel/distributions.ts';
import { deriveRng } from '../harness/kernel/rng.ts';
import { after, policyOf, PoolRig } from './support/autoscale-rig.ts';

/** 8 calls from 0 to 100 s, then 2 calls from 100 s to `dipEndMs`, then 8 again until 300 s; the pool's scale events. */
async function dip(scaleDownWindowMs: number, dipEndMs: number): Promise<{ timeMs: number; from: number; to: number }[]> {
  const rig = new PoolRig(policyOf({ initialReplicas: 8, scaleDownWindowMs }));
  await rig.run(async () => {
    for (let i = 0; i < 8; i++) void rig.call(100_000);
    await after(rig, 100_000);
    for (let i = 0; i < 2; i++) void rig.call(dipEndMs - 100_000);
    await after(rig, dipEndMs - 100_000);
    for (let i = 0; i < 8; i++) void rig.call(300_000 - dipEndMs);
    await after(rig, 300_000 - dipEndMs);
  });
  return rig.events('autoscale.scale').map((event) => ({ timeMs: event.timeMs, from: event.detail.from as number, to: event.detail.to as number }));
}

describe('the scale-down stabilisation window of an autoscaled pool', () => {
  // Syncs every 10 s, target 1, no tolerance: a sync after the demand fell to 2 proposes 2 replicas.
  it('without a window, the first sync after the dip scales 8 → 2', async () => {
    const events = await dip(0, 290_000);
    expect(events[0]).toEqual({ timeMs: 110_000, from: 8, to: 2 });
  });

  it('with a 60 s window, a sustained dip scales down only once the last high proposal (100 s) is out of it: at 170 s', async () => {
    // Proposals: 8 at 10…100 s, 2 from 110 s; the window at t holds those at ≥ t − 60 s.
    const events = await dip(60_000, 290_000);
    expect(events[0]).toEqual({ timeMs: 170_000, from: 8, to: 2 });
  });

  it('with a 60 s window, a 30 s dip (proposals of 2 at 110, 120, 130 s) removes no replica', async () => {
    expect(await dip(60_000, 130_000)).toEqual([]);
    // The same dip without the window scales down at 110 s and back up after it.
    const unstabilised = await dip(0, 130_000);
    expect(unstabilised[0]).toEqual({ timeMs: 110_000, from: 8, to: 2 });
    expect(unstabilised.slice(1).every((event) => event.to > event.from)).toBe(true);
  });
});

describe('the cold start of an autoscaled pool', () => {
  it('replicas decided at the 10 s sync are ready exactly the 25 s cold start later: the queued calls start at 35 s', async () => {
    const rig = new PoolRig(policyOf({ coldStartMs: { kind: 'fixed', value: 25_000 } }));
    const waits = await rig.run(() => Promise.all([0, 1, 2].map(() => rig.call(60_000).then((call) => call.waitMs))));
    // One call started at once; the other two waited for the replicas requested at the first sync.
    expect(rig.events('autoscale.scale')[0]).toMatchObject({ timeMs: 10_000, detail: { from: 1, to: 3, utilisation: 3 } });
    expect(waits).toEqual([0, 35_000, 35_000]);
    expect(rig.events('autoscale.sync').slice(0, 4).map((sync) => sync.detail.ready)).toEqual([1, 1, 1, 3]); // at 10, 20, 30, 40 s
  });

  it('bills a replica from its request, cold start included: 1 × 100 s + 2 × (100 − 10) s = 280 replica-seconds', async () => {
    const rig = new PoolRig(policyOf({ coldStartMs: { kind: 'fixed', value: 25_000 }, costPerReplicaHour: 2.5 }));
    await rig.run(async () => {
      for (let i = 0; i < 3; i++) void rig.call(1e9);
      await after(rig, 100_000);
    });
    expect(rig.figures().replica_hours).toBeCloseTo(280 / 3600, 12);
    expect(rig.figures().cost_usd).toBeCloseTo((280 / 3600) * 2.5, 12);
    expect(rig.figures().peak_replicas).toBe(3);
  });

  it('the calls that queued for the new replicas waited exactly sync period + cold start, each drawn from the seeded stream', async () => {
    const coldStart = { kind: 'uniform', min: 20_000, max: 40_000 } as const;
    const rig = new PoolRig(policyOf({ coldStartMs: coldStart }), 7);
    const waits = await rig.run(async () => Promise.all([0, 1, 2].map(() => rig.call(200_000).then((call) => call.waitMs))));
    const sample = compileSampler(coldStart);
    const rng = deriveRng(7, 'autoscale.cold-start', 'rig', 'worker');
    const draws = [sample(rng), sample(rng)].sort((a, b) => a - b);
    expect(waits).toEqual([0, 10_000 + (draws[0] as number), 10_000 + (draws[1] as number)]);
  });
});
