/**
 * `SpanMetricsFold` folds spans into one row per operation × agent × model: counts, failures by
 * error type, attempts, retries and fallbacks, token and cost sums, durations; attribute values of
 * another type count as absent (as the `spans` columns extract them); rows come in key order; and
 * the rows of a run's shards add up to the rows of the whole run (`mergeSpanMetrics`).
 */
import { describe, expect, it } from 'vitest';
import { DurationHistogram } from '../harness/kernel/hdr.ts';
import type { Attributes, SpanRecord } from '../harness/kernel/records.ts';
import { mergeSpanMetrics, SpanMetricsFold } from '../reports/store/span-metrics.ts';

let next = 0;
function span(attributes: Attributes, durationMs: number, status: SpanRecord['status'] = 'ok'): SpanRecord {
  next++;
  return {
    runId: 'r', traceId: next.toString(16).padStart(32, '0'), spanId: next.toString(16).padStart(16, '0'), parentSpanId: '', workflowId: next,
    name: 'x', kind: 'internal', startMs: 1000, endMs: 1000 + durationMs, status, statusMessage: '', attributes, events: [],
  };
}

const call = (agent: string, attempts: number, extra: Attributes = {}): Attributes => ({
  'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': agent, 'gen_ai.request.model': 'm1', 'patternbench.attempts': attempts,
  'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 10, ...extra,
});
const attempt = (agent: string, costUsd: number, extra: Attributes = {}): Attributes => ({
  'gen_ai.operation.name': 'chat', 'gen_ai.agent.name': agent, 'gen_ai.request.model': 'm1', 'gen_ai.usage.input_tokens': 50,
  'gen_ai.usage.output_tokens': 5, 'gen_ai.usage.cache_read.input_tokens': 20, 'gen_ai.usage.cost.amount': costUsd, ...extra,
});

const SPANS: readonly SpanRecord[] = [
  span(call('writer', 3), 900),
  span(call('writer', 1, { 'patternbench.fallback': 'backup' }), 300),
  span(call('writer', 0), 5, 'error'),
  span(call('reader', 2), 400),
  span(attempt('writer', 0.25), 200, 'error'),
  span(attempt('writer', 0.5, { 'error.type': 'timeout' }), 250, 'error'),
  span(attempt('writer', 1, { 'gen_ai.usage.reasoning.output_tokens': 3 }), 350),
  // A token count of another type stays in the JSON, not in the column: it counts as absent.
  span(attempt('reader', 0.125, { 'gen_ai.usage.input_tokens': '50' }), 150),
  span({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.agent.name': 'reader', 'error.type': 'tool_denied' }, 0.0004, 'error'),
  span({ 'gen_ai.operation.name': 'invoke_workflow', 'gen_ai.usage.input_tokens': 400 }, 1500),
  span({ 'patternbench.compensation.of': 'writer' }, 12),
];

describe('SpanMetricsFold', () => {
  it('folds spans into one row per operation, agent and model, in key order', () => {
    const fold = new SpanMetricsFold();
    for (const item of SPANS) fold.add(item);
    const rows = fold.records('r');
    expect(rows.map((row) => [row.operation, row.agentName, row.requestModel, row.spans])).toEqual([
      ['', '', '', 1],
      ['chat', 'reader', 'm1', 1],
      ['chat', 'writer', 'm1', 3],
      ['execute_tool', 'reader', '', 1],
      ['invoke_agent', 'reader', 'm1', 1],
      ['invoke_agent', 'writer', 'm1', 3],
      ['invoke_workflow', '', '', 1],
    ]);
    const row = (operation: string, agent: string) => rows.find((entry) => entry.operation === operation && entry.agentName === agent);
    expect(row('invoke_agent', 'writer')).toMatchObject({
      runId: 'r', errors: 1, errorTypes: '{"_OTHER":1}', attempts: 4, retries: 2, fallbacks: 1, inputTokens: 300, outputTokens: 30, costUsd: 0,
      durationSumMs: 1205, durationMinMs: 5, durationMaxMs: 900,
    });
    expect(row('chat', 'writer')).toMatchObject({
      errors: 2, errorTypes: '{"_OTHER":1,"timeout":1}', attempts: 0, retries: 0, inputTokens: 150, outputTokens: 15, cachedTokens: 60, reasoningTokens: 3, costUsd: 1.75,
    });
    expect(row('chat', 'reader')).toMatchObject({ inputTokens: 0, outputTokens: 5, costUsd: 0.125 });
    // Durations to the µs: a 0.4 µs tool call counts as 0.
    expect(row('execute_tool', 'reader')).toMatchObject({ errors: 1, errorTypes: '{"tool_denied":1}', durationMinMs: 0, durationMaxMs: 0 });
    const writer = DurationHistogram.decode((row('invoke_agent', 'writer') as { durationEncoded: string }).durationEncoded);
    expect([writer.count, writer.quantileMs(0.5), writer.quantileMs(1)]).toEqual([3, 300.031, 900.095]);
  });

  it('gives shards of a run the rows that add up to the whole run\'s', () => {
    const whole = new SpanMetricsFold();
    const shards = [new SpanMetricsFold(), new SpanMetricsFold()];
    SPANS.forEach((item, index) => {
      whole.add(item);
      shards[index % 2]?.add(item);
    });
    const merged = mergeSpanMetrics(shards.flatMap((shard) => shard.records('r')));
    expect(merged).toEqual(whole.records('r'));
  });
});
