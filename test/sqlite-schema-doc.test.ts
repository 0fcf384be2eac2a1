import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '../harness/kernel/records.ts';
import { INDEX_NAMES, openDatabase } from '../reports/store/schema.ts';
import { SpanMetricsFold } from '../reports/store/span-metrics.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';

const doc = readFileSync(new URL('../reports/store/SCHEMA.md', import.meta.url), 'utf8');

/** Backticked names in the first cell of the table rows of the `## \`name\`` section. */
function documentedColumns(section: string): string[] {
  const start = doc.indexOf(`\n## ${section}`);
  const end = doc.indexOf('\n## ', start + 1);
  const body = doc.slice(start, end === -1 ? undefined : end);
  return [...body.matchAll(/^\| `([a-z0-9_]+)`/gm)].map((match) => match[1] as string);
}

/** Two runs of three workflows each: root, agent and chat spans; workflow 1 of each run failed. */
async function populated(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'patternbench-schema-doc-')), 'doc.db');
  const sink = SqliteSink.open(path);
  let id = 0;
  for (const pattern of ['sequential', 'router']) {
    const runId = `triage/${pattern}`;
    const metrics = new SpanMetricsFold();
    sink.beginRun({ runId, scenario: 'triage', pattern, variant: 'base', seed: 1, epochMs: 0, config: '{}', startedAt: 'x' });
    for (let workflowId = 0; workflowId < 3; workflowId++) {
      const traceId = (++id).toString(16).padStart(32, '0');
      const failed = workflowId === 1;
      const base = { runId, traceId, workflowId, startMs: workflowId * 100, status: failed ? 'error' : 'ok', statusMessage: '', events: [] } as const;
      const root = `${traceId.slice(16)}`;
      const spans: SpanRecord[] = [
        { ...base, spanId: root, parentSpanId: '', name: 'invoke_workflow triage', kind: 'internal', endMs: workflowId * 100 + 90,
          attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'gen_ai.workflow.name': 'triage' } },
        { ...base, spanId: `a${root.slice(1)}`, parentSpanId: root, name: 'invoke_agent extractor', kind: 'internal', endMs: workflowId * 100 + 80,
          attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'extractor', 'gen_ai.usage.input_tokens': 100,
            'gen_ai.usage.output_tokens': 20 } },
        { ...base, spanId: `c${root.slice(1)}`, parentSpanId: `a${root.slice(1)}`, name: 'chat gpt-4o', kind: 'client', endMs: workflowId * 100 + 70,
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.agent.name': 'extractor',
            'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 20, 'gen_ai.usage.cost.amount': 0.003, 'patternbench.attempt': 1 } },
      ];
      spans.forEach((span) => sink.writeSpan(span));
      spans.forEach((span) => metrics.add(span));
      sink.writeWorkflow({
        runId, workflowId, caseId: `c${workflowId}`, repeat: 0, status: failed ? 'failed' : 'completed', intendedStartMs: workflowId * 100,
        startMs: workflowId * 100, endMs: workflowId * 100 + 90, latencyMs: 90 + workflowId, serviceMs: 90, inputTokens: 100, outputTokens: 20,
        cachedTokens: 0, costUsd: 0.003, agentCalls: 1, modelAttempts: 1, correct: failed ? null : workflowId === 0, score: null,
        errorType: failed ? 'timeout' : null, failedStep: failed ? 'extractor' : null, output: null, traceId,
        facts: failed
          ? null
          : pattern === 'router'
            ? `{"router.label":"${workflowId === 0 ? 'yes' : 'no'}","router.confidence":0.8}`
            : '{"supervisor.termination_reason":"completed","supervisor.rounds":2}',
        expected: '{"label":"yes"}',
      });
    }
    const window = { runId, windowMs: 100, arrivals: 1, dropped: 0, started: 1, completed: 1, failed: 0, inFlightMax: 1, inFlightEnd: 0 };
    for (let index = 0; index < 3; index++) {
      sink.writeAux({ table: 'timeseries', row: { ...window, windowStartMs: index * 100, latencyP50Ms: 90, latencyP95Ms: 90, agentCalls: 1, errors: 0, costUsd: 0.003 } });
    }
    sink.writeAux({ table: 'queue_series', row: { runId, resource: 'pool:extractor', windowStartMs: 0, windowMs: 100, queueMax: 2, queueEnd: 0, admitted: 3, rejected: 0, waitP95Ms: 5 } });
    sink.writeAux({ table: 'events', row: { runId, seq: 0, timeMs: 150, workflowId: 1, kind: 'breaker.open', subject: 'extractor', traceId: null, detail: '{}' } });
    sink.writeAux({
      table: 'dead_letters',
      row: {
        runId, seq: 0, timeMs: 190, kind: 'workflow', workflowId: 1, caseId: 'c1', repeat: 0, step: 'extractor', input: '{}', errorType: 'timeout',
        errorMessage: 'no answer', traceId: 'x', replayedRunId: null, replayedWorkflowId: null,
      },
    });
    for (const row of metrics.records(runId)) sink.writeAux({ table: 'span_metrics', row });
    sink.endRun(runId, { status: 'completed', finishedAt: 'y', virtualEndMs: 300 });
  }
  await sink.close();
  return path;
}

describe('reports/store/SCHEMA.md', () => {
  it('documents exactly the columns of every table and view', async () => {
    const db = openDatabase(await populated(), { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY rowid").pluck().all() as string[];
    expect(tables).toEqual(['meta', 'runs', 'workflows', 'strings', 'span_rows', 'spans', 'histograms', 'span_metrics', 'timeseries', 'queue_series', 'events', 'dead_letters', 'checkpoints', 'thresholds', 'sweep_points', 'recordings', 'audit']);
    for (const table of tables) {
      const columns = db.prepare(`SELECT name FROM pragma_table_xinfo('${table}')`).pluck().all();
      expect({ table, columns: documentedColumns(`\`${table}\``) }).toEqual({ table, columns });
    }
    db.close();
  });

  it('documents exactly the indexes', () => {
    expect(documentedColumns('Indexes')).toEqual([...INDEX_NAMES]);
  });

  it('has example queries that run and return rows on a populated file', async () => {
    const db = openDatabase(await populated(), { readonly: true });
    const examples = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1] as string);
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const sql of examples) {
      expect({ sql, returnsRows: db.prepare(sql).all().length > 0 }).toEqual({ sql, returnsRows: true });
    }
    db.close();
  });
});
