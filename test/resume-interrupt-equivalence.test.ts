import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { materialiseCases } from '../harness/run/cases.ts';
import { closedLoad } from '../harness/scenario/load-overrides.ts';
import { prepareResume } from '../harness/run/recovery/resume.ts';
import { executeRun, runIdOf, type RunHooks, type RunSpec } from '../harness/run/runner.ts';
import { compileScenarioFile } from '../harness/run/load-scenario.ts';
import type { PatternName } from '../harness/scenario/types.ts';
import { VirtualClock } from '../harness/kernel/virtual-clock.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { dumpDatabase } from './support/db-dump.ts';

function checkpoints(path: string): unknown[] {
  const db = openDatabase(path, { readonly: true });
  const rows = db.prepare('SELECT * FROM checkpoints ORDER BY run_id, workflow_id, step').all();
  db.close();
  return rows;
}

const folder = mkdtempSync(join(tmpdir(), 'patternbench-resume-'));

function specOf(file: string, pattern: PatternName): RunSpec {
  const scenario = compileScenarioFile(new URL(`../scenarios/${file}.yaml`, import.meta.url).pathname);
  return { scenario, pattern, variant: 'base', seed: scenario.seed, cases: materialiseCases(scenario, 24), repeat: 1, load: closedLoad(1) };
}

async function runInto(path: string, spec: RunSpec, hooks: RunHooks, overwrite: boolean): Promise<void> {
  const sink = SqliteSink.open(path, { overwrite });
  await executeRun(spec, sink, new VirtualClock(), hooks);
  await sink.close();
}

describe.each([
  ['legal-review', 'sequential'],
  ['market-research', 'fanout'],
  ['market-research', 'supervisor'],
] as const)('a %s %s run interrupted after 10 workflows and resumed', (file, pattern) => {
  it('holds the rows of the same run never interrupted', async () => {
    const spec = specOf(file, pattern);
    const whole = join(folder, `${pattern}-whole.db`);
    await runInto(whole, spec, {}, true);

    const resumed = join(folder, `${pattern}-resumed.db`);
    let done = 0;
    await runInto(resumed, spec, { onWorkflow: () => done++, shouldStop: () => done >= 10 }, true);
    const before = dumpDatabase(resumed);
    expect(before['runs']).toMatchObject([{ status: 'interrupted' }]);
    expect(before['workflows']).toHaveLength(10);

    const action = prepareResume(resumed, [spec], false).get(runIdOf(spec));
    expect(action?.kind).toBe('resume');
    if (action?.kind !== 'resume') return;
    expect(action.resume.pending).toEqual([...Array(14).keys()].map((index) => index + 10));
    await runInto(resumed, spec, { resume: action.resume }, false);

    const expected = dumpDatabase(whole, { withoutWallClock: true });
    const actual = dumpDatabase(resumed, { withoutWallClock: true });
    // Every table equal, rows in the same order: workflows, spans, time series, histograms, events.
    expect(actual).toEqual(expected);
    expect(checkpoints(resumed)).toEqual(checkpoints(whole));
  });
});
