import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { rowsOf, writeFlakyChain } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-record-'));
const scenario = writeFlakyChain(folder);

describe('run --record', () => {
  it('stores one recording per model attempt with the usage, error and duration of its chat span', async () => {
    const db = join(folder, 'recorded.db');
    expect(await main(['run', scenario, '--pattern', 'sequential', '--record', '--db', db, '--no-report', '--quiet'], captureIo())).toBe(0);
    // Each chat span matched to its recording by (workflow, agent, attempt start): same usage, error and length.
    const joined = rowsOf(
      db,
      `SELECT s.span_id, r.attempt, json_extract(s.attributes, '$."patternbench.attempt"') AS span_attempt,
              r.input_tokens = s.input_tokens AND r.output_tokens = s.output_tokens AND r.cached_tokens = s.cached_tokens AS same_usage,
              r.error_type IS s.error_type AS same_error, abs(r.latency_ms - s.duration_ms) < 1e-9 AS same_length,
              (r.output IS NULL) = (r.status = 'error') AS output_iff_ok
       FROM spans s JOIN recordings r ON r.run_id = s.run_id AND r.workflow_id = s.workflow_id AND r.agent = s.agent_name AND r.start_ms = s.start_ms
       WHERE s.operation = 'chat'`,
    );
    const [counts] = rowsOf(db, "SELECT (SELECT count(*) FROM recordings) AS recordings, (SELECT count(*) FROM spans WHERE operation = 'chat') AS chats");
    expect(counts?.['recordings']).toBe(counts?.['chats']);
    expect(joined).toHaveLength(Number(counts?.['chats']));
    for (const row of joined) expect(row).toMatchObject({ attempt: row['span_attempt'], same_usage: 1, same_error: 1, same_length: 1, output_iff_ok: 1 });
    // Retried calls keep their call index: attempts 1..k of a call share it.
    const [retried] = rowsOf(db, 'SELECT count(*) AS n FROM recordings WHERE attempt > 1');
    expect(Number(retried?.['n'])).toBeGreaterThan(0);
  });
});
