/**
 * `patternbench dlq replay`: re-runs the dead-lettered workflows of a results file as new runs in
 * the same file, and links each dead letter to the workflow that replayed it.
 */
import { existsSync } from 'node:fs';
import { type ReplayPlan, type ReplayedWorkflow, type WorkflowLetterInput } from './dlq.ts';
import { HarnessError } from '../../kernel/errors.ts';
import { closedLoad } from '../../scenario/load-overrides.ts';
import { RealClock } from '../../kernel/real-clock.ts';
import { executeRun, type RunSpec } from '../runner.ts';
import { compileScenarioFile } from '../load-scenario.ts';
import { runConfigJson, storedTracePolicy } from '../scenario-json.ts';
import { parseTracePolicy } from '../trace-policy.ts';
import type { PatternName } from '../../scenario/types.ts';
import { VirtualClock } from '../../kernel/virtual-clock.ts';
import { type Db } from '../../../reports/store/schema.ts';
import { openResultsReadonly } from '../../../reports/store/open-results.ts';
import { ResultsLock } from '../../../reports/store/results-lock.ts';
import { SqliteSink } from '../../../reports/store/sqlite-sink.ts';

/** What a replay run did. */
export interface ReplayedRun {
  /** `<original run_id>/replay-<n>`. */
  readonly runId: string;
  /** The run whose dead letters it replayed (the original, whatever replay produced a letter). */
  readonly original: string;
  readonly replayed: number;
  readonly completed: number;
  readonly failed: number;
}

/** How `replayDeadLetters` went. */
export interface ReplayResult {
  readonly runs: readonly ReplayedRun[];
  /** Problems that did not stop the replay (a scenario file changed since the run). */
  readonly warnings: readonly string[];
}

/** A run of the file, as `runs` holds it. */
interface RunRow {
  readonly run_id: string;
  readonly pattern: string;
  readonly variant: string;
  readonly seed: number;
  readonly config: string;
}

/** A dead letter waiting for its replay. */
interface PendingLetter {
  readonly run_id: string;
  readonly seq: number;
  readonly workflow_id: number;
  readonly input: string;
}

const REPLAY_SUFFIX = /\/replay-(\d+)$/;

/** The run a replay run replays (a replay's own dead letters are replayed on behalf of the original). */
export function originalRunId(runId: string): string {
  return runId.replace(REPLAY_SUFFIX, '');
}

/**
 * Replays, for each run (or only `runId` and its replays), the workflow dead letters not yet
 * replayed: one new run `<run_id>/replay-<n>` per original run, in the same file, with the same
 * scenario (recompiled from the file recorded in `runs.config`), pattern, variant and seed, its
 * random streams keyed by `n` (`replaySeed`), one workflow at a time from virtual time 0. Each
 * letter gets `replayed_run_id`/`replayed_workflow_id`; each replayed workflow the fact
 * `dlq.replay_of`. Everything is checked before anything is written: a missing scenario file is a
 * `SCENARIO_NOT_FOUND`, an unknown run or a vanished variant or pattern a `USAGE` error.
 */
export async function replayDeadLetters(dbPath: string, runId: string | null): Promise<ReplayResult> {
  const warnings: string[] = [];
  // It appends runs to the file: the whole current schema, and no other writer at the same time.
  openResultsReadonly(dbPath).close();
  const lock = ResultsLock.acquire(dbPath);
  try {
    return await replayLocked(dbPath, runId, warnings);
  } finally {
    lock.release();
  }
}

async function replayLocked(dbPath: string, runId: string | null, warnings: string[]): Promise<ReplayResult> {
  const db = openResultsReadonly(dbPath);
  let specs: { spec: RunSpec; letters: readonly PendingLetter[] }[];
  try {
    specs = planReplays(db, runId, warnings);
  } finally {
    db.close();
  }
  if (specs.length === 0) return { runs: [], warnings };

  const sink = SqliteSink.open(dbPath);
  const runs: ReplayedRun[] = [];
  try {
    const link = sink.db.prepare('UPDATE dead_letters SET replayed_run_id = ?, replayed_workflow_id = ? WHERE run_id = ? AND seq = ?');
    const statuses = sink.db.prepare("SELECT sum(status = 'completed') AS completed, sum(status = 'failed') AS failed FROM workflows WHERE run_id = ?");
    for (const { spec, letters } of specs) {
      const outcome = await executeRun(spec, sink, new VirtualClock(), {
        startedAt: new Date(RealClock.wallTimeMs()).toISOString(),
        finishedAt: () => new Date(RealClock.wallTimeMs()).toISOString(),
      });
      sink.db.transaction(() => letters.forEach((letter, index) => link.run(outcome.runId, index, letter.run_id, letter.seq)))();
      const counts = statuses.get(outcome.runId) as { completed: number | null; failed: number | null };
      runs.push({
        runId: outcome.runId,
        original: originalRunId(outcome.runId),
        replayed: letters.length,
        completed: counts.completed ?? 0,
        failed: counts.failed ?? 0,
      });
    }
  } finally {
    await sink.close();
  }
  return { runs, warnings };
}

/** One replay run per original run with waiting letters. */
function planReplays(db: Db, runId: string | null, warnings: string[]): { spec: RunSpec; letters: readonly PendingLetter[] }[] {
  const runs = new Map((db.prepare('SELECT run_id, pattern, variant, seed, config FROM runs').all() as RunRow[]).map((row) => [row.run_id, row]));
  if (runId !== null && !runs.has(runId)) {
    throw new HarnessError('USAGE', `no run '${runId}' in ${db.name}; runs: ${[...runs.keys()].sort().join(', ') || '(none)'}`);
  }
  const pending = db
    .prepare("SELECT run_id, seq, workflow_id, input FROM dead_letters WHERE kind = 'workflow' AND replayed_run_id IS NULL ORDER BY run_id, seq")
    .all() as PendingLetter[];
  const byOriginal = new Map<string, PendingLetter[]>();
  for (const letter of pending) {
    const original = originalRunId(letter.run_id);
    if (runId !== null && original !== originalRunId(runId)) continue;
    byOriginal.set(original, [...(byOriginal.get(original) ?? []), letter]);
  }
  const plans: { spec: RunSpec; letters: readonly PendingLetter[] }[] = [];
  for (const [original, letters] of byOriginal) {
    const row = runs.get(original);
    if (row === undefined) throw new HarnessError('USAGE', `dead letters of ${letters[0]?.run_id} name run '${original}', which the file does not hold`);
    const number = 1 + Math.max(0, ...[...runs.keys()].filter((id) => originalRunId(id) === original && id !== original).map(replayNumber));
    const workflows = letters.map((letter): ReplayedWorkflow => {
      const input = JSON.parse(letter.input) as WorkflowLetterInput;
      return { caseSpec: input.case, repeat: input.repeat, of: `${letter.run_id}#${letter.workflow_id}` };
    });
    const plan: ReplayPlan = { runId: `${original}/replay-${number}`, number, workflows };
    plans.push({ spec: replaySpec(row, plan, warnings), letters });
  }
  return plans;
}

function replayNumber(runId: string): number {
  return Number(REPLAY_SUFFIX.exec(runId)?.[1] ?? 0);
}

/** The run that replays `plan`: the original run's scenario (recompiled), pattern, variant and seed. */
function replaySpec(row: RunRow, plan: ReplayPlan, warnings: string[]): RunSpec {
  const file = (JSON.parse(row.config) as { file?: unknown }).file;
  if (typeof file !== 'string' || !existsSync(file)) {
    throw new HarnessError(
      'SCENARIO_NOT_FOUND',
      `run ${row.run_id} was compiled from scenario file ${JSON.stringify(file ?? null)}, which is not found from ${process.cwd()}; ` +
        'replay from the folder the run was started in, with the scenario file in place',
    );
  }
  const base = compileScenarioFile(file);
  const scenario = row.variant === base.variant ? base : base.variants.get(row.variant);
  const pattern = row.pattern as PatternName;
  if (scenario === undefined || !scenario.patterns.has(pattern)) {
    throw new HarnessError('USAGE', `run ${row.run_id}: ${file} no longer defines variant '${row.variant}' with pattern '${row.pattern}'`);
  }
  // The run's config also records how it kept traces (harness/run/scenario-json.ts).
  if (runConfigJson(scenario, parseTracePolicy(storedTracePolicy(row.config))) !== row.config) {
    warnings.push(`${file} changed since run ${row.run_id}; its dead letters are replayed with the scenario as it is now`);
  }
  const workflows = plan.workflows;
  return { scenario, pattern, variant: row.variant, seed: row.seed, cases: workflows.map((w) => w.caseSpec), repeat: 1, load: closedLoad(1), replay: plan };
}
