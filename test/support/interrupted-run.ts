/** Helpers of the resume tests: a scenario's run into a SQLite file, interrupted between workflows and resumed in process. */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { materialiseCases } from '../../harness/run/cases.ts';
import { closedLoad } from '../../harness/scenario/load-overrides.ts';
import { prepareResume } from '../../harness/run/recovery/resume.ts';
import type { RunResume } from '../../harness/run/recovery/resume-state.ts';
import { executeRun, runIdOf, type RunHooks, type RunSpec } from '../../harness/run/runner.ts';
import { compileScenarioFile } from '../../harness/run/load-scenario.ts';
import type { PatternName } from '../../harness/scenario/types.ts';
import { VirtualClock } from '../../harness/kernel/virtual-clock.ts';
import { SqliteSink } from '../../reports/store/sqlite-sink.ts';

/** `cases` cases of `scenarios/<file>.yaml` under `pattern`, one workflow at a time. */
export function specOf(file: string, pattern: PatternName, cases = 24): RunSpec {
  const scenario = compileScenarioFile(new URL(`../../scenarios/${file}.yaml`, import.meta.url).pathname);
  return { scenario, pattern, variant: 'base', seed: scenario.seed, cases: materialiseCases(scenario, cases), repeat: 1, load: closedLoad(1) };
}

/** Runs `spec` into the file at `path` (replaced when `overwrite`), on the virtual clock; the file is closed even when the run fails. */
export async function runInto(path: string, spec: RunSpec, hooks: RunHooks, overwrite: boolean): Promise<void> {
  const sink = SqliteSink.open(path, { overwrite });
  try {
    await executeRun(spec, sink, new VirtualClock(), hooks);
  } finally {
    await sink.close();
  }
}

/** Runs `spec` into a new file at `path`, stopping it (as Ctrl-C does) once `workflows` have finished. */
export async function runInterrupted(path: string, spec: RunSpec, workflows: number): Promise<void> {
  let done = 0;
  await runInto(path, spec, { onWorkflow: () => done++, shouldStop: () => done >= workflows }, true);
}

/** Plans and cleans up the resume of `spec` in the file at `path`, as `run --resume` does; throws unless the run is to be resumed. */
export function resumeOf(path: string, spec: RunSpec): RunResume {
  const action = prepareResume(path, [spec], false).get(runIdOf(spec));
  if (action?.kind !== 'resume') throw new Error(`expected ${runIdOf(spec)} to be resumed, got ${action?.kind}`);
  return action.resume;
}

/** Workflow rows committed so far (0 while the file or its tables do not exist yet). */
export function committedWorkflows(path: string): number {
  if (!existsSync(path)) return 0;
  const db = new Database(path, { readonly: true });
  try {
    const ready = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'workflows'").pluck().get() as number;
    return ready === 0 ? 0 : (db.prepare('SELECT count(*) FROM workflows').pluck().get() as number);
  } finally {
    db.close();
  }
}
