/**
 * One run's parts — the slices of `run --workers`, files this process has just written and closed —
 * merged into a new file one part at a time, in part order, as `merge` combines the shards of a
 * run: each part's whole tables are copied and its per-run tables staged when it is added, so the
 * copying can go on while later parts still run; `finish` folds the staged tables (after widening
 * the series of parts whose windows are narrower than the widest: a part's series widens pairwise
 * when its last event passes its 3,600th window), runs the caller's corrections, builds the indexes
 * and moves the file into place. The rows are those `merge` writes for the same parts in the same
 * order. Parts are not page-checked again (`OWN_INPUTS_READER`) and not checked for stray
 * workflows: they are the caller's own.
 */
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { HarnessError } from '../../../harness/kernel/errors.ts';
import { openResultsReadonly } from '../open-results.ts';
import type { Db } from '../schema.ts';
import { combineRunParts, type RunPart, type RunRow } from './merge-runs.ts';
import { stagingName } from './merge-series.ts';
import {
  buildIndexes, copyMeta, copyWholeTables, createOutput, foldPerRunTables, insertRunStatement, OWN_INPUTS_READER, stagePerRunTables, startStaging,
  type StagedParts,
} from './merge.ts';

/** The staged series of the parts, each narrower part's windows folded into windows of `:width` (as `run --workers` widened them in the parts' own files). */
const WIDENED = `
INSERT INTO temp.widened (run_id, window_start_ms, window_ms, arrivals, dropped, started, completed, failed,
  in_flight_max, in_flight_end, latency_p50_ms, latency_p95_ms, agent_calls, errors, cost_usd, source_input)
SELECT run_id, window * :width, :width, sum(arrivals), sum(dropped), sum(started), sum(completed), sum(failed),
  max(in_flight_max), (SELECT t.in_flight_end FROM temp.old_series t WHERE t.run_id = o.run_id AND t.window = o.window ORDER BY t.window_start_ms DESC LIMIT 1),
  NULL, NULL, sum(agent_calls), sum(errors), sum(cost_usd), :input
FROM temp.old_series o GROUP BY run_id, window ORDER BY 2`;

export class RunJoin {
  readonly #folder: string;
  readonly #temporary: string;
  readonly #target: Db;
  readonly #parts: RunPart[] = [];
  readonly #staged: StagedParts;
  #closed = false;

  /**
   * Starts the join of run `runId` into a new file at `outPath` (written beside it and moved into
   * place by `finish`).
   */
  constructor(
    private readonly outPath: string,
    private readonly runId: string,
  ) {
    this.#folder = mkdtempSync(join(dirname(resolve(outPath)), '.patternbench-join-'));
    this.#temporary = join(this.#folder, basename(outPath));
    this.#target = createOutput(this.#temporary);
    this.#staged = startStaging(this.#target, [runId]);
  }

  /** Parts added so far. */
  get parts(): number {
    return this.#parts.length;
  }

  /** Adds the part in the results file at `path` (the next in part order): copies its rows and stages its per-run tables. */
  add(path: string): void {
    const db = openResultsReadonly(path, OWN_INPUTS_READER);
    try {
      const input = { path, db };
      const rows = db.prepare('SELECT * FROM runs ORDER BY run_id').all() as RunRow[];
      if (rows.length !== 1 || rows[0]?.run_id !== this.runId) throw new HarnessError('MERGE_CONFLICT', `${path} is not a part of run ${this.runId} alone`);
      this.#parts.push({ row: rows[0], input: path });
      this.#target.transaction(() => copyMeta(this.#target, input))();
      copyWholeTables(this.#target, path);
      this.#target.transaction(() => stagePerRunTables(this.#target, input, this.#parts.length - 1, this.#staged))();
    } finally {
      db.close();
    }
  }

  /**
   * Writes the run's row and its folded per-run tables, runs `correct` on the output (in the same
   * transaction), builds the indexes and moves the file to `outPath`.
   */
  finish(correct: (output: Db) => void): void {
    try {
      this.#target.transaction(() => {
        insertRunStatement(this.#target).run(combineRunParts(this.#parts));
        this.#widenSeries();
        foldPerRunTables(this.#target, this.#staged);
        correct(this.#target);
      })();
      buildIndexes(this.#target);
      this.#target.pragma('journal_mode = WAL');
    } catch (error) {
      this.abort();
      throw error;
    }
    this.#target.close();
    this.#closed = true;
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${this.outPath}${suffix}`, { force: true });
    renameSync(this.#temporary, this.outPath);
    rmSync(this.#folder, { recursive: true, force: true });
  }

  /** Closes and deletes the unfinished output (nothing is left behind). */
  abort(): void {
    if (!this.#closed) this.#target.close();
    this.#closed = true;
    rmSync(this.#folder, { recursive: true, force: true });
  }

  /** Rebuilds the staged time series in part order, each part's windows widened to the widest part's. */
  #widenSeries(): void {
    const db = this.#target;
    const staging = `temp.${stagingName('timeseries')}`;
    const widths = db.prepare(`SELECT source_input, max(window_ms) FROM ${staging} GROUP BY source_input`).raw().all() as [number, number][];
    const widest = Math.max(...widths.map(([, width]) => width));
    if (widths.every(([, width]) => width === widest)) return;
    db.exec(`CREATE TEMP TABLE widened AS SELECT * FROM ${staging} WHERE 0`);
    const keep = db.prepare(`INSERT INTO temp.widened SELECT * FROM ${staging} WHERE source_input = ? ORDER BY rowid`);
    for (const [input, width] of widths.sort((a, b) => a[0] - b[0])) {
      if (width === widest) {
        keep.run(input);
        continue;
      }
      db.prepare(`CREATE TEMP TABLE old_series AS SELECT *, CAST(window_start_ms / ? AS INTEGER) AS window FROM ${staging} WHERE source_input = ? ORDER BY rowid`).run(widest, input);
      db.prepare(WIDENED).run({ width: widest, input });
      db.exec('DROP TABLE temp.old_series');
    }
    db.exec(`DELETE FROM ${staging}`);
    db.exec(`INSERT INTO ${staging} SELECT * FROM temp.widened ORDER BY rowid`);
    db.exec('DROP TABLE temp.widened');
  }
}
