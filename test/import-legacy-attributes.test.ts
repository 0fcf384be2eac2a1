import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { rowsOf } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-import-legacy-'));
const T0 = 1_767_225_600_000_000_000n; // ns

type Value = string | number;
const kv = (key: string, value: Value): { key: string; value: Record<string, unknown> } => ({
  key,
  value: typeof value === 'string' ? { stringValue: value } : Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value },
});
const span = (trace: string, id: string, parent: string, name: string, kind: number, attributes: Record<string, Value>): object => ({
  traceId: trace.repeat(32),
  spanId: id.repeat(16),
  parentSpanId: parent === '' ? '' : parent.repeat(16),
  name,
  kind,
  startTimeUnixNano: String(T0),
  endTimeUnixNano: String(T0 + 500_000_000n),
  attributes: Object.entries(attributes).map(([key, value]) => kv(key, value)),
  status: { code: 1 },
});

async function imported(name: string, resource: Record<string, Value>, spans: object[]): Promise<string> {
  const traces = join(folder, `${name}.jsonl`);
  writeFileSync(traces, `${JSON.stringify({ resourceSpans: [{ resource: { attributes: Object.entries(resource).map(([key, value]) => kv(key, value)) }, scopeSpans: [{ spans }] }] })}\n`);
  const db = join(folder, `${name}.db`);
  expect(await main(['import', traces, '--db', db], captureIo())).toBe(0);
  return db;
}

describe('patternbench import, traces with the attribute names of earlier releases', () => {
  it('reads gen_ai.usage.cost on every level as the cost of the model attempts only, so nothing counts twice', async () => {
    // As patternbench ≤ schema 5 exported a workflow: the total on the root and on the agent call, and each attempt's cost.
    const db = await imported('legacy', { 'service.name': 'patternbench', 'patternbench.run_id': 'desk/router/base/seed-1', 'patternbench.pattern': 'router' }, [
      span('a', '1', '', 'invoke_workflow desk', 1, {
        'gen_ai.operation.name': 'invoke_workflow', 'session.id': 'case-1', 'patternbench.case_id': 'case-1', 'patternbench.repeat': 0,
        'gen_ai.usage.input_tokens': 300, 'gen_ai.usage.output_tokens': 30, 'gen_ai.usage.cost': 0.003, 'patternbench.agent_calls': 1, 'patternbench.status': 'completed',
      }),
      span('a', '2', '1', 'invoke_agent solo', 1, { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'solo', 'gen_ai.usage.input_tokens': 300, 'gen_ai.usage.cost': 0.003 }),
      span('a', '3', '2', 'chat m', 3, { 'gen_ai.operation.name': 'chat', 'gen_ai.agent.name': 'solo', 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.cost': 0.001 }),
      span('a', '4', '2', 'chat m', 3, { 'gen_ai.operation.name': 'chat', 'gen_ai.agent.name': 'solo', 'gen_ai.usage.input_tokens': 200, 'gen_ai.usage.cost': 0.002 }),
    ]);
    expect(rowsOf(db, `SELECT operation, cost_usd, attributes ->> '$."gen_ai.usage.cost"' AS legacy, cost_currency AS currency
      FROM spans ORDER BY span_id`)).toEqual([
      { operation: 'invoke_workflow', cost_usd: null, legacy: null, currency: null },
      { operation: 'invoke_agent', cost_usd: null, legacy: null, currency: null },
      { operation: 'chat', cost_usd: 0.001, legacy: null, currency: 'USD' },
      { operation: 'chat', cost_usd: 0.002, legacy: null, currency: 'USD' },
    ]);
    expect(rowsOf(db, 'SELECT case_id, round(cost_usd, 12) AS cost, input_tokens, expected FROM workflows')).toEqual([
      { case_id: 'case-1', cost: 0.003, input_tokens: 300, expected: null },
    ]);
    expect(rowsOf(db, 'SELECT round(sum(cost_usd), 12) AS cost FROM spans')).toEqual([{ cost: 0.003 }]);
  });

  it('names a foreign workflow by gen_ai.conversation.id when it has no session.id', async () => {
    const db = await imported('conversation', { 'service.name': 'checkout' }, [
      span('b', '1', '', 'invoke_agent shopper', 1, { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.conversation.id': 'conv-42' }),
      span('b', '2', '1', 'chat m', 3, { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.cost.amount': 0.5, 'gen_ai.usage.cost.currency': 'USD' }),
    ]);
    expect(rowsOf(db, 'SELECT case_id, cost_usd FROM workflows')).toEqual([{ case_id: 'conv-42', cost_usd: 0.5 }]);
  });
});
