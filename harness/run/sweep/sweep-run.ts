/**
 * Runs a planned sweep on every core: its cells in worker threads of the cell pool, a few cells of
 * one point per task, each task into its own temporary results file beside the output, then the
 * union of those files, in task order, into the output. The output is therefore the same rows
 * whatever the number of workers (wall-clock metadata aside), and nothing is written to it unless
 * every cell completed.
 *
 * The union is `unionCellFiles` (harness/run/cell-union.ts), which `run --workers` shares.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { HarnessError } from '../../kernel/errors.ts';
import { dirname, join, resolve } from 'node:path';
import { runCellPool } from '../cell-pool.ts';
import { makeTemplate, unionCellFiles } from '../cell-union.ts';
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
    const init: SweepInit = { source: plan.source, design: plan.design, matrix: plan.matrix, shard: plan.shard, template: makeTemplate(folder) };
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
