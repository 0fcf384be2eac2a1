/**
 * Tail trace retention with `--resume` and `merge`. A resumed run is simulated again from virtual
 * time 0, so it decides the same traces to keep: the file ends with the rows of the run never
 * interrupted, kept counts included; resuming under another `--traces` is refused. Merged files
 * keep each run's kept counts, and the counts of a run's shards add up.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { HarnessError } from '../harness/kernel/errors.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { summariseTraces } from '../reports/summary/traces.ts';
import { captureIo } from './support/capture-io.ts';
import { dumpDatabase } from './support/db-dump.ts';
import { resumeOf, runInterrupted, runInto, specOf } from './support/interrupted-run.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-traces-resume-'));

function tracesOf(path: string) {
  const db = openDatabase(path, { readonly: true });
  try {
    return summariseTraces(db);
  } finally {
    db.close();
  }
}

describe('tail trace retention', () => {
  it('resumes an interrupted run into the rows of the run never interrupted, kept traces and counts included', async () => {
    const spec = { ...specOf('credit-check-outage', 'sequential', 60), traces: { mode: 'tail', share: 0.1 } as const };
    const whole = join(folder, 'whole.db');
    await runInto(whole, spec, {}, true);
    const resumed = join(folder, 'resumed.db');
    await runInterrupted(resumed, spec, 20);
    await runInto(resumed, spec, { resume: resumeOf(resumed, spec) }, false);

    const expected = dumpDatabase(whole, { withoutWallClock: true });
    expect(dumpDatabase(resumed, { withoutWallClock: true })).toEqual(expected);
    const [traces] = tracesOf(whole);
    expect(traces?.workflows).toBe(60);
    expect(traces?.kept).toBeGreaterThan(0);
    expect(traces?.kept).toBeLessThan(60);
    expect(traces?.reasons?.failed).toBeGreaterThan(0);
    expect(tracesOf(resumed)).toEqual(tracesOf(whole));
  });

  it('refuses to resume a run under another --traces than it began with (USAGE)', async () => {
    const spec = { ...specOf('legal-review', 'sequential', 30), traces: { mode: 'tail', share: 0.1 } as const };
    const path = join(folder, 'other-policy.db');
    await runInterrupted(path, spec, 10);
    expect(() => resumeOf(path, { ...spec, traces: { mode: 'all' } })).toThrow(HarnessError);
    expect(() => resumeOf(path, { ...spec, traces: { mode: 'all' } })).toThrow(/kept traces by --traces tail:0\.1, this command by --traces all; pass --traces tail:0\.1/);
    expect(() => resumeOf(path, { ...spec, traces: { mode: 'tail', share: 0.2 } })).toThrow(/--traces tail:0\.1/);
  });

  it('merges matrix shards with their kept counts, and adds up the counts of one run split in shards', async () => {
    const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
    const shards = [1, 2].map((index) => join(folder, `shard-${index}.db`));
    for (const [position, path] of shards.entries()) {
      const args = ['run', scenario, '--cases', '40', '--traces', 'tail:0.2', '--shard', `${position + 1}/2`, '--db', path, '--quiet', '--no-report', '--format', 'json'];
      expect(await main(args, captureIo())).toBe(0);
    }
    const merged = join(folder, 'merged.db');
    expect(await main(['merge', merged, ...shards], captureIo())).toBe(0);
    const parts = shards.flatMap(tracesOf);
    expect(parts).toHaveLength(2);
    expect(tracesOf(merged)).toEqual([...parts].sort((a, b) => a.runId.localeCompare(b.runId)));

    // One run in two files, as shards of its workflows (by parity), each with the counts of its own half.
    const halves = [0, 1].map((parity) => {
      const path = join(folder, `half-${parity}.db`);
      copyFileSync(shards[0] as string, path);
      const db = new Database(path);
      db.prepare('DELETE FROM workflows WHERE workflow_id % 2 != ?').run(parity);
      db.prepare('DELETE FROM spans WHERE workflow_id % 2 != ?').run(parity);
      db.prepare('DELETE FROM checkpoints WHERE workflow_id % 2 != ?').run(parity);
      db.prepare('UPDATE runs SET shard = ?').run(`${parity + 1}/2`);
      db.close();
      return path;
    });
    const whole = join(folder, 'halves.db');
    expect(await main(['merge', whole, ...halves], captureIo())).toBe(0);
    const [half] = tracesOf(halves[0] as string);
    const [joined] = tracesOf(whole);
    // Both halves carry the whole run's trace.kept rows: the merge adds them, twice the run's.
    expect(joined?.reasons).toEqual(Object.fromEntries(Object.entries(half?.reasons ?? {}).map(([reason, n]) => [reason, 2 * n])));
    expect(joined?.workflows).toBe(40);
  });
});
