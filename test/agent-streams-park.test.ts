import { describe, expect, it } from 'vitest';
import { AgentStreams } from '../harness/kernel/agent-streams.ts';

/** Draws `count` words from each of the streams `AgentStreams` names, in turn. */
function drawEach(streams: AgentStreams, count: number): number[] {
  const words: number[] = [];
  for (let index = 0; index < count; index++) {
    words.push(streams.latency.nextUint32(), streams.faults.nextUint32(), streams.tokens.nextUint32(), streams.accuracy.nextUint32());
  }
  words.push(streams.retry.nextUint32());
  return words;
}

describe('parked agent streams', () => {
  it('draw on where they stopped, as streams never parked do', () => {
    const kept = new AgentStreams(0x9e3779b9);
    const parked = new AgentStreams(0x9e3779b9);
    expect(drawEach(parked, 3)).toEqual(drawEach(kept, 3));
    parked.park();
    // Parked twice in a row, and with a stream (tools) never created: nothing is made or lost.
    parked.park();
    expect(parked.draws()).toEqual(kept.draws());
    expect(parked.draws()).toEqual({ latency: 3, faults: 3, tokens: 3, accuracy: 3, retry: 1 });
    expect(drawEach(parked, 5)).toEqual(drawEach(kept, 5));
    parked.park();
    expect(parked.tools.next()).toBe(kept.tools.next());
    expect(parked.draws()).toEqual(kept.draws());
  });

  it('fork and catch up from their positions', () => {
    const streams = new AgentStreams(42);
    drawEach(streams, 2);
    const expected = new AgentStreams(42);
    drawEach(expected, 2);
    streams.park();
    const fork = streams.fork();
    expect(drawEach(fork, 1)).toEqual(drawEach(expected.fork(), 1));
    const adopted = new AgentStreams(42);
    adopted.park();
    adopted.catchUp(fork);
    expect(adopted.draws()).toEqual(fork.draws());
    expect(drawEach(adopted, 1)).toEqual(drawEach(fork, 1));
  });
});
