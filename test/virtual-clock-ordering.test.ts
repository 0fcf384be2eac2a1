import { describe, expect, it } from 'vitest';
import { Cancellation } from '../harness/kernel/clock.ts';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';

/** Awaits through `depth` nested async functions before sleeping: many microtask turns. */
async function nested(clock: VirtualClock, depth: number, ms: number): Promise<void> {
  if (depth === 0) {
    await clock.sleep(ms);
    return;
  }
  await Promise.resolve();
  await nested(clock, depth - 1, ms);
}

describe('VirtualClock ordering', () => {
  it('fires wake-ups in time order even when one is scheduled behind many nested awaits', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const deepAgent = async (): Promise<void> => {
      // Eight levels of awaits before the 5 ms sleep is even scheduled; a driver that waited a
      // single microtask per event would fire the shallow agent's 10 ms wake-up first.
      await nested(clock, 8, 5);
      log.push(`deep@${clock.now()}`);
      await nested(clock, 8, 10);
      log.push(`deep@${clock.now()}`);
    };
    const shallowAgent = async (): Promise<void> => {
      await clock.sleep(10);
      log.push(`shallow@${clock.now()}`);
      await clock.sleep(1);
      log.push(`shallow@${clock.now()}`);
    };
    await clock.run(() => Promise.all([shallowAgent(), deepAgent()]));
    expect(log).toEqual(['deep@5', 'shallow@10', 'shallow@11', 'deep@15']);
  });

  it('keeps that order with continuations nested 200 deep and many agents at once', async () => {
    const clock = new VirtualClock();
    const log: number[] = [];
    // Agent i waits i ms after i levels of awaits; the shallowest agents wait longest.
    const agents = Array.from({ length: 200 }, (_, index) =>
      nested(clock, 200 - index, index + 1).then(() => log.push(clock.now())),
    );
    await clock.run(() => Promise.all(agents));
    expect(log).toEqual(Array.from({ length: 200 }, (_, index) => index + 1));
  });

  it('lets the event loop turn during a long simulation (I/O, timers and signals are served)', async () => {
    const clock = new VirtualClock();
    let ioServedAt = -1;
    setImmediate(() => (ioServedAt = clock.now()));
    await clock.run(async () => {
      for (let step = 0; step < 2000; step++) await clock.sleep(1);
    });
    expect(ioServedAt).toBeGreaterThanOrEqual(0);
    expect(ioServedAt).toBeLessThan(2000);
  });

  it('would fire them out of order with a driver that waits a single microtask per event', async () => {
    const clock = new VirtualClock({ settle: () => Promise.resolve() });
    const log: string[] = [];
    const run = clock.run(() =>
      Promise.all([
        clock.sleep(10).then(() => log.push(`shallow@${clock.now()}`)),
        nested(clock, 8, 5).then(() => log.push(`deep@${clock.now()}`)),
        clock.sleep(100).then(() => log.push(`far@${clock.now()}`)),
      ]),
    );
    // Time ran past 10 and 100 before the deep agent had even scheduled its 5 ms wake-up, and the
    // driver then stopped with that wake-up still pending: wrong order and a lost event.
    await expect(run).rejects.toMatchObject({ code: 'CLOCK_MISUSE' });
    expect(log).toEqual(['shallow@10', 'far@100']);
  });

  it('runs nested agents calling sub-agents with the right virtual durations', async () => {
    const clock = new VirtualClock();
    const finished: [string, number][] = [];
    const leaf = async (name: string, ms: number): Promise<void> => {
      await clock.sleep(ms);
      finished.push([name, clock.now()]);
    };
    const middle = async (name: string): Promise<void> => {
      await leaf(`${name}.a`, 3);
      await Promise.all([leaf(`${name}.b`, 2), leaf(`${name}.c`, 4)]);
      finished.push([name, clock.now()]);
    };
    const top = async (): Promise<number> => {
      await Promise.all([middle('x'), (async () => { await clock.sleep(1); await middle('y'); })()]);
      return clock.now();
    };
    const end = await clock.run(top);
    expect(end).toBe(8);
    expect(finished).toEqual([
      ['x.a', 3],
      ['y.a', 4],
      ['x.b', 5],
      ['y.b', 6],
      ['x.c', 7],
      ['x', 7],
      ['y.c', 8],
      ['y', 8],
    ]);
  });

  it('fires wake-ups at equal times in the order they were scheduled', async () => {
    const clock = new VirtualClock();
    const order: number[] = [];
    await clock.run(async () => {
      await Promise.all(Array.from({ length: 50 }, (_, index) => clock.sleep(7).then(() => order.push(index))));
    });
    expect(order).toEqual(Array.from({ length: 50 }, (_, index) => index));
    expect(clock.now()).toBe(7);
  });

  it('does not advance time for a cancelled wake-up', async () => {
    const clock = new VirtualClock();
    const cancel = new Cancellation();
    const results: boolean[] = [];
    await clock.run(async () => {
      const long = clock.sleep(1000, cancel).then((elapsed) => results.push(elapsed));
      await clock.sleep(5);
      cancel.cancel();
      await long;
    });
    expect(results).toEqual([false]);
    expect(clock.now()).toBe(5);
  });

  it('resolves a sleep at once when its cancellation already fired', async () => {
    const clock = new VirtualClock();
    const cancel = new Cancellation();
    cancel.cancel();
    const elapsed = await clock.run(() => clock.sleep(50, cancel));
    expect(elapsed).toBe(false);
    expect(clock.now()).toBe(0);
  });

  it('reports a simulation stuck on something that is not a timer', async () => {
    const clock = new VirtualClock();
    await expect(clock.run(() => new Promise<void>(() => {}))).rejects.toMatchObject({ code: 'CLOCK_MISUSE' });
  });

  it('propagates the main function\'s error', async () => {
    const clock = new VirtualClock();
    await expect(
      clock.run(async () => {
        await clock.sleep(3);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });

  it('rejects a negative sleep', () => {
    const clock = new VirtualClock();
    expect(() => clock.sleep(-1)).toThrow(expect.objectContaining({ code: 'CLOCK_MISUSE' }));
  });

  it('awaits the backpressure hook before advancing time', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    await clock.run(
      async () => {
        await clock.sleep(1);
        await clock.sleep(1);
      },
      { beforeAdvance: () => { seen.push(clock.now()); return Promise.resolve(); } },
    );
    expect(seen).toEqual([0, 1, 2]);
  });
});
