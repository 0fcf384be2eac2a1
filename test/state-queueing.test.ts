import { describe, expect, it } from 'vitest';
import type { QueueWindowRecord, WorkflowRecord } from '../harness/kernel/records.ts';
import { SeededRng } from '../harness/kernel/rng.ts';
import { FifoServer } from '../harness/pipeline/state/fifo-server.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/**
 * The state channels' queues against queueing theory: the central serialiser is one FIFO server
 * per run (M/D/1, D/D/1), a bus partition one consumer.
 */

describe('the FIFO server behind the central serialiser and each bus partition', () => {
  it('gives M/D/1 its mean wait ρ·s / (2(1 − ρ)) (Pollaczek–Khinchine), within 3 % over 10⁶ jobs', () => {
    for (const rho of [0.5, 0.8]) {
      const serviceMs = 10;
      const meanGapMs = serviceMs / rho;
      const rng = new SeededRng(7);
      const server = new FifoServer();
      let t = 0;
      let waits = 0;
      const jobs = 1_000_000;
      for (let job = 0; job < jobs; job++) {
        t += -Math.log(1 - rng.next()) * meanGapMs;
        waits += server.serve(t, serviceMs).waitMs;
      }
      const expected = (rho * serviceMs) / (2 * (1 - rho));
      expect(Math.abs(waits / jobs - expected) / expected).toBeLessThan(0.03);
      expect(server.busyMs).toBe(jobs * serviceMs);
    }
  });

  it('counts the jobs offered that have not left (not yet arrived, waiting or in service)', () => {
    const server = new FifoServer();
    expect(server.serve(0, 10)).toEqual({ waitMs: 0, doneMs: 10 });
    expect(server.serve(2, 10)).toEqual({ waitMs: 8, doneMs: 20 });
    expect(server.serve(25, 5)).toEqual({ waitMs: 0, doneMs: 30 });
    expect([server.inSystem(5), server.inSystem(10), server.inSystem(19), server.inSystem(26), server.inSystem(30)]).toEqual([3, 2, 2, 1, 0]);
  });
});

/**
 * One agent call per workflow, fixed 1 s, 25,600 tokens of case input (100 KB at 4 bytes a token)
 * and `output` tokens out, under constant arrivals at `rate`/s for `seconds`.
 */
function singleCall(state: string, rate: number, seconds: number, output = 256): string {
  return `
name: state-queue
agents:
  solo: { role: answers, model: mid-tier, latency: 1s, outputTokens: ${output}, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 50, labels: { yes: 1 }, inputTokens: 25600 }
patterns:
  single-agent: { agent: solo }
load: { arrivals: constant, rate: ${rate}/s, duration: ${seconds}s }
${state}`;
}

async function run(yaml: string): Promise<{ workflows: WorkflowRecord[]; queue: QueueWindowRecord[]; stateWaits: number[] }> {
  const { sink } = await runOnce(scenarioFromYaml(yaml));
  if (sink === null) throw new Error('no sink');
  const queue = sink.aux.flatMap((record) => (record.table === 'queue_series' ? [record.row] : []));
  const workflows = [...sink.workflows].sort((a, b) => a.workflowId - b.workflowId);
  // How long each workflow's call waited before its first model attempt (its state on the way in).
  const firstChat = new Map<number, number>();
  for (const span of sink.spans) if (span.name.startsWith('chat')) firstChat.set(span.workflowId, Math.min(span.startMs, firstChat.get(span.workflowId) ?? Infinity));
  const stateWaits = workflows.map((workflow) => (firstChat.get(workflow.workflowId) as number) - workflow.startMs);
  return { workflows, queue, stateWaits };
}

describe('state: central, one serialiser per run', () => {
  const central = 'state: { strategy: central, overheadMsPerKb: 1 }';

  it('below saturation (D/D/1, ρ = 101 ms × 5/s ≈ 0.5) adds exactly the service time in and out: 100 + 1 ms', async () => {
    const plain = await run(singleCall('', 5, 20));
    const { workflows } = await run(singleCall(central, 5, 20));
    expect(workflows).toHaveLength(100);
    workflows.forEach((workflow, index) => expect(workflow.latencyMs - (plain.workflows[index] as WorkflowRecord).latencyMs).toBeCloseTo(101, 6));
  });

  it('past saturation (D/D/1: arrivals every 83.3 ms, 100 ms of state each) the wait grows by 100 − 83.3 ms per workflow, and the queue with it', async () => {
    // One token out (0.004 ms to serialise): the serialiser's work is the 100 ms state of each arrival.
    const { stateWaits, queue } = await run(singleCall(central, 12, 40, 1));
    expect(stateWaits).toHaveLength(480);
    const slope = ((stateWaits[400] as number) - (stateWaits[100] as number)) / 300;
    expect(slope).toBeCloseTo(100 - 1000 / 12, 1);
    // Jobs in the system: a job arriving at t leaves at t + W(t), W growing at λs − 1 = 0.2 s/s, so at t
    // those that arrived after t ÷ λs are still there: state jobs (λ = 12/s) and results' jobs (one per
    // state served, 1/s = 10/s), (12 + 10) × (1 − 1/1.2) = 3.67 a second.
    const serialiser = queue.filter((row) => row.resource === 'state:serialiser');
    const growth = ((serialiser[35] as QueueWindowRecord).queueEnd - (serialiser[5] as QueueWindowRecord).queueEnd) / 30;
    expect(Math.abs(growth - (12 + 10) * (1 - 1 / 1.2)) / ((12 + 10) * (1 - 1 / 1.2))).toBeLessThan(0.03);
  });
});

describe('state: bus, one consumer per partition', () => {
  it('with one workflow at a time adds hops × (latency + consume time) exactly, and its lag never passes one message', async () => {
    const plain = await run(singleCall('', 0.5, 20));
    const { workflows, queue } = await run(singleCall('state: { strategy: bus, messageLatency: 4ms, consumeTime: 6ms, partitions: 2 }', 0.5, 20));
    workflows.forEach((workflow, index) => expect(workflow.latencyMs - (plain.workflows[index] as WorkflowRecord).latencyMs).toBeCloseTo(2 * (4 + 6), 6));
    const lag = queue.filter((row) => row.resource === 'state:bus');
    expect(lag.length).toBeGreaterThan(0);
    expect(Math.max(...lag.map((row) => row.queueMax))).toBe(1);
  });

  it('past a partition\'s capacity the consumer lag grows at λ + x − μ, x the rate of results (x(λ + x) = μλ)', async () => {
    // One partition, μ = 1 / 50 ms = 20 messages/s; workflows at λ = 12/s publish 12 state messages/s,
    // and a result (x/s) for each state message consumed. The consumer takes messages in publish order,
    // so it consumes the mix published: state messages at μλ/(λ + x) = x/s. Hence x² + λx − μλ = 0.
    const { queue } = await run(singleCall('state: { strategy: bus, messageLatency: 2ms, consumeTime: 50ms, partitions: 1 }', 12, 120));
    const lag = queue.filter((row) => row.resource === 'state:bus');
    const at = (second: number) => (lag[second] as QueueWindowRecord).queueEnd;
    const slope = (at(110) - at(30)) / 80;
    const [lambda, mu] = [12, 20];
    const x = (-lambda + Math.sqrt(lambda * lambda + 4 * mu * lambda)) / 2;
    const expected = lambda + x - mu;
    expect(Math.abs(slope - expected) / expected).toBeLessThan(0.05);
  });
});
