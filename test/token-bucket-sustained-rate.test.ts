import { describe, expect, it } from 'vitest';
import { SharedResource, type LimitBucket, type ResourceObserver } from '../harness/pipeline/shared-resource.ts';
import { TokenBucket } from '../harness/pipeline/token-bucket.ts';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';

const IGNORE: ResourceObserver = { queueLength: () => {}, admitted: () => {}, rejected: () => {} };
const MINUTE = 60_000;

/**
 * Calls of `cost` arriving every `gapMs` for `count` arrivals at a queueing resource over
 * `buckets`; returns the admission times and the queue length 250 ms after each whole minute
 * while arrivals last (off the arrival and admission instants, so no tie decides it).
 */
async function admissions(buckets: LimitBucket[], cost: number, gapMs: number, count: number): Promise<{ admitted: number[]; queueAtMinute: number[] }> {
  const clock = new VirtualClock();
  const resource = new SharedResource('rate:test', clock, { buckets, slots: null, onLimit: 'queue', maxQueue: null }, IGNORE);
  const admitted: number[] = [];
  const queueAtMinute: number[] = [];
  await clock.run(async () => {
    const pending: Promise<void>[] = [];
    pending.push((async () => {
      for (let minute = 1; minute * MINUTE < count * gapMs; minute++) {
        await clock.sleep(minute * MINUTE + 250 - clock.now());
        queueAtMinute.push(resource.queueLength);
      }
    })());
    for (let i = 0; i < count; i++) {
      pending.push(resource.acquire(cost, Infinity, null).then((admission) => {
        expect(admission.admitted).toBe(true);
        admitted.push(clock.now());
      }));
      await clock.sleep(gapMs);
    }
    await Promise.all(pending);
  });
  return { admitted, queueAtMinute };
}

/** Admissions in each whole minute [m·60 s, (m+1)·60 s) up to `minutes`. */
function perMinute(admitted: readonly number[], minutes: number): number[] {
  const counts = new Array<number>(minutes).fill(0);
  for (const at of admitted) {
    const minute = Math.floor(at / MINUTE);
    if (minute < minutes) counts[minute] = (counts[minute] as number) + 1;
  }
  return counts;
}

describe('a rate limit of R per minute', () => {
  it('sustains exactly R: 60 RPM under 2/s arrivals admits 60 a minute, one a second, and the queue grows by one a second', async () => {
    // Default burst 1/60: capacity max(1, 60/60) = 1, refill 60/min. Arrivals every 500 ms for 10 minutes.
    const bucket = TokenBucket.perMinute(60, 1 / 60, 0);
    expect(bucket.capacity).toBe(1);
    const { admitted, queueAtMinute } = await admissions([{ bucket, counts: 'requests' }], 1, 500, 1200);
    // Closed form: admission k at k seconds (the bucket's one token at 0, then one per refill).
    expect(admitted).toHaveLength(1200);
    for (let k = 0; k < admitted.length; k++) expect(admitted[k]).toBeCloseTo(k * 1000, 6);
    // Minute m holds admissions m·60 … m·60 + 59: 60 each, every minute of the 10 the arrivals last.
    expect(perMinute(admitted, 10)).toEqual(new Array<number>(10).fill(60));
    // Arrivals 2/s, admissions 1/s: 250 ms past minute m, 120m + 1 have arrived and 60m + 1 have
    // been admitted, so 60m wait — the queue grows by one a second.
    expect(queueAtMinute).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((m) => 60 * m));
  });

  it('sustains exactly R tokens per minute: 6,000 TPM admits sixty 100-token calls a minute', async () => {
    // Capacity 6000/60 = 100 tokens, refill 100 tokens/s; calls of 100 tokens every 500 ms.
    const bucket = TokenBucket.perMinute(6000, 1 / 60, 0);
    expect(bucket.capacity).toBe(100);
    const { admitted } = await admissions([{ bucket, counts: 'tokens' }], 100, 500, 1200);
    for (let k = 0; k < admitted.length; k++) expect(admitted[k]).toBeCloseTo(k * 1000, 6);
    expect(perMinute(admitted, 10)).toEqual(new Array<number>(10).fill(60));
  });
});
