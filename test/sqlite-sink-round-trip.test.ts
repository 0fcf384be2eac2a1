import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord, SpanRecord, WorkflowRecord } from '../harness/kernel/records.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { spanRowToRecord, SqliteSink, workflowRowToRecord, type SpanRow, type WorkflowRow } from '../reports/store/sqlite-sink.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-sqlite-round-trip-'));

const run: RunRecord = {
  runId: 'triage/sequential/base/7', scenario: 'triage', pattern: 'sequential', variant: 'base', seed: 7,
  epochMs: 1_767_225_600_000, config: '{"name":"triage"}', startedAt: '2026-01-01T00:00:00.000Z',
};

const hex = (value: number, width: number): string => value.toString(16).padStart(width, '0');

/**
 * An `invoke_agent` span as the agent-span interceptor writes it (extracted + other attributes),
 * with a cost as model attempts carry it (`gen_ai.usage.cost.amount`), so every extracted column is filled.
 */
function agentSpan(index: number): SpanRecord {
  return {
    runId: run.runId, traceId: hex(index >> 2, 32), spanId: hex(index + 1, 16), parentSpanId: hex(1_000_000 + (index >> 2), 16),
    workflowId: index >> 2, name: 'invoke_agent extractor', kind: 'internal', startMs: index * 10.125, endMs: index * 10.125 + 812.5,
    status: 'ok', statusMessage: '',
    attributes: {
      'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'extractor', 'gen_ai.agent.id': 'triage.extractor',
      'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'session.id': hex(index >> 2, 32),
      'gen_ai.usage.input_tokens': 1000 + index, 'gen_ai.usage.output_tokens': 250, 'gen_ai.usage.cache_read.input_tokens': 128,
      'gen_ai.usage.cost.amount': 0.000_412_5 * (index + 1), 'gen_ai.usage.cost.currency': 'USD', 'gen_ai.usage.cost.source': 'estimated',
      'gen_ai.agent.description': 'pulls clauses', 'patternbench.attempts': 1,
    },
    events: [],
  };
}

/** Spans whose shapes the fast path must not flatten: no attributes, events, odd types, errors. */
const unusual: SpanRecord[] = [
  {
    runId: run.runId, traceId: hex(9999, 32), spanId: 'aaaaaaaaaaaaaaaa', parentSpanId: '', workflowId: 9999,
    name: 'invoke_workflow triage', kind: 'internal', startMs: 0, endMs: 1500.75, status: 'error', statusMessage: 'timeout after 30s',
    attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'error.type': 'timeout', 'patternbench.cache': true, 'ratio': 0.5 },
    events: [{ name: 'gen_ai.evaluation.result', timeMs: 1500.75, attributes: { 'gen_ai.evaluation.score.value': 0, 'gen_ai.evaluation.score.label': 'incorrect' } }],
  },
  {
    runId: run.runId, traceId: hex(9999, 32), spanId: 'bbbbbbbbbbbbbbbb', parentSpanId: 'aaaaaaaaaaaaaaaa', workflowId: 9999,
    name: 'chat gpt-4o', kind: 'client', startMs: 1, endMs: 1, status: 'unset', statusMessage: '',
    attributes: {}, events: [],
  },
  {
    // Extracted names with values of another type stay in the JSON and come back with their type.
    runId: run.runId, traceId: hex(9999, 32), spanId: 'cccccccccccccccc', parentSpanId: 'aaaaaaaaaaaaaaaa', workflowId: 9999,
    name: 'execute_tool search', kind: 'internal', startMs: 2, endMs: 3, status: 'ok', statusMessage: '',
    attributes: { 'gen_ai.usage.input_tokens': '12', 'gen_ai.usage.cost.amount': 'free', 'gen_ai.agent.name': 7, 'session.id': false, 'error.type': '' },
    events: [],
  },
];

function workflow(workflowId: number, overrides: Partial<WorkflowRecord> = {}): WorkflowRecord {
  return {
    runId: run.runId, workflowId, caseId: `case-${workflowId % 13}`, repeat: workflowId % 2, status: 'completed',
    intendedStartMs: workflowId * 100, startMs: workflowId * 100 + 2.5, endMs: workflowId * 100 + 900.25, latencyMs: 900.25, serviceMs: 897.75,
    inputTokens: 4000, outputTokens: 1000, cachedTokens: 512, costUsd: 0.00165, agentCalls: 4, modelAttempts: 5,
    correct: true, score: 1, errorType: null, failedStep: null, output: '{"label":"high"}', traceId: hex(workflowId, 32),
    facts: workflowId % 3 === 0 ? '{"fanout.lost_updates":2,"fanout.deadline_hit":true}' : null,
    expected: workflowId % 2 === 0 ? '{"label":"billing"}' : null,
    ...overrides,
  };
}

describe('SqliteSink round trip', () => {
  // 450 spans: more than one 200-row statement, so both the bulk and the single-row paths run.
  const spans = [...Array.from({ length: 450 }, (_, index) => agentSpan(index)), ...unusual];
  const workflows = [
    ...Array.from({ length: 230 }, (_, index) => workflow(index)),
    workflow(500, { status: 'failed', correct: null, score: null, errorType: 'rate_limit', failedStep: 'extractor', output: null }),
    workflow(501, { correct: false, score: 0.25 }),
  ];

  async function writeAll(path: string): Promise<void> {
    const sink = SqliteSink.open(path, { batchSize: 300 });
    sink.beginRun(run);
    spans.forEach((span, index) => {
      sink.writeSpan(span);
      if (index < workflows.length) sink.writeWorkflow(workflows[index] as WorkflowRecord);
    });
    sink.endRun(run.runId, { status: 'completed', finishedAt: '2026-01-01T00:01:00.000Z', virtualEndMs: 50_000.5 });
    await sink.close();
  }

  it('reads back every span exactly, extracted columns merged into the attributes', async () => {
    const path = join(folder, 'spans.db');
    await writeAll(path);
    const db = openDatabase(path, { readonly: true });
    const rows = db.prepare('SELECT * FROM spans').all() as SpanRow[];
    db.close();
    expect(rows.map(spanRowToRecord)).toEqual(spans);
  });

  it('stores the GenAI attributes in their columns and the rest as JSON', async () => {
    const path = join(folder, 'columns.db');
    await writeAll(path);
    const db = openDatabase(path, { readonly: true });
    const first = db.prepare('SELECT * FROM spans LIMIT 1').get() as SpanRow;
    const odd = db.prepare("SELECT * FROM spans WHERE span_id = 'cccccccccccccccc'").get() as SpanRow;
    db.close();
    expect(first).toMatchObject({
      operation: 'invoke_agent', agent_name: 'extractor', agent_id: 'triage.extractor', provider: 'openai',
      request_model: 'gpt-4o-mini', input_tokens: 1000, output_tokens: 250, cached_tokens: 128, cost_usd: 0.000_412_5, cost_currency: 'USD', cost_source: 'estimated',
      error_type: null, session_id: hex(0, 32), duration_ms: 812.5, events: '[]',
    });
    expect(JSON.parse(first.attributes)).toEqual({ 'gen_ai.agent.description': 'pulls clauses', 'patternbench.attempts': 1 });
    expect(odd).toMatchObject({ input_tokens: null, cost_usd: null, agent_name: null, session_id: null, error_type: '' });
  });

  it('reads back every workflow exactly, correct as true/false/null', async () => {
    const path = join(folder, 'workflows.db');
    await writeAll(path);
    const db = openDatabase(path, { readonly: true });
    const rows = db.prepare('SELECT * FROM workflows ORDER BY workflow_id').all() as WorkflowRow[];
    const correct = db.prepare('SELECT correct FROM workflows WHERE workflow_id IN (0, 500, 501) ORDER BY workflow_id').pluck().all();
    db.close();
    expect(rows.map(workflowRowToRecord)).toEqual(workflows);
    expect(correct).toEqual([1, null, 0]);
  });

  it('writes the run row at beginRun and its end at endRun', async () => {
    const path = join(folder, 'runs.db');
    const sink = SqliteSink.open(path);
    sink.beginRun(run);
    expect(sink.db.prepare('SELECT status, finished_at, virtual_end_ms FROM runs').get()).toEqual({
      status: 'running', finished_at: null, virtual_end_ms: null,
    });
    sink.endRun(run.runId, { status: 'interrupted', finishedAt: '2026-01-01T00:01:00.000Z', virtualEndMs: 42.5 });
    await sink.close();
    const db = openDatabase(path, { readonly: true });
    expect(db.prepare('SELECT * FROM runs').all()).toEqual([{
      run_id: run.runId, scenario: 'triage', pattern: 'sequential', variant: 'base', seed: 7, epoch_ms: 1_767_225_600_000,
      config: '{"name":"triage"}', started_at: '2026-01-01T00:00:00.000Z', finished_at: '2026-01-01T00:01:00.000Z',
      status: 'interrupted', virtual_end_ms: 42.5, clock: 'virtual', load: '{}', shard: '', audit_rows: null, audit_head: null,
    }]);
    db.close();
  });

  it('refuses endRun for a run it never began (USAGE)', async () => {
    const sink = SqliteSink.open(':memory:');
    expect(() => sink.endRun('nope', { status: 'completed', finishedAt: 'x', virtualEndMs: 0 })).toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('nope') }),
    );
    await sink.close();
  });
});
