/**
 * The report's figures on imported foreign traces: tokens and cost per workflow by agent come from
 * the model attempts under each agent, retries per workflow count each failed attempt another
 * followed (never negative), a failed workflow names its failing agent, and cost is priced from
 * the built-in profiles when the model id matches.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { collectReportData } from '../reports/html/data.ts';
import { REPORT_READER } from '../reports/html/report.ts';
import { openResultsReadonly } from '../reports/store/open-results.ts';
import { captureIo } from './support/capture-io.ts';
import { writeForeignTraces, type ForeignSpan } from './support/otlp-foreign.ts';
import { rowsOf } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-import-report-'));
const llm = (prompt: number, completion: number): Record<string, string | number> => ({
  'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4.1-nano-2025-04-14', 'llm.invocation_parameters': '{"model":"gpt-4.1-nano"}',
  'llm.token_count.prompt': prompt, 'llm.token_count.completion': completion,
});

/** Workflow `w`: classifier (one attempt: 1000 in, 100 out), reviewer (a 429, then 2000 in, 200 out); workflow 1's reviewer fails for good. */
function workflow(w: number): ForeignSpan[] {
  const t = String(w + 1);
  const at = w * 1000;
  const fails = w === 1;
  return [
    { trace: t, id: `${t}0`, parent: '', name: 'ticket', startMs: at, endMs: at + 900, attributes: { 'openinference.span.kind': 'CHAIN' }, ...(fails ? { error: 'failed' } : {}) },
    { trace: t, id: `${t}1`, parent: `${t}0`, name: 'classifier', startMs: at, endMs: at + 300, attributes: { 'openinference.span.kind': 'AGENT', 'agent.name': 'classifier' } },
    { trace: t, id: `${t}2`, parent: `${t}1`, name: 'llm', startMs: at, endMs: at + 300, attributes: llm(1000, 100) },
    {
      trace: t, id: `${t}3`, parent: `${t}0`, name: 'reviewer', startMs: at + 300, endMs: at + 900, attributes: { 'openinference.span.kind': 'AGENT', 'agent.name': 'reviewer' },
      ...(fails ? { error: '500 server error', events: [{ name: 'exception', attributes: { 'exception.type': 'InternalServerError', 'exception.message': '500 server error' } }] } : {}),
    },
    { trace: t, id: `${t}4`, parent: `${t}3`, name: 'llm', startMs: at + 300, endMs: at + 400, attributes: { ...llm(0, 0), 'error.type': 'RateLimitError' }, error: '429 slow down' },
    ...(fails ? [] : [{ trace: t, id: `${t}5`, parent: `${t}3`, name: 'llm', startMs: at + 400, endMs: at + 900, attributes: llm(2000, 200) }]),
  ];
}

describe('the report on imported traces', () => {
  it('splits tokens and cost by agent, counts retries and failed steps, and prices known models', async () => {
    const traces = writeForeignTraces(join(folder, 'report.jsonl'), 'helpdesk', [0, 1, 2, 3].flatMap(workflow));
    const db = join(folder, 'report.db');
    expect(await main(['import', traces, '--db', db], captureIo())).toBe(0);
    expect(rowsOf(db, "SELECT failed_step, error_type FROM workflows WHERE status = 'failed'")).toEqual([{ failed_step: 'reviewer', error_type: 'error' }]);

    const handle = openResultsReadonly(db, REPORT_READER);
    try {
      const [report] = collectReportData(handle).scenarios;
      // GPT-4.1 nano: $0.1 / $0.4 per million input / output tokens.
      const classifierCost = (1000 * 0.1 + 100 * 0.4) / 1e6;
      const reviewerCost = (2000 * 0.1 + 200 * 0.4) / 1e6;
      expect(report?.agents.agents).toEqual(['classifier', 'reviewer']);
      expect(report?.agents.tokensPerWorkflow).toEqual([[1100], [(3 * 2200) / 4]]);
      expect(report?.agents.costPerWorkflowUsd.map((row) => row.map((value) => Number(value.toPrecision(9))))).toEqual([[classifierCost], [Number(((3 * reviewerCost) / 4).toPrecision(9))]]);
      // Three reviewer calls retried once after their 429; the failing one made no attempt after it.
      expect(report?.reliability[0]?.retriesPerWorkflow).toBe(3 / 4);
      expect(report?.matrix[0]?.values.retriesPerWorkflow).toBe(3 / 4);
      expect(report?.matrix[0]?.values.meanCostUsd).toBeCloseTo(classifierCost + (3 * reviewerCost) / 4, 12);
    } finally {
      handle.close();
    }
  });
});
