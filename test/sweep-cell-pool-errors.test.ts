// The cell pool hands tasks to worker threads and brings back what they did: a task's error comes
// back with its class, code and located issues (exit codes depend on them), the tasks already
// running finish, and `shouldStop` stops handing tasks out.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError, ScenarioError } from '../harness/kernel/errors.ts';
import { makeTemplate } from '../harness/run/cell-union.ts';
import { runCellPool } from '../harness/run/cell-pool.ts';
import type { SweepInit, SweepTask, SweepTaskResult } from '../harness/run/sweep/sweep-cell.ts';
import { gridDesign } from '../harness/run/sweep/sweep-plan.ts';
import { readSweepSource } from '../harness/run/sweep/sweep-point.ts';
import { parseVary } from '../harness/run/sweep/sweep-values.ts';

const source = readSweepSource(new URL('../scenarios/support-routing.yaml', import.meta.url).pathname);
const module = new URL('../harness/run/sweep/sweep-cell.ts', import.meta.url);
const matrix = { patterns: ['single-agent' as const], variants: ['base'], seeds: null, cases: 20, repeat: 1, concurrency: 4 };

describe('cell pool', () => {
  it('rethrows a worker\'s HarnessError with its code, and a ScenarioError with its issues', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-pool-'));
    const design = gridDesign(source, [parseVary('agents.support-agent.skill=0.8')]);
    // A point the planning thread never compiled: the worker's compiler refuses skill 1.5.
    const bad = { ...design, points: [{ index: 0, coordinates: design.points[0]!.coordinates, assignments: [{ segments: ['agents', 'support-agent', 'skill'], value: 1.5 }] }] };
    const init: SweepInit = { source, design: bad, matrix, shard: '', template: makeTemplate(folder) };
    const failing = runCellPool<SweepTask, SweepTaskResult>({ module, init, tasks: [{ point: 0, runs: [0], out: join(folder, 'a.db') }], workers: 1 });
    const error = await failing.then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).issues).toEqual([expect.objectContaining({ field: 'agents.support-agent.skill', message: expect.stringContaining('must be at most 1') })]);

    const missing = runCellPool<SweepTask, SweepTaskResult>({ module, init: { ...init, design }, tasks: [{ point: 7, runs: [0], out: join(folder, 'b.db') }], workers: 1 });
    const usage = await missing.then(() => null, (caught: unknown) => caught);
    expect(usage).toBeInstanceOf(HarnessError);
    expect(usage).toMatchObject({ code: 'USAGE', message: 'the sweep has no point 7' });
  });

  it('stops handing out tasks when asked, and returns what ran by task index', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-pool-'));
    const design = gridDesign(source, [parseVary('agents.support-agent.skill=0.7,0.8,0.9')]);
    const tasks = design.points.map((point) => ({ point: point.index, runs: [0], out: join(folder, `task-${point.index}.db`) }));
    let ended = 0;
    const outcome = await runCellPool<SweepTask, SweepTaskResult>({
      module,
      init: { source, design, matrix, shard: '', template: makeTemplate(folder) },
      tasks,
      workers: 1,
      onResult: () => ended++,
      shouldStop: () => ended >= 1,
    });
    expect(outcome.stopped).toBe(true);
    expect(outcome.results.map((result) => result?.cells.map((cell) => cell.runId))).toEqual([['support-routing/single-agent/base@p0/seed-7'], undefined, undefined]);
  });
});
