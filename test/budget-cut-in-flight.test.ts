import { describe, expect, it } from 'vitest';
import type { EventRecord, SpanRecord, WorkflowRecord } from '../harness/kernel/records.ts';
import type { MemorySink } from '../reports/store/memory-sink.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const NO_FAULTS = 'faults: { error: 0, timeout: 0, rateLimit: 0 }';

/**
 * A supervisor with three parallel subtasks: the manager plans (3,000 in, 1,000 out, 1 s), the
 * workers read the 10,000-token case and write 9,000 tokens in 10, 20 and 30 s, the manager
 * reviews each result (9,000 in, 1,000 out, 1 s). Per workflow: plan 4,000 by 1 s; w1 19,000 at
 * 11 s; its review 10,000 at 12 s (33,000); w2 19,000 at 21 s → 52,000, over the 50,000 budget
 * while w3 (started at 1 s) is 20 of its 30 s into its answer.
 */
function scenario(limit: string, workers: string): string {
  const worker = (name: string, latency: string): string =>
    `  ${name}: { role: worker, model: mid-tier, promptTokens: 0, outputTokens: ${workers === 'random' ? '{ dist: lognormal, p50: 6000, p95: 12000 }' : 9000}, skill: 1, latency: ${latency}, ${NO_FAULTS} }`;
  const latency = (fixed: string): string => (workers === 'random' ? '{ dist: lognormal, p50: 15s, p95: 40s }' : fixed);
  return `
name: budget-cut
agents:
  manager: { role: plans and reviews, model: mid-tier, promptTokens: 0, outputTokens: 1000, skill: 1, latency: ${workers === 'random' ? '{ dist: lognormal, p50: 1s, p95: 3s }' : '1s'}, ${NO_FAULTS} }
${worker('w1', latency('10s'))}
${worker('w2', latency('20s'))}
${worker('w3', latency('30s'))}
cases:
  generate: { count: ${workers === 'random' ? 300 : 1}, labels: { yes: 1 }, inputTokens: 10000 }
patterns:
  supervisor:
    supervisor: manager
    subtasks: [{ name: a, worker: w1 }, { name: b, worker: w2 }, { name: c, worker: w3 }]
    ${limit === 'tokenBudget' ? 'tokenBudget: 50000' : ''}
${limit === 'budgets' ? 'budgets: { workflow: { tokens: 50000 } }' : ''}
`;
}

const tokensOf = (record: { readonly attributes: Readonly<Record<string, unknown>> }): number =>
  (record.attributes['gen_ai.usage.input_tokens'] as number) + (record.attributes['gen_ai.usage.output_tokens'] as number);

function stopsOf(sink: MemorySink): Map<number, EventRecord> {
  const stops = new Map<number, EventRecord>();
  for (const record of sink.aux) {
    if (record.table !== 'events') continue;
    const event = record.row as EventRecord;
    if (event.kind === 'budget.stop' && event.workflowId !== null && !stops.has(event.workflowId)) stops.set(event.workflowId, event);
  }
  return stops;
}

const agentSpans = (sink: MemorySink, workflow: WorkflowRecord): SpanRecord[] =>
  sink.spans.filter((span) => span.traceId === workflow.traceId && span.attributes['gen_ai.operation.name'] === 'invoke_agent');

describe('a workflow budget is a hard limit: crossing it cuts the calls in flight', () => {
  for (const [limit, subject] of [['budgets', 'workflow.tokens'], ['tokenBudget', 'supervisor.tokens']] as const) {
    it(`cuts the third worker at the 21 s crossing of a 50k ${limit}, billing the 10,000 input and 6,000 of 9,000 output tokens it had streamed`, async () => {
      const { sink } = await runOnce(scenarioFromYaml(scenario(limit, 'fixed')));
      const workflow = sink!.workflows[0]!;
      const stop = stopsOf(sink!).get(workflow.workflowId)!;
      expect(stop).toMatchObject({ subject, timeMs: 21_000 });
      const spans = agentSpans(sink!, workflow);
      const w3 = spans.find((span) => span.name === 'invoke_agent w3')!;
      expect([w3.endMs, w3.attributes['error.type']]).toEqual([21_000, 'cancelled']);
      expect([w3.attributes['gen_ai.usage.input_tokens'], w3.attributes['gen_ai.usage.output_tokens']]).toEqual([10_000, 6_000]);
      // Its model attempt is cut too, at the same instant.
      const chat = sink!.spans.find((span) => span.parentSpanId === w3.spanId)!;
      expect([chat.endMs, chat.attributes['error.type']]).toEqual([21_000, 'cancelled']);
      // Nothing starts once it is crossed: the review of w2's result is refused without a model attempt.
      const late = spans.filter((span) => span.startMs >= 21_000);
      expect(late.map((span) => [span.name, span.attributes['error.type']])).toEqual([['invoke_agent manager', 'budget_exceeded']]);
      // 4,000 + 19,000 + 10,000 + 19,000 (the crossing) + 16,000 (cut): 50,000 plus the two calls in flight at the crossing.
      expect(workflow.inputTokens + workflow.outputTokens).toBe(68_000);
      expect(workflow.endMs).toBe(21_000);
    });
  }

  it('never records more than 50k plus the calls in flight at the crossing, which all end at that instant (300 random workflows)', async () => {
    const { sink } = await runOnce(scenarioFromYaml(scenario('budgets', 'random')), { concurrency: 20 });
    const stops = stopsOf(sink!);
    let cut = 0;
    for (const workflow of sink!.workflows) {
      const spans = agentSpans(sink!, workflow);
      const stop = stops.get(workflow.workflowId);
      const total = workflow.inputTokens + workflow.outputTokens;
      if (stop === undefined) {
        expect(total).toBeLessThanOrEqual(50_000);
        continue;
      }
      const crossing = stop.timeMs;
      const inFlight = spans.filter((span) => span.startMs < crossing && span.endMs >= crossing);
      expect(total).toBeLessThanOrEqual(50_000 + inFlight.reduce((sum, span) => sum + tokensOf(span), 0));
      // No call outlives the crossing; the ones it interrupted end on it, cancelled.
      for (const span of spans) expect(span.endMs).toBeLessThanOrEqual(crossing);
      const interrupted = inFlight.filter((span) => span.attributes['error.type'] === 'cancelled');
      for (const span of interrupted) expect(span.endMs).toBe(crossing);
      cut += interrupted.length;
    }
    // The claim is not vacuous: most of the 300 workflows cross with calls in flight.
    expect(stops.size).toBeGreaterThan(100);
    expect(cut).toBeGreaterThan(100);
  });

  it("cuts every workflow's call in flight when the run's budget is crossed", async () => {
    const { sink } = await runOnce(
      scenarioFromYaml(`
name: run-budget-cut
agents:
  solo: { role: answers, model: mid-tier, promptTokens: 0, outputTokens: 1000, latency: { dist: uniform, min: 5s, max: 15s }, ${NO_FAULTS} }
cases:
  generate: { count: 5, labels: { yes: 1 }, inputTokens: 0 }
patterns:
  sequential: { steps: [solo] }
budgets: { run: { tokens: 2500 } }
`),
      { concurrency: 5 },
    );
    const stop = sink!.aux.map((record) => record.row as EventRecord).find((event) => event.kind === 'budget.stop')!;
    expect(stop.subject).toBe('run.tokens');
    // The third answer crosses 2,500; the two still running are cut at that instant, 5 of 5 workflows recorded.
    const workflows = [...sink!.workflows].sort((a, b) => a.endMs - b.endMs);
    expect(workflows.map((workflow) => workflow.status)).toEqual(['completed', 'completed', 'completed', 'failed', 'failed']);
    for (const workflow of workflows.slice(3)) {
      expect([workflow.endMs, workflow.errorType]).toEqual([stop.timeMs, 'budget_exceeded']);
      expect(workflow.outputTokens).toBeLessThan(1000);
      // The workflow failed for the budget; its call's span says it was cancelled.
      const span = sink!.spans.find((s) => s.traceId === workflow.traceId && s.name === 'invoke_agent solo')!;
      expect([span.endMs, span.attributes['error.type']]).toEqual([stop.timeMs, 'cancelled']);
    }
  });
});
