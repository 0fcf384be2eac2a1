import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { rowsOf, writeFlakyChain } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-replay-'));
const scenario = writeFlakyChain(folder);

/** Every workflow column but the run and trace ids (which name the seed). */
const WORKFLOWS = `SELECT w.workflow_id, case_id, repeat, w.status, intended_start_ms, start_ms, end_ms, latency_ms, service_ms, input_tokens,
  output_tokens, cached_tokens, cost_usd, agent_calls, model_attempts, correct, score, error_type, failed_step, output, facts
  FROM workflows w JOIN runs r USING (run_id) ORDER BY r.pattern, w.workflow_id`;
const ATTEMPTS = `SELECT s.workflow_id, agent_name, start_ms, end_ms, s.status, error_type, input_tokens, output_tokens, cost_usd
  FROM spans s JOIN runs r USING (run_id) WHERE operation = 'chat' ORDER BY r.pattern, s.workflow_id, start_ms, agent_name`;

async function run(db: string, ...flags: string[]): Promise<string> {
  const io = captureIo();
  expect(await main(['run', scenario, '--db', db, '--no-report', '--quiet', ...flags], io)).toBe(0);
  return io.stderr.join('');
}

describe('run --replay', () => {
  it('reproduces a recorded run exactly — latencies, outputs, tokens, costs, scores, failures — from the recording alone', async () => {
    const recorded = join(folder, 'recorded.db');
    await run(recorded, '--record');
    const kinds = rowsOf(recorded, "SELECT status, coalesce(error_type, '') AS type FROM recordings GROUP BY 1, 2 ORDER BY 1, 2");
    // Successes and each kind of failure were recorded, so the replay has them all to reproduce.
    expect(kinds.map((row) => `${String(row['status'])}:${String(row['type'])}`)).toEqual(['error:error', 'error:rate_limit', 'error:timeout', 'ok:']);

    // Another seed: simulated agents would answer differently, so equality can only come from the recording.
    const replayed = join(folder, 'replayed.db');
    expect(await run(replayed, '--replay', recorded, '--seed', '7')).not.toContain('had no recording');
    const original = rowsOf(recorded, WORKFLOWS);
    expect(original).toHaveLength(120);
    expect(rowsOf(replayed, WORKFLOWS)).toEqual(original);
    expect(rowsOf(replayed, ATTEMPTS)).toEqual(rowsOf(recorded, ATTEMPTS));

    const simulated = join(folder, 'simulated.db');
    await run(simulated, '--seed', '7');
    expect(rowsOf(simulated, WORKFLOWS)).not.toEqual(original);
  });
});
