import { describe, expect, it } from 'vitest';
import { listSeries } from '../reports/html/series.ts';
import { sampleWorkflows, waterfallSpans } from '../reports/html/waterfall.ts';
import { openDatabase, type Db } from '../reports/store/schema.ts';

/** Two seeds of one pattern (latencies pooled) and one single-workflow pattern, with hand-made spans. */
function handMadeDb(): Db {
  const db = openDatabase(':memory:');
  const run = db.prepare(
    `INSERT INTO runs (run_id, scenario, pattern, variant, seed, epoch_ms, config, started_at, status) VALUES (?, 's', ?, 'base', ?, 0, '{}', '', 'completed')`,
  );
  const workflow = db.prepare(
    `INSERT INTO workflows (run_id, workflow_id, case_id, repeat, status, intended_start_ms, start_ms, end_ms, latency_ms, service_ms,
       input_tokens, output_tokens, cached_tokens, cost_usd, agent_calls, model_attempts, trace_id)
     VALUES (?, ?, 'c', 0, 'completed', 0, 0, ?, ?, ?, 0, 0, 0, 0, 1, 1, ?)`,
  );
  run.run('r1', 'sequential', 1);
  run.run('r2', 'sequential', 2);
  run.run('r3', 'fanout', 1);
  // Pooled sequential latencies: 10, 20, 30, 40, 50 → median (rank ⌈5/2⌉ = 3) is 30 (r2 #0), slowest 50 (r1 #2).
  [['r1', 0, 10], ['r1', 1, 40], ['r1', 2, 50], ['r2', 0, 30], ['r2', 1, 20], ['r3', 0, 7]].forEach(([runId, id, latency]) =>
    workflow.run(runId, id, latency, latency, latency, `${runId}-trace-${id}`),
  );
  const span = db.prepare(
    `INSERT INTO spans (run_id, trace_id, span_id, parent_span_id, workflow_id, name, kind, start_ms, end_ms, status, status_message, operation, attributes, events)
     VALUES ('r2', 'r2-trace-0', ?, ?, 0, ?, 'internal', ?, ?, ?, '', ?, '{}', '[]')`,
  );
  span.run('a', '', 'invoke_workflow s', 100, 130, 'ok', 'invoke_workflow');
  span.run('c', 'a', 'invoke_agent second', 115, 130, 'ok', 'invoke_agent');
  span.run('b', 'a', 'invoke_agent first', 100, 115, 'error', 'invoke_agent');
  span.run('d', 'b', 'chat m', 101, 110, 'error', 'chat');
  span.run('e', 'c', 'chat m', 116, 129, 'ok', 'chat');
  return db;
}

describe('trace waterfall samples', () => {
  it('picks the median-latency and the slowest workflow of each pattern, seeds pooled', () => {
    const db = handMadeDb();
    const samples = sampleWorkflows(db, listSeries(db, 's'));
    db.close();
    const picked = samples.map((list) => list.map((sample) => [sample.which, sample.runId, sample.workflowId, sample.latencyMs]));
    // listSeries orders by pattern: fanout, then sequential.
    expect(picked).toEqual([
      [['median', 'r3', 0, 7]],
      [
        ['median', 'r2', 0, 30],
        ['slowest', 'r1', 2, 50],
      ],
    ]);
  });

  it('lays the spans out depth first, children under their parent in start order, times from the root', () => {
    const db = handMadeDb();
    const { spans, total } = waterfallSpans(db, 'r2', 'r2-trace-0');
    db.close();
    expect(total).toBe(5);
    expect(spans.map((span) => [span.depth, span.name, span.startMs, span.endMs, span.status])).toEqual([
      [0, 'invoke_workflow s', 0, 30, 'ok'],
      [1, 'invoke_agent first', 0, 15, 'error'],
      [2, 'chat m', 1, 10, 'error'],
      [1, 'invoke_agent second', 15, 30, 'ok'],
      [2, 'chat m', 16, 29, 'ok'],
    ]);
  });
});
