import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usageOf } from '../harness/agents/openai-response.ts';
import { oneRealAgentYaml, runFirstCase } from './support/http-agent-run.ts';
import { startOpenAiServer, type OpenAiServer } from './support/openai-server.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

let server: OpenAiServer;
beforeAll(async () => {
  server = await startOpenAiServer();
});
afterAll(async () => {
  await server.close();
});

const USAGE = {
  prompt_tokens: 1200,
  completion_tokens: 300,
  prompt_tokens_details: { cached_tokens: 400 },
  completion_tokens_details: { reasoning_tokens: 120 },
  // What gateways in front of providers with paid cache writes (Anthropic) report.
  cache_creation_input_tokens: 500,
};

describe('usage details: cache reads and writes, reasoning', () => {
  it("reads a server's reasoning and cache-write tokens, each counted inside its total", () => {
    expect(usageOf(USAGE)).toEqual({ inputTokens: 1200, outputTokens: 300, cachedTokens: 400, cacheCreationTokens: 500, reasoningTokens: 120 });
    // A detail larger than what it is part of is capped at it; zero details are left out.
    expect(usageOf({ prompt_tokens: 10, completion_tokens: 5, completion_tokens_details: { reasoning_tokens: 9 }, cache_creation_input_tokens: 0 }))
      .toEqual({ inputTokens: 10, outputTokens: 5, cachedTokens: 0, reasoningTokens: 5 });
    expect(usageOf({ prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 6 }, cache_creation_input_tokens: 8 }))
      .toEqual({ inputTokens: 10, outputTokens: 5, cachedTokens: 6, cacheCreationTokens: 4 });
  });

  it('records them on the attempt as gen_ai.usage.cache_read / cache_creation.input_tokens and reasoning.output_tokens', async () => {
    server.script({
      body: JSON.stringify({
        id: 'chatcmpl-usage', object: 'chat.completion', created: 0, model: 'test-llm', usage: USAGE,
        choices: [{ index: 0, message: { role: 'assistant', content: '{"label":"billing","confidence":0.9}', refusal: null }, finish_reason: 'stop' }],
      }),
    });
    const { workflow, chats } = await runFirstCase(oneRealAgentYaml(`baseUrl: "${server.baseUrl}", model: test-llm`));
    expect(workflow.status).toBe('completed');
    expect(chats).toHaveLength(1);
    const attributes = chats[0]?.attributes ?? {};
    expect({
      input: attributes['gen_ai.usage.input_tokens'],
      cacheRead: attributes['gen_ai.usage.cache_read.input_tokens'],
      cacheCreation: attributes['gen_ai.usage.cache_creation.input_tokens'],
      output: attributes['gen_ai.usage.output_tokens'],
      reasoning: attributes['gen_ai.usage.reasoning.output_tokens'],
    }).toEqual({ input: 1200, cacheRead: 400, cacheCreation: 500, output: 300, reasoning: 120 });
    expect(workflow.inputTokens).toBe(1200);
    expect(workflow.outputTokens).toBe(300);
  });

  it('leaves them out when nothing was reported (simulated agents write no cache and do not reason)', async () => {
    const scenario = scenarioFromYaml(`
name: no-details
agents:
  solo: { role: answers, model: mid-tier, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 4, labels: { yes: 1, no: 1 } }
patterns:
  single-agent: { agent: solo }
`);
    const { sink } = await runOnce(scenario);
    const chats = sink!.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
    expect(chats).toHaveLength(4);
    for (const chat of chats) {
      expect(chat.attributes['gen_ai.usage.cache_read.input_tokens']).toBeTypeOf('number');
      expect(chat.attributes).not.toHaveProperty('gen_ai.usage.cache_creation.input_tokens');
      expect(chat.attributes).not.toHaveProperty('gen_ai.usage.reasoning.output_tokens');
    }
  });
});
