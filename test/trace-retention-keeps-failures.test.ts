/**
 * Under `--traces tail`, every failed or budget-stopped workflow keeps its whole trace, so does
 * every workflow a threshold names and every workflow slower than all that ended before it; and
 * the kept counts are written as `trace.kept` histogram rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistogramRecord, SpanRecord, WorkflowRecord } from '../harness/kernel/records.ts';
import { parseThresholdOrThrow } from '../harness/scenario/thresholds.ts';
import { keptWorkflows, MIXED_SCENARIO, runTraces } from './support/tail-run.ts';

type Run = Awaited<ReturnType<typeof runTraces>>;

/** Spans by workflow id, each list in the order written. */
function byWorkflow(spans: readonly SpanRecord[]): Map<number, SpanRecord[]> {
  const map = new Map<number, SpanRecord[]>();
  for (const span of spans) map.set(span.workflowId, [...(map.get(span.workflowId) ?? []), span]);
  return map;
}

const budgetStopped = (workflow: WorkflowRecord): boolean => (workflow.facts ?? '').includes('"budget.termination_reason"');
const sortSpans = (spans: readonly SpanRecord[]): SpanRecord[] => [...spans].sort((a, b) => a.spanId.localeCompare(b.spanId));

describe('tail trace retention keeps', () => {
  let all: Run;
  let tail: Run;
  // No sampled share: what is kept is kept for a reason of its own.
  beforeAll(async () => {
    const cost = [parseThresholdOrThrow('cost_per_workflow < $0.004')];
    all = await runTraces(MIXED_SCENARIO, { mode: 'all' }, { thresholds: cost });
    tail = await runTraces(MIXED_SCENARIO, { mode: 'tail', share: 0 }, { thresholds: cost });
  });

  it('every failed and every budget-stopped workflow, its trace whole', () => {
    const kept = byWorkflow(tail.sink.spans);
    const every = byWorkflow(all.sink.spans);
    const failed = tail.sink.workflows.filter((workflow) => workflow.status === 'failed' || budgetStopped(workflow));
    expect(failed.filter((workflow) => workflow.errorType === 'budget_exceeded').length).toBeGreaterThan(100);
    expect(failed.filter((workflow) => workflow.errorType === 'error').length).toBeGreaterThan(20);
    for (const workflow of failed) {
      expect({ workflow: workflow.workflowId, spans: sortSpans(kept.get(workflow.workflowId) ?? []) }).toEqual({
        workflow: workflow.workflowId,
        spans: sortSpans(every.get(workflow.workflowId) ?? []),
      });
    }
    expect(tail.outcome.traces.kept?.failed).toBe(failed.filter((workflow) => workflow.status === 'failed').length);
  });

  it('every workflow a threshold names: p95(latency) < 20s names those of 20 s or more, cost_per_workflow < $0.004 those costing more', () => {
    const kept = keptWorkflows(tail.sink);
    const named = tail.sink.workflows.filter((workflow) => workflow.latencyMs >= 20_000 || workflow.costUsd >= 0.004);
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((workflow) => !kept.has(workflow.workflowId)).map((workflow) => workflow.workflowId)).toEqual([]);
  });

  it('every workflow slower than all that ended before it, so the slowest; and nothing else with no sampled share', () => {
    const kept = keptWorkflows(tail.sink);
    let slowest = Number.NEGATIVE_INFINITY;
    const records: number[] = [];
    for (const workflow of tail.sink.workflows) {
      if (workflow.latencyMs > slowest) records.push(workflow.workflowId);
      slowest = Math.max(slowest, workflow.latencyMs);
    }
    expect(records.filter((id) => !kept.has(id))).toEqual([]);
    const counts = tail.outcome.traces.kept;
    expect(counts?.sampled).toBe(0);
    expect(counts?.slowest).toBeGreaterThan(0);
    // Kept for a reason: failed or stopped, named, or among the slowest (under 5 % of the others here).
    const others = tail.sink.workflows.length - (counts?.failed ?? 0) - (counts?.budget ?? 0) - (counts?.named ?? 0);
    expect(counts?.slowest).toBeLessThan(others * 0.05);
  });

  it('writes the counts as trace.kept histogram rows of the kept latencies, and keeps every span out of the other workflows', () => {
    const rows = tail.sink.aux.filter((record) => record.table === 'histograms').map((record) => record.row as HistogramRecord).filter((row) => row.metric === 'trace.kept');
    const counts = Object.fromEntries(Object.entries(tail.outcome.traces.kept ?? {}).filter(([, n]) => n > 0));
    expect(Object.fromEntries(rows.map((row) => [row.scope, row.count]))).toEqual(counts);
    const kept = keptWorkflows(tail.sink);
    expect(tail.sink.spans.length).toBe(all.sink.spans.filter((span) => kept.has(span.workflowId)).length);
    expect(all.outcome.traces).toEqual({ policy: { mode: 'all' }, kept: null });
    // The rows of every workflow, and every other table, are written as under `all`.
    expect(tail.sink.workflows).toEqual(all.sink.workflows);
  });
});
