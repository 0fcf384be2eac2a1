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

  it('counts what SQLite\'s json_each finds in the stored facts: every type, nulls and empty labels skipped, runs interleaved', async () => {
    const sink = SqliteSink.open(':memory:');
    const run = { scenario: 's', pattern: 'fanout', variant: 'base', seed: 1, epochMs: 0, config: '{}', startedAt: '' };
    for (const runId of ['r2', 'r1']) sink.beginRun({ ...run, runId });
    const labels = ['', 'alpha', 'beta', 'gamma'];
    for (let id = 0; id < 300; id++) {
      const facts: Record<string, string | number | boolean> = { 'fanout.fan_in_ms': id * 1.1 + 0.3, 'fanout.successes': id % 4, 'fanout.reconciled': id % 3 === 0, 'fanout.missing_workers': labels[id % 4] as string };
      if (id % 5 === 0) facts['fanout.rare'] = id;
      // A key whose value is JSON null in the row: counted by no kind.
      const text = id % 7 === 0 ? JSON.stringify({ ...facts, 'fanout.unknown': null }) : JSON.stringify(facts);
      sink.writeWorkflow({ ...workflow(id % 2 === 0 ? 'r1' : 'r2', id, null), facts: text });
    }
    await sink.flush();
    const expected = sink.db
      .prepare(
        `SELECT w.run_id AS runId, j.key, j.type, count(*) AS n, total(j.atom) AS total, sum(j.type = 'true') AS yes
         FROM workflows w, json_each(w.facts) j GROUP BY w.run_id, j.key, j.type ORDER BY w.run_id, j.key`,
      )
      .all() as { runId: string; key: string; type: string; n: number; total: number; yes: number }[];
    const runs = summariseFacts(sink.db);
    expect(runs.map((entry) => entry.runId)).toEqual(['r1', 'r2']);
    for (const entry of runs) {
      const rows = expected.filter((row) => row.runId === entry.runId);
      const labelled = (key: string): [string, number][] =>
        (sink.db.prepare(`SELECT j.atom, count(*) FROM workflows w, json_each(w.facts) j WHERE w.run_id = ? AND j.key = ? AND j.type = 'text' AND j.atom != '' GROUP BY j.atom`).raw().all(entry.runId, key) as [string, number][]);
      // Keys with a value of some kind (not fanout.unknown), sorted.
      expect(entry.facts.map((fact) => fact.key)).toEqual(['fanout.fan_in_ms', 'fanout.missing_workers', 'fanout.rare', 'fanout.reconciled', 'fanout.successes']);
      for (const fact of entry.facts) {
        const of = rows.filter((row) => row.key === fact.key);
        if (fact.kind === 'number') {
          const numeric = of.filter((row) => row.type === 'integer' || row.type === 'real');
          expect(fact.workflows).toBe(numeric.reduce((sum, row) => sum + row.n, 0));
          expect(fact.total).toBeCloseTo(numeric.reduce((sum, row) => sum + row.total, 0), 6);
        } else if (fact.kind === 'flag') {
          expect(fact.workflows).toBe(of.reduce((sum, row) => sum + row.n, 0));
          expect(fact.yes).toBe(of.reduce((sum, row) => sum + row.yes, 0));
        } else {
          const counts = labelled(fact.key);
          expect(new Map(fact.counts)).toEqual(new Map(counts));
          expect(fact.workflows).toBe(counts.reduce((sum, [, count]) => sum + count, 0));
        }
      }
    }
    await sink.close();
  });
});
