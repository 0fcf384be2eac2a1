/**
 * Imported model attempts that report tokens but no cost are priced: with the built-in profiles'
 * prices when the model id matches (a dated id matches its undated name), with `--prices FILE`
 * otherwise; `import` names the models it could not price.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { writeForeignTraces } from './support/otlp-foreign.ts';
import { rowsOf } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-import-prices-'));
const attempt = (model: string, input: number, cached: number, output: number): Record<string, string | number> => ({
  'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': model,
  'gen_ai.usage.input_tokens': input, 'gen_ai.usage.cache_read.input_tokens': cached, 'gen_ai.usage.output_tokens': output,
});
const traces = writeForeignTraces(join(folder, 'priced.jsonl'), 'shop', [
  { trace: 'a', id: '1', parent: '', name: 'order', startMs: 0, endMs: 900 },
  { trace: 'a', id: '2', parent: '1', name: 'chat gpt-4.1-mini', startMs: 0, endMs: 400, kind: 3, attributes: attempt('gpt-4.1-mini', 1_000_000, 200_000, 100_000) },
  { trace: 'a', id: '3', parent: '1', name: 'chat llama-3.3-70b', startMs: 400, endMs: 900, kind: 3, attributes: attempt('llama-3.3-70b', 1_000_000, 0, 1_000_000) },
]);
const cost = (db: string): unknown => rowsOf(db, 'SELECT round(cost_usd, 9) AS cost FROM workflows')[0]?.['cost'];

describe('import prices imported tokens', () => {
  it('prices a built-in model by its undated id and names the unpriced ones', async () => {
    const db = join(folder, 'builtin.db');
    const io = captureIo();
    expect(await main(['import', traces, '--db', db], io)).toBe(0);
    // GPT-4.1 mini: 800k uncached input at $0.4, 200k cached at $0.1, 100k output at $1.6 per million.
    expect(cost(db)).toBe(0.5);
    expect(rowsOf(db, "SELECT request_model, round(cost_usd, 9) AS cost, cost_source FROM spans WHERE operation = 'chat' ORDER BY start_ms")).toEqual([
      { request_model: 'gpt-4.1-mini', cost: 0.5, cost_source: 'estimated' },
      { request_model: 'llama-3.3-70b', cost: null, cost_source: null },
    ]);
    expect(io.stderr.join('\n')).toContain('unpriced, so costing $0: llama-3.3-70b (1 attempts); pass --prices FILE');
  });

  it('prices the others from --prices', async () => {
    const prices = join(folder, 'prices.yaml');
    writeFileSync(prices, 'llama-3.3-70b: { inputPerMTok: 0.6, outputPerMTok: 0.8 }\n');
    const db = join(folder, 'file.db');
    const io = captureIo();
    expect(await main(['import', traces, '--db', db, '--prices', prices], io)).toBe(0);
    expect(cost(db)).toBe(1.9);
    expect(io.stderr.join('\n')).not.toContain('unpriced');
  });
});
