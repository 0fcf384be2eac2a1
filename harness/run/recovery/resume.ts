/**
 * `patternbench run … --resume <db>`: what an interrupted run left in its results file, checked
 * against the matrix the command plans, and what the runner needs to continue it.
 *
 * A run whose `runs.status` is `completed` is skipped; one with no row is run from the start; any
 * other (killed, interrupted, failed) is resumed: its finished workflows (rows of `workflows`) are
 * kept and not run again, its unfinished ones run again under their own workflow ids (so their case,
 * repeat, trace id and random streams are the same), replaying their checkpoints (harness/run/recovery/checkpoint.ts).
 * The resumed run's virtual clock starts where the interrupted run had got to (its last workflow
 * end or checkpoint), so time stays monotonic across the interruption.
 *
 * Only closed-loop runs on the virtual clock resume: an open load's arrival schedule (and a
 * wall-clock run's times) cannot be continued faithfully, so `--resume` refuses them (`USAGE`).
 */
import { HarnessError } from '../../kernel/errors.ts';
import type { CheckpointRecord } from '../../kernel/records.ts';
import { CHECKPOINT_COLUMNS_SQL, checkpointOutcome, WorkflowReplay, type Checkpoint } from './checkpoint.ts';
import { restoreRunMetrics } from './resume-metrics.ts';
import type { ResumeAction, RunResume } from './resume-state.ts';

export type { ResumeAction };
import { runIdOf, type RunSpec } from '../runner.ts';
import { scenarioToJson } from '../scenario-json.ts';
import { storedAuditHead } from '../../../reports/store/audit-rows.ts';
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
 * configuration, load, shard, or cases and repeats), an open-load run, and a wall-clock run.
 */
export function planResume(db: Db, dbPath: string, specs: readonly RunSpec[], realtime: boolean): Map<string, ResumeAction> {
  const actions = new Map<string, ResumeAction>();
  const selectRun = db.prepare('SELECT status, config, load, clock, shard FROM runs WHERE run_id = ?');
  for (const spec of specs) {
    const runId = runIdOf(spec);
    const row = selectRun.get(runId) as RunRow | undefined;
    if (row === undefined) actions.set(runId, { kind: 'fresh' });
    else if (row.status === 'completed') actions.set(runId, { kind: 'skip' });
    else actions.set(runId, resumeAction(db, dbPath, spec, row, realtime));
  }
  return actions;
}

function refuse(dbPath: string, runId: string, why: string): never {
  throw new HarnessError('USAGE', `cannot resume ${runId} in ${dbPath}: ${why}`);
}

function resumeAction(db: Db, dbPath: string, spec: RunSpec, row: RunRow, realtime: boolean): ResumeAction {
  const runId = runIdOf(spec);
  const load = spec.load;
  if (load.kind === 'open' || row.load.includes('"kind":"open"')) {
    refuse(dbPath, runId, 'it has an open load (arrivals over time), whose schedule cannot be continued; run it again into a new file');
  }
  if (realtime || row.clock === 'real') refuse(dbPath, runId, 'wall-clock (--realtime) runs cannot be resumed; run it again into a new file');
  if (row.config !== scenarioToJson(spec.scenario)) refuse(dbPath, runId, 'its scenario has changed since the run began');
  if (row.load !== JSON.stringify(load)) refuse(dbPath, runId, `it ran with load ${row.load}, this command plans ${JSON.stringify(load)}`);
  if (row.shard !== (spec.shard ?? '')) refuse(dbPath, runId, `it ran as shard '${row.shard}', this command plans '${spec.shard ?? ''}'`);

  const cases = spec.cases;
  const total = cases.length * spec.repeat;
  const finishedRows = db.prepare('SELECT workflow_id, case_id, repeat, end_ms, input_tokens + output_tokens AS tokens, cost_usd FROM workflows WHERE run_id = ?')
    .all(runId) as { workflow_id: number; case_id: string; repeat: number; end_ms: number; tokens: number; cost_usd: number }[];
  const finished = new Set<number>();
  let virtualEndMs = 0;
  let spentTokens = 0;
  let spentCostUsd = 0;
  for (const w of finishedRows) {
    const planned = cases[w.workflow_id % cases.length];
    if ((load.durationMs === null && w.workflow_id >= total) || planned?.id !== w.case_id || Math.floor(w.workflow_id / cases.length) !== w.repeat) {
      refuse(dbPath, runId, `its workflow ${w.workflow_id} ran case ${w.case_id} (repeat ${w.repeat}), which this command does not plan there; pass the same --cases and --repeat`);
    }
    finished.add(w.workflow_id);
    virtualEndMs = Math.max(virtualEndMs, w.end_ms);
    spentTokens += w.tokens;
    spentCostUsd += w.cost_usd;
  }

  const checkpointRows = db.prepare(`SELECT ${CHECKPOINT_COLUMNS_SQL} FROM checkpoints WHERE run_id = ? ORDER BY workflow_id, step`)
    .all(runId) as Omit<CheckpointRecord, 'runId'>[];
  const byWorkflow = new Map<number, Checkpoint[]>();
  let startMs = virtualEndMs;
  for (const c of checkpointRows) {
    if (finished.has(c.workflowId)) continue;
    const outcome = checkpointOutcome(c);
    const list = byWorkflow.get(c.workflowId) ?? [];
    list.push({ step: c.step, agent: c.agent, outcome });
    byWorkflow.set(c.workflowId, list);
    startMs = Math.max(startMs, c.timeMs);
    spentTokens += outcome.usage.inputTokens + outcome.usage.outputTokens;
    spentCostUsd += outcome.costUsd;
  }

  // A closed load over the cases plans `total` workflows; one with a duration goes on past the last id reached.
  let reached = -1;
  for (const id of finished) reached = Math.max(reached, id);
  for (const id of byWorkflow.keys()) reached = Math.max(reached, id);
  const nextId = load.durationMs === null ? total : reached + 1;
  const pending: number[] = [];
  for (let id = 0; id < nextId; id++) if (!finished.has(id)) pending.push(id);
  const replays = new Map([...byWorkflow].map(([id, list]) => [id, new WorkflowReplay(list)]));
  const next = (table: string): number => (db.prepare(`SELECT coalesce(max(seq), -1) + 1 FROM ${table} WHERE run_id = ?`).pluck().get(runId) as number);
  const resume: RunResume = {
    pending, nextId, startMs, virtualEndMs, replays,
    nextEventSeq: next('events'), nextDeadLetterSeq: next('dead_letters'), spentTokens, spentCostUsd,
    auditHead: storedAuditHead(db, runId),
    restoreMetrics: (metrics) => restoreRunMetrics(dbPath, runId, metrics),
  };
  return { kind: 'resume', resume };
}

/**
 * Opens the results file to resume (it must exist and be a patternbench file of this schema
 * version, else `USAGE`/`SCHEMA_MISMATCH`: exit 2, nothing written), plans every spec, and — once
 * every run has passed its checks — cleans up the runs to resume in one transaction.
 */
export function prepareResume(dbPath: string, specs: readonly RunSpec[], realtime: boolean): Map<string, ResumeAction> {
  openResultsReadonly(dbPath).close();
  const db = openDatabase(dbPath);
  try {
    const actions = planResume(db, dbPath, specs, realtime);
    cleanUpForResume(db, actions);
    return actions;
  } finally {
    db.close();
  }
}
