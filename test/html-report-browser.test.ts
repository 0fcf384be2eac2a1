import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { writeHtmlReport } from '../reports/html/report.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';
import { expectCleanPage, openReport, type OpenedReport } from './support/report-browser.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-html-'));
const db = join(folder, 'legal-review.db');

/**
 * Replaces the load, queue and event rows of every run of `path` with made-up ones of each kind, and
 * makes each run an open load (a closed loop of one has no throughput or in-flight chart).
 */
function addLoadRows(path: string): void {
  const sqlite = openDatabase(path);
  const runIds = sqlite.prepare('SELECT run_id FROM runs').pluck().all() as string[];
  sqlite
    .prepare('UPDATE runs SET load = ?')
    .run(JSON.stringify({ kind: 'open', process: 'poisson', phases: [{ durationMs: 30_000, fromPerSecond: 5, toPerSecond: 5 }], maxInFlight: null, onFull: 'drop', windowMs: null }));
  const window = sqlite.prepare(`INSERT INTO timeseries VALUES (?, ?, 1000, 5, 0, 5, ?, 0, ?, ?, 900, ?, 20, 0, 0.5)`);
  const queue = sqlite.prepare(`INSERT INTO queue_series VALUES (?, 'rate:openai/gpt-4.1-mini', ?, 1000, ?, 0, 10, 0, 250)`);
  const event = sqlite.prepare(`INSERT INTO events VALUES (?, ?, ?, NULL, ?, 'risk-scorer', NULL, '{}')`);
  sqlite.transaction(() => {
    for (const table of ['timeseries', 'queue_series', 'events']) sqlite.prepare(`DELETE FROM ${table}`).run();
    for (const runId of runIds) {
      for (let second = 0; second < 30; second += 1) {
        window.run(runId, second * 1000, 4 + (second % 3), 3 + (second % 5), 1200 + 40 * second, second % 2);
        queue.run(runId, second * 1000, second % 7);
      }
      ['breaker.open', 'breaker.half_open', 'breaker.close', 'budget.alert'].forEach((kind, seq) => event.run(runId, seq, 2000 + 5000 * seq, kind));
    }
  })();
  sqlite.close();
}

/** The summary as the database says it, per run, by nearest rank over sorted latencies. */
function expectedSummary(path: string): Map<string, Record<string, number | null>> {
  const sqlite = openDatabase(path, { readonly: true });
  const expected = new Map<string, Record<string, number | null>>();
  for (const runId of sqlite.prepare('SELECT run_id FROM runs').pluck().all() as string[]) {
    const totals = sqlite
      .prepare(
        `SELECT count(*) AS n, sum(status = 'completed') AS completed, sum(status = 'failed') AS failed, sum(correct) AS correct,
                count(correct) AS scored, sum(cost_usd) AS cost, sum(input_tokens + output_tokens) AS tokens, sum(agent_calls) AS calls
         FROM workflows WHERE run_id = ?`,
      )
      .get(runId) as Record<string, number>;
    const latencies = sqlite.prepare('SELECT latency_ms FROM workflows WHERE run_id = ? ORDER BY latency_ms').pluck().all(runId) as number[];
    const n = totals['n'] as number;
    const rank = (q: number): number => latencies[Math.ceil(q * n) - 1] as number;
    expected.set(runId, {
      workflows: n,
      failed: totals['failed'] as number,
      successRate: (totals['completed'] as number) / n,
      // Correct of every workflow (a closed load drops none), completed ones the scorer could not judge left out.
      accuracy: (totals['correct'] as number) / (n - (totals['completed'] as number) + (totals['scored'] as number)),
      latencyP50Ms: rank(0.5),
      latencyP95Ms: rank(0.95),
      latencyP99Ms: rank(0.99),
      meanTokens: (totals['tokens'] as number) / n,
      meanCostUsd: (totals['cost'] as number) / n,
      meanAgentCalls: (totals['calls'] as number) / n,
    });
  }
  sqlite.close();
  return expected;
}

describe('the HTML report in headless Chromium', () => {
  const opened: OpenedReport[] = [];
  beforeAll(async () => {
    expect(await main(['run', scenario, '--db', db, '--overwrite', '--quiet'], captureIo())).toBe(0);
  });
  afterAll(async () => {
    for (const report of opened) await report.browser.close();
  });

  it('draws every chart with no console error, CSP violation or network request, and shows the database’s summary', async () => {
    const io = captureIo();
    const html = join(folder, 'legal-review.html');
    expect(await main(['report', db], io)).toBe(0);
    expect(io.stdout.join('\n')).toContain(html);
    const report = await openReport(html);
    opened.push(report);

    const canvases = await expectCleanPage(report);
    const ids = canvases.map((canvas) => canvas.id);
    for (const chart of ['latency-histogram', 'latency-cdf', 'latency-percentiles', 'cost-by-agent', 'tokens-by-agent', 'accuracy-cost', 'waterfall-0']) {
      expect(ids).toContain(`s0-${chart}`);
    }

    const cells = await report.page.$$eval('#summary td[data-field]', (tds) =>
      tds.map((td) => ({ runId: td.parentElement?.getAttribute('data-run-id') ?? '', field: td.getAttribute('data-field') ?? '', value: td.getAttribute('data-value') ?? '' })),
    );
    const expected = expectedSummary(db);
    expect(new Set(cells.map((cell) => cell.runId))).toEqual(new Set(expected.keys()));
    let checked = 0;
    for (const cell of cells) {
      const want = expected.get(cell.runId)?.[cell.field];
      if (want === undefined) continue;
      expect(Number(cell.value), `${cell.runId} ${cell.field}`).toBeCloseTo(want as number, 9);
      checked += 1;
    }
    expect(checked).toBe(expected.size * 10);
  });

  it('draws the load, queue and event charts when the database holds those rows', async () => {
    const loaded = join(folder, 'loaded.db');
    copyFileSync(db, loaded);
    addLoadRows(loaded);
    const html = join(folder, 'loaded.html');
    await writeHtmlReport(loaded, html);
    const report = await openReport(html);
    opened.push(report);

    const ids = (await expectCleanPage(report)).map((canvas) => canvas.id);
    for (const chart of ['throughput', 'in-flight', 'p95-over-time', 'queue-length', 'events-timeline']) expect(ids).toContain(`s0-${chart}`);
  });
});
