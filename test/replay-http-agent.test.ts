import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { startOpenAiServer } from './support/openai-server.ts';
import { rowsOf } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-replay-http-'));
const keyVariable = `PB_TEST_REPLAY_KEY_${randomUUID().replaceAll('-', '_')}`;

/** A simulated agent between two real ones (the second streams): 6 cases, the first drafter request rate-limited. */
function scenario(baseUrl: string): string {
  const real = (name: string, stream: boolean): string =>
    `  ${name}: { role: ${name}, model: mid-tier, endpoint: { baseUrl: "${baseUrl}", model: ${name}-llm, apiKeyEnv: ${keyVariable}, stream: ${stream} }, retry: { initialBackoff: 1ms, jitter: 0 }, timeout: 5s }`;
  return [
    'name: replayed-real',
    'agents:',
    real('drafter', false),
    '  checker: { role: checks, model: small-fast, latency: 2ms, faults: { error: 0, timeout: 0, rateLimit: 0 } }',
    real('finaliser', true),
    'cases:',
    '  generate: { count: 6, labels: { billing: 1, bug: 1 } }',
    'patterns:',
    '  sequential: { steps: [drafter, checker, finaliser] }',
    '',
  ].join('\n');
}

const OUTCOMES = 'SELECT workflow_id, case_id, status, output, input_tokens, output_tokens, cached_tokens, cost_usd, correct, model_attempts FROM workflows ORDER BY workflow_id';

describe('run --replay of a run with real agents', () => {
  it('answers from the recording on virtual time, calling no server: same outputs, tokens, costs, and each attempt as long as recorded', async () => {
    const server = await startOpenAiServer({ latencyMs: 2 });
    const file = join(folder, 'scenario.yaml');
    const recorded = join(folder, 'recorded.db');
    process.env[keyVariable] = 'sk-test';
    try {
      writeFileSync(file, scenario(server.baseUrl));
      server.script({ model: 'drafter-llm', status: 429, headers: { 'retry-after-ms': '5' } });
      expect(await main(['run', file, '--realtime', '--record', '--db', recorded, '--no-report', '--quiet'], captureIo())).toBe(0);
    } finally {
      delete process.env[keyVariable];
    }
    const requests = server.requests.length;
    // The streaming agent's attempts carry their time to first chunk; the 429 its retry-after.
    expect(rowsOf(recorded, "SELECT count(*) AS n FROM recordings WHERE agent = 'finaliser' AND ttft_ms IS NULL")).toEqual([{ n: 0 }]);
    expect(rowsOf(recorded, "SELECT agent, attempt, retry_after_ms FROM recordings WHERE error_type = 'rate_limit'")).toEqual([{ agent: 'drafter', attempt: 1, retry_after_ms: 5 }]);

    // No --realtime and no API key: the replay needs neither.
    const replayed = join(folder, 'replayed.db');
    const io = captureIo();
    expect(await main(['run', file, '--replay', recorded, '--db', replayed, '--no-report', '--quiet'], io)).toBe(0);
    await server.close();
    expect(server.requests.length).toBe(requests);
    expect(io.stderr.join('')).not.toContain('had no recording');
    expect(rowsOf(replayed, 'SELECT clock FROM runs')).toEqual([{ clock: 'virtual' }]);
    expect(rowsOf(replayed, OUTCOMES)).toEqual(rowsOf(recorded, OUTCOMES));
    const lengths = `SELECT s.workflow_id, s.agent_name, json_extract(s.attributes, '$."patternbench.attempt"') AS attempt, s.duration_ms FROM spans s
      WHERE s.operation = 'chat' ORDER BY 1, 2, 3`;
    const replayedLengths = rowsOf(replayed, lengths);
    const recordedLengths = rowsOf(recorded, 'SELECT workflow_id, agent AS agent_name, attempt, latency_ms AS duration_ms FROM recordings ORDER BY 1, 2, 3');
    expect(replayedLengths.map((row) => ({ ...row, duration_ms: Number(row['duration_ms']).toFixed(9) }))).toEqual(
      recordedLengths.map((row) => ({ ...row, duration_ms: Number(row['duration_ms']).toFixed(9) })),
    );
  });
});
