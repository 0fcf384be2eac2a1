import { describe, expect, it } from 'vitest';
import { Cancellation } from '../harness/kernel/clock.ts';
import { RealClock } from '../harness/kernel/real-clock.ts';

// Real time, unavoidably: the assertions are about order and cancellation, never exact milliseconds.
describe('RealClock', () => {
  it('wakes sleepers in the order of their deadlines, and time only moves forward', async () => {
    const clock = new RealClock();
    const order: string[] = [];
    const before = clock.now();
    await clock.run(() =>
      Promise.all([
        clock.sleep(40).then(() => order.push('long')),
        clock.sleep(5).then(() => order.push('short')),
      ]),
    );
    expect(order).toEqual(['short', 'long']);
    expect(clock.now()).toBeGreaterThanOrEqual(before + 40 - 1);
  });

  it('never wakes a sleeper before its deadline on its own reading, even after a long synchronous stretch', async () => {
    const clock = new RealClock();
    // libuv arms timers in whole milliseconds from the time its loop turn began: without the clock's
    // re-arm this sleep ended after 19.5–19.6 ms in three runs of four (2026-12-05).
    const busy = clock.now();
    while (clock.now() - busy < 30);
    const before = clock.now();
    await clock.sleep(20);
    expect(clock.now() - before).toBeGreaterThanOrEqual(20);
  });

  it('resolves a cancelled sleep with false long before its deadline', async () => {
    const clock = new RealClock();
    const cancel = new Cancellation();
    const started = clock.now();
    const sleeping = clock.sleep(60_000, cancel);
    await clock.sleep(5);
    cancel.cancel();
    expect(await sleeping).toBe(false);
    expect(clock.now() - started).toBeLessThan(30_000);
  });

  it('rejects a negative sleep with CLOCK_MISUSE', () => {
    expect(() => new RealClock().sleep(-5)).toThrow(expect.objectContaining({ code: 'CLOCK_MISUSE' }));
  });
});
