import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-launcher-'));

describe('a launched run killed with SIGKILL', () => {
  it('dies with its launcher, leaving a consistent database with no finished run', async () => {
    const db = join(folder, 'killed.db');
    const launcher = spawn(process.execPath, ['harness/cli/bin.js', 'run', 'scenarios/legal-review.yaml', '--cases', '1000000', '--db', db], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    launcher.stderr.setEncoding('utf8');
    launcher.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('running legal-review/sequential') && !launcher.killed) launcher.kill('SIGKILL');
    });
    // The run (a child of the launcher) holds the same stderr pipe: it closes only once the run is
    // gone too. 1,000,000 workflows take minutes, so a surviving run times this test out.
    await new Promise<void>((resolve) => launcher.stderr.on('close', () => resolve()));

    expect(launcher.signalCode).toBe('SIGKILL');
    const sqlite = new Database(db, { readonly: true });
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    // Killed as it began: its run row is committed as running, or not yet at all; never finished.
    expect(sqlite.prepare("SELECT count(*) FROM runs WHERE status <> 'running'").pluck().get()).toBe(0);
    sqlite.close();
  });
});
