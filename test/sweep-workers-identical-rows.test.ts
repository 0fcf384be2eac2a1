// A sweep's rows do not depend on the number of worker threads, and the same seed gives the same
// rows: a 2 × 2 grid run with one worker and again with two gives files whose every table —
// runs (wall-clock times aside), workflows, span rows and their string dictionary, histograms,
// series, events, thresholds and sweep_points — hashes the same.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { tableDigests } from './support/table-digests.ts';

const scenario = new URL('../scenarios/support-routing.yaml', import.meta.url).pathname;

describe('sweep across worker threads', () => {
  it('writes the same rows with one worker and with two', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-sweep-workers-'));
    const run = async (workers: number): Promise<string> => {
      const db = join(folder, `workers-${workers}.db`);
      const io = captureIo();
      const args = ['sweep', scenario, '--vary', 'agents.ticket-classifier.skill=0.7,0.9', '--vary', 'load.concurrency=4,16', '--cases', '60'];
      const code = await main([...args, '--db', db, '--workers', String(workers), '--quiet', '--no-report', '--format', 'json'], io);
      expect(code, io.stderr.join('\n')).toBe(0);
      return db;
    };
    const one = tableDigests(await run(1));
    const two = tableDigests(await run(2));
    expect(two).toEqual(one);
    // Four points × three runs (router, single-agent, keyword-rules router), each with its two axes.
    expect(one['runs']?.startsWith('12:')).toBe(true);
    expect(one['sweep_points']?.startsWith('24:')).toBe(true);
    expect(one['workflows']?.startsWith(`${12 * 60}:`)).toBe(true);
  });
});
