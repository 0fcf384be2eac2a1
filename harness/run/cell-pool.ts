/**
 * Runs independent tasks — cells of the matrix, each writing its own results file — in worker
 * threads, every core busy. Each worker imports one task module and creates its runner once
 * (`createCellRunner(init)`, which may keep what it builds, such as compiled scenarios, for its
 * later tasks); tasks are handed out one at a time to whichever worker is free, so long and short
 * cells balance. The results come back by task index, so what a caller does with them (merge the
 * files in task order) does not depend on the number of workers or on which worker ran what.
 *
 * A task that throws stops the pool: no task is handed out after it, the tasks running finish (so
 * their files are closed), and the error is thrown — a `HarnessError` keeps its code and a
 * `ScenarioError` its located issues across the thread boundary.
 */
import { Worker } from 'node:worker_threads';
import { HarnessError, ScenarioError, type ErrorCode, type ScenarioIssue } from '../kernel/errors.ts';

/** What a task module's `createCellRunner(init)` returns, in each worker. */
export interface CellRunner<Task, Result> {
  /** Runs one task; its result must survive structured cloning. */
  run(task: Task): Promise<Result>;
}

/** Options of `runCellPool`. */
export interface CellPoolOptions<Task, Result> {
  /** The task module: a `.ts` (or `.js`) file exporting `createCellRunner(init): CellRunner<Task, Result>`. */
  readonly module: URL;
  /** Handed to `createCellRunner` in every worker (structured-cloned). */
  readonly init: unknown;
  /** The tasks (structured-cloned to the worker that runs each). */
  readonly tasks: readonly Task[];
  /** Worker threads, ≥ 1; no more are started than there are tasks. */
  readonly workers: number;
  /** Called in the calling thread as each task ends, in the order they end; default none. */
  readonly onResult?: (index: number, result: Result) => void;
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

/** A message from a worker: ready, or a task's end. */
type WorkerMessage = { readonly kind: 'ready' } | { readonly kind?: undefined; readonly index: number; readonly result: unknown; readonly error: SerialisedError | null };

/** The error a worker reported, rebuilt with its class, code and issues. */
function rebuild(error: SerialisedError): Error {
  if (error.issues !== null) return new ScenarioError(error.issues);
  if (error.code !== null) return new HarnessError(error.code as ErrorCode, error.message);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  if (error.stack !== null) rebuilt.stack = error.stack;
  return rebuilt;
}

/** Runs `options.tasks` on `options.workers` worker threads; resolves when every worker has ended. */
export function runCellPool<Task, Result>(options: CellPoolOptions<Task, Result>): Promise<CellPoolOutcome<Result>> {
  const { tasks } = options;
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
    const hand = (worker: Worker): void => {
      if (failure === null && !stopped && next < tasks.length && options.shouldStop?.() === true) stopped = true;
      if (failure !== null || stopped || next >= tasks.length) {
        closing.add(worker);
        worker.postMessage({ kind: 'close' });
        return;
      }
      const index = next++;
      worker.postMessage({ kind: 'task', index, task: tasks[index] });
    };
    for (let number = 0; number < count; number++) {
      const worker = new Worker(new URL('./cell-pool-worker.js', import.meta.url), { workerData: { module: options.module.href, init: options.init } });
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind !== 'ready') {
          if (message.error !== null) failure ??= rebuild(message.error);
          else {
            results[message.index] = message.result as Result;
            try {
              options.onResult?.(message.index, message.result as Result);
            } catch (error) {
              failure ??= error instanceof Error ? error : new Error(String(error));
            }
          }
        }
        hand(worker);
      });
      worker.on('error', (error: Error) => {
        failure ??= error;
      });
      worker.on('exit', (code) => {
        if (!closing.has(worker)) failure ??= new Error(`a worker thread of the cell pool stopped (exit code ${code}) before its task ended`);
        if (--alive > 0) return;
        if (failure !== null) reject(failure);
        else resolve({ results, stopped });
      });
    }
  });
}
