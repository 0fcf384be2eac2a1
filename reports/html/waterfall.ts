/**
 * Trace waterfalls: for each series of a scenario, the workflow of median latency and the slowest
 * one (seeds pooled, ties broken by run and workflow id), each drawn from its spans as a tree —
 * children under their parent, in start order. In a series with runs that kept only some traces
 * (`run --traces tail`), a sample whose trace was not kept gives way to the kept workflow of
 * nearest latency (the slowest is always kept).
 */
import type { Db } from '../store/schema.ts';
import type { ReportSeries } from './series.ts';

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

/** The workflow at 0-based `offset` of `runIds` in (latency, run, workflow) order, ascending or descending. */
function sampleAt(db: Db, runIds: readonly string[], offset: number, descending: boolean): SampleRow | undefined {
  const order = descending ? 'latency_ms DESC, run_id DESC, workflow_id DESC' : 'latency_ms, run_id, workflow_id';
  // The key first, from the (run_id, latency_ms) index alone (it holds the key): one run — the
  // usual large file — walks it in order; several are sorted, keeping only offset + 1 keys. Then the row.
  const key = `SELECT run_id, workflow_id FROM workflows WHERE run_id IN (${runIds.map(() => '?').join(', ')}) ORDER BY ${order} LIMIT 1 OFFSET ?`;
  const found = db.prepare(key).get(...runIds, offset) as { run_id: string; workflow_id: number } | undefined;
  if (found === undefined) return undefined;
  return db.prepare('SELECT run_id, workflow_id, trace_id, latency_ms, status FROM workflows WHERE run_id = ? AND workflow_id = ?').get(found.run_id, found.workflow_id) as SampleRow;
}

interface SampleRow {
  run_id: string;
  workflow_id: number;
  trace_id: string;
  latency_ms: number;
  status: string;
}

/** True when some run of `runIds` kept only some traces (`runs.config` records a `traces` policy other than `all`). */
function sampledTraces(db: Db, runIds: readonly string[]): boolean {
  const policies = db
    .prepare(`SELECT CASE WHEN json_valid(config) THEN json_extract(config, '$.traces') END FROM runs WHERE run_id IN (SELECT value FROM json_each(?))`)
    .pluck()
    .all(JSON.stringify(runIds)) as unknown[];
  return policies.some((policy) => typeof policy === 'string' && policy !== 'all');
}

const KEPT = 'EXISTS (SELECT 1 FROM span_rows s WHERE s.trace_id = w.trace_id)';

/** `row` when its trace is kept; else the workflow of `runIds` with a kept trace nearest it in latency (the faster on a tie); undefined when none. */
function keptNearest(db: Db, runIds: readonly string[], row: SampleRow): SampleRow | undefined {
  if (db.prepare('SELECT 1 FROM span_rows WHERE trace_id = ? LIMIT 1').get(row.trace_id) !== undefined) return row;
  const runs = runIds.map(() => '?').join(', ');
  const near = (comparison: string, order: string): SampleRow | undefined =>
    db
      .prepare(`SELECT run_id, workflow_id, trace_id, latency_ms, status FROM workflows w WHERE run_id IN (${runs}) AND latency_ms ${comparison} ? AND ${KEPT} ORDER BY ${order} LIMIT 1`)
      .get(...runIds, row.latency_ms) as SampleRow | undefined;
  const below = near('<=', 'latency_ms DESC, run_id DESC, workflow_id DESC');
  const above = near('>=', 'latency_ms, run_id, workflow_id');
  if (below === undefined || above === undefined) return below ?? above;
  return above.latency_ms - row.latency_ms < row.latency_ms - below.latency_ms ? above : below;
}

const sample = (which: SampleWorkflow['which'], row: SampleRow): SampleWorkflow => ({
  which,
  runId: row.run_id,
  workflowId: row.workflow_id,
  traceId: row.trace_id,
  latencyMs: row.latency_ms,
  status: row.status,
});

/**
 * Per series (same order as `series`): the median workflow (nearest rank, ⌈n/2⌉ by latency, ties
 * by run and workflow id) and the slowest; a series of one workflow gets it once, as `median`.
 */
export function sampleWorkflows(db: Db, series: readonly ReportSeries[]): SampleWorkflow[][] {
  return series.map((entry) => {
    const n = entry.workflows;
    if (n === 0 || entry.runIds.length === 0) return [];
    const kept = sampledTraces(db, entry.runIds) ? (row: SampleRow | undefined) => (row === undefined ? undefined : keptNearest(db, entry.runIds, row)) : (row: SampleRow | undefined) => row;
    const median = kept(sampleAt(db, entry.runIds, Math.floor((n + 1) / 2) - 1, false));
    const slowest = n === 1 ? undefined : kept(sampleAt(db, entry.runIds, 0, true));
    return [...(median === undefined ? [] : [sample('median', median)]), ...(slowest === undefined ? [] : [sample('slowest', slowest)])];
  });
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

/** The waterfalls of every series (of one scenario): median then slowest, series by series. */
export function waterfalls(db: Db, series: readonly ReportSeries[]): Waterfall[] {
  return sampleWorkflows(db, series).flatMap((samples, position) =>
    samples.map((sample) => {
      const { spans, total } = waterfallSpans(db, sample.runId, sample.traceId);
      return { ...sample, series: series[position]?.label ?? '', spans, totalSpans: total };
    }),
  );
}
