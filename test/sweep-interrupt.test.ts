// An interrupted sweep (Ctrl-C: the stop signal) hands out no more runs, lets the running ones end,
// exits 130 and writes nothing: no results file, no temporary files beside it.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepCommand, sweepRunOptions } from '../harness/cli/sweep.ts';
import { parseVary } from '../harness/run/sweep/sweep-values.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/triage-router.yaml', import.meta.url).pathname;

describe('sweep interrupted', () => {
  it('exits 130 and leaves nothing behind', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-sweep-stop-'));
    const db = join(folder, 'stopped.db');
    const flags = { repeat: 1, overwrite: false, threshold: [], report: true, format: 'table', quiet: true, yes: false, interval: 'cases', db, workers: 2, cases: 50 };
    const io = captureIo();
    const options = { ...sweepRunOptions(flags), varies: [parseVary('agents.triage-classifier.skill=0.7,0.8,0.9')], results: null };
    const code = await sweepCommand(scenario, options, io, { stopped: true });
    expect(code).toBe(130);
    expect(io.stderr.join('\n')).toContain(`interrupted: the sweep stopped before every run ended; nothing was written to ${db}`);
    expect(existsSync(db)).toBe(false);
    expect(readdirSync(folder)).toEqual([]);
  });
});
