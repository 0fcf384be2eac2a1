/**
 * Trace waterfalls: for each series of a scenario, the workflow of median latency and the slowest
 * one (seeds pooled, ties broken by run and workflow id), each drawn from its spans as a tree —
 * children under their parent, in start order.
 */
import type { Db } from '../store/schema.ts';
import { seriesIndex, type ReportSeries } from './series.ts';

/** Most spans drawn per waterfall; deeper or later spans are counted, not drawn. */
export const MAX_WATERFALL_SPANS = 150;

/** A workflow picked as a sample. */
export interface SampleWorkflow {
  readonly which: 'median' | 'slowest';
  readonly runId: string;
  readonly workflowId: number;
  readonly traceId: string;
  readonly latencyMs: number;
  readonly status: string;
}

/** One span row of a waterfall, times relative to the root span's start. */
export interface WaterfallSpan {
  readonly name: string;
  readonly operation: string;
  readonly status: string;
  /** 0 for the root, 1 for its children, … */
  readonly depth: number;
  readonly startMs: number;
  readonly endMs: number;
}

/** The waterfall of one sample workflow. */
export interface Waterfall extends SampleWorkflow {
  readonly series: string;
  readonly spans: readonly WaterfallSpan[];
  /** Spans in the trace, drawn or not. */
  readonly totalSpans: number;
}

const SAMPLES = `
WITH ranked AS (
  SELECT r.pattern, r.variant, w.run_id, w.workflow_id, w.trace_id, w.latency_ms, w.status,
         row_number() OVER (PARTITION BY r.pattern, r.variant ORDER BY w.latency_ms, w.run_id, w.workflow_id) AS rank,
         count(*)     OVER (PARTITION BY r.pattern, r.variant) AS n
  FROM workflows w JOIN runs r ON r.run_id = w.run_id
  WHERE r.scenario = ?
)
SELECT pattern, variant, run_id, workflow_id, trace_id, latency_ms, status, rank, n FROM ranked
WHERE rank = (n + 1) / 2 OR rank = n
ORDER BY pattern, variant, rank`;

interface SampleRow {
  pattern: string;
  variant: string;
  run_id: string;
  workflow_id: number;
  trace_id: string;
  latency_ms: number;
  status: string;
  rank: number;
  n: number;
}

/**
 * Per series (same order as `series`): the median workflow (nearest rank, ⌈n/2⌉ by latency) and the
 * slowest; a series of one workflow gets it once, as `median`.
 */
export function sampleWorkflows(db: Db, scenario: string, series: readonly ReportSeries[]): SampleWorkflow[][] {
  const find = seriesIndex(series);
  const samples = series.map((): SampleWorkflow[] => []);
  for (const row of db.prepare(SAMPLES).all(scenario) as SampleRow[]) {
    samples[find(row.pattern, row.variant)]?.push({
      which: row.rank === Math.floor((row.n + 1) / 2) ? 'median' : 'slowest',
      runId: row.run_id,
      workflowId: row.workflow_id,
      traceId: row.trace_id,
      latencyMs: row.latency_ms,
      status: row.status,
    });
  }
  return samples;
}

interface SpanRow {
  span_id: string;
  parent_span_id: string;
  name: string;
  operation: string | null;
  status: string;
  start_ms: number;
  end_ms: number;
}

const SPANS = `
SELECT span_id, parent_span_id, name, operation, status, start_ms, end_ms
FROM spans WHERE trace_id = ? AND run_id = ? ORDER BY start_ms, span_id`;

/** The spans of a trace as a depth-first tree, at most `MAX_WATERFALL_SPANS`. */
export function waterfallSpans(db: Db, runId: string, traceId: string): { spans: WaterfallSpan[]; total: number } {
  const rows = db.prepare(SPANS).all(traceId, runId) as SpanRow[];
  const ids = new Set(rows.map((row) => row.span_id));
  const children = new Map<string, SpanRow[]>();
  for (const row of rows) {
    const parent = ids.has(row.parent_span_id) ? row.parent_span_id : '';
    const siblings = children.get(parent) ?? [];
    children.set(parent, siblings);
    siblings.push(row);
  }
  const origin = rows.reduce((earliest, row) => Math.min(earliest, row.start_ms), Number.POSITIVE_INFINITY);
  const spans: WaterfallSpan[] = [];
  const visit = (parent: string, depth: number): void => {
    for (const row of children.get(parent) ?? []) {
      if (spans.length >= MAX_WATERFALL_SPANS) return;
      spans.push({
        name: row.name,
        operation: row.operation ?? '',
        status: row.status,
        depth,
        startMs: row.start_ms - origin,
        endMs: row.end_ms - origin,
      });
      visit(row.span_id, depth + 1);
    }
  };
  visit('', 0);
  return { spans, total: rows.length };
}

/** The waterfalls of every series of `scenario`: median then slowest, series by series. */
export function waterfalls(db: Db, scenario: string, series: readonly ReportSeries[]): Waterfall[] {
  return sampleWorkflows(db, scenario, series).flatMap((samples, position) =>
    samples.map((sample) => {
      const { spans, total } = waterfallSpans(db, sample.runId, sample.traceId);
      return { ...sample, series: series[position]?.label ?? '', spans, totalSpans: total };
    }),
  );
}
