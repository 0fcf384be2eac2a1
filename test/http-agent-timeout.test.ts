import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneRealAgentYaml, runFirstCase } from './support/http-agent-run.ts';
import { startOpenAiServer, type OpenAiServer } from './support/openai-server.ts';

let server: OpenAiServer;
beforeAll(async () => {
  server = await startOpenAiServer({ latencyMs: 1 });
});
afterAll(() => server.close());

describe('HTTP agent: timeouts', () => {
  it('an answer later than the agent\'s timeout ends the attempt as timeout and aborts the request', async () => {
    // 200 ms timeout, the server answers after 400 ms; the retry then gets a prompt answer.
    server.script({ delayMs: 400 });
    const yaml = oneRealAgentYaml(`baseUrl: "${server.baseUrl}", model: test-llm`, 'timeout: 200ms, retry: { attempts: 2, initialBackoff: 1ms, jitter: 0 }');
    const { workflow, chats } = await runFirstCase(yaml);
    expect(chats.map((chat) => [chat.attributes['error.type'] ?? 'ok', chat.statusMessage])).toEqual([
      ['timeout', 'no answer within 200ms'],
      ['ok', ''],
    ]);
    expect([workflow.status, workflow.modelAttempts]).toEqual(['completed', 2]);
    // The timed-out attempt was not billed (it never answered).
    expect(chats[0]?.attributes['gen_ai.usage.input_tokens']).toBe(0);
    expect(server.abandoned).toBe(1);
  });
});
