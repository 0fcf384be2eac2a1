/**
 * A run of simulated agents saves no per-call checkpoints unless asked (`--checkpoints`): a
 * simulated call costs nothing to redo, and `--resume` simulates an interrupted run again from its
 * seed without reading them. The rows of the run are otherwise the same either way. (A run with a
 * real agent saves them by default: test/http-agent-mixed-run.test.ts.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-checkpoints-'));

async function run(name: string, flags: readonly string[]): Promise<{ checkpoints: number; calls: number; workflows: unknown[] }> {
  const db = join(folder, `${name}.db`);
  expect(await main(['run', scenario, '--cases', '10', '--pattern', 'sequential', '--db', db, '--quiet', '--no-report', '--format', 'json', ...flags], captureIo())).toBe(0);
  const sqlite = new Database(db, { readonly: true });
  try {
    return {
      checkpoints: sqlite.prepare('SELECT count(*) FROM checkpoints').pluck().get() as number,
      calls: sqlite.prepare('SELECT sum(agent_calls) FROM workflows').pluck().get() as number,
      workflows: sqlite.prepare('SELECT * FROM workflows ORDER BY run_id, workflow_id').all(),
    };
  } finally {
    sqlite.close();
  }
}

describe('checkpoints of a simulated run', () => {
  it('are not saved by default, one per agent call with --checkpoints, and the workflows are the same', async () => {
    const plain = await run('default', []);
    const asked = await run('asked', ['--checkpoints']);
    expect(plain.checkpoints).toBe(0);
    expect(asked.calls).toBeGreaterThan(0);
    expect(asked.checkpoints).toBe(asked.calls);
    expect(plain.workflows).toEqual(asked.workflows);
  });
});
