/**
 * Runs independent tasks — cells of the matrix, each writing its own results file — in worker
 * threads, every core busy. Each worker imports one task module and creates its runner once
 * (`createCellRunner(init)`, which may keep what it builds, such as compiled scenarios, for its
 * later tasks); tasks are handed out one at a time to whichever worker is free, so long and short
 * cells balance. The results come back by task index, so what a caller does with them (merge the
 * files in task order) does not depend on the number of workers or on which worker ran what.
 *
 * A task may report progress as it goes (`report(data)`, batched by the task: each report is a
 * message between threads); the caller receives it through `onProgress`, with the task's index.
 *
 * The calling thread can be one of the workers (`inline`), running its share of the tasks itself.
 *
 * A task that throws stops the pool: no task is handed out after it, the tasks running finish (so
 * their files are closed), and the error is thrown — a `HarnessError` keeps its code and a
 * `ScenarioError` its located issues across the thread boundary.
 */
import { Worker } from 'node:worker_threads';
import { HarnessError, ScenarioError, type ErrorCode, type ScenarioIssue } from '../kernel/errors.ts';

/** What a task module's `createCellRunner(init)` returns, in each worker. */
export interface CellRunner<Task, Result> {
  /**
   * Runs one task; its result must survive structured cloning. `report` hands progress (any
   * structured-cloneable value) to the calling thread's `onProgress`; call it sparingly.
   */
  run(task: Task, report: (progress: unknown) => void): Promise<Result>;
}

/** Options of `runCellPool`. */
export interface CellPoolOptions<Task, Result> {
  /** The task module: a `.ts` (or `.js`) file exporting `createCellRunner(init): CellRunner<Task, Result>`. */
  readonly module: URL;
  /** Handed to `createCellRunner` in every worker (structured-cloned). */
  readonly init: unknown;
  /** The tasks (structured-cloned to the worker that runs each). */
  readonly tasks: readonly Task[];
  /** Workers, ≥ 1 (the calling thread one of them with `inline`); no more are started than there are tasks. */
  readonly workers: number;
  /**
   * A runner of the task module created in the calling thread: it then works as one of the
   * workers, taking tasks in turn with the threads (saving a thread's start: loading the modules,
   * and whatever its runner builds), between which the calling thread's other work goes on as its
   * tasks await. Default none: every worker is a thread.
   */
  readonly inline?: CellRunner<Task, Result>;
  /** Called in the calling thread as each task ends, in the order they end; default none. */
  readonly onResult?: (index: number, result: Result) => void;
  /** Called in the calling thread with what a running task reports (`CellRunner.run`'s `report`); default none. */
  readonly onProgress?: (index: number, progress: unknown) => void;
  /** Polled before each task is handed out: true hands out no more (the tasks running finish); default never. */
  readonly shouldStop?: () => boolean;
}

/** How a pool ended. */
export interface CellPoolOutcome<Result> {
  /** Each task's result by index; undefined for the tasks never run (stopped). */
  readonly results: readonly (Result | undefined)[];
  /** True when `shouldStop` stopped the pool before every task ran. */
  readonly stopped: boolean;
}

/** An error as it crosses the thread boundary (cell-pool-worker.js). */
interface SerialisedError {
  readonly name: string;
  readonly message: string;
  readonly code: string | null;
  readonly issues: readonly ScenarioIssue[] | null;
  readonly stack: string | null;
}

/** A message from a worker: ready, a task's progress, or a task's end. */
type WorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'progress'; readonly index: number; readonly progress: unknown }
  | { readonly kind?: undefined; readonly index: number; readonly result: unknown; readonly error: SerialisedError | null };

/** The error a worker reported, rebuilt with its class, code and issues. */
function rebuild(error: SerialisedError): Error {
  if (error.issues !== null) return new ScenarioError(error.issues);
  if (error.code !== null) return new HarnessError(error.code as ErrorCode, error.message);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  if (error.stack !== null) rebuilt.stack = error.stack;
  return rebuilt;
}

/** `error` as an `Error`. */
const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** Runs `options.tasks` on `options.workers` workers (one the calling thread with `inline`); resolves when every worker has ended. */
export function runCellPool<Task, Result>(options: CellPoolOptions<Task, Result>): Promise<CellPoolOutcome<Result>> {
  const { tasks, inline } = options;
  const results: (Result | undefined)[] = new Array<Result | undefined>(tasks.length).fill(undefined);
  if (tasks.length === 0) return Promise.resolve({ results, stopped: false });
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new HarnessError('USAGE', `workers must be a positive integer, got ${options.workers}`);
  const count = Math.min(options.workers, tasks.length);
  return new Promise((resolve, reject) => {
    let next = 0;
    let failure: Error | null = null;
    let stopped = false;
    let alive = count;
    const closing = new Set<Worker>();
    /** The next task to hand out; null once there is none (all handed out, stopped or failed). */
    const take = (): number | null => {
      if (failure === null && !stopped && next < tasks.length && options.shouldStop?.() === true) stopped = true;
      return failure !== null || stopped || next >= tasks.length ? null : next++;
    };
    const ended = (): void => {
      if (--alive > 0) return;
      if (failure !== null) reject(failure);
      else resolve({ results, stopped });
    };
    const report = (index: number, progress: unknown): void => {
      try {
        options.onProgress?.(index, progress);
      } catch (error) {
        failure ??= asError(error);
      }
    };
    const done = (index: number, result: Result): void => {
      results[index] = result;
      try {
        options.onResult?.(index, result);
      } catch (error) {
        failure ??= asError(error);
      }
    };
    const hand = (worker: Worker): void => {
      const index = take();
      if (index === null) {
        closing.add(worker);
        worker.postMessage({ kind: 'close' });
        return;
      }
      worker.postMessage({ kind: 'task', index, task: tasks[index] });
    };
    for (let number = inline === undefined ? 0 : 1; number < count; number++) {
      const worker = new Worker(new URL('./cell-pool-worker.js', import.meta.url), { workerData: { module: options.module.href, init: options.init } });
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'progress') return report(message.index, message.progress);
        if (message.kind !== 'ready') {
          if (message.error !== null) failure ??= rebuild(message.error);
          else done(message.index, message.result as Result);
        }
        hand(worker);
      });
      worker.on('error', (error: Error) => {
        failure ??= error;
      });
      worker.on('exit', (code) => {
        if (!closing.has(worker)) failure ??= new Error(`a worker thread of the cell pool stopped (exit code ${code}) before its task ended`);
        ended();
      });
    }
    if (inline !== undefined) {
      void (async () => {
        for (let index = take(); index !== null; index = take()) {
          const at = index;
          try {
            done(at, await inline.run(tasks[at] as Task, (progress) => report(at, progress)));
          } catch (error) {
            failure ??= asError(error);
          }
        }
        ended();
      })();
    }
  });
}
