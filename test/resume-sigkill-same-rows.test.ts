import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { committedWorkflows } from './support/interrupted-run.ts';
import { LAUNCHED_ENV } from '../harness/cli/launcher.js';
import { SeededRng } from '../harness/kernel/rng.ts';

const root = new URL('..', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-sigkill-rows-'));
const CASES = 200;
const REPEAT = 10;
const ARGS = ['run', 'scenarios/legal-review.yaml', '--pattern', 'sequential', '--repeat', String(REPEAT), '--cases', String(CASES), '--checkpoints', '--quiet', '--no-report'];
/** Tables that hold no result: the file's metadata and the `strings` ids behind the `spans` view. */
const INTERNAL = new Set(['meta', 'strings', 'span_rows']);

/**
 * Runs `patternbench run` with `args` (SIGKILL once `killAt` workflows of `path` are committed);
 * resolves with its exit code or signal and its stderr once the process is gone. It runs the CLI
 * itself, not through the launcher (harness/cli/launcher.js): the signal kills the process writing
 * the file, at once, and it is reaped before the resume checks the file's lock.
 */
function cli(args: readonly string[], killAt: number | null = null, path = ''): Promise<{ exit: number | NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ['harness/cli/bin.js', ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, [LAUNCHED_ENV]: '1' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const timer = killAt === null ? null : setInterval(() => {
    if (committedWorkflows(path) >= killAt) child.kill('SIGKILL');
  }, 10);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      if (timer !== null) clearInterval(timer);
      resolve({ exit: code ?? signal, stderr });
    }),
  );
}

/**
 * Every row of every table and view of the file, as sorted JSON per table, time columns included;
 * only the wall-clock `runs.started_at` and `finished_at` are left out (and `runs.config`, long,
 * stands as its SHA-256).
 */
function rowsOf(path: string): Record<string, string[]> {
  const db = new Database(path, { readonly: true });
  try {
    const relations = db
      .prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      relations
        .filter((name) => !INTERNAL.has(name))
        .map((name) => {
          const rows = db.prepare(`SELECT * FROM ${name}`).all() as Record<string, unknown>[];
          const kept = name !== 'runs' ? rows : rows.map((row) => ({ ...row, started_at: null, finished_at: null, config: sha256(row['config']) }));
          return [name, kept.map((row) => JSON.stringify(row)).sort()];
        }),
    );
  } finally {
    db.close();
  }
}

function sha256(value: unknown): string {
  return createHash('sha256').update(String(value)).digest('hex');
}

/** The first row where two sorted dumps of a table differ (`undefined` when they do not), for a short failure message. */
function firstDifference(actual: readonly string[], expected: readonly string[]): { row: number; actual: string | undefined; expected: string | undefined } | undefined {
  for (let row = 0; row < Math.max(actual.length, expected.length); row++) {
    if (actual[row] !== expected[row]) return { row, actual: actual[row], expected: expected[row] };
  }
  return undefined;
}

/** Checkpoints of workflows without a row: calls of the chain caught in flight by the kill. */
function inFlightCheckpoints(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM checkpoints WHERE workflow_id NOT IN (SELECT workflow_id FROM workflows)').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('a chain run killed with SIGKILL at random moments and resumed', () => {
  it('holds exactly the rows of the run never interrupted, times included', { timeout: 90_000 }, async () => {
    const whole = join(folder, 'whole.db');
    expect(await cli([...ARGS, '--db', whole])).toEqual({ exit: 0, stderr: '' });
    const expected = rowsOf(whole);
    expect(expected['workflows']).toHaveLength(CASES * REPEAT);

    // Kill once this many workflows are committed: drawn from a seeded stream, within the first 60 % of the run.
    const rng = new SeededRng(2026);
    const kills = [1, 2, 3, 4].map(() => 1 + rng.int(Math.floor(0.6 * CASES * REPEAT)));
    let midChain = 0;
    for (const [trial, killAt] of kills.entries()) {
      const path = join(folder, `killed-${trial}.db`);
      expect((await cli([...ARGS, '--db', path], killAt, path)).exit, `trial ${trial}: killed`).toBe('SIGKILL');
      const killed = rowsOf(path);
      expect(killed['runs']?.[0], `trial ${trial}`).toContain('"status":"running"');
      expect(killed['workflows']?.length, `trial ${trial}`).toBeLessThan(CASES * REPEAT);
      if (inFlightCheckpoints(path) > 0) midChain++;

      expect(await cli([...ARGS, '--resume', path]), `trial ${trial}: resumed`).toEqual({ exit: 0, stderr: '' });
      const actual = rowsOf(path);
      // `runs` first (its virtual_end_ms), then every table, workflow and span times included.
      expect(actual['runs'], `trial ${trial} (killed at ${killAt} workflows): runs`).toEqual(expected['runs']);
      expect(Object.keys(actual)).toEqual(Object.keys(expected));
      for (const table of Object.keys(expected)) {
        expect(firstDifference(actual[table]!, expected[table]!), `trial ${trial} (killed at ${killAt} workflows): ${table}`).toBeUndefined();
      }
    }
    // The kills caught the chain between calls of a workflow (a batch commits mid-workflow): the case the resume must get right.
    expect(midChain).toBeGreaterThan(0);
  });
});
