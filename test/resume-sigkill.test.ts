import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { committedWorkflows } from './support/interrupted-run.ts';
import { LAUNCHED_ENV } from '../harness/cli/launcher.js';

const root = new URL('..', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-sigkill-'));
const CASES = 600;
const ARGS = ['run', 'scenarios/market-research.yaml', '--pattern', 'supervisor,fanout', '--cases', String(CASES), '--concurrency', '8', '--checkpoints', '--quiet', '--no-report'];

/**
 * Runs the CLI itself, not through the launcher (harness/cli/launcher.js): a SIGKILL kills the
 * process writing the file at once, and it is reaped before the resume checks the file's lock.
 */
function cli(args: readonly string[]) {
  return spawn(process.execPath, ['harness/cli/bin.js', ...args], { cwd: root, stdio: 'ignore', env: { ...process.env, [LAUNCHED_ENV]: '1' } });
}

/** Starts `patternbench run`, polls its file and kills it (SIGKILL) once some workflows are committed. */
async function runAndKill(path: string): Promise<void> {
  const child = cli([...ARGS, '--db', path]);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const timer = setInterval(() => {
    if (committedWorkflows(path) > 0) child.kill('SIGKILL');
  }, 20);
  const signal = await exited;
  clearInterval(timer);
  expect(signal).toBe('SIGKILL');
}

async function resume(path: string): Promise<number | null> {
  const child = cli([...ARGS, '--resume', path]);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/** Rows of `table` that belong to workflows without a `workflows` row: those the kill caught in flight. */
function inFlightRows(db: Database.Database, table: 'checkpoints' | 'spans'): Record<string, unknown>[] {
  return db
    .prepare(`SELECT * FROM ${table} t WHERE NOT EXISTS (SELECT 1 FROM workflows w WHERE w.run_id = t.run_id AND w.workflow_id = t.workflow_id)`)
    .all() as Record<string, unknown>[];
}

describe('a run killed with SIGKILL mid-run and resumed', () => {
  it('finishes every case exactly once, writing the killed workflows\' checkpoints and spans again as they were', { timeout: 60_000 }, async () => {
    const path = join(folder, 'killed.db');
    await runAndKill(path);

    const killed = new Database(path, { readonly: true });
    expect(killed.prepare('SELECT status FROM runs').pluck().all()).toContain('running');
    // Calls of workflows in flight at the kill, checkpointed, with their spans: the resumed run,
    // simulated again from the start, must write them again exactly so (times included).
    const inFlight = inFlightRows(killed, 'checkpoints');
    const inFlightSpans = inFlightRows(killed, 'spans');
    killed.close();
    expect(inFlight.length).toBeGreaterThan(0);

    expect(await resume(path)).toBe(0);

    const db = new Database(path, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT status FROM runs ORDER BY run_id').pluck().all()).toEqual(['completed', 'completed']);
    // Every case of each run finished exactly once.
    const perRun = db.prepare('SELECT count(*) AS rows, count(DISTINCT case_id) AS cases, min(workflow_id) AS first, max(workflow_id) AS last FROM workflows GROUP BY run_id').all();
    expect(perRun).toEqual([{ rows: CASES, cases: CASES, first: 0, last: CASES - 1 }, { rows: CASES, cases: CASES, first: 0, last: CASES - 1 }]);
    // One checkpoint per (workflow, step), and one `invoke_agent` span per agent call the rows count.
    expect(db.prepare('SELECT count(*) FROM (SELECT 1 FROM checkpoints GROUP BY run_id, workflow_id, step HAVING count(*) > 1)').pluck().get()).toBe(0);
    const mismatched = db.prepare(
      `SELECT count(*) FROM workflows w WHERE agent_calls !=
         (SELECT count(*) FROM spans s WHERE s.trace_id = w.trace_id AND s.operation = 'invoke_agent')`,
    );
    expect(mismatched.pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM checkpoints').pluck().get()).toBe(db.prepare('SELECT sum(agent_calls) FROM workflows').pluck().get());
    // What the killed workflows had stored is stored again, once, exactly as it was.
    const checkpointAfter = db.prepare('SELECT * FROM checkpoints WHERE run_id = ? AND workflow_id = ? AND step = ?');
    expect(inFlight.map((row) => checkpointAfter.all(row['run_id'], row['workflow_id'], row['step']))).toEqual(inFlight.map((row) => [row]));
    const spanAfter = db.prepare('SELECT * FROM spans WHERE trace_id = ? AND span_id = ?');
    expect(inFlightSpans.map((row) => spanAfter.all(row['trace_id'], row['span_id']))).toEqual(inFlightSpans.map((row) => [row]));
    // The unique (trace, span) index was built when the file closed: no span is stored twice.
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'spans_trace'").pluck().get()).toBe('spans_trace');
    db.close();
  });
});
