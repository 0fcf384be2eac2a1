import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { rowsOf, writeFlakyChain } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-replay-missing-'));
const scenario = writeFlakyChain(folder);
const recorded = join(folder, 'recorded.db');

const WORKFLOWS = 'SELECT workflow_id, latency_ms, output, cost_usd, status FROM workflows WHERE repeat = 0 ORDER BY workflow_id';

describe('run --replay, attempts with no recording', () => {
  it('simulates them, says how many, and still replays the recorded ones', async () => {
    expect(await main(['run', scenario, '--pattern', 'sequential', '--record', '--db', recorded, '--no-report', '--quiet'], captureIo())).toBe(0);
    // The recording has repeat 0 only: every attempt of repeat 1 has no recording.
    const replayed = join(folder, 'replayed.db');
    const io = captureIo();
    expect(await main(['run', scenario, '--pattern', 'sequential', '--repeat', '2', '--replay', recorded, '--db', replayed, '--no-report', '--quiet'], io)).toBe(0);
    const [missing] = rowsOf(replayed, 'SELECT sum(model_attempts) AS n FROM workflows WHERE repeat = 1');
    const [all] = rowsOf(replayed, 'SELECT sum(model_attempts) AS n FROM workflows');
    expect(Number(missing?.['n'])).toBeGreaterThan(0);
    expect(io.stderr.join('')).toContain(`replay: ${Number(missing?.['n'])} of ${Number(all?.['n'])} model attempts had no recording in ${recorded} and were simulated`);
    expect(rowsOf(replayed, WORKFLOWS)).toEqual(rowsOf(recorded, WORKFLOWS));
  });
});
