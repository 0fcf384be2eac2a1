import { describe, expect, it } from 'vitest';
import { after, policyOf, PoolRig } from './support/autoscale-rig.ts';

const HOUR = 3_600_000;

describe('replica-hours and their cost', () => {
  it('a constant 3 replicas over 2 h: 6 replica-hours, × $2.50 = $15', async () => {
    const rig = new PoolRig(policyOf({ minReplicas: 3, maxReplicas: 3, initialReplicas: 3, costPerReplicaHour: 2.5, syncPeriodMs: 60_000 }));
    await rig.run(() => after(rig, 2 * HOUR));
    expect(rig.figures().replica_hours).toBeCloseTo((3 * 2 * HOUR) / HOUR, 12);
    expect(rig.figures().cost_usd).toBeCloseTo(15, 12);
    expect(rig.figures().spot_replica_hours).toBe(0);
  });

  it('spot share 0.5 of 3 replicas: 1 spot at $1, 2 on-demand at $2.50, over 2 h = $12', async () => {
    const spot = { share: 0.5, reclaimPerHour: 0, noticeMs: 0, costPerReplicaHour: 1 };
    const rig = new PoolRig(policyOf({ minReplicas: 3, maxReplicas: 3, initialReplicas: 3, costPerReplicaHour: 2.5, syncPeriodMs: 60_000, spot }));
    await rig.run(() => after(rig, 2 * HOUR));
    expect(rig.figures().spot_replica_hours).toBeCloseTo(2, 12);
    expect(rig.figures().cost_usd).toBeCloseTo(2 * 2 * 2.5 + 2 * 1, 12);
  });

  it('stops with the run: no sync after the last call, and the clock ends there', async () => {
    const rig = new PoolRig(policyOf({ syncPeriodMs: 10_000 }));
    await rig.run(() => rig.call(35_000));
    expect(rig.events('autoscale.sync').map((sync) => sync.timeMs)).toEqual([10_000, 20_000, 30_000]);
    expect(rig.clock.now()).toBe(35_000);
    expect(rig.figures().replica_hours).toBeCloseTo(35_000 / HOUR, 12);
  });
});

/**
 * Spot reclaims: each ready spot replica is reclaimed after an exponential time at `reclaimPerHour`
 * and replaced at once (cold start 0), so r replicas over T hours are r independent Poisson
 * processes: the count is Poisson(λ r T). With λ = 2/h, r = 5, T = 1,000 h the mean is 10,000 and
 * σ = 100; the tolerance is 6σ (a false failure has probability < 2·10⁻⁹).
 */
describe('spot reclaims over a long run', () => {
  it('number ≈ Poisson(reclaimPerHour × replica-hours) within 6σ, the replicas replaced at once', async () => {
    const spot = { share: 1, reclaimPerHour: 2, noticeMs: 0, costPerReplicaHour: 0.8 };
    const rig = new PoolRig(policyOf({ minReplicas: 5, maxReplicas: 5, initialReplicas: 5, syncPeriodMs: HOUR, spot }), 3);
    await rig.run(() => after(rig, 1000 * HOUR));
    const figures = rig.figures();
    const expected = 2 * 5 * 1000;
    expect(figures.spot_replica_hours).toBeCloseTo(5000, 6);
    expect(Math.abs((figures.reclaims as number) - expected)).toBeLessThan(6 * Math.sqrt(expected));
    expect(rig.events('autoscale.reclaim')).toHaveLength(figures.reclaims as number);
    // Replaced at once: the pool never fell below 5 (or rose above).
    expect(figures.peak_replicas).toBe(5);
    expect(rig.events('autoscale.sync').every((sync) => sync.detail.requested === 5)).toBe(true);
    expect(figures.cost_usd).toBeCloseTo(5000 * 0.8, 6);
  });

  it('the same seed draws the same reclaims; another seed others', async () => {
    const spot = { share: 1, reclaimPerHour: 2, noticeMs: 0, costPerReplicaHour: 0.8 };
    const times = async (seed: number): Promise<number[]> => {
      const rig = new PoolRig(policyOf({ minReplicas: 2, maxReplicas: 2, initialReplicas: 2, syncPeriodMs: HOUR, spot }), seed);
      await rig.run(() => after(rig, 50 * HOUR));
      return rig.events('autoscale.reclaim').map((event) => event.timeMs);
    };
    expect(await times(3)).toEqual(await times(3));
    expect(await times(3)).not.toEqual(await times(4));
  });

  it('a reclaim preempts the calls in flight on its replica; with a notice the replica first drains', async () => {
    const spot = { share: 1, reclaimPerHour: 60, noticeMs: 0, costPerReplicaHour: 1 };
    const rig = new PoolRig(policyOf({ slotsPerReplica: 2, minReplicas: 1, maxReplicas: 1, spot }), 5);
    const ended = await rig.run(() => Promise.all([rig.call(HOUR), rig.call(HOUR)]));
    // Both calls ran on the one replica: its first reclaim (at ~1/60 h on average) cut both.
    expect(ended.map((call) => call.ended)).toEqual(['preempted', 'preempted']);
    const preempt = rig.events('autoscale.preempt')[0];
    expect(preempt?.detail.preempted_calls).toBe(2);
    expect(preempt?.timeMs).toBe(rig.events('autoscale.reclaim')[0]?.timeMs);

    const noticed = new PoolRig(policyOf({ slotsPerReplica: 2, minReplicas: 1, maxReplicas: 1, spot: { ...spot, noticeMs: 2 * HOUR } }), 5);
    const finished = await noticed.run(() => Promise.all([noticed.call(HOUR), noticed.call(HOUR)]));
    // Warned 2 h ahead, the replica took no new call and its two 1-hour calls ended before the reclaim.
    expect(finished.map((call) => call.ended)).toEqual(['ok', 'ok']);
    expect(noticed.figures().preempted_calls).toBe(0);
    expect(noticed.figures().reclaims).toBeGreaterThan(0);
  });
});
