import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { startOpenAiServer, type ChatBody, type OpenAiServer, type ServerUsage } from './support/openai-server.ts';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-http-mixed-'));
const keyVariable = `PB_TEST_OPENAI_KEY_${randomUUID().replaceAll('-', '_')}`;
const canary = `sk-test-canary-${randomUUID()}`;

/** What the server reports per model: the drafter reads a cached prompt, the finaliser does not. */
const USAGE: Readonly<Record<string, ServerUsage>> = {
  'drafter-llm': { promptTokens: 1200, completionTokens: 150, cachedTokens: 200 },
  'finaliser-llm': { promptTokens: 800, completionTokens: 40, cachedTokens: 0 },
};
/** The `gateway` profile's prices, US dollars per million tokens. */
const PRICES = { input: 0.4, output: 1.6, cached: 0.1 };
const costOf = (usage: ServerUsage): number =>
  ((usage.promptTokens - usage.cachedTokens) * PRICES.input + usage.cachedTokens * PRICES.cached + usage.completionTokens * PRICES.output) / 1e6;

/** The real agents answer with the case's `hint`: right on three cases, wrong on c4 (the scorer must see it). */
function answer(chat: ChatBody): Record<string, unknown> {
  const user = JSON.parse(chat.messages[1]?.content ?? '{}') as { input: { hint: string } };
  return { label: user.input.hint, confidence: 0.8 };
}

let server: OpenAiServer;
let receiver: OtlpReceiver;
let io: ReturnType<typeof captureIo>;
let code: number;
let sqlite: Database.Database;
const db = join(folder, 'mixed.db');

function scenario(baseUrl: string): string {
  const zeroFaults = '{ error: 0, timeout: 0, rateLimit: 0 }';
  return [
    'name: mixed-real',
    'models:',
    `  gateway: { extends: mid-tier, pricing: { inputPerMTok: ${PRICES.input}, outputPerMTok: ${PRICES.output}, cachedInputPerMTok: ${PRICES.cached} } }`,
    'agents:',
    `  intake: { role: Extracts the request, model: small-fast, latency: 2ms, skill: 1, faults: ${zeroFaults} }`,
    '  drafter:',
    '    role: Drafts the classification',
    '    model: gateway',
    `    endpoint: { baseUrl: "${baseUrl}", model: drafter-llm, apiKeyEnv: ${keyVariable} }`,
    '    retry: { initialBackoff: 1ms, jitter: 0 }',
    '    timeout: 5s',
    `  checker: { role: Checks the draft, model: small-fast, latency: 2ms, skill: 1, recovery: 1, faults: ${zeroFaults} }`,
    '  finaliser:',
    '    role: Writes the final classification',
    '    model: gateway',
    `    endpoint: { baseUrl: "${baseUrl}", model: finaliser-llm, apiKeyEnv: ${keyVariable}, stream: true }`,
    '    retry: { initialBackoff: 1ms, jitter: 0 }',
    '    timeout: 5s',
    'cases:',
    '  inline:',
    '    - { id: c1, input: { text: "refund please", hint: billing }, expected: { label: billing } }',
    '    - { id: c2, input: { text: "app crashes", hint: bug }, expected: { label: bug } }',
    '    - { id: c3, input: { text: "charged twice", hint: billing }, expected: { label: billing } }',
    '    - { id: c4, input: { text: "login loop", hint: billing }, expected: { label: bug } }',
    'patterns:',
    '  sequential: { steps: [intake, drafter, checker, finaliser] }',
    '',
  ].join('\n');
}

beforeAll(async () => {
  server = await startOpenAiServer({ latencyMs: 2, usage: (chat) => USAGE[chat.model] as ServerUsage, answer });
  receiver = await startOtlpReceiver();
  // The first drafter request is rate-limited (OpenAI's millisecond header), the first finaliser one too (seconds).
  server.script({ model: 'drafter-llm', status: 429, headers: { 'retry-after-ms': '40' } }, { model: 'finaliser-llm', status: 429, headers: { 'retry-after': '0.03' } });
  const file = join(folder, 'mixed.yaml');
  writeFileSync(file, scenario(server.baseUrl));
  process.env[keyVariable] = canary;
  io = captureIo();
  code = await main(['run', file, '--realtime', '--db', db, '--otlp', receiver.url, '--format', 'json'], io);
  sqlite = new Database(db, { readonly: true });
});

afterAll(async () => {
  sqlite.close();
  delete process.env[keyVariable];
  await server.close();
  await receiver.close();
});

describe('a real-time run with two real agents (OpenAI-compatible server) and two simulated ones', () => {
  it('completes every workflow, and the scorer judges the real agent\'s answer', () => {
    expect(code, io.stderr.join('')).toBe(0);
    expect(sqlite.prepare('SELECT clock, status FROM runs').get()).toEqual({ clock: 'real', status: 'completed' });
    const rows = sqlite.prepare('SELECT case_id, status, correct FROM workflows ORDER BY case_id').all();
    expect(rows).toEqual([
      { case_id: 'c1', status: 'completed', correct: 1 },
      { case_id: 'c2', status: 'completed', correct: 1 },
      { case_id: 'c3', status: 'completed', correct: 1 },
      { case_id: 'c4', status: 'completed', correct: 0 },
    ]);
  });

  it('saves a checkpoint per agent call by default, as every run with a real agent does', () => {
    const calls = sqlite.prepare('SELECT sum(agent_calls) FROM workflows').pluck().get() as number;
    expect(calls).toBeGreaterThan(0);
    expect(sqlite.prepare('SELECT count(*) FROM checkpoints').pluck().get()).toBe(calls);
  });

  it('records the usage the server reported and prices it with the profile', () => {
    const chats = sqlite
      .prepare("SELECT agent_name AS agent, request_model AS model, input_tokens, output_tokens, cached_tokens, cost_usd, error_type FROM spans WHERE operation = 'chat' AND agent_name IN ('drafter', 'finaliser') AND status != 'error'")
      .all() as { agent: string; model: string; input_tokens: number; output_tokens: number; cached_tokens: number; cost_usd: number }[];
    expect(chats).toHaveLength(8);
    for (const chat of chats) {
      const usage = USAGE[chat.model] as ServerUsage;
      expect(chat.model).toBe(`${chat.agent}-llm`);
      expect([chat.input_tokens, chat.output_tokens, chat.cached_tokens]).toEqual([usage.promptTokens, usage.completionTokens, usage.cachedTokens]);
      expect(chat.cost_usd).toBeCloseTo(costOf(usage), 15);
    }
    // Workflow totals are the sums of their agent calls, real and simulated alike.
    const mismatched = sqlite
      .prepare(
        `SELECT w.workflow_id FROM workflows w JOIN spans s ON s.run_id = w.run_id AND s.workflow_id = w.workflow_id AND s.operation = 'invoke_agent'
         GROUP BY w.workflow_id HAVING abs(sum(s.cost_usd) - max(w.cost_usd)) > 1e-12 OR sum(s.input_tokens) != max(w.input_tokens) OR sum(s.output_tokens) != max(w.output_tokens)`,
      )
      .all();
    expect(mismatched).toEqual([]);
  });

  it('retries the 429s after their retry-after (milliseconds and seconds headers)', () => {
    const limited = sqlite.prepare("SELECT agent_name, cost_usd FROM spans WHERE operation = 'chat' AND error_type = 'rate_limit' ORDER BY agent_name").all();
    expect(limited).toEqual([
      { agent_name: 'drafter', cost_usd: 0 },
      { agent_name: 'finaliser', cost_usd: 0 },
    ]);
    const backoffs = sqlite
      .prepare("SELECT s.agent_name, e.value ->> '$.attributes.\"patternbench.backoff_ms\"' AS backoff FROM spans s, json_each(s.events) e WHERE s.operation = 'invoke_agent' AND e.value ->> '$.name' = 'retry' ORDER BY s.agent_name")
      .all();
    expect(backoffs).toEqual([
      { agent_name: 'drafter', backoff: 40 },
      { agent_name: 'finaliser', backoff: 30 },
    ]);
    expect(server.requests.filter((request) => request.body?.model === 'drafter-llm')).toHaveLength(5);
  });

  it('records the server, the response model, and the time to first chunk of streamed answers only', () => {
    const rows = sqlite
      .prepare(
        `SELECT agent_name, attributes ->> '$."gen_ai.response.time_to_first_chunk"' AS ttfc, attributes ->> '$."gen_ai.response.model"' AS model,
         attributes ->> '$."server.address"' AS address FROM spans WHERE operation = 'chat' AND agent_name IN ('drafter', 'finaliser') AND status != 'error'`,
      )
      .all() as { agent_name: string; ttfc: number | null; model: string; address: string }[];
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      expect([row.model, row.address]).toEqual([`${row.agent_name}-llm`, '127.0.0.1']);
      if (row.agent_name === 'drafter') expect(row.ttfc).toBeNull();
      else expect(row.ttfc).toBeGreaterThan(0);
    }
  });

  it('sends the API key in the Authorization header only, and writes it nowhere', () => {
    expect(server.requests.length).toBeGreaterThan(0);
    for (const request of server.requests) {
      expect(request.headers['authorization']).toBe(`Bearer ${canary}`);
      expect(request.rawBody).not.toContain(canary);
      expect(request.body?.response_format?.json_schema.schema).toMatchObject({ properties: { label: { enum: ['billing', 'bug'] } } });
    }
    const outputs: Record<string, string> = {
      stdout: io.stdout.join(''),
      stderr: io.stderr.join(''),
      otlp: JSON.stringify(receiver.spans),
    };
    for (const name of readdirSync(folder)) outputs[name] = readFileSync(join(folder, name)).toString('latin1');
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['mixed.db', 'mixed.html']));
    expect(receiver.spans.length).toBeGreaterThan(0);
    for (const [name, text] of Object.entries(outputs)) expect({ name, found: text.includes(canary) }).toEqual({ name, found: false });
    // The compiled scenario keeps the variable's name.
    expect(sqlite.prepare('SELECT config FROM runs').pluck().get()).toContain(keyVariable);
  });
});
