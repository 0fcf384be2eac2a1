/**
 * `run --workers`: the cells of the matrix on every core. Each cell is a task of the cell pool
 * (harness/run/cell-pool.ts, tasks in `run-cell.ts`), and a large run whose workflows share nothing
 * is cut into slices, a task each (harness/run/slices.ts). Every task writes its own temporary
 * results file beside the output; the slices of a run are joined exactly (`slice-join.ts`: each
 * slice as soon as those before it have ended, while the rest still run), then the cells' files are
 * unioned in matrix order (`cell-union.ts`; a lone file is moved) and the union renamed into place.
 * What is cut, and in what order files join, depends on the matrix alone, so every row of every
 * table is the same for any number of workers (wall-clock metadata aside: `runs.started_at` and
 * `runs.finished_at`). The calling thread is one of the workers: with one, the tasks run one after
 * another in it (no thread to start), into the same files, joined the same way.
 *
 * Interrupting: the command's stop flag reaches the tasks through a shared integer, set as soon as
 * the calling thread sees the flag (at a task's report, or at the latest `STOP_POLL_MS` later).
 * Tasks running end their run `interrupted`, none starts after, and what ended is joined and
 * written, so `--resume` continues it (a cell that never started has no row: it runs from the start).
 * A task that fails stops the pool; nothing is written, and its error (with its code) is thrown.
 */
import { mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Cancellation } from '../kernel/clock.ts';
import { RealClock } from '../kernel/real-clock.ts';
import { runCellPool } from './cell-pool.ts';
import { addIndexes, makeTemplate, unionCellFiles } from './cell-union.ts';
import { createCellRunner, type RunCellInit, type RunCellProgress, type RunCellTask } from './run-cell.ts';
import { runIdOf, type RunOutcome, type RunSpec } from './runner.ts';
import { SliceJoiner } from './slice-join.ts';
import { sliceCount } from './slices.ts';

/** How often the calling thread looks at the stop flag while tasks run, ms of wall time. */
const STOP_POLL_MS = 100;

/** What follows the runs as they go (the command's progress line: harness/cli/progress.ts). */
export interface RunPoolObserver {
  startRun(runId: string, workflows: number): void;
  workflowsDone(count: number, runTimeMs: number): void;
  endRun(runId: string, status: string, workflows: number, agentCalls: number): void;
}

/**
 * Options of `runPool`. `matrix` is what the specs were planned with (a worker plans again the runs
 * of the scenario files its tasks name); `thresholds` and `checkpoints` go to every task (`RunCellInit`).
 */
export interface RunPoolOptions extends Pick<RunCellInit, 'matrix' | 'thresholds' | 'checkpoints'> {
  /** The planned runs, in matrix order. */
  readonly specs: readonly RunSpec[];
  /** Worker threads, ≥ 1. */
  readonly workers: number;
  /** The results file written (replaced) once the tasks end. */
  readonly output: string;
  /** Fewest expected workflows per slice (`sliceCount`); default `SLICE_WORKFLOWS`. */
  readonly sliceWorkflows?: number;
  /** Workflows expected of a run, for the observer. */
  readonly expected: (spec: RunSpec) => number;
  readonly observer: RunPoolObserver;
  /** The command's stop flag (SIGINT). */
  readonly stop: { readonly stopped: boolean };
  /** Cores of the machine: a task writes through a writer thread of its own when twice the workers fit in them. */
  readonly cores: number;
}

/** Where the scratch folders of runs into `output` start: `.patternbench-run-<its name>-` beside it (six random characters follow). */
export function scratchPrefix(output: string): string {
  return join(dirname(output), `.patternbench-run-${basename(output)}-`);
}

/**
 * Removes the scratch folders a hard kill (`kill -9`, a second Ctrl-C) left beside `output` from
 * earlier runs into it. The caller holds the results file's lock (reports/store/results-lock.ts),
 * so no other run into `output` is writing one; another output's folders are never matched.
 */
function removeLeftScratch(output: string): void {
  const prefix = basename(scratchPrefix(output));
  for (const entry of readdirSync(dirname(output), { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name.startsWith(prefix) && entry.name.length === prefix.length + 6) rmSync(join(dirname(output), entry.name), { recursive: true, force: true });
  }
}

/** The tasks of `specs`: a cell whole, or its slices in order; `cells[c]` lists the tasks of cell c. */
export function runTasks(specs: readonly RunSpec[], folder: string, sliceWorkflows?: number): { tasks: RunCellTask[]; cells: number[][] } {
  const tasks: RunCellTask[] = [];
  const cells = specs.map((spec, cell) => {
    const runId = runIdOf(spec);
    const count = sliceCount(spec, sliceWorkflows);
    const slices = count === 1 ? [null] : Array.from({ length: count }, (_, index) => ({ index: index + 1, count }));
    return slices.map((slice) => {
      // A slice is joined with the others of its run, a cell among others unioned with them: only a lone whole cell is the output as it is.
      const indexes = slice === null && specs.length === 1;
      tasks.push({ cell, runId, file: spec.scenario.file, slice, out: join(folder, slice === null ? `cell-${cell}.db` : `cell-${cell}-slice-${slice.index}.db`), indexes });
      return tasks.length - 1;
    });
  });
  return { tasks, cells };
}

/** One run made of its slices' outcomes. */
function joinedOutcome(parts: readonly RunOutcome[], count: number): RunOutcome {
  const first = parts[0] as RunOutcome;
  const kept = first.traces.kept === null ? null : Object.fromEntries(Object.keys(first.traces.kept).map((reason) => [reason, parts.reduce((sum, part) => sum + (part.traces.kept?.[reason as keyof typeof part.traces.kept] ?? 0), 0)]));
  return {
    runId: first.runId,
    status: parts.length === count && parts.every((part) => part.status === 'completed') ? 'completed' : 'interrupted',
    workflows: parts.reduce((sum, part) => sum + part.workflows, 0),
    agentCalls: parts.reduce((sum, part) => sum + part.agentCalls, 0),
    virtualEndMs: Math.max(...parts.map((part) => part.virtualEndMs)),
    dropped: parts.reduce((sum, part) => sum + part.dropped, 0),
    traces: { policy: first.traces.policy, kept: kept as RunOutcome['traces']['kept'] },
  };
}

/**
 * Runs `options.specs` on `options.workers` workers into `options.output`; returns the outcome of
 * every run that started, in matrix order (a sliced run's joined).
 */
export async function runPool(options: RunPoolOptions): Promise<RunOutcome[]> {
  const output = resolve(options.output);
  removeLeftScratch(output);
  const folder = mkdtempSync(scratchPrefix(output));
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const watching = new Cancellation();
  // A sliced run is joined as its slices end (slice-join.ts), beside the slices still running.
  const joiners = new Map<number, SliceJoiner>();
  try {
    const { tasks, cells } = runTasks(options.specs, folder, options.sliceWorkflows);
    const init: RunCellInit = {
      matrix: options.matrix,
      thresholds: options.thresholds,
      checkpoints: options.checkpoints,
      stop: flag.buffer as SharedArrayBuffer,
      writerThread: options.workers * 2 <= options.cores,
      template: makeTemplate(folder),
    };
    const follow = followRuns(options, tasks, cells);
    const seeStop = (): boolean => {
      if (options.stop.stopped) Atomics.store(flag, 0, 1);
      return options.stop.stopped;
    };
    void watchStop(seeStop, watching);
    const onProgress = (index: number, progress: unknown): void => {
      seeStop();
      follow.progress(index, progress as RunCellProgress);
    };
    cells.forEach((indices, cell) => {
      if ((tasks[indices[0] as number] as RunCellTask).slice === null) return;
      const spec = options.specs[cell] as RunSpec;
      joiners.set(cell, new SliceJoiner(join(folder, `cell-${cell}.db`), { runId: runIdOf(spec), count: indices.length, shard: spec.shard ?? '' }));
    });
    const onResult = (index: number, outcome: RunOutcome): void => {
      follow.result(index, outcome);
      const task = tasks[index] as RunCellTask;
      if (task.slice !== null) joiners.get(task.cell)?.ended(task.slice.index - 1, task.out);
    };
    const results = await runLargestFirst(init, tasks, options, onProgress, onResult, seeStop);
    follow.finish(results);
    const files: string[] = [];
    const outcomes: RunOutcome[] = [];
    cells.forEach((indices, cell) => {
      const done = indices.flatMap((index) => (results[index] === undefined ? [] : [index]));
      if (done.length === 0) return;
      const parts = done.map((index) => results[index] as RunOutcome);
      if ((tasks[indices[0] as number] as RunCellTask).slice === null) {
        files.push((tasks[done[0] as number] as RunCellTask).out);
        outcomes.push(parts[0] as RunOutcome);
        return;
      }
      (joiners.get(cell) as SliceJoiner).finish(done.map((index) => (tasks[index] as RunCellTask).out));
      files.push(join(folder, `cell-${cell}.db`));
      outcomes.push(joinedOutcome(parts, indices.length));
    });
    const union = join(folder, 'results.db');
    // One file is its own union (its rows, keys and indexes as they are): moved, not copied (the
    // copy of an hour's joined slices took 2.5 s). A cell that was to be unioned with others that
    // never ran (interrupted) gets its indexes here.
    if (files.length === 1) {
      const lone = tasks.find((task) => task.out === files[0]);
      if (lone !== undefined && !lone.indexes) addIndexes(lone.out);
      renameSync(files[0] as string, union);
    } else unionCellFiles(union, files);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${output}${suffix}`, { force: true });
    renameSync(union, output);
    return outcomes;
  } finally {
    watching.cancel();
    // A join left unfinished by a failure is closed before its folder goes (one finished is done).
    for (const joiner of joiners.values()) joiner.abort();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Polls `seeStop` every `STOP_POLL_MS` of wall time until `watching` is cancelled or it sees the stop. */
async function watchStop(seeStop: () => boolean, watching: Cancellation): Promise<void> {
  const wall = new RealClock();
  while (!watching.cancelled && !seeStop()) await wall.sleep(STOP_POLL_MS, watching);
}

/**
 * Runs `tasks` on the pool's workers, the calling thread one of them (it has the specs planned
 * already; with one worker it runs every task), handing out the largest first (by the workflows
 * each is expected to run), so that a long run does not start last and keep one worker busy alone
 * at the end; results come back by the tasks' own indexes (the files join in matrix order).
 */
async function runLargestFirst(
  init: RunCellInit,
  tasks: readonly RunCellTask[],
  options: RunPoolOptions,
  onProgress: (index: number, progress: unknown) => void,
  onResult: (index: number, outcome: RunOutcome) => void,
  shouldStop: () => boolean,
): Promise<(RunOutcome | undefined)[]> {
  const size = (task: RunCellTask): number => options.expected(options.specs[task.cell] as RunSpec) / (task.slice?.count ?? 1);
  const order = tasks.map((_task, index) => index).sort((a, b) => size(tasks[b] as RunCellTask) - size(tasks[a] as RunCellTask) || a - b);
  const outcome = await runCellPool<RunCellTask, RunOutcome>({
    module: new URL('./run-cell.ts', import.meta.url),
    init,
    tasks: order.map((index) => tasks[index] as RunCellTask),
    workers: options.workers,
    inline: createCellRunner(init, options.specs),
    onProgress: (position, progress) => onProgress(order[position] as number, progress),
    onResult: (position, result) => onResult(order[position] as number, result),
    shouldStop,
  });
  const results: (RunOutcome | undefined)[] = new Array<RunOutcome | undefined>(tasks.length).fill(undefined);
  outcome.results.forEach((result, position) => (results[order[position] as number] = result));
  return results;
}

/** Turns the tasks' reports into the observer's runs: a run starts with its first task and ends with its last. */
function followRuns(options: RunPoolOptions, tasks: readonly RunCellTask[], cells: readonly (readonly number[])[]) {
  const started = new Set<number>();
  const parts = cells.map(() => [] as RunOutcome[]);
  const ended = new Set<number>();
  const end = (cell: number): void => {
    const list = parts[cell] as RunOutcome[];
    if (ended.has(cell) || list.length === 0) return;
    ended.add(cell);
    const outcome = joinedOutcome(list, (cells[cell] as readonly number[]).length);
    options.observer.endRun(outcome.runId, outcome.status, outcome.workflows, outcome.agentCalls);
  };
  return {
    progress(index: number, progress: RunCellProgress): void {
      const cell = (tasks[index] as RunCellTask).cell;
      if (progress.kind === 'workflows') options.observer.workflowsDone(progress.count, progress.runTimeMs);
      else if (!started.has(cell)) {
        started.add(cell);
        options.observer.startRun(runIdOf(options.specs[cell] as RunSpec), options.expected(options.specs[cell] as RunSpec));
      }
    },
    result(index: number, outcome: RunOutcome): void {
      const cell = (tasks[index] as RunCellTask).cell;
      (parts[cell] as RunOutcome[]).push(outcome);
      if ((parts[cell] as RunOutcome[]).length === (cells[cell] as readonly number[]).length) end(cell);
    },
    /** Ends the runs that started but lost slices to an interruption. */
    finish(results: readonly (RunOutcome | undefined)[]): void {
      cells.forEach((indices, cell) => {
        if (indices.some((index) => results[index] !== undefined)) end(cell);
      });
    },
  };
}
