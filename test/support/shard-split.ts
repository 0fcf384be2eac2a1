/**
 * Shards made by hand for merge tests: a real single-run results file split by workflow_id parity,
 * and derived per-run tables (histograms, time series, queue series, events) rebuilt from each
 * file's own workflow rows — computed here in JavaScript, independently of the merge's SQL — and
 * span metrics folded from each file's own spans (as the run folds them as they end).
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DurationHistogram } from '../../harness/kernel/hdr.ts';
import { nearestRankIndex } from '../../harness/kernel/statistics.ts';
import { SpanMetricsFold, spanMetricsValues, SPAN_METRICS_COLUMNS } from '../../reports/store/span-metrics.ts';
import { spanRowToRecord, type SpanRow } from '../../reports/store/sqlite-sink.ts';

/** Width of the time-series windows written by `writeDerivedTables`. */
export const WINDOW_MS = 5000;

interface WorkflowRow {
  run_id: string;
  workflow_id: number;
  status: string;
  intended_start_ms: number;
  start_ms: number;
  end_ms: number;
  latency_ms: number;
  service_ms: number;
  cost_usd: number;
  agent_calls: number;
}

/** Copies `original` into `<folder>/shard-1.db` and `shard-2.db`, keeping even / odd workflows, with runs.shard `1/2` / `2/2`. */
export function splitByParity(original: string, folder: string): [string, string] {
  const paths = [1, 2].map((shard) => {
    const path = join(folder, `shard-${shard}.db`);
    copyFileSync(original, path);
    const db = new Database(path);
    db.prepare('DELETE FROM workflows WHERE workflow_id % 2 != ?').run(shard - 1);
    db.prepare('DELETE FROM spans WHERE workflow_id % 2 != ?').run(shard - 1);
    db.prepare('DELETE FROM dead_letters WHERE workflow_id % 2 != ?').run(shard - 1);
    db.prepare('DELETE FROM checkpoints WHERE workflow_id % 2 != ?').run(shard - 1);
    db.prepare('UPDATE runs SET shard = ?').run(`${shard}/2`);
    db.close();
    writeDerivedTables(path);
    writeSpanMetrics(path);
    return path;
  });
  return paths as [string, string];
}

function windowOf(ms: number): number {
  return Math.floor(ms / WINDOW_MS) * WINDOW_MS;
}

function histogramRow(values: readonly number[]): [number, number | null, number | null, number | null, string] {
  const histogram = DurationHistogram.create();
  for (const value of values) histogram.record(value);
  const mean = values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
  return [values.length, values.length === 0 ? null : Math.min(...values), values.length === 0 ? null : Math.max(...values), mean, histogram.encode()];
}

/** Per window: arrivals, started, completed, failed, agent calls, cost and nearest-rank p50/p95 of the workflows ending in it. */
function windows(workflows: readonly WorkflowRow[]): Map<number, { arrivals: number; started: number; completed: number; failed: number; calls: number; cost: number; latencies: number[] }> {
  const byWindow = new Map<number, { arrivals: number; started: number; completed: number; failed: number; calls: number; cost: number; latencies: number[] }>();
  const at = (ms: number) => {
    const key = windowOf(ms);
    const entry = byWindow.get(key) ?? { arrivals: 0, started: 0, completed: 0, failed: 0, calls: 0, cost: 0, latencies: [] };
    byWindow.set(key, entry);
    return entry;
  };
  for (const workflow of workflows) {
    at(workflow.intended_start_ms).arrivals++;
    at(workflow.start_ms).started++;
    const end = at(workflow.end_ms);
    if (workflow.status === 'completed') end.completed++;
    else end.failed++;
    end.calls += workflow.agent_calls;
    end.cost += workflow.cost_usd;
    end.latencies.push(workflow.latency_ms);
  }
  return byWindow;
}

/** Replaces histograms, timeseries, queue_series and events of every run in `path` with ones computed from its workflows. */
export function writeDerivedTables(path: string): void {
  const db = new Database(path);
  db.exec('DELETE FROM histograms; DELETE FROM timeseries; DELETE FROM queue_series; DELETE FROM events; DELETE FROM thresholds;');
  const runIds = db.prepare('SELECT run_id FROM runs ORDER BY run_id').pluck().all() as string[];
  const insertHistogram = db.prepare('INSERT INTO histograms VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  // in_flight_max/in_flight_end stand-ins: per-window counts, additive over shards as the real ones are
  const insertWindow = db.prepare('INSERT INTO timeseries VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertQueue = db.prepare("INSERT INTO queue_series VALUES (?, 'pool:test', ?, ?, ?, 0, ?, 0, NULL)");
  const insertEvent = db.prepare("INSERT INTO events VALUES (?, ?, ?, ?, 'test.end', ?, ?, '{}')");
  for (const runId of runIds) {
    const workflows = db.prepare('SELECT * FROM workflows WHERE run_id = ? ORDER BY workflow_id').all(runId) as WorkflowRow[];
    insertHistogram.run(runId, 'workflow.latency', '', ...histogramRow(workflows.map((workflow) => workflow.latency_ms)));
    insertHistogram.run(runId, 'workflow.service', '', ...histogramRow(workflows.map((workflow) => workflow.service_ms)));
    const agents = db.prepare("SELECT agent_name, duration_ms FROM spans WHERE run_id = ? AND operation = 'invoke_agent'").raw().all(runId) as [string, number][];
    for (const agent of [...new Set(agents.map(([name]) => name))].sort()) {
      insertHistogram.run(runId, 'agent.duration', agent, ...histogramRow(agents.filter(([name]) => name === agent).map(([, ms]) => ms)));
    }
    for (const [start, entry] of [...windows(workflows)].sort(([a], [b]) => a - b)) {
      const sorted = [...entry.latencies].sort((a, b) => a - b);
      const quantile = (q: number): number | null => (sorted.length === 0 ? null : (sorted[nearestRankIndex(sorted.length, q)] as number));
      insertWindow.run(runId, start, WINDOW_MS, entry.arrivals, entry.started, entry.completed, entry.failed, entry.started, entry.completed, quantile(0.5), quantile(0.95), entry.calls, entry.failed, entry.cost);
      insertQueue.run(runId, start, WINDOW_MS, entry.started, entry.started);
    }
    const ends = [...workflows].sort((a, b) => a.end_ms - b.end_ms || a.workflow_id - b.workflow_id);
    ends.forEach((workflow, seq) => insertEvent.run(runId, seq, workflow.end_ms, workflow.workflow_id, workflow.status, null));
  }
  db.close();
}

/** Replaces the span metrics of every run in `path` with the fold of its stored spans. */
export function writeSpanMetrics(path: string): void {
  const db = new Database(path);
  db.exec('DELETE FROM span_metrics');
  const insert = db.prepare(`INSERT INTO span_metrics (${SPAN_METRICS_COLUMNS.join(', ')}) VALUES (${SPAN_METRICS_COLUMNS.map(() => '?').join(', ')})`);
  for (const runId of db.prepare('SELECT run_id FROM runs ORDER BY run_id').pluck().all() as string[]) {
    const fold = new SpanMetricsFold();
    for (const row of db.prepare('SELECT * FROM spans WHERE run_id = ?').iterate(runId) as IterableIterator<SpanRow>) fold.add(spanRowToRecord(row));
    for (const record of fold.records(runId)) insert.run(spanMetricsValues(record));
  }
  db.close();
}
