import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerTransition } from '../harness/pipeline/circuit-breaker.ts';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';

const POLICY = { failures: 3, cooldownMs: 30_000 };

describe('circuit breaker state machine (virtual clock)', () => {
  it('opens after exactly N consecutive failures, and a success in between resets the count', async () => {
    const clock = new VirtualClock();
    const breaker = new CircuitBreaker(POLICY);
    const transitions: (BreakerTransition & { at: number })[] = [];
    const call = (success: boolean): void => {
      const { decision, transition } = breaker.admit(clock.now());
      if (transition) transitions.push({ ...transition, at: clock.now() });
      expect(decision).toBe('call');
      const after = breaker.record(success, 'call', clock.now());
      if (after) transitions.push({ ...after, at: clock.now() });
    };
    await clock.run(async () => {
      call(false);
      call(false);
      call(true); // resets
      call(false);
      call(false);
      expect(breaker.state).toBe('closed');
      await clock.sleep(1000);
      call(false); // the third consecutive failure
    });
    expect(breaker.state).toBe('open');
    expect(transitions).toEqual([{ from: 'closed', to: 'open', failures: 3, at: 1000 }]);
  });

  it('rejects while open, half-opens after the cooldown with one probe, and closes on a successful probe', async () => {
    const clock = new VirtualClock();
    const breaker = new CircuitBreaker(POLICY);
    const seen: string[] = [];
    await clock.run(async () => {
      for (let i = 0; i < 3; i++) breaker.record(false, breaker.admit(clock.now()).decision as 'call', clock.now());
      await clock.sleep(POLICY.cooldownMs - 1);
      seen.push(breaker.admit(clock.now()).decision); // 1 ms before the cooldown ends
      await clock.sleep(1);
      const probe = breaker.admit(clock.now());
      seen.push(probe.decision, probe.transition?.to ?? '');
      seen.push(breaker.admit(clock.now()).decision); // a second call while the probe is in flight
      seen.push(breaker.record(true, 'probe', clock.now())?.to ?? '');
      seen.push(breaker.admit(clock.now()).decision);
    });
    expect(seen).toEqual(['reject', 'probe', 'half_open', 'reject', 'closed', 'call']);
    expect(breaker.state).toBe('closed');
  });

  it('reopens on a failed probe for a whole new cooldown', async () => {
    const clock = new VirtualClock();
    const breaker = new CircuitBreaker(POLICY);
    const decisions: [number, string][] = [];
    await clock.run(async () => {
      for (let i = 0; i < 3; i++) breaker.record(false, 'call', clock.now());
      await clock.sleep(POLICY.cooldownMs);
      expect(breaker.admit(clock.now()).decision).toBe('probe');
      await clock.sleep(500);
      expect(breaker.record(false, 'probe', clock.now())?.to).toBe('open');
      for (const wait of [POLICY.cooldownMs - 1, 1]) {
        await clock.sleep(wait);
        decisions.push([clock.now(), breaker.admit(clock.now()).decision]);
      }
    });
    // Reopened at 30.5 s: still open at 60.499 s, probing again at 60.5 s.
    expect(decisions).toEqual([[60_499, 'reject'], [60_500, 'probe']]);
  });
});
