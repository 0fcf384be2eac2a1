/**
 * OpenInference traces (Phoenix, Arize, the Agents SDK through OpenInference) import as model
 * attempts and agent calls: `openinference.span.kind`, `llm.invocation_parameters` (request model),
 * `llm.model_name` (response model), `llm.token_count.*`, `llm.provider`, `agent.name`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { writeForeignTraces, type ForeignSpan } from './support/otlp-foreign.ts';
import { rowsOf } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-import-openinference-'));

const llm = (prompt: number, completion: number): Record<string, string | number> => ({
  'openinference.span.kind': 'LLM',
  'llm.model_name': 'gpt-4.1-mini-2025-04-14',
  'llm.invocation_parameters': JSON.stringify({ model: 'gpt-4.1-mini', temperature: 0 }),
  'llm.provider': 'openai',
  'llm.system': 'openai',
  'llm.token_count.prompt': prompt,
  'llm.token_count.completion': completion,
  'llm.token_count.total': prompt + completion,
  'llm.token_count.prompt_details.cache_read': 100,
});

/** Trace `t`: a CHAIN root, an AGENT `classifier` with one LLM span, a CHAIN step `reviewer` with two. */
function trace(t: string, start: number): ForeignSpan[] {
  return [
    { trace: t, id: `${t}1`, parent: '', name: 'triage', startMs: start, endMs: start + 900, attributes: { 'openinference.span.kind': 'CHAIN' } },
    { trace: t, id: `${t}2`, parent: `${t}1`, name: 'classifier', startMs: start + 10, endMs: start + 400, attributes: { 'openinference.span.kind': 'AGENT', 'agent.name': 'classifier' } },
    { trace: t, id: `${t}3`, parent: `${t}2`, name: 'OpenAI Chat Completions', startMs: start + 20, endMs: start + 390, attributes: llm(1000, 20) },
    { trace: t, id: `${t}4`, parent: `${t}1`, name: 'reviewer', startMs: start + 400, endMs: start + 890, attributes: { 'openinference.span.kind': 'CHAIN' } },
    { trace: t, id: `${t}5`, parent: `${t}4`, name: 'OpenAI Chat Completions', startMs: start + 410, endMs: start + 600, attributes: llm(2000, 50) },
    { trace: t, id: `${t}6`, parent: `${t}4`, name: 'OpenAI Chat Completions', startMs: start + 600, endMs: start + 880, attributes: llm(2100, 60) },
  ];
}

describe('import of OpenInference traces', () => {
  it('reads LLM spans as model attempts and AGENT or CHAIN steps as agent calls, with models, providers and tokens', async () => {
    const traces = writeForeignTraces(join(folder, 'phoenix.jsonl'), 'phoenix-app', [...trace('a', 0), ...trace('b', 1000)]);
    const db = join(folder, 'phoenix.db');
    expect(await main(['import', traces, '--db', db], captureIo())).toBe(0);

    expect(rowsOf(db, 'SELECT workflow_id, agent_calls, model_attempts, input_tokens, output_tokens, cached_tokens FROM workflows ORDER BY workflow_id')).toEqual([
      { workflow_id: 0, agent_calls: 2, model_attempts: 3, input_tokens: 5100, output_tokens: 130, cached_tokens: 300 },
      { workflow_id: 1, agent_calls: 2, model_attempts: 3, input_tokens: 5100, output_tokens: 130, cached_tokens: 300 },
    ]);
    expect(rowsOf(db, "SELECT operation, agent_name, provider, request_model, count(*) AS n FROM spans WHERE operation IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2")).toEqual([
      { operation: 'chat', agent_name: 'classifier', provider: 'openai', request_model: 'gpt-4.1-mini', n: 2 },
      { operation: 'chat', agent_name: 'reviewer', provider: 'openai', request_model: 'gpt-4.1-mini', n: 4 },
      { operation: 'invoke_agent', agent_name: 'classifier', provider: null, request_model: null, n: 2 },
      { operation: 'invoke_agent', agent_name: 'reviewer', provider: null, request_model: null, n: 2 },
    ]);
    expect(rowsOf(db, "SELECT DISTINCT json_extract(attributes, '$.\"gen_ai.response.model\"') AS model FROM spans WHERE operation = 'chat'")).toEqual([{ model: 'gpt-4.1-mini-2025-04-14' }]);
    // The agent calls carry their attempts' totals, as a run's agent spans do; two model calls that succeed are no retry.
    expect(rowsOf(db, "SELECT agent_name, spans, attempts, retries, input_tokens, output_tokens FROM span_metrics WHERE operation = 'invoke_agent' ORDER BY agent_name")).toEqual([
      { agent_name: 'classifier', spans: 2, attempts: 2, retries: 0, input_tokens: 2000, output_tokens: 40 },
      { agent_name: 'reviewer', spans: 2, attempts: 2, retries: 0, input_tokens: 8200, output_tokens: 220 },
    ]);

    const io = captureIo();
    expect(await main(['calibrate', db], io)).toBe(0);
    const yaml = io.stdout.join('\n');
    expect(yaml).toContain(`from ${db}: 6 model attempts`);
    expect(yaml).toMatch(/\n {2}classifier:\n/);
    expect(yaml).toMatch(/\n {2}reviewer:\n/);
  });
});
