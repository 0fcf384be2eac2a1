/**
 * Merging the `histograms` rows of one (run, metric, scope) from several shards: the HDR
 * histograms add exactly (`DurationHistogram.add`), so every quantile of the merged row is the
 * one the unsharded run would have recorded. count, min, max and mean are combined exactly from
 * the rows' own columns (count-weighted mean), not read back from the 0.1 %-precision buckets.
 */
import { HarnessError } from '../../../harness/kernel/errors.ts';
import { DurationHistogram } from '../../../harness/kernel/hdr.ts';
import { groupBy } from '../../../harness/kernel/keyed.ts';
import type { Db } from '../schema.ts';

/** A `histograms` row as stored. */
export interface HistogramRow {
  readonly run_id: string;
  readonly metric: string;
  readonly scope: string;
  readonly count: number;
  readonly min_ms: number | null;
  readonly max_ms: number | null;
  readonly mean_ms: number | null;
  readonly encoded: string;
}

/** Rows of the given runs in `db`. */
export function readHistograms(db: Db, runIds: readonly string[]): HistogramRow[] {
  // In the order written: a scan through the key's index (the plan SQLite may choose, with or without `ANALYZE`'s statistics) would order them by key.
  return db.prepare('SELECT * FROM histograms WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY rowid').all(JSON.stringify(runIds)) as HistogramRow[];
}

function extreme(values: readonly (number | null)[], pick: (...numbers: number[]) => number): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : pick(...present);
}

/** One row from rows of the same (run, metric, scope). */
export function mergeHistogramRows(rows: readonly HistogramRow[]): HistogramRow {
  const first = rows[0];
  if (first === undefined) throw new HarnessError('USAGE', 'mergeHistogramRows needs at least one row');
  if (rows.length === 1) return first;
  const merged = DurationHistogram.create();
  for (const row of rows) merged.add(DurationHistogram.decode(row.encoded));
  const count = rows.reduce((sum, row) => sum + row.count, 0);
  if (merged.count !== count) {
    throw new HarnessError('MERGE_CONFLICT', `histogram ${first.metric}/${first.scope} of run ${first.run_id}: the encoded histograms hold ${merged.count} values, the rows say ${count}`);
  }
  const weighted = rows.reduce((sum, row) => sum + (row.mean_ms ?? 0) * row.count, 0);
  return {
    ...first,
    count,
    min_ms: extreme(rows.map((row) => row.min_ms), Math.min),
    max_ms: extreme(rows.map((row) => row.max_ms), Math.max),
    mean_ms: count === 0 ? null : weighted / count,
    encoded: merged.encode(),
  };
}

/** Merges rows read from every input by (run, metric, scope) and inserts them into `target`. */
export function writeMergedHistograms(target: Db, rows: readonly HistogramRow[]): void {
  const groups = groupBy(rows, (row) => JSON.stringify([row.run_id, row.metric, row.scope]));
  const insert = target.prepare(
    'INSERT INTO histograms (run_id, metric, scope, count, min_ms, max_ms, mean_ms, encoded) VALUES (@run_id, @metric, @scope, @count, @min_ms, @max_ms, @mean_ms, @encoded)',
  );
  for (const group of groups.values()) insert.run(mergeHistogramRows(group));
}
