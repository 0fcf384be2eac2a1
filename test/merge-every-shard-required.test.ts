// `merge --shards n` refuses a set of `run --shard i/n` files that lacks a shard (a pod of the
// Indexed Job that wrote nothing), or holds a file of another split: exit 2 naming what is wrong,
// no output. Without the flag, merging some shards stays allowed (merging in steps).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-merge-every-shard-'));
const shard = (index: number, of = 3): string => join(folder, `shard-${index}-of-${of}.db`);
const whole = join(folder, 'whole.db');

async function merge(name: string, ...args: string[]): Promise<{ code: number; stderr: string; written: boolean }> {
  const out = join(folder, `${name}.db`);
  const io = captureIo();
  const code = await main(['merge', out, ...args], io);
  return { code, stderr: io.stderr.join('\n'), written: existsSync(out) };
}

describe('merge --shards n', () => {
  beforeAll(async () => {
    const base = ['run', scenario, '--cases', '4', '--seed', '1,2,3', '--quiet', '--no-report'];
    for (const [db, extra] of [[shard(1), ['--shard', '1/3']], [shard(2), ['--shard', '2/3']], [shard(3), ['--shard', '3/3']], [shard(2, 2), ['--shard', '2/2']], [whole, []]] as const) {
      expect(await main([...base, ...extra, '--db', db], captureIo())).toBe(0);
    }
  });

  it('merges a complete set', async () => {
    expect(await merge('complete', shard(1), shard(2), shard(3), '--shards', '3')).toMatchObject({ code: 0, written: true });
  });

  it('exits 2 naming the missing shard, writing nothing', async () => {
    expect(await merge('missing', shard(1), shard(3), '--shards', '3')).toEqual({
      code: 2,
      written: false,
      stderr: 'error [MERGE_CONFLICT]: --shards 3: no input holds shard 2/3; its file was not written or not given',
    });
    expect(await merge('in-steps', shard(1), shard(3))).toMatchObject({ code: 0, written: true });
  });

  it('exits 2 on a file of another split or of whole runs', async () => {
    const other = await merge('other-split', shard(1), shard(2, 2), shard(3), '--shards', '3');
    expect(other).toMatchObject({ code: 2, written: false });
    expect(other.stderr).toMatch(/--shards 3: run legal-review\/.+ in .+shard-2-of-2\.db is shard 2\/2$/);
    const wholeRuns = await merge('whole-runs', whole, '--shards', '3');
    expect(wholeRuns).toMatchObject({ code: 2, written: false });
    expect(wholeRuns.stderr).toMatch(/--shards 3: run legal-review\/.+ in .+whole\.db is a whole run, not a shard$/);
  });
});
