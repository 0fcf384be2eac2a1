import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-sigkill-'));
const CASES = 600;
const ARGS = ['run', 'scenarios/market-research.yaml', '--pattern', 'supervisor,fanout', '--cases', String(CASES), '--concurrency', '8', '--quiet', '--no-report'];

/** Workflow rows committed so far (0 while the file or its tables do not exist yet). */
function committedWorkflows(path: string): number {
  if (!existsSync(path)) return 0;
  const db = new Database(path, { readonly: true });
  try {
    const ready = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'workflows'").pluck().get() as number;
    return ready === 0 ? 0 : (db.prepare('SELECT count(*) FROM workflows').pluck().get() as number);
  } finally {
    db.close();
  }
}

/** Starts `patternbench run`, polls its file and kills it (SIGKILL) once some workflows are committed. */
async function runAndKill(path: string): Promise<void> {
  const child = spawn(process.execPath, ['harness/cli/bin.js', ...ARGS, '--db', path], { cwd: root, stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const timer = setInterval(() => {
    if (committedWorkflows(path) > 0) child.kill('SIGKILL');
  }, 20);
  const signal = await exited;
  clearInterval(timer);
  expect(signal).toBe('SIGKILL');
}

async function resume(path: string): Promise<number | null> {
  const child = spawn(process.execPath, ['harness/cli/bin.js', ...ARGS, '--resume', path], { cwd: root, stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('a run killed with SIGKILL mid-run and resumed', () => {
  it('finishes every case exactly once, without making a checkpointed call again', { timeout: 60_000 }, async () => {
    const path = join(folder, 'killed.db');
    await runAndKill(path);

    const killed = new Database(path, { readonly: true });
    expect(killed.prepare('SELECT status FROM runs').pluck().all()).toContain('running');
    // Calls of workflows in flight at the kill, checkpointed: they must be replayed, not made again.
    const inFlight = killed
      .prepare('SELECT * FROM checkpoints WHERE workflow_id NOT IN (SELECT workflow_id FROM workflows) ORDER BY workflow_id, step')
      .all() as { span_ids: string }[];
    killed.close();
    expect(inFlight.length).toBeGreaterThan(0);
    const keptSpans = inFlight.flatMap((row) => JSON.parse(row.span_ids) as string[]);

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
    // The checkpointed calls of the killed workflows are stored once each, as they were first made.
    const stored = db.prepare('SELECT count(*) FROM spans WHERE span_id = ?').pluck();
    expect(keptSpans.map((spanId) => stored.get(spanId))).toEqual(keptSpans.map(() => 1));
    const after = db.prepare('SELECT * FROM checkpoints WHERE run_id = ? AND workflow_id = ? AND step = ?');
    expect(inFlight.map((row) => after.get(Object.values(row).slice(0, 3)))).toEqual(inFlight);
    // The unique (trace, span) index was built when the file closed: no span is stored twice.
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'spans_trace'").pluck().get()).toBe('spans_trace');
    db.close();
  });
});
