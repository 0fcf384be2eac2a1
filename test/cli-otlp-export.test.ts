import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { VIRTUAL_EPOCH_MS } from '../harness/run/runner.ts';
import { captureIo } from './support/capture-io.ts';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-cli-otlp-'));
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.close();
});

describe('patternbench run --otlp', () => {
  it('exports every stored span to a collector on 127.0.0.1 with names, GenAI attributes, parents and times intact', async () => {
    const db = join(folder, 'otlp.db');
    const code = await main(['run', scenario, '--cases', '400', '--concurrency', '16', '--db', db, '--otlp', receiver.url, '--quiet'], captureIo());
    expect(code).toBe(0);

    const sqlite = new Database(db, { readonly: true });
    const stored = sqlite
      .prepare('SELECT span_id, trace_id, parent_span_id, name, start_ms, end_ms, operation, agent_name, input_tokens, cost_usd FROM spans')
      .all() as Record<string, string | number | null>[];
    sqlite.close();

    const received = new Map(receiver.spans.map((span) => [span.spanId, span]));
    expect(receiver.spans).toHaveLength(stored.length);
    expect(received.size).toBe(stored.length);
    for (const row of stored) {
      const span = received.get(row['span_id'] as string);
      expect(span?.name).toBe(row['name']);
      expect(span?.traceId).toBe(row['trace_id']);
      expect(span?.parentSpanId ?? '').toBe(row['parent_span_id']);
      expect(span?.attributes['gen_ai.operation.name']).toBe(row['operation']);
      if (row['agent_name'] !== null) expect(span?.attributes['gen_ai.agent.name']).toBe(row['agent_name']);
      if (row['input_tokens'] !== null) expect(span?.attributes['gen_ai.usage.input_tokens']).toBe(row['input_tokens']);
      if (row['cost_usd'] !== null) expect(span?.attributes['gen_ai.usage.cost.amount']).toBeCloseTo(row['cost_usd'] as number, 15);
      expect(BigInt(span?.startTimeUnixNano ?? 0) / 1_000_000n).toBe(BigInt(Math.floor(VIRTUAL_EPOCH_MS + (row['start_ms'] as number))));
    }
    // Every parent named by a received span was itself received.
    for (const span of receiver.spans) if (span.parentSpanId) expect(received.has(span.parentSpanId)).toBe(true);
    const kinds = new Set(receiver.spans.map((span) => span.attributes['openinference.span.kind']));
    expect(kinds).toEqual(new Set(['CHAIN', 'AGENT', 'LLM', 'TOOL']));
    expect(receiver.spans[0]?.resource['service.name']).toBe('patternbench');
  });
});
