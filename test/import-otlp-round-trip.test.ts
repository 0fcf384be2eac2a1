import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { summarise } from '../reports/summary/summary.ts';
import { captureIo } from './support/capture-io.ts';
import { runExportingTraces } from './support/otlp-file-receiver.ts';
import { rowsOf, writeFlakyChain } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-import-'));
const scenario = writeFlakyChain(folder);

/** OTLP carries integer nanoseconds: a time comes back within 0.5 ns, a duration (two times) within 1 ns. */
const NS = 1e-6;
const SPAN_COLUMNS = `run_id, trace_id, span_id, parent_span_id, workflow_id, name, kind, status, status_message, operation, agent_name, agent_id,
  provider, request_model, input_tokens, output_tokens, cached_tokens, cost_usd, cost_currency, cost_source, error_type, session_id, attributes`;
const WORKFLOW_COLUMNS = `run_id, workflow_id, case_id, repeat, status, input_tokens, output_tokens, cached_tokens, cost_usd, agent_calls,
  model_attempts, correct, score, error_type, failed_step, trace_id, facts, expected`;

function closeTo(actual: Record<string, unknown>[], expected: Record<string, unknown>[], keys: readonly string[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((row, index) => {
    for (const key of keys) expect(Math.abs(Number(row[key]) - Number(expected[index]?.[key]))).toBeLessThanOrEqual(NS);
  });
}

describe('patternbench import', () => {
  it('reads back the OTLP/JSON file a run exported: the same runs, spans and workflows as the run wrote', async () => {
    const original = join(folder, 'original.db');
    const traces = join(folder, 'traces.jsonl');
    expect(await runExportingTraces(scenario, original, traces)).toBe(0);
    const imported = join(folder, 'imported.db');
    const io = captureIo();
    expect(await main(['import', traces, '--db', imported], io)).toBe(0);
    expect(io.stderr.join('')).toMatch(/2 run\(s\), 120 workflows, \d+ spans/);

    const runs = 'SELECT run_id, scenario, pattern, variant, seed, epoch_ms, status FROM runs ORDER BY run_id';
    expect(rowsOf(imported, runs)).toEqual(rowsOf(original, runs));
    const ends = 'SELECT virtual_end_ms FROM runs ORDER BY run_id';
    closeTo(rowsOf(imported, ends), rowsOf(original, ends), ['virtual_end_ms']);
    const spans = (db: string): Record<string, unknown>[] => rowsOf(db, `SELECT ${SPAN_COLUMNS}, start_ms, end_ms, events FROM spans ORDER BY trace_id, span_id`);
    const [back, sent] = [spans(imported), spans(original)];
    const strip = (rows: Record<string, unknown>[]): Record<string, unknown>[] => rows.map(({ start_ms: _s, end_ms: _e, events: _v, ...rest }) => rest);
    expect(strip(back)).toEqual(strip(sent));
    closeTo(back, sent, ['start_ms', 'end_ms']);
    // Span events (retries, evaluations) come back with their attributes.
    expect(back.map((row) => (JSON.parse(String(row['events'])) as { name: string }[]).map((event) => event.name))).toEqual(
      sent.map((row) => (JSON.parse(String(row['events'])) as { name: string }[]).map((event) => event.name)),
    );

    const workflows = (db: string): Record<string, unknown>[] => rowsOf(db, `SELECT ${WORKFLOW_COLUMNS}, start_ms, end_ms, service_ms FROM workflows ORDER BY run_id, workflow_id`);
    const [rows, written] = [workflows(imported), workflows(original)];
    const bare = (list: Record<string, unknown>[]): Record<string, unknown>[] =>
      list.map(({ start_ms: _s, end_ms: _e, service_ms: _v, ...rest }) => rest);
    expect(bare(rows)).toEqual(bare(written));
    closeTo(rows, written, ['start_ms', 'end_ms', 'service_ms']);

    // The summary reads the imported file as it reads a run's.
    const db = openDatabase(imported, { readonly: true });
    try {
      expect(summarise(db).map((row) => [row.runId, row.workflows])).toEqual([
        ['flaky-chain/sequential/base/seed-1', 60],
        ['flaky-chain/single-agent/base/seed-1', 60],
      ]);
    } finally {
      db.close();
    }
  });
});
