import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '../harness/kernel/records.ts';
import { attemptCost } from '../harness/pipeline/interceptors/accounting.ts';
import { BATCH_ATTRIBUTES } from '../harness/pipeline/batching/batcher.ts';
import { splitBatchUsage } from '../harness/pipeline/batching/batch-usage.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/**
 * One extractor on fixed distributions: a 1 s call, 100 output tokens, cases of 500 input tokens,
 * no faults unless `faults` says otherwise; open constant arrivals every 100 ms.
 */
function extractor(batch: string, options: { prompt?: number; arrivals?: number; faults?: string; retry?: string } = {}) {
  const arrivals = options.arrivals ?? 10;
  return scenarioFromYaml(`
name: batch-closed-form
agents:
  extractor:
    role: Extracts the fields of an invoice
    model: small-fast
    promptTokens: ${options.prompt ?? 2000}
    outputTokens: 100
    latency: 1s
    faults: ${options.faults ?? '{ error: 0, timeout: 0, rateLimit: 0 }'}
    retry: ${options.retry ?? '{ attempts: 1 }'}
    timeout: 1h
    ${batch}
cases:
  generate: { count: ${arrivals}, labels: { a: 1, b: 1 }, inputTokens: 500 }
patterns:
  single-agent: { agent: extractor }
load: { arrivals: constant, rate: 10/s, duration: ${arrivals / 10}s }
`);
}

const chats = (spans: readonly SpanRecord[]) => spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat').sort((a, b) => a.workflowId - b.workflowId || a.startMs - b.startMs);
const num = (span: SpanRecord, key: string) => span.attributes[key] as number;

describe('a batch is one model call: the prompt once + every item’s tokens', () => {
  it('bills a batch of n exactly one prompt + n items’ input and output tokens, split in whole tokens, and its dollars to the item', async () => {
    // 2,003 prompt tokens over 5 items: 401, 401, 401, 400, 400.
    const { sink } = await runOnce(extractor('batch: { size: 5, wait: 10s }', { prompt: 2003 }));
    const spans = chats(sink!.spans);
    expect(spans).toHaveLength(10);
    const pricing = scenarioFromYaml('name: p\nagents: { a: { role: r, model: small-fast } }\ncases: { generate: { count: 1, labels: { a: 1 } } }\npatterns: { single-agent: { agent: a } }').agents.get('a')!.model.pricing;
    for (const id of [1, 2]) {
      const batch = spans.filter((span) => num(span, BATCH_ATTRIBUTES.id) === id);
      expect(batch.map((span) => num(span, BATCH_ATTRIBUTES.size))).toEqual([5, 5, 5, 5, 5]);
      expect(batch.map((span) => num(span, 'gen_ai.usage.input_tokens'))).toEqual([901, 901, 901, 900, 900]);
      const input = batch.reduce((sum, span) => sum + num(span, 'gen_ai.usage.input_tokens'), 0);
      const output = batch.reduce((sum, span) => sum + num(span, 'gen_ai.usage.output_tokens'), 0);
      expect(input).toBe(2003 + 5 * 500);
      expect(output).toBe(5 * 100);
      const cost = batch.reduce((sum, span) => sum + num(span, 'gen_ai.usage.cost.amount'), 0);
      const billed = attemptCost({ inputTokens: input, outputTokens: output, cachedTokens: 0 }, pricing);
      expect(Math.abs(cost - billed)).toBeLessThan(billed * 1e-12);
    }
    // The workflows carry what their spans carry: Σ over workflows = what the two batches billed.
    const workflows = sink!.workflows;
    expect(workflows.reduce((sum, w) => sum + w.inputTokens, 0)).toBe(2 * (2003 + 5 * 500));
  });

  it('splits the usage so the items add up to the batch, cached prompt tokens included (pure)', () => {
    const usages = splitBatchUsage(1001, 1001, [10, 20, 30], [5, 6, 7]);
    expect(usages).toEqual([
      { inputTokens: 334 + 10, outputTokens: 5, cachedTokens: 334 },
      { inputTokens: 334 + 20, outputTokens: 6, cachedTokens: 334 },
      { inputTokens: 333 + 30, outputTokens: 7, cachedTokens: 333 },
    ]);
  });
});

describe('the wait for a batch counts in each item’s latency', () => {
  it('arrivals every d = 100 ms into batches of n = 5: item k of a batch waits (n − 1 − k)·d, then the one 1 s call', async () => {
    const { sink } = await runOnce(extractor('batch: { size: 5, wait: 10s }'));
    const workflows = [...sink!.workflows].sort((a, b) => a.workflowId - b.workflowId);
    expect(workflows.map((w) => w.intendedStartMs)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(workflows.map((w) => w.latencyMs)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4].map((k) => (5 - 1 - k) * 100 + 1000));
    expect(chats(sink!.spans).map((span) => num(span, BATCH_ATTRIBUTES.waitMs))).toEqual([400, 300, 200, 100, 0, 400, 300, 200, 100, 0]);
  });

  it('a batch that does not fill goes out when its first item has waited `wait`', async () => {
    // Three arrivals (0, 100, 200 ms) for a batch of 5 with wait 1 s: sent at 1 s.
    const { sink } = await runOnce(extractor('batch: { size: 5, wait: 1s }', { arrivals: 3 }));
    const workflows = [...sink!.workflows].sort((a, b) => a.workflowId - b.workflowId);
    expect(workflows.map((w) => w.latencyMs)).toEqual([1000 + 1000, 900 + 1000, 800 + 1000]);
    expect(chats(sink!.spans).map((span) => num(span, BATCH_ATTRIBUTES.size))).toEqual([3, 3, 3]);
  });
});

describe('a batch failure fails every item in it', () => {
  /** Model calls: one per batch sent, one per attempt made alone. */
  const modelCalls = (spans: readonly SpanRecord[]) => {
    const batches = new Set(spans.filter((span) => span.attributes[BATCH_ATTRIBUTES.id] !== undefined).map((span) => span.attributes[BATCH_ATTRIBUTES.id]));
    return batches.size + spans.filter((span) => span.attributes[BATCH_ATTRIBUTES.id] === undefined).length;
  };
  const failing = (retry: 'batch' | 'item') =>
    extractor(`batch: { size: 5, wait: 10s, retry: ${retry} }`, {
      arrivals: 5,
      faults: '{ error: 1, timeout: 0, rateLimit: 0 }',
      retry: '{ attempts: 3, initialBackoff: 100ms, jitter: 0 }',
    });

  it('retry: batch — the five items fail together, back off alike and go out together again: 3 model calls for 3 attempts each', async () => {
    const { sink } = await runOnce(failing('batch'));
    const spans = chats(sink!.spans);
    expect(spans).toHaveLength(5 * 3);
    expect(spans.every((span) => span.status === 'error')).toBe(true);
    expect(modelCalls(spans)).toBe(3);
    expect(sink!.workflows.every((w) => w.status === 'failed')).toBe(true);
  });

  it('retry: item — one batch call, then each item retries alone: 1 + 5 × 2 model calls', async () => {
    const { sink } = await runOnce(failing('item'));
    const spans = chats(sink!.spans);
    expect(spans).toHaveLength(5 * 3);
    expect(modelCalls(spans)).toBe(1 + 5 * 2);
    expect(sink!.workflows.every((w) => w.status === 'failed')).toBe(true);
  });
});

describe('each item loses accuracyLoss per other item of its batch', () => {
  it('skill 0.9, accuracyLoss 0.05, batches of 5: each item right with 0.7 (4,000 items, within 5 standard errors)', async () => {
    const scenario = scenarioFromYaml(`
name: batch-accuracy
agents:
  classifier: { role: Labels a document, model: small-fast, promptTokens: 1000, outputTokens: 10, latency: 1s, skill: 0.9, faults: { error: 0, timeout: 0, rateLimit: 0 }, batch: { size: 5, wait: 1h, accuracyLoss: 0.05 } }
cases:
  generate: { count: 4000, labels: { a: 1, b: 1 }, inputTokens: 200 }
patterns:
  single-agent: { agent: classifier }
load: { arrivals: constant, rate: 100/s, duration: 40s }
`);
    const { sink } = await runOnce(scenario);
    const workflows = sink!.workflows;
    expect(workflows).toHaveLength(4000);
    const accuracy = workflows.filter((w) => w.correct === true).length / workflows.length;
    const p = 0.9 - 0.05 * 4;
    expect(Math.abs(accuracy - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / 4000));
  });
});

describe('a batch of one is the call alone', () => {
  it('size 1, wait 0: the same workflow rows as without batching (same draws, same times, same usage)', async () => {
    const yaml = (batch: string) => `
name: batch-of-one
agents:
  writer: { role: Writes, model: mid-tier, promptTokens: 1500, outputTokens: { dist: lognormal, p50: 300, p95: 900 }, skill: 0.8, cacheHitRate: 0.3${batch} }
cases:
  generate: { count: 200, labels: { a: 1, b: 1 }, inputTokens: 700 }
patterns:
  single-agent: { agent: writer }
load: { arrivals: poisson, rate: 5/s, duration: 40s }
`;
    const alone = await runOnce(scenarioFromYaml(yaml('')));
    const batched = await runOnce(scenarioFromYaml(yaml(', batch: { size: 1, wait: 0 }')));
    expect(alone.sink!.workflows.length).toBeGreaterThan(150);
    expect(batched.sink!.workflows).toEqual(alone.sink!.workflows);
  });
});
