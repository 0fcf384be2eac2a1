/**
 * Which workflows a threshold names for tail trace retention: those whose own latency, service
 * time, cost, tokens or retries are on the failing side of its limit; thresholds on rates and
 * run-wide quantities name none; a pattern-scoped threshold names its pattern's workflows only.
 */
import { describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../harness/kernel/records.ts';
import { thresholdNamings } from '../harness/run/trace-naming.ts';
import { parseThresholdOrThrow } from '../harness/scenario/thresholds.ts';

const base: WorkflowRecord = {
  runId: 'r', workflowId: 0, caseId: 'c', repeat: 0, status: 'completed', intendedStartMs: 0, startMs: 1000, endMs: 20_000, latencyMs: 20_000, serviceMs: 19_000,
  inputTokens: 3000, outputTokens: 1000, cachedTokens: 0, costUsd: 0.05, agentCalls: 4, modelAttempts: 6, correct: false, score: 0, errorType: null,
  failedStep: null, output: null, traceId: 't', facts: null, expected: null,
};

/** True when any of `thresholds` (scenario text) names `workflow` in a run of `pattern`. */
function named(thresholds: readonly string[], workflow: Partial<WorkflowRecord>, pattern: 'sequential' | 'router' = 'sequential'): boolean {
  return thresholdNamings(thresholds, [], pattern).some((naming) => naming({ ...base, ...workflow }));
}

describe('the workflows a threshold names', () => {
  it('names a workflow whose own latency or service time fails the limit, whatever the statistic', () => {
    expect(named(['p95(latency) < 20s'], {})).toBe(true);
    expect(named(['p95(latency) < 20s'], { latencyMs: 19_999 })).toBe(false);
    expect(named(['p95(latency) <= 20s'], {})).toBe(false);
    expect(named(['max(service) < 19s'], {})).toBe(true);
    expect(named(['mean(service) < 20s'], {})).toBe(false);
    // A lower bound names the fast ones.
    expect(named(['p50(latency) > 30s'], {})).toBe(true);
  });

  it('names by cost, tokens (input + output) and retries (model attempts − agent calls) per workflow', () => {
    expect(named(['cost_per_workflow < $0.05'], {})).toBe(true);
    expect(named(['cost_per_workflow < $0.06'], {})).toBe(false);
    expect(named(['tokens_per_workflow < 4000'], {})).toBe(true);
    expect(named(['tokens_per_workflow < 4001'], {})).toBe(false);
    expect(named(['retries_per_workflow < 2'], {})).toBe(true);
    expect(named(['retries_per_workflow <= 2'], {})).toBe(false);
  });

  it('names none by a rate, cost per correct, throughput or queue wait', () => {
    for (const text of ['accuracy > 99%', 'success_rate > 99%', 'error_rate < 0.01', 'dropped_rate < 0.01', 'cost_per_correct < 0.001', 'throughput > 1000', 'p99(queue_wait) < 1ms']) {
      expect({ text, namings: thresholdNamings([text], [], 'sequential').length }).toEqual({ text, namings: 0 });
    }
  });

  it('names only the workflows of the pattern a threshold is scoped to, and takes --threshold ones beside the scenario\'s', () => {
    expect(named(['router: p95(latency) < 1s'], {}, 'sequential')).toBe(false);
    expect(named(['router: p95(latency) < 1s'], {}, 'router')).toBe(true);
    const cli = [parseThresholdOrThrow('cost_per_workflow < $0.01')];
    expect(thresholdNamings([], cli, 'router').some((naming) => naming(base))).toBe(true);
  });
});
