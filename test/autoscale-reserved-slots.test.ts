import { describe, expect, it } from 'vitest';
import { deriveRng } from '../harness/kernel/rng.ts';
import { after, policyOf, PoolRig } from './support/autoscale-rig.ts';

/**
 * A call admitted by the pool that has not reached a replica yet (it waits at the provider's rate
 * limit, after the pool) holds a slot: a scale-down must leave a replica for it, and a reclaim
 * that takes its capacity meanwhile preempts it.
 */
describe('slots of calls admitted but not yet on a replica', () => {
  it('a scale-down to 0 keeps one replica for the one admitted call, which then runs on it', async () => {
    const rig = new PoolRig(policyOf({ minReplicas: 0, initialReplicas: 2 }));
    const token = {};
    const placed = await rig.run(async () => {
      await rig.pool.resource.acquire(1, Infinity, null);
      await after(rig, 15_000); // the 10 s sync proposes 0 replicas (no call on a replica, none queued)
      return rig.pool.assign(token);
    });
    expect(rig.events('autoscale.scale')[0]).toMatchObject({ timeMs: 10_000, detail: { from: 2, to: 1 } });
    expect(placed).toBe(true);
    expect(rig.figures().preempted_calls).toBe(0);
  });

  it('a reclaim while it waits preempts it: no replica is left until the replacement’s 10 s cold start ends', async () => {
    const rate = 3600; // one reclaim a second on average
    const spot = { share: 1, reclaimPerHour: rate, noticeMs: 0, costPerReplicaHour: 1 };
    const rig = new PoolRig(policyOf({ initialReplicas: 1, maxReplicas: 1, syncPeriodMs: 60_000, coldStartMs: { kind: 'fixed', value: 10_000 }, spot }), 9);
    // The first reclaim of the one replica, from the pool's seeded stream.
    const reclaimAtMs = (-Math.log(1 - deriveRng(9, 'autoscale.reclaim', 'rig', 'worker').next()) * 3_600_000) / rate;
    const placed = await rig.run(async () => {
      await rig.pool.resource.acquire(1, Infinity, null);
      await after(rig, reclaimAtMs + 1);
      return rig.pool.assign({});
    });
    expect(rig.events('autoscale.reclaim')[0]?.timeMs).toBe(reclaimAtMs);
    expect(placed).toBe(false);
    expect(rig.figures().preempted_calls).toBe(1);
  });
});
