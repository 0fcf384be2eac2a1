import { describe, expect, it } from 'vitest';
import type { SpanRecord, WorkflowRecord } from '../harness/kernel/records.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/**
 * Closed forms of the state strategies (harness/pipeline/state/): agents that never fail and take
 * a fixed time per call, so a workflow's latency without `state:` ("plain") is known, and each
 * strategy adds exactly what its model says.
 */

const PROMPT = 300;
const OUTPUT = 256;
/** Agents with a fixed latency (seconds), prompt and output, no faults. */
const agents = (latencies: Readonly<Record<string, number>>) =>
  Object.entries(latencies)
    .map(([name, seconds]) => `\n  ${name}: { role: step ${name}, model: mid-tier, latency: ${seconds}s, promptTokens: ${PROMPT}, outputTokens: ${OUTPUT}, faults: { error: 0, timeout: 0, rateLimit: 0 } }`)
    .join('');

const AGENTS = agents({ a: 3, b: 5, c: 7, d: 2, e: 4 });
const PATTERNS = `
patterns:
  sequential: { steps: [a, b, c, d] }
  fanout: { workers: [b, c, d], synthesis: e }`;

function scenario(state: string): string {
  return `
name: state-closed-form
agents:${AGENTS}
cases:
  generate: { count: 40, labels: { yes: 1, no: 1 }, inputTokens: 2048 }
${PATTERNS}
${state}`;
}

async function run(yaml: string, pattern: 'sequential' | 'fanout', concurrency = 1) {
  const { sink } = await runOnce(scenarioFromYaml(yaml), { pattern, concurrency });
  if (sink === null) throw new Error('no sink');
  return { workflows: [...sink.workflows].sort((x, y) => x.workflowId - y.workflowId), spans: sink.spans };
}

/** Latency of each workflow, in workflow order. */
const latencies = (workflows: readonly WorkflowRecord[]) => workflows.map((workflow) => workflow.latencyMs);

/** Every workflow's latency is its plain one plus `addedMs` (to the float rounding of a sum of waits). */
function expectAdded(plain: readonly WorkflowRecord[], withState: readonly WorkflowRecord[], addedMs: number): void {
  expect(withState).toHaveLength(plain.length);
  withState.forEach((workflow, index) => {
    expect(workflow.status).toBe('completed');
    expect(workflow.latencyMs - (plain[index] as WorkflowRecord).latencyMs).toBeCloseTo(addedMs, 6);
  });
}

const agentSpans = (spans: readonly SpanRecord[]) => spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'invoke_agent');

describe('state: bus with a fixed message latency and no contention', () => {
  const bus = 'state: { strategy: bus, messageLatency: 7ms, partitions: 4 }';

  it('adds exactly hops × latency to a chain of 4: 2 hops per agent call (state in, result out) = 8 hops', async () => {
    const plain = await run(scenario(''), 'sequential');
    const withBus = await run(scenario(bus), 'sequential');
    expectAdded(plain.workflows, withBus.workflows, 8 * 7);
    for (const workflow of withBus.workflows) expect(JSON.parse(workflow.facts ?? '{}')).toMatchObject({ 'state.messages': 8, 'state.bus_ms': 56 });
  });

  it('adds exactly hops × latency to a fan-out: its critical path is one worker and the synthesis, 2 × 2 = 4 hops', async () => {
    const plain = await run(scenario(''), 'fanout');
    const withBus = await run(scenario(bus), 'fanout');
    expectAdded(plain.workflows, withBus.workflows, 4 * 7);
    // Every call's messages are counted, on the critical path or not: 3 workers + the synthesis, 2 each.
    for (const workflow of withBus.workflows) expect(JSON.parse(workflow.facts ?? '{}')['state.messages']).toBe(8);
  });

  it('leaves tokens, cost and answers as they are (the bus moves state, it does not change it)', async () => {
    const plain = await run(scenario(''), 'sequential');
    const withBus = await run(scenario(bus), 'sequential');
    const pick = (workflows: readonly WorkflowRecord[]) => workflows.map((w) => [w.inputTokens, w.outputTokens, w.costUsd, w.correct]);
    expect(pick(withBus.workflows)).toEqual(pick(plain.workflows));
  });
});

describe('state: retrieval with a fixed query time and top-k', () => {
  const retrieval = 'state: { strategy: retrieval, queryLatency: 120ms, topK: 3, tokensPerChunk: 150 }';

  it('gives every agent call exactly prompt + topK × tokensPerChunk input tokens, whatever the state passed', async () => {
    const { spans, workflows } = await run(scenario(retrieval), 'sequential');
    const calls = agentSpans(spans);
    expect(calls).toHaveLength(4 * workflows.length);
    for (const span of calls) expect(span.attributes['gen_ai.usage.input_tokens']).toBe(PROMPT + 3 * 150);
    for (const workflow of workflows) expect(workflow.inputTokens).toBe(4 * (PROMPT + 3 * 150));
  });

  it('adds exactly calls × query time on the critical path: 4 for the chain, 2 for the fan-out', async () => {
    expectAdded((await run(scenario(''), 'sequential')).workflows, (await run(scenario(retrieval), 'sequential')).workflows, 4 * 120);
    expectAdded((await run(scenario(''), 'fanout')).workflows, (await run(scenario(retrieval), 'fanout')).workflows, 2 * 120);
  });

  it('cuts the chain\'s input tokens below central passing, whose input grows with each step', async () => {
    const plain = await run(scenario(''), 'sequential');
    const withRetrieval = await run(scenario(retrieval), 'sequential');
    // central: step k reads the case (2048) and the k − 1 outputs before it (256 each), plus its prompt.
    const central = 4 * PROMPT + 4 * 2048 + (0 + 1 + 2 + 3) * OUTPUT;
    withRetrieval.workflows.forEach((workflow, index) => {
      expect((plain.workflows[index] as WorkflowRecord).inputTokens).toBe(central);
      expect(central - workflow.inputTokens).toBe(4 * 2048 + 6 * OUTPUT - 4 * 3 * 150);
    });
  });
});

describe('state: central with a fixed overhead per KB', () => {
  const central = 'state: { strategy: central, overheadMsPerKb: 2, bytesPerToken: 4 }';

  it('adds overhead × KB in and out per call, with nothing else queued (one workflow at a time)', async () => {
    const plain = await run(scenario(''), 'sequential');
    const withCentral = await run(scenario(central), 'sequential');
    // KB in of step k = (2048 + (k − 1) × 256) × 4 ÷ 1024; KB out = 256 × 4 ÷ 1024 = 1 per step.
    const kbIn = [0, 1, 2, 3].reduce((sum, k) => sum + ((2048 + k * OUTPUT) * 4) / 1024, 0);
    expectAdded(plain.workflows, withCentral.workflows, 2 * (kbIn + 4 * 1));
  });

  it('state: central with no overhead is today\'s passing: the same rows as no state: at all', async () => {
    const plain = await run(scenario(''), 'fanout');
    const named = await run(scenario('state: central'), 'fanout');
    expect(named.workflows).toEqual(plain.workflows);
    expect(named.spans).toEqual(plain.spans);
  });
});
