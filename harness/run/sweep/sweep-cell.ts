/**
 * The cells of a sweep, run in a worker thread of the cell pool (`cell-pool.ts`): each task is a
 * few runs of one point — each a point × pattern × variant × seed — simulated on virtual time into
 * the task's own results file, each with its `sweep_points` rows (its value on every axis). The runner compiles each point's scenario
 * once per worker, from the same source text the planning thread compiled.
 */
import { HarnessError } from '../../kernel/errors.ts';
import { RealClock } from '../../kernel/real-clock.ts';
import { VirtualClock } from '../../kernel/virtual-clock.ts';
import { openTaskSink } from '../cell-union.ts';
import type { CellRunner } from '../cell-pool.ts';
import { executeRun, type RunSpec } from '../runner.ts';
import { compileScenarioText } from '../load-scenario.ts';
import { pointRuns, type SweepDesign, type SweepMatrix } from './sweep-plan.ts';
import { compilePoint, type SweepSource } from './sweep-point.ts';

/** What every worker of a sweep is given once. */
export interface SweepInit {
  readonly source: SweepSource;
  readonly design: SweepDesign;
  readonly matrix: SweepMatrix;
  /** `i/n` when the sweep is sharded, else ''. */
  readonly shard: string;
  /** The empty results file each task's file starts as a copy of (harness/run/cell-union.ts). */
  readonly template: string;
}

/** Cells to run: runs `runs` of point `point`, one after another, into the results file `out`. */
export interface SweepTask {
  readonly point: number;
  readonly runs: readonly number[];
  readonly out: string;
}

/** What one cell did. */
export interface SweepCellResult {
  readonly runId: string;
  readonly status: 'completed' | 'interrupted';
  readonly workflows: number;
  readonly agentCalls: number;
}

/** What a task did: each of its cells, in order. */
export interface SweepTaskResult {
  readonly cells: readonly SweepCellResult[];
}

const INSERT_POINT = 'INSERT INTO sweep_points (run_id, point, axis, path, value, text, scale) VALUES (?, ?, ?, ?, ?, ?, ?)';

/** Runs the cells of one sweep; keeps each point's runs (compiled once) for its later tasks. */
export class SweepCellRunner implements CellRunner<SweepTask, SweepTaskResult> {
  readonly #init: SweepInit;
  readonly #runs = new Map<number, RunSpec[]>();

  constructor(init: SweepInit) {
    this.#init = init;
  }

  /** The runs of point `index`, compiled on first use. */
  runsOf(index: number): RunSpec[] {
    let runs = this.#runs.get(index);
    if (runs === undefined) {
      const { source, design, matrix, shard } = this.#init;
      const point = design.points[index];
      if (point === undefined) throw new HarnessError('USAGE', `the sweep has no point ${index}`);
      const scenario = point.assignments.length === 0 ? compileScenarioText(source.text, source.file) : compilePoint(source, point.assignments);
      runs = pointRuns(scenario, design, index, matrix, shard);
      this.#runs.set(index, runs);
    }
    return runs;
  }

  async run(task: SweepTask): Promise<SweepTaskResult> {
    const runs = this.runsOf(task.point);
    const point = this.#init.design.points[task.point];
    // No indexes: the union builds the output's.
    const sink = openTaskSink(this.#init.template, task.out, false);
    const cells: SweepCellResult[] = [];
    try {
      const insert = sink.db.prepare(INSERT_POINT);
      for (const index of task.runs) {
        const spec = runs[index];
        if (spec === undefined || point === undefined) throw new HarnessError('USAGE', `point ${task.point} of the sweep has no run ${index}`);
        // Checkpoints serve `--resume`, which a sweep does not offer: a sweep saves none (about a fifth faster).
        const outcome = await executeRun(spec, sink, new VirtualClock(), {
          checkpoints: false,
          startedAt: new Date(RealClock.wallTimeMs()).toISOString(),
          finishedAt: () => new Date(RealClock.wallTimeMs()).toISOString(),
        });
        sink.db.transaction(() => {
          this.#init.design.axes.forEach((axis, axisIndex) => {
            const coordinate = point.coordinates[axisIndex];
            if (coordinate !== undefined) insert.run(outcome.runId, task.point, axisIndex, axis.path, coordinate.value, coordinate.text, axis.scale);
          });
        })();
        cells.push({ runId: outcome.runId, status: outcome.status, workflows: outcome.workflows, agentCalls: outcome.agentCalls });
      }
      return { cells };
    } finally {
      await sink.close();
    }
  }
}

/** The cell pool's entry point (`cell-pool-worker.js` calls it once per worker). */
export function createCellRunner(init: SweepInit): SweepCellRunner {
  return new SweepCellRunner(init);
}
