// A results file that stops accepting rows fails the run: the process says so and ends (exit 1),
// with no stack trace — it never sleeps forever with the file half-written.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-sink-failure-'));

/** Runs the CLI in a child process; resolves with its exit code and stderr (kills it after `limitMs`). */
function cli(args: readonly string[], limitMs: number, onStderr?: (text: string, kill: () => void) => void): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, ['harness/cli/bin.js', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
    onStderr?.(stderr, () => child.kill('SIGINT'));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    }),
  );
}

describe('a results file that fails while a run writes it', () => {
  it('ends the process with exit 1 and one SINK_FAILED line', async () => {
    const db = join(folder, 'failing.db');
    const args = ['run', 'scenarios/legal-review.yaml', '--cases', '1000000', '--pattern', 'sequential'];
    // An interrupted run to resume (the resume writes into the existing file): Ctrl-C once it runs.
    const first = await cli([...args, '--db', db], 60_000, (text, interrupt) => {
      if (text.includes('running legal-review/sequential')) interrupt();
    });
    expect(first.code, first.stderr).toBe(130);
    const sqlite = new Database(db);
    sqlite.exec("CREATE TRIGGER disk_on_fire BEFORE INSERT ON span_rows BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
    sqlite.close();

    const resumed = await cli([...args, '--quiet', '--resume', db], 90_000);
    expect(resumed.signal, 'the process had to be killed: it hung').toBeNull();
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain('error [SINK_FAILED]');
    expect(resumed.stderr).toContain('disk on fire');
    expect(resumed.stderr).not.toMatch(/^\s+at /m);
  }, 180_000);
});
