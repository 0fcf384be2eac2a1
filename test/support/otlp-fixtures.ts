import type { RunRecord, SpanRecord } from '../../harness/kernel/records.ts';

/** A run record for OTLP sink tests. */
export function testRun(runId: string, pattern = 'sequential'): RunRecord {
  return {
    runId,
    scenario: 'triage',
    pattern,
    variant: 'baseline',
    seed: 1,
    epochMs: 1767225600000,
    config: '{}',
    startedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** The root span of workflow `index` of `run`, with fixed ids (trace and span id `index + 1`). */
export function rootSpan(run: RunRecord, index: number, overrides: Partial<SpanRecord> = {}): SpanRecord {
  return {
    runId: run.runId,
    traceId: (index + 1).toString(16).padStart(32, '0'),
    spanId: (index + 1).toString(16).padStart(16, '0'),
    parentSpanId: '',
    workflowId: index,
    name: 'invoke_workflow triage',
    kind: 'internal',
    startMs: index,
    endMs: index + 1,
    status: 'ok',
    statusMessage: '',
    attributes: {},
    events: [],
    ...overrides,
  };
}
