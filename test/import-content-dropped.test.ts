/**
 * Imported traces leave their message content (prompts, completions: GenAI, OpenInference and
 * Traceloop attributes alike) out of the results file unless `--keep-content` keeps it; kept
 * content is masked as the `--scenario`'s privacy policy masks.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { writeForeignTraces } from './support/otlp-foreign.ts';
import { rowsOf } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-import-content-'));
const EMAIL = 'jane@example.com';
const question = JSON.stringify({ email: EMAIL, text: 'refund please' });
const traces = writeForeignTraces(join(folder, 'content.jsonl'), 'support', [
  { trace: 'a', id: '1', parent: '', name: 'ticket', startMs: 0, endMs: 900, attributes: { 'input.value': question, 'openinference.span.kind': 'CHAIN' } },
  {
    trace: 'a', id: '2', parent: '1', name: 'chat gpt-4o-mini', startMs: 0, endMs: 400, kind: 3,
    attributes: {
      'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: question }] }]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'billing' }] }]),
    },
  },
  {
    trace: 'a', id: '3', parent: '1', name: 'OpenAI Chat Completions', startMs: 400, endMs: 900, kind: 3,
    attributes: { 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o-mini', 'llm.input_messages.0.message.role': 'user', 'llm.input_messages.0.message.content': question, 'output.value': 'billing' },
  },
]);
const stored = (db: string): string => rowsOf(db, 'SELECT attributes, events FROM spans').map((row) => `${String(row['attributes'])}${String(row['events'])}`).join('\n');

describe('import and message content', () => {
  it('drops it by default, and says so', async () => {
    const db = join(folder, 'dropped.db');
    const io = captureIo();
    expect(await main(['import', traces, '--db', db], io)).toBe(0);
    expect(stored(db)).not.toContain('refund');
    expect(stored(db)).not.toContain('billing');
    expect(rowsOf(db, "SELECT span_id, json_extract(attributes, '$.\"patternbench.import.content_dropped\"') AS dropped FROM spans ORDER BY span_id").map((row) => row['dropped'])).toEqual([1, 2, 3]);
    expect(io.stderr.join('\n')).toContain('dropped from 3 spans; --keep-content keeps it');
  });

  it('keeps it with --keep-content, masked by the scenario\'s privacy policy', async () => {
    const scenario = join(folder, 'support.yaml');
    writeFileSync(scenario, [
      'name: support', 'agents:', '  desk: { role: answers, model: mid-tier }', 'cases:', '  inline:',
      `    - { input: { email: ${EMAIL} }, expected: { label: ok } }`, 'patterns:', '  single-agent: { agent: desk }', 'dataClasses: { email: email }', '',
    ].join('\n'));
    const db = join(folder, 'masked.db');
    expect(await main(['import', traces, '--db', db, '--keep-content', '--scenario', scenario], captureIo())).toBe(0);
    const text = stored(db);
    expect(text).toContain('refund please');
    expect(text).toContain('billing');
    expect(text).not.toContain(EMAIL);
    expect(text.match(/\[email:[0-9a-f]{8}\]/g)?.length).toBe(3);
  });
});
