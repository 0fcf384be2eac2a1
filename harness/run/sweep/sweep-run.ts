/**
 * Runs a planned sweep on every core: its cells in worker threads of the cell pool, a few cells of
 * one point per task, each task into its own temporary results file beside the output, then the
 * union of those files, in task order, into the output. The output is therefore the same rows
 * whatever the number of workers (wall-clock metadata aside), and nothing is written to it unless
 * every cell completed.
 *
 * The union is exact: the files hold disjoint runs (a run is one cell), so every row of every table
 * is copied as it is — span strings re-keyed to the output's dictionary — and a run, workflow or
 * span found twice fails on the output's keys. It is what `merge` does for runs found in one input
 * (`merge` also combines the shards of one run), done by SQLite itself over an attached file: a
 * 5 × 5 × 4 sweep of due diligence (974,000 spans, 242,000 time-series windows) merges in 3.4 s
 * this way against 10.4 s through `merge`'s row-by-row copy (2026-12-04, BENCHMARKS.md).
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { HarnessError } from '../../kernel/errors.ts';
import { dirname, join, resolve } from 'node:path';
import { createIndexes, openDatabase, SPAN_STRING_COLUMNS } from '../../../reports/store/schema.ts';
import { SPAN_ROW_COLUMNS } from '../../../reports/store/sqlite-sink.ts';
import { runCellPool } from '../cell-pool.ts';
import type { SweepCell, SweepPlan } from './sweep-plan.ts';
import type { SweepCellResult, SweepInit, SweepTask, SweepTaskResult } from './sweep-cell.ts';

/**
 * Most cells in one task (one results file): consecutive cells of one point. Fewer files make the
 * merge cheaper; a fixed size (never the number of workers) keeps the merged rows the same for any.
 */
export const CELLS_PER_TASK = 4;

/** The tasks of `cells`: runs of consecutive cells of the same point, at most `CELLS_PER_TASK` each. */
export function sweepTasks(cells: readonly SweepCell[], folder: string): { task: SweepTask; cells: SweepCell[] }[] {
  const tasks: { task: SweepTask; cells: SweepCell[] }[] = [];
  let current: SweepCell[] = [];
  const flush = (): void => {
    const first = current[0];
    if (first === undefined) return;
    tasks.push({ task: { point: first.point, runs: current.map((cell) => cell.run), out: join(folder, `task-${tasks.length}.db`) }, cells: current });
    current = [];
  };
  for (const cell of cells) {
    if (current.length === CELLS_PER_TASK || (current[0] !== undefined && current[0].point !== cell.point)) flush();
    current.push(cell);
  }
  flush();
  return tasks;
}

/** Options of `runSweep`. */
export interface SweepRunOptions {
  /** The results file to write (created; replaced only with `overwrite`). */
  readonly db: string;
  /** Replace `db` if it exists; default false (`DATABASE_EXISTS`). */
  readonly overwrite?: boolean;
  /** Worker threads, ≥ 1. */
  readonly workers: number;
  /** Called as each cell ends, in the order they end; default none. */
  readonly onCell?: (cell: SweepCell, result: SweepCellResult) => void;
  /** Polled between cells: true stops the sweep (the cells running finish; nothing is written). */
  readonly shouldStop?: () => boolean;
}

/** How a sweep ended. */
export interface SweepOutcome {
  /** `interrupted`: stopped before every cell ran, and `db` was not written. */
  readonly status: 'completed' | 'interrupted';
  readonly runs: number;
  readonly workflows: number;
  readonly agentCalls: number;
}

/** Runs `plan` into `options.db`. */
export async function runSweep(plan: SweepPlan, options: SweepRunOptions): Promise<SweepOutcome> {
  const output = resolve(options.db);
  mkdirSync(dirname(output), { recursive: true });
  const folder = mkdtempSync(join(dirname(output), '.patternbench-sweep-'));
  try {
    const tasks = sweepTasks(plan.cells, folder);
    const init: SweepInit = { source: plan.source, design: plan.design, matrix: plan.matrix, shard: plan.shard };
    const onResult = (index: number, result: SweepTaskResult): void => {
      const cells = tasks[index]?.cells ?? [];
      result.cells.forEach((cell, position) => options.onCell?.(cells[position] as SweepCell, cell));
    };
    const outcome = await runCellPool<SweepTask, SweepTaskResult>({
      module: new URL('./sweep-cell.ts', import.meta.url),
      init,
      tasks: tasks.map((entry) => entry.task),
      workers: options.workers,
      onResult,
      ...(options.shouldStop === undefined ? {} : { shouldStop: options.shouldStop }),
    });
    const results = outcome.results.flatMap((result) => result?.cells ?? []);
    const totals = { runs: results.length, workflows: results.reduce((sum, r) => sum + r.workflows, 0), agentCalls: results.reduce((sum, r) => sum + r.agentCalls, 0) };
    if (outcome.stopped || results.length < plan.cells.length || results.some((result) => result.status !== 'completed')) return { status: 'interrupted', ...totals };
    const union = join(folder, 'sweep.db');
    unionCellFiles(union, tasks.map((entry) => entry.task.out));
    if (existsSync(output) && options.overwrite !== true) throw new HarnessError('DATABASE_EXISTS', `${options.db} exists; pass --overwrite to replace it, or choose another --db`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${output}${suffix}`, { force: true });
    renameSync(union, output);
    return { status: 'completed', ...totals };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Tables the union handles by name: `meta` (written with the schema) and the dictionary-encoded spans. */
const UNION_HANDLED = new Set(['meta', 'strings', 'span_rows']);

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Writes the union of the results files `inputs` (of this schema version, holding disjoint runs) to
 * a new file `out`: every table's rows in input order, `span_rows` with their string ids re-keyed
 * to the output's `strings`, then the indexes. A key found twice is a constraint error.
 */
export function unionCellFiles(out: string, inputs: readonly string[]): void {
  const target = openDatabase(out);
  try {
    // A failed union deletes the file with its folder: no journal needed while loading.
    target.pragma('journal_mode = OFF');
    target.pragma('synchronous = OFF');
    const tables = (target.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid").pluck().all() as string[]).filter((table) => !UNION_HANDLED.has(table));
    const columns = new Map(tables.map((table) => [table, (target.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0').pluck().all(table) as string[]).map(quote).join(', ')]));
    // A WITHOUT ROWID table (workflows) is copied in its key's order; any other in insertion order.
    const order = new Map(
      tables.map((table) => {
        const sql = target.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(table) as string;
        return [table, /WITHOUT\s+ROWID\s*$/i.test(sql.trim()) ? '' : ' ORDER BY rowid'];
      }),
    );
    const strings = new Set<string>(SPAN_STRING_COLUMNS.map(([column]) => column));
    const spanColumns = SPAN_ROW_COLUMNS.join(', ');
    const spanValues = SPAN_ROW_COLUMNS.map((column) => (strings.has(column) ? `(SELECT id FROM temp.string_ids WHERE old = s.${column})` : `s.${column}`)).join(', ');
    for (const input of inputs) {
      target.prepare('ATTACH DATABASE ? AS cell').run(input);
      try {
        target.transaction(() => {
          for (const table of tables) target.exec(`INSERT INTO main.${quote(table)} (${columns.get(table)}) SELECT ${columns.get(table)} FROM cell.${quote(table)}${order.get(table)}`);
          target.exec('INSERT OR IGNORE INTO main.strings (value) SELECT value FROM cell.strings ORDER BY id');
          target.exec('CREATE TEMP TABLE string_ids (old INTEGER PRIMARY KEY, id INTEGER NOT NULL)');
          target.exec('INSERT INTO temp.string_ids SELECT c.id, m.id FROM cell.strings c JOIN main.strings m ON m.value = c.value');
          target.exec(`INSERT INTO main.span_rows (${spanColumns}) SELECT ${spanValues} FROM cell.span_rows s ORDER BY s.rowid`);
          target.exec('DROP TABLE temp.string_ids');
        })();
      } finally {
        target.exec('DETACH DATABASE cell');
      }
    }
    createIndexes(target);
    target.pragma('journal_mode = WAL');
  } finally {
    target.close();
  }
}
