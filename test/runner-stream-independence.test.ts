import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '../harness/kernel/records.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const scenario = scenarioFromYaml(`
name: streams
agents:
  researcher:
    role: looks things up
    model: mid-tier
    tools: [search]
    toolCalls: 0
    outputTokens: { dist: lognormal, p50: 300, p95: 900 }
  writer:
    role: writes
    model: frontier
    outputTokens: { dist: lognormal, p50: 500, p95: 1500 }
    faults: { error: 0.05, rateLimit: 0.05 }
cases:
  generate: { count: 150, labels: { yes: 1, no: 1 } }
patterns:
  sequential: { steps: [researcher, writer] }
variants:
  with-tools:
    agents: { researcher: { toolCalls: { dist: uniform, min: 1, max: 4 } } }
`);

/** The writer's agent-call durations, tokens and outcomes, per case. */
function writerCalls(spans: readonly SpanRecord[], caseOf: Map<string, string>): Map<string, unknown> {
  const calls = new Map<string, unknown>();
  for (const span of spans) {
    if (span.name !== 'invoke_agent writer') continue;
    calls.set(caseOf.get(span.traceId) as string, {
      // To the nanosecond: the same draws give the same duration, but float sums of virtual time
      // differ in their last bits when a workflow starts at another time.
      duration: Math.round((span.endMs - span.startMs) * 1e6),
      tokens: span.attributes['gen_ai.usage.output_tokens'],
      attempts: span.attributes['patternbench.attempts'],
      error: span.attributes['error.type'] ?? null,
    });
  }
  return calls;
}

describe('independent random streams, end to end', () => {
  it('adding a consumer (tool calls of one agent) leaves every draw of another agent unchanged', async () => {
    const base = await runOnce(scenario);
    const withTools = await runOnce(scenario.variants.get('with-tools')!, { concurrency: 13 });
    const caseOf = (run: typeof base) => new Map(run.sink!.workflows.map((workflow) => [workflow.traceId, workflow.caseId]));
    const before = writerCalls(base.sink!.spans, caseOf(base));
    const after = writerCalls(withTools.sink!.spans, caseOf(withTools));
    expect(withTools.sink!.spans.filter((span) => span.name === 'execute_tool search').length).toBeGreaterThan(150);
    expect(before.size).toBe(150);
    // Same latency, tokens, faults and retries for the writer on every case — though the
    // researcher now draws tool calls, and 13 workflows run at once instead of one.
    expect(after).toEqual(before);
  });

  it('the same seed gives a different writer under another seed (so the comparison can fail)', async () => {
    const base = await runOnce(scenario);
    const other = await runOnce(scenario, { seed: scenario.seed + 1 });
    const caseOf = (run: typeof base) => new Map(run.sink!.workflows.map((workflow) => [workflow.traceId, workflow.caseId]));
    expect(writerCalls(other.sink!.spans, caseOf(other))).not.toEqual(writerCalls(base.sink!.spans, caseOf(base)));
  });
});
