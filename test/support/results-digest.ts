/**
 * A digest of a results file's content, table by table, for "these two files hold the same rows"
 * claims (merged shards against the unsharded run): `rows:sha256` of every row of every table that
 * means something, decoded (spans through the `spans` view, not their file-local string ids) and in
 * key order. Wall-clock times and shard labels are left out: they say how a run was made, not what
 * it measured. The same scheme as `test/sweep-shard-merge.test.ts`, over every table.
 */
import { createHash } from 'node:crypto';
import { hasTable } from '../../reports/store/merge/merge-copy.ts';
import { openDatabase } from '../../reports/store/schema.ts';

const QUERIES: Readonly<Record<string, string>> = {
  runs: 'SELECT run_id, scenario, pattern, variant, seed, epoch_ms, config, status, virtual_end_ms, clock, load, audit_rows, audit_head FROM runs ORDER BY run_id',
  workflows: 'SELECT * FROM workflows ORDER BY run_id, workflow_id',
  spans: 'SELECT * FROM spans ORDER BY trace_id, span_id',
  checkpoints: 'SELECT * FROM checkpoints ORDER BY run_id, workflow_id, step',
  histograms: 'SELECT * FROM histograms ORDER BY run_id, metric, scope',
  span_metrics: 'SELECT * FROM span_metrics ORDER BY run_id, operation, agent_name, request_model',
  timeseries: 'SELECT * FROM timeseries ORDER BY run_id, window_start_ms',
  queue_series: 'SELECT * FROM queue_series ORDER BY run_id, resource, window_start_ms',
  events: 'SELECT * FROM events ORDER BY run_id, seq',
  dead_letters: 'SELECT * FROM dead_letters ORDER BY run_id, seq',
  thresholds: 'SELECT * FROM thresholds ORDER BY run_id, expression',
  audit: 'SELECT * FROM audit ORDER BY run_id, seq',
  recordings: 'SELECT * FROM recordings ORDER BY run_id, workflow_id, agent, call_index, attempt',
  sweep_points: 'SELECT * FROM sweep_points ORDER BY run_id, axis',
};

/** `{ table: "rows:sha256" }` for every table of `QUERIES` the file has (`spans` always). */
export function resultsDigest(path: string): Record<string, string> {
  const db = openDatabase(path, { readonly: true });
  try {
    const digest: Record<string, string> = {};
    for (const [table, sql] of Object.entries(QUERIES)) {
      if (table !== 'spans' && !hasTable(db, table)) continue;
      const rows = db.prepare(sql).raw().all();
      digest[table] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`;
    }
    return digest;
  } finally {
    db.close();
  }
}
