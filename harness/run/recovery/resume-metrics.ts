/**
 * A resumed run's metrics count the workflows finished before the interruption: their arrivals,
 * starts and ends (time series, latency and service histograms) and their spans (agent calls and
 * failed model attempts per window) are fed, in time order, into the new run's `RunMetrics` before
 * it goes on. Queue series and waits of shared resources are not in the rows, so a resumed run's
 * `queue_series` and `queue.wait` cover only what ran after the interruption.
 */
import type { SpanRecord } from '../../kernel/records.ts';
import type { RunMetrics } from '../run-metrics.ts';
import { openDatabase } from '../../../reports/store/schema.ts';
import { workflowRowToRecord, type WorkflowRow } from '../../../reports/store/sqlite-sink.ts';

/** Start (1), arrival-and-start (2) and end (0) of each workflow, ends first at equal times. */
const WORKFLOW_EVENTS = `
SELECT 0 AS event, end_ms AS at, * FROM workflows WHERE run_id = @runId
UNION ALL SELECT 1, intended_start_ms, * FROM workflows WHERE run_id = @runId
UNION ALL SELECT 2, start_ms, * FROM workflows WHERE run_id = @runId
ORDER BY at, event, workflow_id`;

const SPAN: SpanRecord = {
  runId: '', traceId: '', spanId: '', parentSpanId: '', workflowId: 0, name: '', kind: 'internal',
  startMs: 0, endMs: 0, status: 'ok', statusMessage: '', attributes: {}, events: [],
};

/** Feeds the rows the run `runId` has in the file at `dbPath` into `metrics`. */
export function restoreRunMetrics(dbPath: string, runId: string, metrics: RunMetrics): void {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    for (const row of db.prepare(WORKFLOW_EVENTS).iterate({ runId }) as Iterable<WorkflowRow & { event: number; at: number }>) {
      if (row.event === 0) metrics.ended(workflowRowToRecord(row));
      else if (row.event === 1) metrics.arrival(row.at);
      else metrics.started(row.at);
    }
    const spans = db.prepare(
      "SELECT end_ms, operation, status FROM spans WHERE run_id = ? AND (operation = 'invoke_agent' OR (operation = 'chat' AND status = 'error'))",
    );
    for (const span of spans.iterate(runId) as Iterable<{ end_ms: number; operation: string; status: SpanRecord['status'] }>) {
      metrics.span({ ...SPAN, endMs: span.end_ms, status: span.status, attributes: { 'gen_ai.operation.name': span.operation } });
    }
  } finally {
    db.close();
  }
}
