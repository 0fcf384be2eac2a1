/**
 * A model attempt belongs to its nearest agent ancestor, whatever names it: a GenAI `invoke_agent`
 * span, a Traceloop agent (`traceloop.span.kind`, `traceloop.entity.name`) or a plain step span.
 * `calibrate` fits each agent apart though they share a model.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { writeForeignTraces, type ForeignSpan } from './support/otlp-foreign.ts';
import { rowsOf } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-calibrate-agents-'));
const chat = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 10 };

/** Workflow `w` (one hex digit): classifier (GenAI agent span, 100 ms), router (Traceloop agent, 200 ms), reviewer (plain step, 300 ms; failing in every other workflow). */
function workflow(w: number): ForeignSpan[] {
  const t = w.toString(16);
  const at = w * 1000;
  const failing = w % 2 === 1;
  return [
    { trace: t, id: `${t}0`, parent: '', name: 'handle-ticket', startMs: at, endMs: at + 700, ...(failing ? { error: 'review failed' } : {}) },
    { trace: t, id: `${t}1`, parent: `${t}0`, name: 'invoke_agent classifier', startMs: at, endMs: at + 110, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
    { trace: t, id: `${t}2`, parent: `${t}1`, name: 'chat gpt-4o-mini', startMs: at + 5, endMs: at + 105, attributes: chat, kind: 3 },
    { trace: t, id: `${t}3`, parent: `${t}0`, name: 'route', startMs: at + 110, endMs: at + 320, attributes: { 'traceloop.span.kind': 'agent', 'traceloop.entity.name': 'router' } },
    { trace: t, id: `${t}4`, parent: `${t}3`, name: 'chat gpt-4o-mini', startMs: at + 115, endMs: at + 315, attributes: chat, kind: 3 },
    { trace: t, id: `${t}5`, parent: `${t}0`, name: 'reviewer', startMs: at + 320, endMs: at + 690, ...(failing ? { error: 'boom' } : {}) },
    { trace: t, id: `${t}6`, parent: `${t}5`, name: 'chat gpt-4o-mini', startMs: at + 330, endMs: at + 630, attributes: failing ? { ...chat, 'error.type': 'InternalServerError' } : chat, kind: 3, ...(failing ? { error: '500 oops' } : {}) },
  ];
}

describe('calibrate on foreign traces', () => {
  it('fits each agent apart, from the attempts under its nearest agent ancestor', async () => {
    const traces = writeForeignTraces(join(folder, 'agents.jsonl'), 'helpdesk', Array.from({ length: 8 }, (_, w) => workflow(w)).flat());
    const db = join(folder, 'agents.db');
    expect(await main(['import', traces, '--db', db], captureIo())).toBe(0);
    expect(rowsOf(db, 'SELECT agent_calls, model_attempts, status, failed_step, error_type FROM workflows WHERE workflow_id IN (0, 1) ORDER BY workflow_id')).toEqual([
      { agent_calls: 3, model_attempts: 3, status: 'completed', failed_step: null, error_type: null },
      { agent_calls: 3, model_attempts: 3, status: 'failed', failed_step: 'reviewer', error_type: 'error' },
    ]);

    const io = captureIo();
    expect(await main(['calibrate', db], io)).toBe(0);
    const fitted = parse(io.stdout.join('\n')) as { agents: Record<string, { latency: { value: number }; faults: { error: number } }> };
    expect(Object.keys(fitted.agents)).toEqual(['classifier', 'router', 'reviewer']);
    expect(fitted.agents['classifier']).toMatchObject({ latency: { dist: 'fixed', value: 100 }, faults: { error: 0 } });
    expect(fitted.agents['router']).toMatchObject({ latency: { dist: 'fixed', value: 200 }, faults: { error: 0 } });
    expect(fitted.agents['reviewer']).toMatchObject({ latency: { dist: 'fixed', value: 300 }, faults: { error: 0.5 } });
  });
});
