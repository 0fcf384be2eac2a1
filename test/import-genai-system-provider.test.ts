/**
 * What the official OpenAI instrumentation (0.21) and older GenAI emitters write is read as today's
 * conventions: `gen_ai.system` is the provider, `gen_ai.usage.prompt_tokens` / `completion_tokens`
 * the token counts, and `gen_ai.response.model` the model when a span names no request model.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { writeForeignTraces } from './support/otlp-foreign.ts';
import { rowsOf } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-import-genai-system-'));

describe('import of older GenAI attribute names', () => {
  it('takes gen_ai.system as the provider, the older token names as token counts and the response model when no request model is named', async () => {
    const traces = writeForeignTraces(join(folder, 'official.jsonl'), 'shop', [
      { trace: 'a', id: '1', parent: '', name: 'checkout', startMs: 0, endMs: 500 },
      {
        trace: 'a', id: '2', parent: '1', name: 'chat gpt-4o-mini', startMs: 10, endMs: 300, kind: 3,
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.response.model': 'gpt-4o-mini-2024-07-18', 'gen_ai.usage.input_tokens': 300, 'gen_ai.usage.output_tokens': 40 },
      },
      {
        trace: 'a', id: '3', parent: '1', name: 'openai.chat', startMs: 300, endMs: 490, kind: 3,
        attributes: { 'llm.request.type': 'chat', 'gen_ai.system': 'OpenAI', 'gen_ai.response.model': 'gpt-4o-2024-08-06', 'gen_ai.usage.prompt_tokens': 500, 'gen_ai.usage.completion_tokens': 60 },
      },
    ]);
    const db = join(folder, 'official.db');
    expect(await main(['import', traces, '--db', db], captureIo())).toBe(0);

    expect(rowsOf(db, "SELECT span_id, operation, provider, request_model, input_tokens, output_tokens FROM spans WHERE operation = 'chat' ORDER BY span_id")).toEqual([
      { span_id: '2'.repeat(16), operation: 'chat', provider: 'openai', request_model: 'gpt-4o-mini', input_tokens: 300, output_tokens: 40 },
      { span_id: '3'.repeat(16), operation: 'chat', provider: 'OpenAI', request_model: 'gpt-4o-2024-08-06', input_tokens: 500, output_tokens: 60 },
    ]);
    expect(rowsOf(db, 'SELECT model_attempts, input_tokens, output_tokens FROM workflows')).toEqual([{ model_attempts: 2, input_tokens: 800, output_tokens: 100 }]);
  });
});
