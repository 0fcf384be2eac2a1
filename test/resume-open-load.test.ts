// An open load resumes like a closed one: its arrivals come from the run's seed, so the run
// simulated again from virtual time 0 meets them at the same times, and the file ends with exactly
// the rows of the run never interrupted — Poisson arrivals, an in-flight cap that queues (the
// workflows share it), every trace kept or tail-sampled. A run cut into slices by `run --workers`
// resumes whole in one thread: its workflows and figures are those of the run never interrupted.
// Ctrl-C's hint names a command that works: `--resume` no longer refuses what it prints.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { runCommand, type RunCommandOptions } from '../harness/cli/run.ts';
import type { RunSpec } from '../harness/run/runner.ts';
import type { TracePolicy } from '../harness/run/trace-policy.ts';
import type { LoadModel } from '../harness/scenario/types.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';
import { dumpDatabase } from './support/db-dump.ts';
import { resumeOf, runInterrupted, runInto, specOf } from './support/interrupted-run.ts';
import { resultsDigest } from './support/results-digest.ts';
import { slicedChainScenario } from './support/sliced-chain.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-resume-open-'));

/**
 * ~600 Poisson arrivals at `perSecond` (legal-review's workflows take about a minute each, so the
 * run is stopped while arrivals go on), optionally capped in flight (arrivals then queue).
 */
function openLoad(perSecond: number, maxInFlight: number | null): LoadModel {
  const durationMs = (600 / perSecond) * 1000;
  return { kind: 'open', process: 'poisson', phases: [{ durationMs, fromPerSecond: perSecond, toPerSecond: perSecond }], maxInFlight, onFull: 'queue', windowMs: null };
}

describe.each([
  ['every trace kept', 1, null, { mode: 'all' }],
  // About as many arrivals as 20 workflows in flight can serve: queues come and go.
  ['an in-flight cap of 20 (arrivals queue)', 0.3, 20, { mode: 'all' }],
  ['tail sampling (10 %)', 1, null, { mode: 'tail', share: 0.1 }],
] as const)('an open-load run with %s, interrupted after 100 workflows and resumed', (name, perSecond, cap, traces: TracePolicy) => {
  it('holds the rows of the same run never interrupted', async () => {
    const spec: RunSpec = { ...specOf('legal-review', 'sequential'), load: openLoad(perSecond, cap), traces };
    const stem = join(folder, name.replace(/\W+/g, '-'));
    const whole = `${stem}-whole.db`;
    await runInto(whole, spec, {}, true);

    const resumed = `${stem}-resumed.db`;
    await runInterrupted(resumed, spec, 100);
    const before = dumpDatabase(resumed);
    expect(before['runs']).toMatchObject([{ status: 'interrupted' }]);
    const finished = before['workflows']?.length ?? 0;
    const all = dumpDatabase(whole)['workflows']?.length ?? 0;
    // Stopped between arrivals: the workflows in flight then finish too, and the rest never arrive.
    expect(finished).toBeGreaterThanOrEqual(100);
    expect(finished).toBeLessThan(all / 2);

    const resume = resumeOf(resumed, spec);
    expect(resume.finished.size).toBe(finished);
    await runInto(resumed, spec, { resume }, false);
    // Every table equal, and in the same order but for the spans: the file holds those of the
    // finished workflows first, as written before the interruption, where the run never interrupted
    // stored every span as it ended (workflows in flight at once interleave theirs).
    const inKeyOrder = (dump: Record<string, unknown[]>): Record<string, unknown[]> => ({
      ...dump,
      spans: [...(dump['spans'] as { trace_id: string; span_id: string }[])].sort((a, b) => a.trace_id.localeCompare(b.trace_id) || a.span_id.localeCompare(b.span_id)),
    });
    expect(inKeyOrder(dumpDatabase(resumed, { withoutWallClock: true }))).toEqual(inKeyOrder(dumpDatabase(whole, { withoutWallClock: true })));
  });
});

describe('a run cut into slices by run --workers, interrupted', () => {
  const scenario = join(folder, 'sliced-chain.yaml');
  writeFileSync(scenario, slicedChainScenario('sliced-chain', 9));
  // 450 expected workflows, 110 per slice: 4 slices (1,000,000 per slice: the run whole).
  const options = (db: string, workers: number, sliceWorkflows: number): RunCommandOptions => ({
    patterns: null, variants: null, seeds: null, cases: null, repeat: 1, concurrency: null,
    db, overwrite: true, otlp: null, format: 'json', quiet: true, report: false, workers, resume: null, sliceWorkflows,
  });
  /** Resumes `db` as `run --resume` does, the run cut into 4 slices as when it began; returns the exit code and stderr. */
  const resume = async (db: string): Promise<{ code: number; stderr: string }> => {
    const io = captureIo();
    const code = await runCommand([scenario], { ...options(db, 2, 110), db: null, overwrite: false, resume: db }, io, { stopped: false });
    return { code, stderr: io.stderr.join('\n') };
  };
  /** `db` ends as the run made whole in one thread, as `--resume` simulates it again: its workflows, spans and figures. */
  const expectWhole = (db: string, whole: string): void => {
    const joined = resultsDigest(db);
    const expected = resultsDigest(whole);
    for (const table of ['workflows', 'spans', 'span_metrics', 'histograms', 'timeseries']) expect({ table, digest: joined[table] }).toEqual({ table, digest: expected[table] });
    const sqlite = openDatabase(db, { readonly: true });
    expect(sqlite.prepare('SELECT status, shard FROM runs').get()).toEqual({ status: 'completed', shard: '' });
    sqlite.close();
  };
  const whole = join(folder, 'sliced-whole.db');
  beforeAll(async () => {
    expect(await runCommand([scenario], options(whole, 1, 1_000_000), captureIo(), { stopped: false })).toBe(0);
  });

  it('prints a --resume that completes it to the workflows and figures of the run never interrupted', async () => {
    const db = join(folder, 'sliced-interrupted.db');
    const io = captureIo();
    // Ctrl-C once the pool has polled the flag a few times (some slices begun, or none).
    let polls = 0;
    const stop = { get stopped(): boolean { return ++polls > 10; } };
    expect(await runCommand([scenario], { ...options(db, 2, 110), quiet: false }, io, stop)).toBe(130);
    expect(io.stderr.find((line) => line.startsWith('interrupted: '))).toContain(`--resume ${db}`);
    expect(await resume(db)).toEqual({ code: 0, stderr: '--workers 2: running in this thread, as --resume continues the runs of one file' });
    expectWhole(db, whole);
  });

  it('resumes whole a run that holds some of its slices (under --shard too), and refuses a label of another cut', async () => {
    const sliced = join(folder, 'sliced-complete.db');
    expect(await runCommand([scenario], options(sliced, 2, 110), captureIo(), { stopped: false })).toBe(0);
    // What Ctrl-C leaves when slices 2 and 4 never began and 1 and 3 were stopped part-way.
    const doctored = (name: string, shard: string): string => {
      const path = join(folder, name);
      copyFileSync(sliced, path);
      const sqlite = new Database(path);
      sqlite.prepare("UPDATE runs SET status = 'interrupted', shard = ?").run(shard);
      sqlite.exec('DELETE FROM workflows WHERE workflow_id % 4 IN (1, 3) OR workflow_id >= 300');
      sqlite.close();
      return path;
    };
    const partial = doctored('sliced-partial.db', '1,3/4');
    expect((await resume(partial)).code).toBe(0);
    expectWhole(partial, whole);
    // Under --shard (which picks whole runs of the matrix), the label of the slices it held stood in for the shard's.
    const sharded = doctored('sliced-sharded.db', '2/4');
    const io1 = captureIo();
    expect(await runCommand([scenario], { ...options(sharded, 2, 110), db: null, overwrite: false, resume: sharded, shard: { index: 1, count: 1 } }, io1, { stopped: false }), io1.stderr.join('\n')).toBe(0);
    const shardedDb = openDatabase(sharded, { readonly: true });
    expect(shardedDb.prepare('SELECT status, shard FROM runs').get()).toEqual({ status: 'completed', shard: '1/1' });
    shardedDb.close();
    // Not a part of this run's 4 slices: refused, exit 2.
    const io = captureIo();
    expect(await main(['run', scenario, '--resume', doctored('sliced-other-cut.db', '1,3/5'), '--quiet', '--no-report'], io)).toBe(2);
    expect(io.stderr.join('')).toContain("it ran as shard '1,3/5', this command plans ''");
  });
});
