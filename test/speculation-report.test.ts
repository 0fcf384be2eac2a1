import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { buildHtmlReport } from '../reports/html/report.ts';
import { speculationTables } from '../reports/html/levers/speculation.ts';
import { formatSpeculationBlock, summariseSpeculation, type RunSpeculation } from '../reports/summary/levers/speculation.ts';
import { summarise } from '../reports/summary/summary.ts';
import { captureIo } from './support/capture-io.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-speculation-report-'));
const file = join(folder, 'contract-drafting.db');
let rows: RunSpeculation[] = [];
let db: Database.Database;

beforeAll(async () => {
  const io = captureIo();
  expect(await main(['run', 'scenarios/contract-drafting.yaml', '--db', file, '--quiet', '--no-threshold-gate'], io)).toBe(0);
  db = new Database(file, { readonly: true });
  rows = summariseSpeculation(db, summarise(db));
});

/** What the kept spans say of a run's speculative calls: how many, and the tokens of those whose workflow did not use them. */
function fromSpans(runId: string): { calls: number; wastedTokens: number } {
  const spans = db
    .prepare(
      `SELECT s.input_tokens + s.output_tokens AS tokens, json_extract(w.facts, '$."speculation.drafter.outcome"') AS outcome
       FROM spans s JOIN workflows w ON w.run_id = s.run_id AND w.workflow_id = s.workflow_id
       WHERE s.run_id = ? AND s.operation = 'invoke_agent' AND json_extract(s.attributes, '$."patternbench.speculative"') = 1`,
    )
    .all(runId) as { tokens: number; outcome: string }[];
  return { calls: spans.length, wastedTokens: spans.filter((span) => span.outcome !== 'hit').reduce((sum, span) => sum + span.tokens, 0) };
}

describe('the shipped speculation scenario in the summary and the report', () => {
  it('has one row per speculating variant, each against the base variant, and every workflow counted once', () => {
    expect(rows.map((row) => [row.variant, row.step, row.plainVariant])).toEqual([
      ['speculate-50', 'drafter', 'base'],
      ['speculate-90', 'drafter', 'base'],
    ]);
    for (const row of rows) expect(row.hits + row.misses + row.failed).toBe(row.workflows);
  });

  it('counts as waste exactly the tokens of the speculative spans whose workflow did not use them', () => {
    for (const row of rows) {
      const spans = fromSpans(row.runId);
      expect(spans.calls).toBe(row.workflows);
      expect(spans.wastedTokens).toBe(row.wastedTokens);
    }
  });

  it('leaves accuracy as it is, and costs more per correct answer by about the waste', () => {
    const summary = summarise(db);
    const correct = summary.map((run) => run.correct);
    expect(new Set(correct).size).toBe(1);
    for (const row of rows) {
      const extra = (row.costPerCorrectUsd ?? 0) - (row.plainCostPerCorrectUsd ?? 0);
      // On a hit the drafter read the predicted memo's size, not the real one: its own cost moves by that difference (a few %).
      expect(Math.abs(extra - (row.wastedCostPerCorrectUsd ?? 0))).toBeLessThan(0.05 * (row.wastedCostPerCorrectUsd ?? 0));
    }
  });

  it('saves the most latency with the better predictor, measured against the same seed without speculation', () => {
    const [fifty, ninety] = rows as [RunSpeculation, RunSpeculation];
    expect(ninety.savedMsPerWorkflow).toBeGreaterThan(fifty.savedMsPerWorkflow);
    for (const row of rows) {
      const measured = (row.plainMeanLatencyMs ?? 0) - (row.meanLatencyMs ?? 0);
      // The measured saving is the overlap recorded per workflow, give or take the prefill of the predicted size (ms).
      expect(Math.abs(measured - row.savedMsPerWorkflow)).toBeLessThan(50);
    }
  });

  it('prints a block in the terminal and a section in the HTML report with the same figures', () => {
    const block = formatSpeculationBlock(rows);
    expect(block).toContain('contract-drafting / sequential · drafter');
    for (const row of rows) expect(block).toContain(`${row.hits} (`);
    const html = buildHtmlReport(db);
    expect(html).toContain('<h3>Speculation</h3>');
    for (const row of rows) {
      const tr = html.slice(html.indexOf(`<tr data-run-id="${row.runId}"><td class="text">sequential (${row.variant})`));
      expect(tr).toContain(`data-field="hits" data-value="${row.hits}"`);
      expect(tr).toContain(`data-field="wasted_tokens" data-value="${row.wastedTokens}"`);
    }
    expect(formatSpeculationBlock([])).toBe('');
    expect(speculationTables([], 'none')).toBe('');
  });
});
