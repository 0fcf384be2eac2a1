/**
 * `patternbench run … --resume <db>`: what an interrupted run left in its results file, checked
 * against the matrix the command plans, and what the runner needs to continue it.
 *
 * A run whose `runs.status` is `completed` is skipped; one with no row is run from the start; any
 * other (killed, interrupted, failed) is resumed. A run on virtual time is a function of its seed,
 * so a resumed run is simulated again from virtual time 0, every workflow as it was first made, and
 * stores only what the file lacks (harness/run/recovery/resume-sink.ts): its finished workflows
 * (rows of `workflows`) keep the rows first written, the others are written as an uninterrupted
 * run writes them, and so are the run's events, dead letters, time series, histograms and span metrics, after
 * harness/run/recovery/resume-cleanup.ts has removed what the interruption left of them. The file
 * ends with exactly the rows of the run never interrupted, times included, whatever the pattern,
 * concurrency or shared rate limits. Simulating the finished part again is cheap: storing rows is
 * most of what a run costs.
 *
 * Closed and open loads alike: an open load's arrivals are drawn from the run's seed, so the run
 * simulated again meets them at the same virtual times, and its unfinished workflows, and those
 * that had not yet arrived, are made as an uninterrupted run makes them. A run cut into slices
 * (`run --workers`, harness/run/slices.ts) resumes whole, in one thread: its workflows' rows and
 * figures are the unsliced run's, though under `--traces tail` the traces kept for the workflows
 * it had not finished follow the whole run's "slowest" rule rather than its slices'. `--resume`
 * refuses (`USAGE`) a wall-clock run (its times cannot be made again), as it refuses a run that the
 * command no longer describes.
 */
import { HarnessError } from '../../kernel/errors.ts';
import type { DeadLetterLink, ResumeAction, RunResume } from './resume-state.ts';

export type { ResumeAction };
import { runIdOf, type RunSpec } from '../runner.ts';
import { sliceCount } from '../slices.ts';
import { runConfigJson, storedTracePolicy } from '../scenario-json.ts';
import { formatTracePolicy, tracePolicyFor } from '../trace-policy.ts';
import { storedAuditHead } from '../../../reports/store/audit-rows.ts';
import { shardSetOf } from '../../../reports/store/merge/merge-runs.ts';
import { cleanUpForResume } from './resume-cleanup.ts';
import { openResultsReadonly } from '../../../reports/store/open-results.ts';
import { openDatabase, type Db } from '../../../reports/store/schema.ts';

interface RunRow {
  readonly status: string;
  readonly config: string;
  readonly load: string;
  readonly clock: string;
  readonly shard: string;
}

/**
 * Decides, for every spec, whether to skip, start or resume it, reading `db` (before any
 * clean-up). Refuses (`USAGE`) a run that the command no longer describes (another scenario
 * configuration, load, shard, or cases and repeats) and a wall-clock run.
 */
export function planResume(db: Db, dbPath: string, specs: readonly RunSpec[], realtime: boolean, perSlice?: number): Map<string, ResumeAction> {
  const actions = new Map<string, ResumeAction>();
  const selectRun = db.prepare('SELECT status, config, load, clock, shard FROM runs WHERE run_id = ?');
  for (const spec of specs) {
    const runId = runIdOf(spec);
    const row = selectRun.get(runId) as RunRow | undefined;
    if (row === undefined) actions.set(runId, { kind: 'fresh' });
    else if (row.status === 'completed') actions.set(runId, { kind: 'skip' });
    else actions.set(runId, { kind: 'resume', resume: resumeOf(db, dbPath, spec, row, realtime, perSlice) });
  }
  return actions;
}

function refuse(dbPath: string, runId: string, why: string): never {
  throw new HarnessError('USAGE', `cannot resume ${runId} in ${dbPath}: ${why}`);
}

function resumeOf(db: Db, dbPath: string, spec: RunSpec, row: RunRow, realtime: boolean, perSlice: number | undefined): RunResume {
  const runId = runIdOf(spec);
  const load = spec.load;
  if (realtime || row.clock === 'real') refuse(dbPath, runId, 'wall-clock (--realtime) runs cannot be resumed; run it again into a new file');
  // A run simulated again decides the same traces to keep under the same policy (harness/run/trace-retention.ts), not under another.
  const traces = tracePolicyFor(load, spec.traces);
  const kept = storedTracePolicy(row.config);
  if (kept !== formatTracePolicy(traces)) refuse(dbPath, runId, `it kept traces by --traces ${kept}, this command by --traces ${formatTracePolicy(traces)}; pass --traces ${kept}`);
  if (row.config !== runConfigJson(spec.scenario, traces)) refuse(dbPath, runId, 'its scenario has changed since the run began');
  if (row.load !== JSON.stringify(load)) refuse(dbPath, runId, `it ran with load ${row.load}, this command plans ${JSON.stringify(load)}`);
  const shard = spec.shard ?? '';
  if (row.shard !== shard && !isPartOfSlices(row.shard, sliceCount(spec, perSlice))) refuse(dbPath, runId, `it ran as shard '${row.shard}', this command plans '${shard}'`);

  const cases = spec.cases;
  const total = cases.length * spec.repeat;
  const finishedRows = db.prepare('SELECT workflow_id, case_id, repeat FROM workflows WHERE run_id = ?')
    .all(runId) as { workflow_id: number; case_id: string; repeat: number }[];
  const finished = new Set<number>();
  for (const w of finishedRows) {
    const planned = cases[w.workflow_id % cases.length];
    if ((load.kind === 'closed' && load.durationMs === null && w.workflow_id >= total) || planned?.id !== w.case_id || Math.floor(w.workflow_id / cases.length) !== w.repeat) {
      refuse(dbPath, runId, `its workflow ${w.workflow_id} ran case ${w.case_id} (repeat ${w.repeat}), which this command does not plan there; pass the same --cases and --repeat`);
    }
    finished.add(w.workflow_id);
  }
  const links = db.prepare('SELECT seq, replayed_run_id, replayed_workflow_id FROM dead_letters WHERE run_id = ? AND replayed_run_id IS NOT NULL')
    .all(runId) as { seq: number; replayed_run_id: string; replayed_workflow_id: number }[];
  const deadLetterLinks = new Map<number, DeadLetterLink>(links.map((link) => [link.seq, { runId: link.replayed_run_id, workflowId: link.replayed_workflow_id }]));
  return { finished, audit: storedAuditHead(db, runId), deadLetterLinks, shard };
}

/**
 * Whether `label` names some of the `count` slices `run --workers` cut the run into: a sliced run
 * interrupted before every slice began keeps the label of those it holds (`1,2/4`,
 * harness/run/slice-join.ts), in place of its matrix shard's (`--shard`, which picks whole runs).
 * Such a run resumes whole, under the command's label.
 */
function isPartOfSlices(label: string, count: number): boolean {
  const set = shardSetOf(label);
  return set !== null && count >= 2 && set.of === count && set.indices.length < count;
}

/**
 * Opens the results file to resume (it must exist and be a patternbench file of this schema
 * version, else `USAGE`/`SCHEMA_MISMATCH`: exit 2, nothing written), plans every spec, and — once
 * every run has passed its checks — cleans up the runs to resume in one transaction.
 */
export function prepareResume(dbPath: string, specs: readonly RunSpec[], realtime: boolean, perSlice?: number): Map<string, ResumeAction> {
  openResultsReadonly(dbPath).close();
  const db = openDatabase(dbPath);
  try {
    const actions = planResume(db, dbPath, specs, realtime, perSlice);
    cleanUpForResume(db, actions);
    return actions;
  } finally {
    db.close();
  }
}
