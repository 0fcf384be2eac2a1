/**
 * The tasks of `run --workers`, run in a worker thread of the cell pool (`cell-pool.ts`) — or in
 * the calling thread (`run-pool.ts`): each task is one cell of the matrix, or one slice of a large
 * run (harness/run/slices.ts), simulated on virtual time into the task's own results file. A worker
 * plans the runs of each scenario file its tasks name, with the options the command planned them
 * with, and checks each task's run id against its own plan.
 *
 * Progress goes back batched: `start` when the task begins, then `workflows` every
 * `PROGRESS_EVERY` workflows and at the end. The command's stop flag is a shared integer polled
 * before each workflow starts; a task stopped mid-way ends its run `interrupted`, as the command
 * does in-process. A task that fails deletes its file.
 */
import { rmSync } from 'node:fs';
import { HarnessError } from '../kernel/errors.ts';
import { RealClock } from '../kernel/real-clock.ts';
import { VirtualClock } from '../kernel/virtual-clock.ts';
import type { ThresholdSpec } from '../scenario/thresholds.ts';
import { SqliteWriterSink } from '../../reports/store/sqlite-writer-sink.ts';
import type { RecordSink } from '../../reports/store/sink.ts';
import type { CellRunner } from './cell-pool.ts';
import { copyTemplate, openTaskSink } from './cell-union.ts';
import { loadSuite } from './load-scenario.ts';
import { planRuns, type MatrixOptions } from './matrix.ts';
import { executeRun, runIdOf, type RunOutcome, type RunSpec } from './runner.ts';

/** Workflows between two progress reports of a task. */
export const PROGRESS_EVERY = 500;

/** What every worker of a run is given once. */
export interface RunCellInit {
  /** The command's matrix options: a worker plans each task's scenario file with them. */
  readonly matrix: MatrixOptions;
  /** `--threshold` checks (tail sampling keeps the workflows they name). */
  readonly thresholds: readonly ThresholdSpec[];
  /** Save a checkpoint per agent call (`--checkpoints`). */
  readonly checkpoints: boolean;
  /** One 32-bit integer, non-zero once the command is interrupted. */
  readonly stop: SharedArrayBuffer;
  /** Write through a writer thread of its own (`SqliteWriterSink`; when the machine has a core to spare for it) rather than in the task's thread. */
  readonly writerThread: boolean;
  /**
   * An empty results file (the schema, no rows) each task's file starts as a copy of: creating the
   * schema afresh cost ~10 ms a file (its statements, then the write-ahead log's checkpoint), the
   * copy ~0.4 ms — 1.1 s of CPU for a matrix of 110 cells (`cell-union.ts`).
   */
  readonly template: string;
}

/** One task: cell `cell` of the matrix (run `runId`, of the scenario in `file`), whole or slice `slice`, into the results file `out`. */
export interface RunCellTask {
  readonly cell: number;
  readonly runId: string;
  readonly file: string;
  readonly slice: { readonly index: number; readonly count: number } | null;
  readonly out: string;
  /**
   * Build the file's indexes when it closes: only a file that becomes the output as it is (the one
   * whole cell of a command). The others are joined into a new file, which builds its own.
   */
  readonly indexes: boolean;
}

/** What a task reports while it runs: it began, or `count` more workflows ended (the latest at `runTimeMs` of its run's clock). */
export type RunCellProgress = { readonly kind: 'start' } | { readonly kind: 'workflows'; readonly count: number; readonly runTimeMs: number };

/** Runs the cells of one command; plans the runs of each scenario file on first use. */
export class RunCellRunner implements CellRunner<RunCellTask, RunOutcome> {
  readonly #init: RunCellInit;
  readonly #stop: Int32Array;
  /** The matrix as the calling thread planned it, by cell; null in a worker thread. */
  readonly #specs: readonly RunSpec[] | null;
  /** The runs of each scenario file a task named, planned in this thread. */
  readonly #planned = new Map<string, RunSpec[]>();

  /** @param specs the matrix as the calling thread planned it (a runner in that thread); default planned here, file by file. */
  constructor(init: RunCellInit, specs: readonly RunSpec[] | null = null) {
    this.#init = init;
    this.#stop = new Int32Array(init.stop);
    this.#specs = specs;
  }

  /**
   * The spec of `task`: the calling thread's, or planned from the task's scenario file alone with
   * the command's matrix options (a run depends on its own scenario only; its matrix shard label
   * is the command's) — a worker compiles only the scenarios it runs.
   */
  #specOf(task: RunCellTask): RunSpec {
    let spec: RunSpec | undefined;
    if (this.#specs !== null) spec = this.#specs[task.cell];
    else {
      let runs = this.#planned.get(task.file);
      if (runs === undefined) {
        const shard = this.#init.matrix.shard ?? null;
        runs = planRuns(loadSuite(task.file), { ...this.#init.matrix, shard: null }).map((run) => (shard === null ? run : { ...run, shard: `${shard.index}/${shard.count}` }));
        this.#planned.set(task.file, runs);
      }
      spec = runs.find((run) => runIdOf(run) === task.runId);
    }
    if (spec === undefined || runIdOf(spec) !== task.runId) {
      throw new HarnessError('USAGE', `the scenario files changed while the command ran: cell ${task.cell} is no longer run ${task.runId}`);
    }
    return task.slice === null ? spec : { ...spec, slice: task.slice };
  }

  async run(task: RunCellTask, report: (progress: RunCellProgress) => void): Promise<RunOutcome> {
    const spec = this.#specOf(task);
    const sink = this.#open(task.out, task.indexes);
    report({ kind: 'start' });
    let pending = 0;
    let runTimeMs = 0;
    let outcome: RunOutcome;
    try {
      outcome = await executeRun(spec, sink, new VirtualClock(), {
        onWorkflow: (record) => {
          runTimeMs = Math.max(runTimeMs, record.endMs);
          if (++pending < PROGRESS_EVERY) return;
          report({ kind: 'workflows', count: pending, runTimeMs });
          pending = 0;
        },
        shouldStop: () => Atomics.load(this.#stop, 0) !== 0,
        startedAt: new Date(RealClock.wallTimeMs()).toISOString(),
        finishedAt: () => new Date(RealClock.wallTimeMs()).toISOString(),
        checkpoints: this.#init.checkpoints,
        thresholds: this.#init.thresholds,
      });
      await sink.close();
    } catch (error) {
      await closeAfterFailure(sink);
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${task.out}${suffix}`, { force: true });
      throw error;
    }
    if (pending > 0) report({ kind: 'workflows', count: pending, runTimeMs });
    return outcome;
  }

  /** The task's results file, new (a copy of the template); with its indexes only when `indexes` (else whatever joins it builds them). */
  #open(path: string, indexes: boolean): RecordSink {
    if (!this.#init.writerThread) return openTaskSink(this.#init.template, path, indexes);
    copyTemplate(this.#init.template, path);
    return SqliteWriterSink.open(path, { indexes });
  }
}

/** Closes the sink of a failed task; the task's own error is the one that counts. */
async function closeAfterFailure(sink: RecordSink): Promise<void> {
  try {
    await sink.close();
  } catch {
    // The task failed first; its file is deleted either way.
  }
}

/** The cell pool's entry point (`cell-pool-worker.js` calls it once per worker; `run-pool.ts` with the specs it planned, for the calling thread). */
export function createCellRunner(init: RunCellInit, specs: readonly RunSpec[] | null = null): RunCellRunner {
  return new RunCellRunner(init, specs);
}
