import type { SpanRecord } from '../../harness/kernel/records.ts';
import { hasTable } from '../../reports/store/merge/merge-copy.ts';
import { openDatabase } from '../../reports/store/schema.ts';

/** Every row of `runs`, `workflows`, `spans`, the derived tables (histograms, span metrics, series, events), in a stable order, and the index names. */
export function dumpDatabase(path: string, options: { readonly withoutWallClock?: boolean } = {}): Record<string, unknown[]> {
  const db = openDatabase(path, { readonly: true });
  try {
    const runs = db.prepare('SELECT * FROM runs ORDER BY run_id').all() as Record<string, unknown>[];
    return {
      runs: options.withoutWallClock === true ? runs.map((row) => ({ ...row, started_at: null, finished_at: null })) : runs,
      workflows: db.prepare('SELECT * FROM workflows ORDER BY run_id, workflow_id').all(),
      // The view scans span_rows in rowid (storage) order; it has no rowid to order by.
      spans: db.prepare('SELECT * FROM spans').all(),
      strings: db.prepare('SELECT * FROM strings ORDER BY id').all(),
      histograms: db.prepare('SELECT * FROM histograms ORDER BY run_id, metric, scope').all(),
      span_metrics: hasTable(db, 'span_metrics') ? db.prepare('SELECT * FROM span_metrics ORDER BY run_id, operation, agent_name, request_model').all() : [],
      timeseries: db.prepare('SELECT * FROM timeseries ORDER BY run_id, window_start_ms').all(),
      queue_series: db.prepare('SELECT * FROM queue_series ORDER BY run_id, resource, window_start_ms').all(),
      events: db.prepare('SELECT * FROM events ORDER BY run_id, seq').all(),
      indexes: db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name").pluck().all(),
    };
  } finally {
    db.close();
  }
}

/** A minimal span; writing it twice must trip the unique (trace, span) index. */
export const LONE_SPAN: SpanRecord = Object.freeze({
  runId: 'r', traceId: '1'.repeat(32), spanId: '2'.repeat(16), parentSpanId: '', workflowId: 0, name: 'x',
  kind: 'internal', startMs: 0, endMs: 1, status: 'ok', statusMessage: '', attributes: {}, events: [],
});

/** The query of a file's own secondary indexes (not SQLite's automatic ones), by name. */
export const INDEXES_SQL = "SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name";

/** The names of the secondary indexes of the results file at `path`, sorted. */
export function indexNames(path: string): string[] {
  const db = openDatabase(path, { readonly: true });
  try {
    return db.prepare(INDEXES_SQL).pluck().all() as string[];
  } finally {
    db.close();
  }
}
