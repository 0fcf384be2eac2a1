import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { rowsOf } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-import-foreign-'));
const T0 = 1_767_225_600_000_000_000n; // ns

const kv = (key: string, value: string | number): { key: string; value: Record<string, unknown> } => ({
  key,
  value: typeof value === 'string' ? { stringValue: value } : Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value },
});
const span = (trace: string, id: string, parent: string, startMs: number, endMs: number, attributes: [string, string | number][], error = false): object => ({
  traceId: trace.repeat(32),
  spanId: id.repeat(16),
  parentSpanId: parent === '' ? '' : parent.repeat(16),
  name: id,
  kind: parent === '' ? 2 : 3,
  startTimeUnixNano: String(T0 + BigInt(startMs) * 1_000_000n),
  endTimeUnixNano: String(T0 + BigInt(endMs) * 1_000_000n),
  attributes: attributes.map(([key, value]) => kv(key, value)),
  status: { code: error ? 2 : 0, ...(error ? { message: 'boom' } : {}) },
});
const chat = (tokensIn: number, tokensOut: number, cost: number): [string, string | number][] => [
  ['gen_ai.operation.name', 'chat'], ['gen_ai.request.model', 'gpt-x'], ['gen_ai.usage.input_tokens', tokensIn],
  ['gen_ai.usage.output_tokens', tokensOut], ['gen_ai.usage.cost', cost],
];

describe('patternbench import, traces from another service', () => {
  it('makes one run per service and one workflow per trace, with the totals of its model attempts', async () => {
    const request = {
      resourceSpans: [{
        resource: { attributes: [kv('service.name', 'checkout')] },
        scopeSpans: [{ spans: [
          span('b', '1', '', 100, 900, [['session.id', 'order-7']]),
          span('b', '2', '1', 150, 500, chat(1000, 200, 0.01)),
          span('b', '3', '1', 500, 850, chat(1200, 100, 0.02)),
          span('a', '4', '', 0, 400, [], true),
          span('a', '5', '4', 10, 390, chat(300, 30, 0.005)),
        ] }],
      }],
    };
    const traces = join(folder, 'checkout.jsonl');
    writeFileSync(traces, `${JSON.stringify(request)}\n`);
    const db = join(folder, 'checkout.db');
    expect(await main(['import', traces, '--db', db], captureIo())).toBe(0);

    expect(rowsOf(db, 'SELECT run_id, scenario, pattern, clock, epoch_ms, virtual_end_ms FROM runs')).toEqual([
      { run_id: 'checkout/import', scenario: 'checkout', pattern: 'imported', clock: 'real', epoch_ms: 1_767_225_600_000, virtual_end_ms: 900 },
    ]);
    expect(rowsOf(db, 'SELECT workflow_id, case_id, status, start_ms, latency_ms, input_tokens, output_tokens, round(cost_usd, 9) AS cost, model_attempts, error_type FROM workflows ORDER BY workflow_id')).toEqual([
      { workflow_id: 0, case_id: 'a'.repeat(32), status: 'failed', start_ms: 0, latency_ms: 400, input_tokens: 300, output_tokens: 30, cost: 0.005, model_attempts: 1, error_type: 'error' },
      { workflow_id: 1, case_id: 'order-7', status: 'completed', start_ms: 100, latency_ms: 800, input_tokens: 2200, output_tokens: 300, cost: 0.03, model_attempts: 2, error_type: null },
    ]);
    expect(rowsOf(db, "SELECT span_id, kind, status_message FROM spans WHERE status = 'error'")).toEqual([{ span_id: '4'.repeat(16), kind: 'internal', status_message: 'boom' }]);
  });
});
