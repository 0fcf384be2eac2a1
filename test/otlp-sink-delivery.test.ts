import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withOpenInferenceAliases } from '../reports/store/openinference.ts';
import { OtlpSink } from '../reports/store/otlp-sink.ts';
import type { RunRecord, SpanRecord } from '../harness/kernel/records.ts';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.ts';

const EPOCH_MS = 1767225600000;
const WORKFLOWS = 2000;
const AGENTS = 4;

const run: RunRecord = {
  runId: 'run-delivery',
  scenario: 'legal-review',
  pattern: 'sequential',
  variant: 'baseline',
  seed: 7,
  epochMs: EPOCH_MS,
  config: '{}',
  startedAt: '2026-01-01T00:00:00.000Z',
};

/** A synthetic span with its expected start/end in integer nanoseconds of virtual time. */
interface Expected {
  readonly record: SpanRecord;
  readonly startNs: number;
  readonly endNs: number;
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

/** One workflow: an `invoke_workflow` root, 4 `invoke_agent` children, each with a `chat` child. */
function workflowSpans(workflowId: number): Expected[] {
  const traceId = hex(workflowId + 1, 32);
  const id = (index: number): string => hex((workflowId + 1) * 16 + index, 16);
  const make = (index: number, parent: string, name: string, kind: SpanRecord['kind'], startNs: number, endNs: number,
    attributes: SpanRecord['attributes']): Expected => ({
    startNs,
    endNs,
    record: {
      runId: run.runId, traceId, spanId: id(index), parentSpanId: parent, workflowId, name, kind,
      startMs: startNs / 1e6, endMs: endNs / 1e6, status: 'ok', statusMessage: '', attributes, events: [],
    },
  });
  const workflowStartNs = workflowId * 7_654_321 + 123;
  const spans: Expected[] = [];
  for (let agent = 0; agent < AGENTS; agent++) {
    const agentStartNs = workflowStartNs + 1_000 + agent * 1_000_001;
    const agentEndNs = agentStartNs + 900_007;
    spans.push(make(1 + agent * 2, id(0), `invoke_agent agent-${agent}`, 'internal', agentStartNs, agentEndNs, {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': `agent-${agent}`,
    }));
    spans.push(make(2 + agent * 2, id(1 + agent * 2), 'chat gpt-x', 'client', agentStartNs + 1_003, agentEndNs - 2_001, {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-x',
      'gen_ai.agent.name': `agent-${agent}`,
      'gen_ai.usage.input_tokens': 100 + (workflowId % 50) + agent,
      'gen_ai.usage.cost.amount': (workflowId * AGENTS + agent + 0.5) / 1e6,
    }));
  }
  const rootEndNs = workflowStartNs + 1_000 + AGENTS * 1_000_001 + 17;
  spans.unshift(make(0, '', 'invoke_workflow legal-review', 'internal', workflowStartNs, rootEndNs, {
    'gen_ai.operation.name': 'invoke_workflow',
    'patternbench.workflow_id': workflowId,
  }));
  return spans;
}

function unixNanos(virtualNs: number): string {
  return (BigInt(EPOCH_MS) * 1_000_000n + BigInt(virtualNs)).toString();
}

describe('OtlpSink delivery', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('delivers all 18,000 spans of 2,000 workflows intact, none dropped', async () => {
    const sink = new OtlpSink({ url: receiver.url, batchSize: 100 });
    const expected = new Map<string, Expected>();
    let backpressureFlushes = 0;
    sink.beginRun(run);
    for (let workflowId = 0; workflowId < WORKFLOWS; workflowId++) {
      for (const span of workflowSpans(workflowId)) {
        expected.set(span.record.spanId, span);
        sink.writeSpan(span.record);
        if (sink.backlogged()) {
          backpressureFlushes += 1;
          await sink.flush();
        }
      }
    }
    sink.endRun(run.runId, { status: 'completed', finishedAt: '2026-01-01T00:00:01.000Z', virtualEndMs: 0 });
    await sink.close();

    expect(expected.size).toBe(18_000);
    expect(backpressureFlushes).toBeGreaterThan(0);
    expect({ exported: sink.exportedSpans, failed: sink.failedSpans, batches: sink.batches }).toEqual({
      exported: 18_000,
      failed: 0,
      batches: 180,
    });
    expect(receiver.spans).toHaveLength(18_000);
    expect(new Set(receiver.spans.map((span) => span.spanId)).size).toBe(18_000);

    const traceOf = new Map(receiver.spans.map((span) => [span.spanId, span.traceId]));
    const orphans = receiver.spans.filter((span) => span.parentSpanId !== '' && traceOf.get(span.parentSpanId) !== span.traceId);
    expect(orphans).toEqual([]);
    expect(receiver.spans.filter((span) => span.parentSpanId === '')).toHaveLength(WORKFLOWS);

    const mismatches: string[] = [];
    for (const got of receiver.spans) {
      const want = expected.get(got.spanId);
      if (want === undefined) {
        mismatches.push(`${got.spanId}: not written`);
        continue;
      }
      const { record } = want;
      if (got.name !== record.name || got.traceId !== record.traceId || got.parentSpanId !== record.parentSpanId) {
        mismatches.push(`${got.spanId}: identity ${got.name} ${got.traceId} ${got.parentSpanId}`);
      }
      if (got.startTimeUnixNano !== unixNanos(want.startNs) || got.endTimeUnixNano !== unixNanos(want.endNs)) {
        mismatches.push(`${got.spanId}: times ${got.startTimeUnixNano}..${got.endTimeUnixNano}`);
      }
      // Exported spans carry the recorded attributes plus their OpenInference aliases.
      if (JSON.stringify(got.attributes) !== JSON.stringify(withOpenInferenceAliases(record.attributes))) {
        mismatches.push(`${got.spanId}: attributes ${JSON.stringify(got.attributes)}`);
      }
      if (got.kind !== (record.kind === 'client' ? 3 : 1)) mismatches.push(`${got.spanId}: kind ${got.kind}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);

    const chat = receiver.spans.find((span) => span.name === 'chat gpt-x');
    expect(chat?.attributeTypes).toMatchObject({
      'gen_ai.operation.name': 'string',
      'gen_ai.agent.name': 'string',
      'gen_ai.usage.input_tokens': 'int',
      'gen_ai.usage.cost.amount': 'double',
    });
    expect(receiver.spans[0]?.resource).toEqual({
      'service.name': 'patternbench',
      'patternbench.run_id': 'run-delivery',
      'patternbench.scenario': 'legal-review',
      'patternbench.pattern': 'sequential',
      'patternbench.variant': 'baseline',
      'patternbench.seed': 7,
    });
    expect(receiver.spans[0]?.scope.name).toBe('patternbench');
    expect(receiver.lastContentType).toBe('application/json');
  });
});
