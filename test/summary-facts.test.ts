import { describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../harness/kernel/records.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { formatFact, formatFactsBlock, summariseFacts } from '../reports/summary/facts.ts';

function workflow(runId: string, workflowId: number, facts: Record<string, string | number | boolean> | null): WorkflowRecord {
  return {
    runId, workflowId, caseId: `c${workflowId}`, repeat: 0, status: 'completed', intendedStartMs: 0, startMs: 0, endMs: 1,
    latencyMs: 1, serviceMs: 1, inputTokens: 1, outputTokens: 1, cachedTokens: 0, costUsd: 0, agentCalls: 1, modelAttempts: 1,
    correct: true, score: 1, errorType: null, failedStep: null, output: null, traceId: String(workflowId).padStart(32, '0'),
    facts: facts === null ? null : JSON.stringify(facts),
    expected: null,
  };
}

describe('pattern facts summary', () => {
  it('totals numbers, counts flags and tallies labels per run, from the workflow rows', async () => {
    const sink = SqliteSink.open(':memory:');
    const run = { scenario: 's', variant: 'base', seed: 1, epochMs: 0, config: '{}', startedAt: '' };
    sink.beginRun({ ...run, runId: 'a', pattern: 'supervisor' });
    sink.beginRun({ ...run, runId: 'b', pattern: 'sequential' });
    sink.writeWorkflow(workflow('a', 0, { 'supervisor.rounds': 2, 'supervisor.termination_reason': 'completed', 'supervisor.late': true, 'supervisor.wait_ms': 1000 }));
    sink.writeWorkflow(workflow('a', 1, { 'supervisor.rounds': 10, 'supervisor.termination_reason': 'max_rounds', 'supervisor.late': false, 'supervisor.wait_ms': 3000 }));
    sink.writeWorkflow(workflow('a', 2, { 'supervisor.rounds': 3, 'supervisor.termination_reason': 'completed', 'supervisor.late': true, 'supervisor.wait_ms': 2000 }));
    sink.writeWorkflow(workflow('b', 0, null));
    await sink.flush();
    const runs = summariseFacts(sink.db);
    expect(runs.map((run) => run.runId)).toEqual(['a']);
    expect(runs[0]?.facts).toEqual([
      { key: 'supervisor.late', kind: 'flag', yes: 2, workflows: 3 },
      { key: 'supervisor.rounds', kind: 'number', total: 15, mean: 5, workflows: 3 },
      { key: 'supervisor.termination_reason', kind: 'label', counts: [['completed', 2], ['max_rounds', 1]], workflows: 3 },
      { key: 'supervisor.wait_ms', kind: 'number', total: 6000, mean: 2000, workflows: 3 },
    ]);
    expect(runs[0]?.facts.map(formatFact)).toEqual([
      'late 2 of 3',
      'rounds 15 (5/wf)',
      'termination_reason completed 2, max_rounds 1',
      'wait mean 2.00s',
    ]);
    expect(formatFactsBlock(runs)).toContain('  a: late 2 of 3 · rounds 15 (5/wf)');
    expect(formatFactsBlock([])).toBe('');
    await sink.close();
  });
});
