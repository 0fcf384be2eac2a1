/**
 * The tables written beside spans and workflows (`histograms`, `span_metrics`, `timeseries`,
 * `queue_series`, `events`, `dead_letters`, `checkpoints`, `recordings`, `audit`): their columns and
 * the row of each `AuxRecord`.
 */
import type { AuxRecord } from '../../harness/kernel/records.ts';
import { AUDIT_COLUMNS, auditValues } from './audit-rows.ts';
import { SPAN_METRICS_COLUMNS, spanMetricsValues } from './span-metrics.ts';

type SqlValue = string | number | null;

/** Columns of each auxiliary table, in the order `auxValues` returns values. */
export const AUX_COLUMNS: Readonly<Record<AuxRecord['table'], readonly string[]>> = {
  histograms: ['run_id', 'metric', 'scope', 'count', 'min_ms', 'max_ms', 'mean_ms', 'encoded'],
  span_metrics: SPAN_METRICS_COLUMNS,
  timeseries: [
    'run_id', 'window_start_ms', 'window_ms', 'arrivals', 'dropped', 'started', 'completed', 'failed',
    'in_flight_max', 'in_flight_end', 'latency_p50_ms', 'latency_p95_ms', 'agent_calls', 'errors', 'cost_usd',
  ],
  queue_series: ['run_id', 'resource', 'window_start_ms', 'window_ms', 'queue_max', 'queue_end', 'admitted', 'rejected', 'wait_p95_ms'],
  events: ['run_id', 'seq', 'time_ms', 'workflow_id', 'kind', 'subject', 'trace_id', 'detail'],
  dead_letters: [
    'run_id', 'seq', 'time_ms', 'kind', 'workflow_id', 'case_id', 'repeat', 'step', 'input', 'error_type', 'error_message',
    'trace_id', 'replayed_run_id', 'replayed_workflow_id',
  ],
  checkpoints: [
    'run_id', 'workflow_id', 'step', 'agent', 'time_ms', 'result', 'input_tokens', 'output_tokens', 'cached_tokens', 'cost_usd',
    'agent_calls', 'model_attempts', 'duration_ms', 'span_ids', 'draws',
  ],
  recordings: [
    'run_id', 'workflow_id', 'case_id', 'repeat', 'agent', 'call_index', 'attempt', 'start_ms', 'latency_ms', 'ttft_ms', 'status',
    'error_type', 'error_message', 'retry_after_ms', 'input_tokens', 'output_tokens', 'cached_tokens', 'output', 'provider', 'request_model',
  ],
  audit: AUDIT_COLUMNS,
};

/** `INSERT` statements of the auxiliary tables, one row each. */
export const AUX_INSERT_SQL: Readonly<Record<AuxRecord['table'], string>> = Object.fromEntries(
  Object.entries(AUX_COLUMNS).map(([table, columns]) => [
    table,
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  ]),
) as Record<AuxRecord['table'], string>;

/** The row of `record`, in `AUX_COLUMNS` order. */
export function auxValues(record: AuxRecord): SqlValue[] {
  switch (record.table) {
    case 'histograms': {
      const h = record.row;
      return [h.runId, h.metric, h.scope, h.count, h.minMs, h.maxMs, h.meanMs, h.encoded];
    }
    case 'span_metrics':
      return spanMetricsValues(record.row);
    case 'timeseries': {
      const w = record.row;
      return [
        w.runId, w.windowStartMs, w.windowMs, w.arrivals, w.dropped, w.started, w.completed, w.failed,
        w.inFlightMax, w.inFlightEnd, w.latencyP50Ms, w.latencyP95Ms, w.agentCalls, w.errors, w.costUsd,
      ];
    }
    case 'queue_series': {
      const q = record.row;
      return [q.runId, q.resource, q.windowStartMs, q.windowMs, q.queueMax, q.queueEnd, q.admitted, q.rejected, q.waitP95Ms];
    }
    case 'events': {
      const e = record.row;
      return [e.runId, e.seq, e.timeMs, e.workflowId, e.kind, e.subject, e.traceId, e.detail];
    }
    case 'dead_letters': {
      const d = record.row;
      return [
        d.runId, d.seq, d.timeMs, d.kind, d.workflowId, d.caseId, d.repeat, d.step, d.input, d.errorType, d.errorMessage,
        d.traceId, d.replayedRunId, d.replayedWorkflowId,
      ];
    }
    case 'checkpoints': {
      const c = record.row;
      return [
        c.runId, c.workflowId, c.step, c.agent, c.timeMs, c.result, c.inputTokens, c.outputTokens, c.cachedTokens, c.costUsd,
        c.agentCalls, c.modelAttempts, c.durationMs, c.spanIds, c.draws,
      ];
    }
    case 'recordings': {
      const r = record.row;
      return [
        r.runId, r.workflowId, r.caseId, r.repeat, r.agent, r.callIndex, r.attempt, r.startMs, r.latencyMs, r.ttftMs, r.status,
        r.errorType, r.errorMessage, r.retryAfterMs, r.inputTokens, r.outputTokens, r.cachedTokens, r.output, r.provider, r.requestModel,
      ];
    }
    case 'audit':
      return auditValues(record.row);
  }
}
