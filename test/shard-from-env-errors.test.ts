// `run --shard-from-env n` reads a Kubernetes Indexed Job's JOB_COMPLETION_INDEX (0-based): shard
// index + 1 of n, as `--shard` would run it; a missing, malformed or out-of-range index, or both
// flags at once, exits 2 with a message naming the variable, and writes nothing.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { chosenShard, shardFromEnv } from '../harness/cli/shard-env.ts';
import { HarnessError } from '../harness/kernel/errors.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-shard-env-'));

/** Runs `run` with `flags` into a new file; returns the exit code, stderr and whether the file was written. */
async function run(name: string, ...flags: string[]): Promise<{ code: number; stderr: string; written: boolean; db: string }> {
  const db = join(folder, `${name}.db`);
  const io = captureIo();
  const code = await main(['run', scenario, '--cases', '6', '--seed', '1,2', '--db', db, '--quiet', '--no-report', ...flags], io);
  return { code, stderr: io.stderr.join('\n'), written: existsSync(db), db };
}

function runIds(db: string): { run_id: string; shard: string }[] {
  const handle = openDatabase(db, { readonly: true });
  try {
    return handle.prepare('SELECT run_id, shard FROM runs ORDER BY run_id').all() as { run_id: string; shard: string }[];
  } finally {
    handle.close();
  }
}

function usageMessage(task: () => unknown): string {
  try {
    task();
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('USAGE');
    return (error as Error).message;
  }
  throw new Error('expected a USAGE error');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('shardFromEnv', () => {
  it('maps the 0-based index to shard index + 1 of n', () => {
    expect(shardFromEnv(3, { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 1, count: 3 });
    expect(shardFromEnv(3, { JOB_COMPLETION_INDEX: '2' })).toEqual({ index: 3, count: 3 });
    expect(chosenShard({ shardFromEnv: 4 }, { JOB_COMPLETION_INDEX: '1' })).toEqual({ index: 2, count: 4 });
    expect(chosenShard({ shard: { index: 2, count: 5 } }, {})).toEqual({ index: 2, count: 5 });
    expect(chosenShard({}, { JOB_COMPLETION_INDEX: '1' })).toBeNull();
  });

  it('names the variable and the range when the index is missing, malformed or out of range', () => {
    expect(usageMessage(() => shardFromEnv(3, {}))).toBe(
      '--shard-from-env 3: JOB_COMPLETION_INDEX is not set (a Kubernetes Indexed Job sets it in each pod; elsewhere set it to 0 to 2, or use --shard i/3)',
    );
    expect(usageMessage(() => shardFromEnv(3, { JOB_COMPLETION_INDEX: ' ' }))).toContain('JOB_COMPLETION_INDEX is not set');
    expect(usageMessage(() => shardFromEnv(3, { JOB_COMPLETION_INDEX: '-1' }))).toBe("--shard-from-env 3: JOB_COMPLETION_INDEX is '-1', not a whole number from 0 to 2");
    expect(usageMessage(() => shardFromEnv(3, { JOB_COMPLETION_INDEX: '1.5' }))).toContain("is '1.5', not a whole number");
    expect(usageMessage(() => shardFromEnv(3, { JOB_COMPLETION_INDEX: '3' }))).toBe(
      "--shard-from-env 3: JOB_COMPLETION_INDEX is 3, out of range 0 to 2 (the Job's completions must equal the shard count)",
    );
    expect(usageMessage(() => chosenShard({ shard: { index: 1, count: 3 }, shardFromEnv: 3 }, { JOB_COMPLETION_INDEX: '0' }))).toBe(
      '--shard and --shard-from-env both choose the shard; give one of them',
    );
  });
});

describe('run --shard-from-env', () => {
  it('runs the cells --shard index+1/n runs', async () => {
    vi.stubEnv('JOB_COMPLETION_INDEX', '1');
    const fromEnv = await run('from-env', '--shard-from-env', '2');
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    const explicit = await run('explicit', '--shard', '2/2');
    expect(explicit.code, explicit.stderr).toBe(0);
    expect(runIds(fromEnv.db)).toEqual(runIds(explicit.db));
    expect(runIds(fromEnv.db).map((row) => row.shard)).toEqual(['2/2', '2/2']);
  });

  it('exits 2 and writes nothing when the index is missing or out of range, or --shard is given too', async () => {
    vi.stubEnv('JOB_COMPLETION_INDEX', undefined);
    expect(await run('missing', '--shard-from-env', '2')).toMatchObject({ code: 2, written: false, stderr: expect.stringContaining('[USAGE]: --shard-from-env 2: JOB_COMPLETION_INDEX is not set') });
    vi.stubEnv('JOB_COMPLETION_INDEX', '2');
    expect(await run('out-of-range', '--shard-from-env', '2')).toMatchObject({ code: 2, written: false, stderr: expect.stringContaining('JOB_COMPLETION_INDEX is 2, out of range 0 to 1') });
    vi.stubEnv('JOB_COMPLETION_INDEX', '0');
    expect(await run('both', '--shard-from-env', '2', '--shard', '1/2')).toMatchObject({ code: 2, written: false, stderr: expect.stringContaining('give one of them') });
    expect(await run('zero', '--shard-from-env', '0')).toMatchObject({ code: 2, written: false, stderr: expect.stringContaining('--shard-from-env must be a positive integer') });
  });
});
