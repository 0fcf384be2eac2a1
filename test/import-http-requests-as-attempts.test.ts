/**
 * The HTTP requests traced under a model span are its attempts: each gets the call's model and
 * agent, a failed one its kind by status (no status and then retried: the client's timeout), the
 * last one the call's tokens; the model span itself is no attempt (its operation kept aside).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { writeForeignTraces } from './support/otlp-foreign.ts';
import { rowsOf } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-http-requests-'));
const request = (status?: number): Record<string, string | number> => ({ 'http.request.method': 'POST', 'url.full': 'https://api.example/v1/chat/completions', ...(status === undefined ? {} : { 'http.response.status_code': status }) });

describe('import of HTTP requests under a model span', () => {
  it('makes each request an attempt, with its kind, and the last one the call\'s tokens', async () => {
    const traces = writeForeignTraces(join(folder, 'http.jsonl'), 'shop', [
      { trace: 'a', id: '1', parent: '', name: 'order', startMs: 0, endMs: 5000 },
      { trace: 'a', id: '2', parent: '1', name: 'invoke_agent pricer', startMs: 0, endMs: 5000, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'pricer' } },
      {
        trace: 'a', id: '3', parent: '2', name: 'chat gpt-4.1-nano', startMs: 0, endMs: 5000, kind: 3,
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4.1-nano', 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 100 },
      },
      { trace: 'a', id: '4', parent: '3', name: 'POST', startMs: 0, endMs: 100, kind: 3, attributes: request(429) },
      { trace: 'a', id: '5', parent: '3', name: 'POST', startMs: 200, endMs: 300, kind: 3, attributes: request(500), error: '' },
      { trace: 'a', id: '6', parent: '3', name: 'POST', startMs: 1000, endMs: 3000, kind: 3, attributes: request() },
      { trace: 'a', id: '7', parent: '3', name: 'POST', startMs: 4000, endMs: 4800, kind: 3, attributes: request(200) },
    ]);
    const db = join(folder, 'http.db');
    expect(await main(['import', traces, '--db', db], captureIo())).toBe(0);

    expect(rowsOf(db, "SELECT span_id, agent_name, request_model, status, error_type, input_tokens, output_tokens FROM spans WHERE operation = 'chat' ORDER BY start_ms")).toEqual([
      { span_id: '4'.repeat(16), agent_name: 'pricer', request_model: 'gpt-4.1-nano', status: 'error', error_type: 'rate_limit', input_tokens: null, output_tokens: null },
      { span_id: '5'.repeat(16), agent_name: 'pricer', request_model: 'gpt-4.1-nano', status: 'error', error_type: 'error', input_tokens: null, output_tokens: null },
      { span_id: '6'.repeat(16), agent_name: 'pricer', request_model: 'gpt-4.1-nano', status: 'error', error_type: 'timeout', input_tokens: null, output_tokens: null },
      { span_id: '7'.repeat(16), agent_name: 'pricer', request_model: 'gpt-4.1-nano', status: 'unset', error_type: null, input_tokens: 1000, output_tokens: 100 },
    ]);
    expect(rowsOf(db, "SELECT operation, json_extract(attributes, '$.\"patternbench.import.operation\"') AS kept FROM spans WHERE span_id = '3333333333333333'")).toEqual([{ operation: null, kept: 'chat' }]);
    expect(rowsOf(db, 'SELECT model_attempts, agent_calls, input_tokens, output_tokens FROM workflows')).toEqual([{ model_attempts: 4, agent_calls: 1, input_tokens: 1000, output_tokens: 100 }]);
    expect(rowsOf(db, "SELECT attempts, retries FROM span_metrics WHERE operation = 'invoke_agent'")).toEqual([{ attempts: 4, retries: 3 }]);
  });
});
