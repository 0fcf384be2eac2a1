import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../harness/kernel/records.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { summarise, type SummaryRow } from '../reports/summary/summary.ts';

type Fields = Pick<WorkflowRecord, 'status' | 'latencyMs' | 'inputTokens' | 'outputTokens' | 'costUsd' | 'agentCalls' | 'correct'>;

function workflow(runId: string, workflowId: number, fields: Fields): WorkflowRecord {
  return {
    runId, workflowId, caseId: `c${workflowId}`, repeat: 0, intendedStartMs: 0, startMs: 0, endMs: fields.latencyMs, serviceMs: fields.latencyMs,
    cachedTokens: 0, modelAttempts: fields.agentCalls, score: fields.correct === null ? null : Number(fields.correct),
    errorType: fields.status === 'failed' ? 'timeout' : null, failedStep: fields.status === 'failed' ? 'a' : null, output: null,
    traceId: workflowId.toString(16).padStart(32, '0'), facts: null, expected: null, ...fields,
  };
}

/**
 * triage/sequential: 5 workflows (one failed before scoring, one wrong), latencies 100, 300, 50, 200, 400.
 * triage/fanout: 1 failed workflow. alpha/router: no workflows at all.
 */
async function fixture(): Promise<SummaryRow[]> {
  const path = join(mkdtempSync(join(tmpdir(), 'patternbench-summary-')), 'summary.db');
  const sink = SqliteSink.open(path);
  const begin = (runId: string, scenario: string, pattern: string): void =>
    sink.beginRun({ runId, scenario, pattern, variant: 'base', seed: 1, epochMs: 0, config: '{}', startedAt: 'x' });
  begin('seq', 'triage', 'sequential');
  begin('fan', 'triage', 'fanout');
  begin('empty', 'alpha', 'router');
  const rows: Fields[] = [
    { status: 'completed', latencyMs: 100, inputTokens: 100, outputTokens: 50, costUsd: 0.01, agentCalls: 3, correct: true },
    { status: 'completed', latencyMs: 300, inputTokens: 200, outputTokens: 100, costUsd: 0.02, agentCalls: 3, correct: false },
    { status: 'failed', latencyMs: 50, inputTokens: 50, outputTokens: 0, costUsd: 0.005, agentCalls: 1, correct: null },
    { status: 'completed', latencyMs: 200, inputTokens: 100, outputTokens: 50, costUsd: 0.01, agentCalls: 3, correct: true },
    { status: 'completed', latencyMs: 400, inputTokens: 100, outputTokens: 50, costUsd: 0.015, agentCalls: 4, correct: true },
  ];
  rows.forEach((fields, index) => sink.writeWorkflow(workflow('seq', index, fields)));
  sink.writeWorkflow(workflow('fan', 0, { status: 'failed', latencyMs: 75, inputTokens: 10, outputTokens: 0, costUsd: 0.002, agentCalls: 2, correct: null }));
  for (const runId of ['seq', 'fan']) sink.endRun(runId, { status: 'completed', finishedAt: 'y', virtualEndMs: 400 });
  await sink.close();
  const db = openDatabase(path, { readonly: true });
  const summary = summarise(db);
  db.close();
  return summary;
}

describe('summarise on a hand-built fixture', () => {
  it('gives the hand-computed numbers for a run with completed, failed, wrong and right workflows', async () => {
    const sequential = (await fixture()).find((row) => row.runId === 'seq');
    expect(sequential).toEqual({
      runId: 'seq', scenario: 'triage', pattern: 'sequential', variant: 'base', seed: 1, runStatus: 'completed',
      arrivals: 5, workflows: 5, completed: 4, failed: 1, dropped: 0, successRate: 0.8,
      // 3 right of the 5 workflows (the failed one gave no right answer); 3 of the 4 completed.
      scored: 4, correct: 3, accuracy: 0.6,
      // Wilson 95 % for 3/5: centre 0.55655 ± 0.32583.
      accuracyLo: expect.closeTo(0.2307, 4), accuracyHi: expect.closeTo(0.8824, 4), accuracyCompleted: 0.75,
      // Five cases, one try each: no --repeat, so no pass^k.
      cases: 5, repeats: 1, passAllK: null,
      // Sorted latencies 50, 100, 200, 300, 400: nearest rank ⌈0.5·5⌉ = 3 → 200; ⌈0.95·5⌉ = ⌈0.99·5⌉ = 5 → 400.
      latencyP50Ms: 200, latencyP95Ms: 400, latencyP99Ms: 400,
      meanTokens: 160, // (150 + 300 + 50 + 150 + 150) / 5
      totalCostUsd: expect.closeTo(0.06, 12),
      meanCostUsd: expect.closeTo(0.012, 12),
      costPer1kUsd: expect.closeTo(12, 9),
      costPerCorrectUsd: expect.closeTo(0.02, 12), // 0.06 / 3 correct: failures and wrong answers are paid for too
      meanAgentCalls: 2.8, // 14 / 5
    });
  });

  it('gives a run whose every workflow failed 0 % accuracy, and no accuracy of completed workflows or cost per correct answer', async () => {
    const fanout = (await fixture()).find((row) => row.runId === 'fan');
    expect(fanout).toMatchObject({
      workflows: 1, completed: 0, failed: 1, successRate: 0, scored: 0, correct: 0,
      accuracy: 0, accuracyLo: 0, accuracyHi: expect.closeTo(0.7935, 4), accuracyCompleted: null, costPerCorrectUsd: null,
      latencyP50Ms: 75, latencyP95Ms: 75, latencyP99Ms: 75, meanCostUsd: 0.002, meanAgentCalls: 2,
    });
  });

  it('keeps a run with no workflows, with zero counts and null rates', async () => {
    const empty = (await fixture()).find((row) => row.runId === 'empty');
    expect(empty).toEqual({
      runId: 'empty', scenario: 'alpha', pattern: 'router', variant: 'base', seed: 1, runStatus: 'running',
      arrivals: 0, workflows: 0, completed: 0, failed: 0, dropped: 0, successRate: null, scored: 0, correct: 0,
      accuracy: null, accuracyLo: null, accuracyHi: null, accuracyCompleted: null, cases: 0, repeats: 0, passAllK: null, latencyP50Ms: null, latencyP95Ms: null, latencyP99Ms: null,
      meanTokens: null, totalCostUsd: 0, meanCostUsd: null, costPer1kUsd: null, costPerCorrectUsd: null, meanAgentCalls: null,
    });
  });
});
