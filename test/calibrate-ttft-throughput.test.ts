import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { attemptsOfSpans } from '../harness/ingest/calibrate-attempts.ts';
import { fitProfiles } from '../harness/ingest/calibrate.ts';
import { calibrationYaml } from '../harness/ingest/calibrate-yaml.ts';
import { compileSampler } from '../harness/kernel/distributions.ts';
import type { SpanRecord } from '../harness/kernel/records.ts';
import { SeededRng } from '../harness/kernel/rng.ts';
import { scenarioFromYaml } from './support/run-scenario.ts';

/**
 * 20,000 streamed attempts: time to first token lognormal p50 400 ms / p95 1.2 s (σ = 0.668, p95
 * relative SE 1.41/√n = 1.0 %), generation at lognormal p50 80 / p95 160 tokens/s (σ = 0.421,
 * p95 relative SE 0.89 %). The 5 % tolerance is 5 standard errors or more.
 */
const N = 20_000;

function streamedAttempts(): SpanRecord[] {
  const rng = new SeededRng(2024);
  const ttft = compileSampler({ kind: 'lognormal', p50: 400, p95: 1200 });
  const speed = compileSampler({ kind: 'lognormal', p50: 80, p95: 160 });
  const tokens = compileSampler({ kind: 'lognormal', p50: 300, p95: 900 });
  return Array.from({ length: N }, (_, index): SpanRecord => {
    const firstMs = ttft(rng);
    const output = Math.max(1, Math.round(tokens(rng)));
    const start = index * 10;
    return {
      runId: 'r', traceId: 't', spanId: String(index), parentSpanId: 'p', workflowId: index, name: 'chat gpt-x', kind: 'client',
      startMs: start, endMs: start + firstMs + (output * 1000) / speed(rng), status: 'ok', statusMessage: '', events: [],
      attributes: {
        'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-x', 'gen_ai.agent.name': 'writer',
        'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': output, 'gen_ai.response.time_to_first_chunk': firstMs / 1000,
      },
    };
  });
}

describe('calibrate, streamed attempts', () => {
  it('fits time to first token and output tokens/s into the model profile (within 5 %), and leaves the agent no latency override', () => {
    const attempts = attemptsOfSpans(streamedAttempts());
    const yaml = calibrationYaml(fitProfiles(attempts), fitProfiles(attempts.map((attempt) => ({ ...attempt, agent: '' }))), { source: 'synthetic' });
    const parsed = parse(yaml) as { models: Record<string, Record<string, Record<string, number>>>; agents: Record<string, Record<string, unknown>> };
    const model = parsed.models['gpt-x'];
    const within = (actual: number | undefined, expected: number): void => expect(Math.abs((actual ?? NaN) / expected - 1)).toBeLessThan(0.05);
    within(model?.['ttft']?.['p50'], 400);
    within(model?.['ttft']?.['p95'], 1200);
    within(model?.['outputTokensPerSecond']?.['p50'], 80);
    within(model?.['outputTokensPerSecond']?.['p95'], 160);
    expect(Object.keys(parsed.agents['writer'] ?? {})).toEqual(['outputTokens', 'faults']);

    // The model entry is a valid profile override (here of a profile that extends a built-in one).
    const { provider: _provider, ...profile } = model ?? {};
    const compiled = scenarioFromYaml(`
name: fitted
models:
  gpt-x: { extends: mid-tier, ${Object.entries(profile).map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(', ')} }
agents:
  writer: { role: writes, model: gpt-x }
cases:
  generate: { count: 1, labels: { a: 1 } }
patterns:
  single-agent: { agent: writer }
`);
    expect(compiled.agents.get('writer')?.model.ttftMs).toEqual({ kind: 'lognormal', p50: model?.['ttft']?.['p50'], p95: model?.['ttft']?.['p95'] });
  });
});
