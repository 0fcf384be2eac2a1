import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneRealAgentYaml, runFirstCase } from './support/http-agent-run.ts';
import { startOpenAiServer, type OpenAiServer } from './support/openai-server.ts';
import { closedPortUrl } from './support/otlp-receiver.ts';

let server: OpenAiServer;
beforeAll(async () => {
  server = await startOpenAiServer({ latencyMs: 1, usage: { promptTokens: 500, completionTokens: 30, cachedTokens: 0 } });
});
afterAll(() => server.close());

/** Two attempts, 1 ms apart: each test scripts what the server answers. */
const RETRY = 'retry: { attempts: 2, initialBackoff: 1ms, jitter: 0 }';
const yaml = (baseUrl = server.baseUrl): string => oneRealAgentYaml(`baseUrl: "${baseUrl}", model: test-llm`, RETRY);

describe('HTTP agent: failures are attempt outcomes, never exceptions', () => {
  it('a 5xx is an error, retried, and the workflow fails with it', async () => {
    server.script({ status: 502, body: '{"error":{"message":"upstream exploded"}}' }, { status: 500 });
    const { workflow, chats } = await runFirstCase(yaml());
    expect([workflow.status, workflow.errorType, workflow.failedStep]).toEqual(['failed', 'error', 'solo']);
    expect(chats.map((chat) => [chat.attributes['error.type'], chat.statusMessage])).toEqual([
      ['error', `${server.baseUrl}/chat/completions answered 502: upstream exploded`],
      ['error', `${server.baseUrl}/chat/completions answered 500: scripted 500`],
    ]);
  });

  it('a 401 is an error that is not retried, with the server\'s message', async () => {
    server.script({ status: 401, body: '{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}' });
    const { workflow, chats } = await runFirstCase(yaml());
    expect([workflow.status, workflow.errorType, workflow.modelAttempts]).toEqual(['failed', 'error', 1]);
    expect(chats[0]?.statusMessage).toContain('answered 401: Incorrect API key provided');
  });

  it('content that is not JSON is a contract_violation, billed with the usage the server reported', async () => {
    server.script({ content: '{"label": "billing", "confi' }, { content: 'Sure! The label is billing.' });
    const { workflow, chats } = await runFirstCase(yaml());
    expect([workflow.status, workflow.errorType]).toEqual(['failed', 'contract_violation']);
    expect(chats.map((chat) => chat.statusMessage)).toEqual([
      'solo answered content that is not a JSON object (finish_reason stop)',
      'solo answered content that is not a JSON object (finish_reason stop)',
    ]);
    expect([workflow.inputTokens, workflow.outputTokens]).toEqual([1000, 60]);
    expect(workflow.costUsd).toBeGreaterThan(0);
  });

  it('JSON that breaks the response schema is a contract_violation; a retry that answers well succeeds', async () => {
    server.script({ content: '{"label": "refund", "confidence": 0.9}' });
    const { workflow, chats } = await runFirstCase(yaml());
    expect(chats[0]?.statusMessage).toBe("solo's answer breaks the response schema: /label must be equal to one of the allowed values");
    expect([workflow.status, workflow.modelAttempts]).toEqual(['completed', 2]);
    expect(JSON.parse(workflow.output ?? 'null')).toEqual({ agent: 'solo', label: 'billing', confidence: 0.5, tokens: 30 });
  });

  it('a network failure is an error naming the cause', async () => {
    const { workflow, chats } = await runFirstCase(yaml(`${await closedPortUrl()}/v1`));
    expect([workflow.status, workflow.errorType]).toEqual(['failed', 'error']);
    expect(chats[0]?.statusMessage).toMatch(/^request to http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions failed: .*ECONNREFUSED/);
  });

  it('a 429 without retry-after is a rate_limit; the retry waits the policy backoff', async () => {
    server.script({ status: 429 });
    const { workflow, chats } = await runFirstCase(yaml());
    expect(chats.map((chat) => chat.attributes['error.type'] ?? 'ok')).toEqual(['rate_limit', 'ok']);
    expect(workflow.status).toBe('completed');
  });
});
