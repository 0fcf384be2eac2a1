import { describe, expect, it } from 'vitest';
import { HPA_DEFAULTS, HpaController, proposedReplicas } from '../harness/pipeline/autoscale/hpa.ts';

const policy = { minReplicas: 1, maxReplicas: 100, targetUtilisation: 0.75, ...HPA_DEFAULTS };
const SYNC_MS = 15_000;

describe('the HPA formula: desired = ceil(current × utilisation ÷ target)', () => {
  it('matches the formula on a grid of counts and utilisations outside the tolerance', () => {
    for (let current = 1; current <= 60; current++) {
      for (let percent = 0; percent <= 300; percent += 5) {
        const utilisation = percent / 100;
        const ratio = utilisation / 0.75;
        const expected = Math.abs(ratio - 1) <= 0.1 ? current : Math.ceil(current * ratio);
        expect(proposedReplicas(current, utilisation, 0.75, 0.1)).toBe(expected);
      }
    }
    // The Kubernetes documentation's example: 50 replicas at 90 % against a 75 % target → 60.
    expect(proposedReplicas(50, 0.9, 0.75, 0.1)).toBe(60);
  });

  it('keeps the count within the tolerance (|ratio − 1| ≤ 0.1)', () => {
    expect(proposedReplicas(10, 0.8, 0.75, 0.1)).toBe(10);
    expect(proposedReplicas(10, 0.7, 0.75, 0.1)).toBe(10);
    expect(proposedReplicas(10, 0.84, 0.75, 0.1)).toBe(12);
  });
});

describe('an HPA controller', () => {
  it('scales up at once (no up window), at most doubling or + 4 a sync', () => {
    const hpa = new HpaController(policy);
    expect(hpa.decide(0, 2, 1.5)).toBe(4); // ceil(2 × 2) = 4 = 2 × 2
    expect(hpa.decide(SYNC_MS, 4, 3)).toBe(8); // ceil(4 × 4) = 16, limited to max(8, 8)
    expect(hpa.decide(2 * SYNC_MS, 10, 3)).toBe(20); // ceil(40) limited to max(20, 14)
  });

  it('holds a scale-down for the 300 s window: the highest proposal of the window wins', () => {
    const hpa = new HpaController(policy);
    expect(hpa.decide(0, 10, 0.75)).toBe(10);
    // Load halves: the proposal is 5 every sync, but 10 was proposed within the last 300 s.
    for (let t = SYNC_MS; t < 300_000; t += SYNC_MS) expect(hpa.decide(t, 10, 0.375)).toBe(10);
    // 300 s after the last proposal of 10, only proposals of 5 remain in the window.
    expect(hpa.decide(300_000 + SYNC_MS, 10, 0.375)).toBe(5);
  });

  it('with an up window, scales up only to the lowest proposal of the window', () => {
    const hpa = new HpaController({ ...policy, scaleUpWindowMs: 60_000 });
    expect(hpa.decide(0, 4, 0.75)).toBe(4);
    expect(hpa.decide(SYNC_MS, 4, 1.5)).toBe(4); // lowest of {4, 8}
    expect(hpa.decide(60_000, 4, 1.5)).toBe(4); // the proposal of 4 at t = 0 is still in the window
    expect(hpa.decide(60_000 + SYNC_MS, 4, 1.5)).toBe(8); // every proposal of the last 60 s is 8
  });

  it('clamps to [min, max] and starts a pool at zero on demand', () => {
    const hpa = new HpaController({ ...policy, minReplicas: 0, maxReplicas: 6 });
    expect(hpa.decide(0, 0, 0)).toBe(0);
    expect(hpa.decide(SYNC_MS, 0, 0.5)).toBe(1);
    expect(hpa.decide(2 * SYNC_MS, 4, 3)).toBe(6);
  });

  it('refuses a policy it cannot follow', () => {
    expect(() => new HpaController({ ...policy, minReplicas: 5, maxReplicas: 4 })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => new HpaController({ ...policy, targetUtilisation: 0 })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
