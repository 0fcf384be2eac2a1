/** Hand-built results files for threshold tests: direct inserts into a fresh schema-v2 database. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurationHistogram } from '../../harness/kernel/hdr.ts';
import { openDatabase, type Db } from '../../reports/store/schema.ts';

/** A fresh, writable results file in a temporary folder. */
export function emptyResultsDb(): Db {
  return openDatabase(join(mkdtempSync(join(tmpdir(), 'patternbench-thresholds-')), 'results.db'));
}

/** Inserts a `runs` row (variant `base` and seed 1 unless given). */
export function insertRun(db: Db, run: { runId: string; scenario: string; pattern: string; variant?: string; seed?: number }): void {
  db.prepare(
    `INSERT INTO runs (run_id, scenario, pattern, variant, seed, epoch_ms, config, started_at, status)
     VALUES (?, ?, ?, ?, ?, 0, '{}', 'x', 'completed')`,
  ).run(run.runId, run.scenario, run.pattern, run.variant ?? 'base', run.seed ?? 1);
}

/** The fields of a workflow a threshold can look at; latency and service time follow from the times. */
export interface WorkflowFields {
  readonly status: 'completed' | 'failed';
  readonly intendedStartMs: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly costUsd?: number;
  readonly agentCalls?: number;
  readonly modelAttempts?: number;
  readonly correct?: boolean | null;
}

/** Inserts workflows 0, 1, 2, … of `runId`. */
export function insertWorkflows(db: Db, runId: string, workflows: readonly WorkflowFields[]): void {
  const insert = db.prepare(
    `INSERT INTO workflows (run_id, workflow_id, case_id, repeat, status, intended_start_ms, start_ms, end_ms, latency_ms,
       service_ms, input_tokens, output_tokens, cached_tokens, cost_usd, agent_calls, model_attempts, correct, trace_id)
     VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
  );
  workflows.forEach((w, id) => {
    const correct = w.correct === undefined || w.correct === null ? null : Number(w.correct);
    insert.run(
      runId, id, `c${id}`, w.status, w.intendedStartMs, w.startMs, w.endMs, w.endMs - w.intendedStartMs, w.endMs - w.startMs,
      w.inputTokens ?? 0, w.outputTokens ?? 0, w.costUsd ?? 0, w.agentCalls ?? 1, w.modelAttempts ?? w.agentCalls ?? 1, correct,
      `${runId}-${id}`,
    );
  });
}

/** Inserts one `timeseries` window of 1 s with these arrivals and dropped arrivals. */
export function insertWindow(db: Db, runId: string, windowStartMs: number, arrivals: number, dropped: number): void {
  db.prepare(
    `INSERT INTO timeseries (run_id, window_start_ms, window_ms, arrivals, dropped, started, completed, failed,
       in_flight_max, in_flight_end, agent_calls, errors, cost_usd)
     VALUES (?, ?, 1000, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0)`,
  ).run(runId, windowStartMs, arrivals, dropped);
}

/** Inserts a `queue.wait` histogram of `waitsMs` for one shared resource. */
export function insertQueueWaits(db: Db, runId: string, resource: string, waitsMs: readonly number[]): void {
  const histogram = DurationHistogram.create();
  for (const ms of waitsMs) histogram.record(ms);
  db.prepare(
    `INSERT INTO histograms (run_id, metric, scope, count, min_ms, max_ms, mean_ms, encoded)
     VALUES (?, 'queue.wait', ?, ?, ?, ?, ?, ?)`,
  ).run(runId, resource, histogram.count, histogram.minMs, histogram.maxMs, histogram.meanMs, histogram.encode());
}
