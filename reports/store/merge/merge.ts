/**
 * `merge`: several results files into one. Runs found in one input are copied as they are; a run
 * found in several inputs is made of its shards (`runs.shard` `i/n`) and combined — one `runs` row
 * (`reports/store/merge-runs.ts`), workflows and spans unioned, histograms and span metrics added
 * exactly (`reports/store/merge-histograms.ts`, `reports/store/span-metrics.ts`), series folded
 * (`reports/store/merge-series.ts`). Every other table — workflows, spans, checkpoints — is
 * copied whole by SQLite with each input attached (`reports/store/merge-copy.ts`), its keys
 * kept unique. The output is written to a temporary file beside it, without a journal, its indexes
 * built once at the end, and renamed into place, so a failed merge leaves nothing behind.
 */
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { HarnessError } from '../../../harness/kernel/errors.ts';
import { copyAuditRows } from './audit-merge.ts';
import { copyAttachedSpans, copyAttachedTable, copyRows, createStagingTable, hasTable, isConstraintError, withAttachedInput } from './merge-copy.ts';
import { readHistograms, writeMergedHistograms, type HistogramRow } from './merge-histograms.ts';
import { checkEveryShard, combineRunParts, parseShard, type RunPart, type RunRow } from './merge-runs.ts';
import { foldSeries, SERIES_TABLES, stagingName } from './merge-series.ts';
import { mergeSpanMetrics, spanMetricsValues, storedSpanMetrics, SPAN_METRICS_COLUMNS } from '../span-metrics.ts';
import type { SpanMetricsRecord } from '../../../harness/kernel/records.ts';
import { openResultsReadonly, type ResultsReader } from '../open-results.ts';
import { createIndexes, initialiseSchema, PAGE_SIZE, SCHEMA_VERSION, TABLE_DDL, type Db } from '../schema.ts';

/** Options of `mergeDatabases`. */
export interface MergeOptions {
  /** Replace an existing output file; default `false` (`DATABASE_EXISTS`). */
  readonly overwrite?: boolean;
  /**
   * Require the inputs to hold every shard 1…n of `run --shard i/n` (`--shard-from-env n`), so a
   * missing file is an error (`MERGE_CONFLICT`) rather than cells silently left out; default not checked.
   */
  readonly shards?: number | null;
  /**
   * The inputs are files this process has just written and closed (the slices of one run that
   * `run --workers` joins): their pages are not checked again (SQLite's quick check read every page of
   * an hour's 16 slices, 0.6 s). Default false: every input is checked as any reader checks it.
   */
  readonly ownInputs?: boolean;
  /** Runs on the output, in one transaction, once every row is in and before its indexes are built (`run --workers`' exact corrections of a joined run). */
  readonly finish?: (output: Db) => void;
}

/** What a merge wrote. */
export interface MergeResult {
  readonly inputs: number;
  readonly runs: number;
  /** Runs combined from shards in several inputs. */
  readonly combinedRuns: readonly string[];
  readonly workflows: number;
  readonly spans: number;
}

/** An opened input. */
export interface Input {
  readonly path: string;
  readonly db: Db;
}

/** Tables handled by name below; every other table of the schema is copied as it is. */
// `span_rows` and `strings` hold spans dictionary-encoded with each file's own ids (`copyAttachedSpans`).
const HANDLED = new Set(['meta', 'runs', 'histograms', 'span_metrics', 'audit', 'span_rows', 'strings', ...SERIES_TABLES]);

/**
 * The output's page cache while merging, in KiB (negative: SQLite's unit): 2 MiB rather than the
 * default 16. The merge streams every page through once, and the index sorts spill to sorted runs
 * either way; a small cache reuses its pages instead of allocating new ones and stays in the CPU's
 * cache: building the spans' index took 310–340 ms of CPU instead of 380–645 ms for 333,000
 * spans, and copying was faster too (2026-12-04, BENCHMARKS.md).
 */
const MERGE_CACHE_KIB = -2000;

/** Reports and compare read older versions too; merge copies every table as it is, so it takes the whole schema of this version. */
const MERGE_READER: ResultsReader = { name: 'merge', versions: [SCHEMA_VERSION] };

/** Every table of the schema. */
const SCHEMA_TABLES: readonly string[] = [...TABLE_DDL.matchAll(/CREATE TABLE IF NOT EXISTS (\w+)/g)].map((match) => match[1] as string);

/** `MERGE_READER` for `ownInputs`: every table read in full, none of their pages checked. */
export const OWN_INPUTS_READER: ResultsReader = { ...MERGE_READER, readByKey: () => SCHEMA_TABLES };

function checkPaths(outPath: string, inputPaths: readonly string[], overwrite: boolean): void {
  if (inputPaths.length === 0) throw new HarnessError('USAGE', 'merge needs at least one input file');
  const seen = new Set<string>();
  for (const path of inputPaths) {
    const absolute = resolve(path);
    if (absolute === resolve(outPath)) throw new HarnessError('USAGE', `the output ${outPath} is also an input; write to another file`);
    if (seen.has(absolute)) throw new HarnessError('USAGE', `${path} is given twice`);
    seen.add(absolute);
  }
  if (!existsSync(dirname(resolve(outPath)))) throw new HarnessError('USAGE', `the folder of ${outPath} does not exist`);
  if (existsSync(outPath) && !overwrite) throw new HarnessError('DATABASE_EXISTS', `${outPath} exists; pass --overwrite to replace it, or choose another file`);
}

/** Merges `inputPaths` into a new file at `outPath`. */
export function mergeDatabases(outPath: string, inputPaths: readonly string[], options: MergeOptions = {}): MergeResult {
  checkPaths(outPath, inputPaths, options.overwrite ?? false);
  const inputs: Input[] = [];
  const folder = mkdtempSync(join(dirname(resolve(outPath)), '.patternbench-merge-'));
  try {
    const reader = options.ownInputs === true ? OWN_INPUTS_READER : MERGE_READER;
    for (const path of inputPaths) inputs.push({ path, db: openResultsReadonly(path, reader) });
    const temporary = join(folder, basename(outPath));
    const target = createOutput(temporary);
    let result: MergeResult;
    try {
      const runs = mergeInto(target, inputs, options.shards ?? null);
      const finish = options.finish;
      if (finish !== undefined) target.transaction(() => finish(target))();
      buildIndexes(target);
      // Counted through the indexes just built: a fraction of a scan of the tables.
      const count = (table: string): number => target.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
      result = { inputs: inputs.length, ...runs, workflows: count('workflows'), spans: count('span_rows') };
      target.pragma('journal_mode = WAL');
    } finally {
      target.close();
    }
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${outPath}${suffix}`, { force: true });
    renameSync(temporary, outPath);
    return result;
  } finally {
    for (const input of inputs) input.db.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * The new output file, its tables created. A failed merge deletes it, so it is loaded with no
 * journal and no syncing (and is switched to WAL, as every results file is, once loaded): created
 * through `openDatabase`, in WAL mode with its syncs, it took 15–60 ms more before the first row.
 */
export function createOutput(path: string): Db {
  const target = new Database(path);
  try {
    target.pragma(`page_size = ${PAGE_SIZE}`);
    target.pragma('journal_mode = OFF');
    target.pragma('synchronous = OFF');
    target.pragma(`cache_size = ${MERGE_CACHE_KIB}`);
    initialiseSchema(target, path);
  } catch (error: unknown) {
    target.close();
    throw error;
  }
  return target;
}

/**
 * Writes the merge into `target` in three steps, each in its own transaction (the output has no
 * journal and is deleted on failure, so a step needs no rollback): the `runs` rows, checked; each
 * input's whole tables, copied by SQLite with the input attached; the per-run tables combined.
 */
function mergeInto(target: Db, inputs: readonly Input[], shards: number | null): Pick<MergeResult, 'runs' | 'combinedRuns'> {
  const { runs, combined } = target.transaction(() => mergeRuns(target, inputs, shards))();
  for (const input of inputs) copyWholeTables(target, input.path);
  target.transaction(() => combinePerRunTables(target, inputs, combined))();
  return { runs, combinedRuns: combined };
}

/** Copies the whole tables of the input at `path` — every table but those handled by name, then the spans — into `target`, in one transaction with the input attached. */
export function copyWholeTables(target: Db, path: string): void {
  const generic = (target.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid").pluck().all() as string[]).filter(
    (table) => !HANDLED.has(table),
  );
  withAttachedInput(target, path, () => {
    for (const table of generic) copyAttachedTable(target, table, path);
    copyAttachedSpans(target);
  });
}

/** The `runs` row insert of the output, from a `RunRow` (named parameters). */
export function insertRunStatement(target: Db): Database.Statement {
  return target.prepare(
    `INSERT INTO runs (run_id, scenario, pattern, variant, seed, epoch_ms, config, started_at, finished_at, status, virtual_end_ms, clock, load, shard, audit_rows, audit_head)
     VALUES (@run_id, @scenario, @pattern, @variant, @seed, @epoch_ms, @config, @started_at, @finished_at, @status, @virtual_end_ms, @clock, @load, @shard, @audit_rows, @audit_head)`,
  );
}

/** Copies `input`'s `meta` rows whose keys the output lacks. */
export function copyMeta(target: Db, input: Input): void {
  const metaInsert = target.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
  for (const row of input.db.prepare('SELECT key, value FROM meta').raw().all() as [string, string][]) metaInsert.run(row);
}

/** Inserts one `runs` row per run (combined from its shards), checks the shards (and, given `shards`, that none is missing), copies `meta`; returns the runs and the combined ones. */
function mergeRuns(target: Db, inputs: readonly Input[], shards: number | null): { runs: number; combined: string[] } {
  const parts = new Map<string, RunPart[]>();
  for (const input of inputs) {
    for (const row of input.db.prepare('SELECT * FROM runs ORDER BY run_id').all() as RunRow[]) {
      const list = parts.get(row.run_id);
      if (list === undefined) parts.set(row.run_id, [{ row, input: input.path }]);
      else list.push({ row, input: input.path });
    }
  }
  if (shards !== null) checkEveryShard(parts.values(), shards);
  const combined = [...parts].filter(([, list]) => list.length > 1).map(([runId]) => runId);
  const insertRun = insertRunStatement(target);
  for (const list of parts.values()) insertRun.run(combineRunParts(list));
  for (const input of inputs) checkShardWorkflows(input, combined);
  for (const input of inputs) copyMeta(target, input);
  return { runs: parts.size, combined };
}

/** What the inputs give the per-run tables of the combined runs, folded once every input is read (`foldPerRunTables`). */
export interface StagedParts {
  readonly combined: readonly string[];
  readonly histograms: HistogramRow[];
  readonly spanMetrics: SpanMetricsRecord[];
}

/** Creates the staging tables of the series (`temp.stage_<table>`) and an empty `StagedParts` for the runs of `combined`. */
export function startStaging(target: Db, combined: readonly string[]): StagedParts {
  for (const table of SERIES_TABLES) createStagingTable(target, table, stagingName(table));
  return { combined, histograms: [], spanMetrics: [] };
}

/** Histograms, span metrics, audit rows and series of `input` (at `position`): copied for runs found whole, staged for the combined runs. */
export function stagePerRunTables(target: Db, input: Input, position: number, staged: StagedParts): void {
  const separate = { kind: 'except', runIds: staged.combined } as const;
  const together = { kind: 'only', runIds: staged.combined } as const;
  copyRows(input.db, target, 'histograms', input.path, { runs: separate });
  copyRows(input.db, target, 'span_metrics', input.path, { runs: separate });
  staged.spanMetrics.push(...storedSpanMetrics(input.db, staged.combined));
  copyAuditRows(input.db, target, input.path, separate, staged.combined);
  if (hasTable(input.db, 'histograms')) staged.histograms.push(...readHistograms(input.db, staged.combined));
  for (const table of SERIES_TABLES) {
    copyRows(input.db, target, table, input.path, { runs: separate });
    copyRows(input.db, target, table, input.path, { runs: together, into: stagingName(table), input: position });
  }
}

/** Writes the combined runs' histograms and span metrics, folds their staged series, and drops the staging tables. */
export function foldPerRunTables(target: Db, staged: StagedParts): void {
  writeMergedHistograms(target, staged.histograms);
  const insertSpanMetrics = target.prepare(`INSERT INTO span_metrics (${SPAN_METRICS_COLUMNS.join(', ')}) VALUES (${SPAN_METRICS_COLUMNS.map(() => '?').join(', ')})`);
  for (const row of mergeSpanMetrics(staged.spanMetrics)) insertSpanMetrics.run(spanMetricsValues(row));
  foldSeries(target);
  for (const table of SERIES_TABLES) target.exec(`DROP TABLE temp.${stagingName(table)}`);
}

/** Histograms, span metrics, audit rows and series: copied for runs found whole, combined for runs made of shards. */
function combinePerRunTables(target: Db, inputs: readonly Input[], combined: readonly string[]): void {
  const staged = startStaging(target, combined);
  inputs.forEach((input, position) => stagePerRunTables(target, input, position, staged));
  foldPerRunTables(target, staged);
}

/**
 * In a run combined from several inputs, every workflow of shard `i/n` must have
 * workflow_id % n = i − 1. (A run found in one input is not checked: `run --shard i/n` labels
 * whole runs with the matrix shard that ran them.)
 */
function checkShardWorkflows(input: Input, combined: readonly string[]): void {
  const rows = input.db.prepare("SELECT run_id, shard FROM runs WHERE shard != '' AND run_id IN (SELECT value FROM json_each(?))").all(JSON.stringify(combined)) as {
    run_id: string;
    shard: string;
  }[];
  const stray = input.db.prepare(
    'SELECT workflow_id FROM workflows WHERE run_id = ? AND (workflow_id % ?) + 1 NOT IN (SELECT value FROM json_each(?)) LIMIT 1',
  );
  for (const row of rows) {
    const set = parseShard(row.shard, input.path);
    if (set === null) continue;
    const found = stray.pluck().get(row.run_id, set.of, JSON.stringify(set.indices)) as number | undefined;
    if (found !== undefined) {
      throw new HarnessError('MERGE_CONFLICT', `${input.path}: run ${row.run_id} is shard ${row.shard} but holds workflow ${found}, which belongs to another shard`);
    }
  }
}

/** Builds the secondary indexes; a span (same trace and span id) or a checkpoint stored twice is a `MERGE_CONFLICT`. */
export function buildIndexes(target: Db): void {
  try {
    createIndexes(target);
  } catch (error: unknown) {
    if (!isConstraintError(error)) throw error;
    const twice = target.prepare('SELECT run_id, trace_id, span_id FROM spans GROUP BY trace_id, span_id HAVING count(*) > 1 LIMIT 1').get() as
      | { run_id: string; trace_id: string; span_id: string }
      | undefined;
    if (twice !== undefined) {
      throw new HarnessError('MERGE_CONFLICT', `a span is in more than one input (run ${twice.run_id}, trace ${twice.trace_id}, span ${twice.span_id})`, { cause: error });
    }
    const call = target.prepare('SELECT run_id, workflow_id, step FROM checkpoints GROUP BY run_id, workflow_id, step HAVING count(*) > 1 LIMIT 1').get() as
      | { run_id: string; workflow_id: number; step: number }
      | undefined;
    const which = call === undefined ? '' : ` (run ${call.run_id}, workflow ${call.workflow_id}, call ${call.step})`;
    throw new HarnessError('MERGE_CONFLICT', `a checkpoint is in more than one input${which}`, { cause: error });
  }
}
