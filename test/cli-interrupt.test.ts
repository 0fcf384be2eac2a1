import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-interrupt-'));

describe('an interrupted run (SIGINT)', () => {
  // One worker: the runs one after another, so the interrupt finds the first one running and no other (test/run-workers-interrupt-resume.test.ts interrupts workers).
  it('stops between workflows, leaves a consistent database and says what to do', async () => {
    const db = join(folder, 'interrupted.db');
    const child = spawn(process.execPath, ['harness/cli/bin.js', 'run', 'scenarios/legal-review.yaml', '--cases', '1000000', '--workers', '1', '--db', db], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      // Interrupt as soon as the run has started: 1,000,000 workflows cannot finish first.
      if (stderr.includes('running legal-review/sequential') && child.signalCode === null && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));

    expect(code).toBe(130);
    expect(stderr).toContain('interrupted:');
    expect(stderr).toContain('is consistent');
    const sqlite = new Database(db, { readonly: true });
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(sqlite.prepare('SELECT status FROM runs').pluck().all()).toEqual(['interrupted']);
    const workflows = sqlite.prepare('SELECT count(*) FROM workflows').pluck().get() as number;
    const roots = sqlite.prepare("SELECT count(*) FROM spans WHERE parent_span_id = ''").pluck().get() as number;
    sqlite.close();
    expect(workflows).toBeLessThan(1_000_000);
    // Every workflow that finished is stored with its root span; none is half-written.
    expect(roots).toBe(workflows);
  });
});
