/**
 * The span metrics of the shipped suite (every scenario, few cases; the peak scenario's open load
 * shortened) hold what SQL over every stored span gives — counts, errors by type, tokens, cost,
 * attempts, retries, fallbacks, durations (percentiles within HDR's 0.1 %) — and so do the report
 * figures read from them; a file without them (schema 6, or a killed run) gets the same figures by
 * folding its spans; and with most traces dropped (as trace sampling will drop them), every
 * summary, report, threshold and compare figure stays the same.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { DurationHistogram } from '../harness/kernel/hdr.ts';
import { nearestRankIndex } from '../harness/kernel/statistics.ts';
import type { SpanMetricsRecord } from '../harness/kernel/records.ts';
import { parseThresholdOrThrow } from '../harness/scenario/thresholds.ts';
import { compareDatabases } from '../reports/compare/compare.ts';
import { agentBreakdown } from '../reports/html/cost.ts';
import { collectReportData } from '../reports/html/data.ts';
import { agentLatency } from '../reports/html/histograms.ts';
import { listScenarios, listSeries } from '../reports/html/series.ts';
import { openDatabase, type Db } from '../reports/store/schema.ts';
import { readSpanMetrics } from '../reports/store/span-metrics.ts';
import { recordedThresholds, summariseResults } from '../reports/summary/blocks.ts';
import { summariseReliability } from '../reports/summary/reliability.ts';
import { summarise } from '../reports/summary/summary.ts';
import { evaluateThresholds } from '../reports/summary/threshold-eval.ts';
import { captureIo } from './support/capture-io.ts';

const scenarios = new URL('../scenarios', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-span-metrics-'));
const merged = join(folder, 'suite.db');

/** Every shipped scenario but the peak one, 25 cases each. */
const CLOSED = ['claims-glossary', 'claims-hybrid', 'credit-check-outage', 'due-diligence', 'insurance-claim', 'legal-review', 'market-research', 'support-routing', 'support-routing-injection', 'triage-router'];

function open(path: string): Db {
  return openDatabase(path, { readonly: true });
}

function withDb<T>(path: string, read: (db: Db) => T): T {
  const db = open(path);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** A copy of `path` changed by `sql`. */
function alteredCopy(name: string, sql: string): string {
  const copy = join(folder, name);
  copyFileSync(merged, copy);
  const db = new Database(copy);
  db.exec(sql);
  db.close();
  return copy;
}

/** `a` and `b` agree to 12 significant digits (sums taken in another order). */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b), 1e-9);
}

/** The key of a span metrics row. */
const keyOf = (row: { runId: string; operation: string; agentName: string; requestModel: string }): string =>
  JSON.stringify([row.runId, row.operation, row.agentName, row.requestModel]);

interface SqlTotals {
  runId: string;
  operation: string;
  agentName: string;
  requestModel: string;
  spans: number;
  errors: number;
  attempts: number;
  retries: number;
  fallbacks: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  costUsd: number;
  durationSumMs: number;
  durationMinMs: number;
  durationMaxMs: number;
}

/** What SQL over every span of the file gives per run, operation, agent and model. */
const SQL_TOTALS = `
SELECT run_id AS runId, coalesce(operation, '') AS operation, coalesce(agent_name, '') AS agentName, coalesce(request_model, '') AS requestModel,
       count(*) AS spans, sum(status = 'error') AS errors,
       coalesce(sum(json_extract(attributes, '$."patternbench.attempts"')), 0) AS attempts,
       coalesce(sum(max(coalesce(json_extract(attributes, '$."patternbench.attempts"'), 0) - 1, 0)), 0) AS retries,
       sum(json_extract(attributes, '$."patternbench.fallback"') IS NOT NULL) AS fallbacks,
       coalesce(sum(input_tokens), 0) AS inputTokens, coalesce(sum(output_tokens), 0) AS outputTokens,
       coalesce(sum(cached_tokens), 0) AS cachedTokens,
       coalesce(sum(json_extract(attributes, '$."gen_ai.usage.reasoning.output_tokens"')), 0) AS reasoningTokens,
       coalesce(sum(cost_usd), 0.0) AS costUsd, sum(duration_ms) AS durationSumMs, min(duration_ms) AS durationMinMs, max(duration_ms) AS durationMaxMs
FROM spans GROUP BY 1, 2, 3, 4`;

const SQL_ERROR_TYPES = `
SELECT run_id, coalesce(operation, ''), coalesce(agent_name, ''), coalesce(request_model, ''), coalesce(error_type, '_OTHER'), count(*)
FROM spans WHERE status = 'error' GROUP BY 1, 2, 3, 4, 5`;

/** Nearest-rank percentiles of each key's durations, by SQL and sorting. */
function sqlQuantiles(db: Db, qs: readonly number[]): Map<string, number[]> {
  const durations = new Map<string, number[]>();
  const rows = db.prepare("SELECT run_id, coalesce(operation, ''), coalesce(agent_name, ''), coalesce(request_model, ''), duration_ms FROM spans").raw().iterate();
  for (const [runId, operation, agentName, requestModel, ms] of rows as IterableIterator<[string, string, string, string, number]>) {
    const key = keyOf({ runId, operation, agentName, requestModel });
    const list = durations.get(key) ?? [];
    durations.set(key, list);
    list.push(ms);
  }
  return new Map([...durations].map(([key, list]) => [key, (list.sort((a, b) => a - b), qs.map((q) => list[nearestRankIndex(list.length, q)] as number))]));
}

/** HDR's promise: at or above the exact value, by at most 0.1 % (and the µs the values are rounded to). */
function withinHdr(hdr: number | null, exact: number): boolean {
  return hdr !== null && hdr >= exact - 0.0005 && hdr <= exact * 1.001 + 0.001;
}

/** The figures the report and summary took from every span before span metrics (the SQL they ran). */
function spanFigures(db: Db) {
  const scenariosOf = listScenarios(db);
  const agents = scenariosOf.map((scenario) => {
    const series = listSeries(db, scenario);
    const index = new Map(series.map((entry, position) => [`${entry.pattern}/${entry.variant}`, position]));
    const rows = db
      .prepare(
        `SELECT r.pattern, r.variant, coalesce(s.agent_name, '(unnamed)') AS agent,
           coalesce(sum(CASE WHEN s.operation = 'chat' THEN s.cost_usd END), 0.0) AS cost,
           coalesce(sum(CASE WHEN s.operation = 'invoke_agent' THEN s.input_tokens END), 0) + coalesce(sum(CASE WHEN s.operation = 'invoke_agent' THEN s.output_tokens END), 0) AS tokens
         FROM spans s JOIN runs r ON r.run_id = s.run_id WHERE r.scenario = ? AND s.operation IN ('invoke_agent', 'chat')
         GROUP BY r.pattern, r.variant, agent ORDER BY agent`,
      )
      .all(scenario) as { pattern: string; variant: string; agent: string; cost: number; tokens: number }[];
    return { scenario, series, index, rows };
  });
  const reliability = db
    .prepare(
      `SELECT run_id, sum(max(coalesce(json_extract(attributes, '$."patternbench.attempts"'), 0) - 1, 0)) AS retries,
         sum(json_extract(attributes, '$."patternbench.fallback"') IS NOT NULL) AS fallbacks
       FROM spans WHERE operation = 'invoke_agent' GROUP BY run_id`,
    )
    .all() as { run_id: string; retries: number; fallbacks: number }[];
  return { agents, reliability };
}

/** Every figure a file's span metrics give the readers, for comparing two files. */
function readerFigures(db: Db) {
  const summary = summarise(db);
  return {
    reliability: summariseReliability(db, summary).map((run) => [run.runId, run.retriesPerWorkflow, run.fallbacks]),
    agents: listScenarios(db).map((scenario) => {
      const series = listSeries(db, scenario);
      return { scenario, breakdown: agentBreakdown(db, scenario, series), latency: agentLatency(db, scenario, series) };
    }),
  };
}

/** Numbers rounded to 12 significant digits, so that sums taken in another order compare equal. */
function rounded(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) => (typeof item === 'number' && !Number.isInteger(item) ? Number(item.toPrecision(12)) : item));
}

describe('span metrics of the shipped suite', () => {
  beforeAll(async () => {
    const closed = join(folder, 'closed.db');
    const peak = join(folder, 'peak.db');
    const quiet = ['--quiet', '--no-report', '--no-threshold-gate', '--format', 'json'];
    expect(await main(['run', ...CLOSED.map((name) => join(scenarios, `${name}.yaml`)), '--cases', '25', '--db', closed, ...quiet], captureIo())).toBe(0);
    expect(await main(['run', join(scenarios, 'support-routing-peak.yaml'), '--rate', '20/s', '--duration', '30s', '--db', peak, ...quiet], captureIo())).toBe(0);
    expect(await main(['merge', merged, closed, peak], captureIo())).toBe(0);
  }, 60_000);

  it('holds, per run, operation, agent and model, what SQL over every span gives', () => {
    withDb(merged, (db) => {
      const stored = db.prepare('SELECT count(*) FROM span_metrics').pluck().get() as number;
      const records = new Map(readSpanMetrics(db).map((record) => [keyOf(record), record]));
      const totals = db.prepare(SQL_TOTALS).all() as SqlTotals[];
      expect(records.size).toBe(stored);
      expect([...records.keys()].sort()).toEqual(totals.map(keyOf).sort());
      const exact = ['spans', 'errors', 'attempts', 'retries', 'fallbacks', 'inputTokens', 'outputTokens', 'cachedTokens', 'reasoningTokens'] as const;
      for (const total of totals) {
        const record = records.get(keyOf(total)) as SpanMetricsRecord;
        expect({ key: keyOf(total), ...Object.fromEntries(exact.map((field) => [field, record[field]])) }).toEqual({ key: keyOf(total), ...Object.fromEntries(exact.map((field) => [field, total[field]])) });
        expect({ key: keyOf(total), cost: close(record.costUsd, total.costUsd) }).toEqual({ key: keyOf(total), cost: true });
        // Durations are kept to the µs.
        expect(Math.abs((record.durationMinMs as number) - total.durationMinMs)).toBeLessThanOrEqual(0.0005);
        expect(Math.abs((record.durationMaxMs as number) - total.durationMaxMs)).toBeLessThanOrEqual(0.0005);
        expect(Math.abs(record.durationSumMs - total.durationSumMs)).toBeLessThanOrEqual(0.0005 * total.spans + 1e-9 * total.durationSumMs);
      }
      const types = new Map<string, Record<string, number>>();
      for (const [runId, operation, agentName, requestModel, type, n] of db.prepare(SQL_ERROR_TYPES).raw().all() as [string, string, string, string, string, number][]) {
        const key = keyOf({ runId, operation, agentName, requestModel });
        types.set(key, { ...types.get(key), [type]: n });
      }
      for (const [key, record] of records) expect({ key, types: JSON.parse(record.errorTypes) }).toEqual({ key, types: types.get(key) ?? {} });
      // The suite exercises what is counted: retries, fallbacks, failures of several types, tool calls, tokens and cost.
      const all = [...records.values()];
      expect(all.reduce((sum, record) => sum + record.retries, 0)).toBeGreaterThan(50);
      expect(all.reduce((sum, record) => sum + record.fallbacks, 0)).toBeGreaterThan(10);
      expect(new Set(all.flatMap((record) => Object.keys(JSON.parse(record.errorTypes)))).size).toBeGreaterThanOrEqual(4);
      expect(new Set(all.map((record) => record.operation))).toEqual(new Set(['invoke_workflow', 'invoke_agent', 'chat', 'execute_tool', '']));
      expect(all.reduce((sum, record) => sum + record.spans, 0)).toBe(db.prepare('SELECT count(*) FROM spans').pluck().get());

      const qs = [0.5, 0.9, 0.95, 0.99, 1];
      for (const [key, exactValues] of sqlQuantiles(db, qs)) {
        const histogram = DurationHistogram.decode((records.get(key) as SpanMetricsRecord).durationEncoded);
        qs.forEach((q, index) => expect({ key, q, within: withinHdr(histogram.quantileMs(q), exactValues[index] as number) }).toEqual({ key, q, within: true }));
      }
    });
  });

  it('gives the readers the figures SQL over every span gave: retries, fallbacks, cost and tokens by agent, call percentiles within 0.1 %', () => {
    withDb(merged, (db) => {
      const before = spanFigures(db);
      const summary = summarise(db);
      const reliability = new Map(summariseReliability(db, summary).map((run) => [run.runId, run]));
      expect(before.reliability.some((run) => run.fallbacks > 0)).toBe(true);
      for (const run of before.reliability) {
        const workflows = summary.find((row) => row.runId === run.run_id)?.workflows ?? 0;
        expect({ run: run.run_id, retries: reliability.get(run.run_id)?.retriesPerWorkflow, fallbacks: reliability.get(run.run_id)?.fallbacks }).toEqual({
          run: run.run_id,
          retries: workflows === 0 ? null : run.retries / workflows,
          fallbacks: run.fallbacks,
        });
      }
      for (const { scenario, series, index, rows } of before.agents) {
        const breakdown = agentBreakdown(db, scenario, series);
        expect({ scenario, agents: breakdown.agents }).toEqual({ scenario, agents: [...new Set(rows.map((row) => row.agent))] });
        for (const row of rows) {
          const position = index.get(`${row.pattern}/${row.variant}`) as number;
          const workflows = series[position]?.workflows ?? 0;
          const agent = breakdown.agents.indexOf(row.agent);
          const cost = breakdown.costPerWorkflowUsd[agent]?.[position] as number;
          expect({ scenario, agent: row.agent, cost: close(cost, workflows === 0 ? 0 : row.cost / workflows) }).toEqual({ scenario, agent: row.agent, cost: true });
          expect(breakdown.tokensPerWorkflow[agent]?.[position]).toBe(workflows === 0 ? 0 : row.tokens / workflows);
        }
        const latency = agentLatency(db, scenario, series);
        for (const [agentIndex, agent] of latency.agents.entries()) {
          series.forEach((entry, position) => {
            const durations = (
              db
                .prepare(`SELECT duration_ms FROM spans WHERE operation = 'invoke_agent' AND agent_name = ? AND run_id IN (SELECT value FROM json_each(?)) ORDER BY duration_ms`)
                .pluck()
                .all(agent, JSON.stringify(entry.runIds)) as number[]
            );
            const p50 = latency.p50Ms[agentIndex]?.[position] ?? null;
            const p95 = latency.p95Ms[agentIndex]?.[position] ?? null;
            if (durations.length === 0) return expect([p50, p95]).toEqual([null, null]);
            const exact = (q: number): number => durations[nearestRankIndex(durations.length, q)] as number;
            expect({ scenario, agent, series: entry.label, p50: withinHdr(p50, exact(0.5)), p95: withinHdr(p95, exact(0.95)) }).toEqual({ scenario, agent, series: entry.label, p50: true, p95: true });
          });
        }
      }
    });
  });

  it('gives a file without span metrics (schema 6), and a run that was killed, the same figures by folding their spans', () => {
    const expected = rounded(withDb(merged, readerFigures));
    const v6 = alteredCopy('v6.db', "DROP TABLE span_metrics; UPDATE meta SET value = '6' WHERE key = 'schema_version'");
    expect(rounded(withDb(v6, readerFigures))).toEqual(expected);
    // A killed run: still `running`, no span metrics of its own.
    const killed = alteredCopy('killed.db', "DELETE FROM span_metrics WHERE run_id IN (SELECT run_id FROM runs WHERE scenario = 'legal-review'); UPDATE runs SET status = 'running' WHERE scenario = 'legal-review'");
    expect(rounded(withDb(killed, readerFigures))).toEqual(expected);
  });

  it('keeps every summary, report, threshold and compare figure when most traces are dropped', () => {
    // Keep the spans of one trace in four (as trace sampling would keep some), the span metrics all.
    const sampled = alteredCopy('sampled.db', "DELETE FROM span_rows WHERE substr(trace_id, 32, 1) NOT IN ('0', '4', '8', 'c')");
    const thresholds = ['p50(latency) < 1s', 'p95(service) < 30s', 'max(queue_wait) < 1s', 'mean(latency) < 10s', 'accuracy > 0.9', 'success_rate > 0.9', 'error_rate < 0.05',
      'dropped_rate < 0.01', 'cost_per_workflow < 0.01', 'cost_per_correct < 0.01', 'tokens_per_workflow < 5000', 'retries_per_workflow < 0.1', 'throughput > 1']
      .map((text) => ({ spec: parseThresholdOrThrow(text), source: 'cli' as const }));
    const figures = (db: Db) => {
      const report = collectReportData(db);
      return {
        summary: summariseResults(db, recordedThresholds(db)),
        // Waterfalls draw sample traces' spans: a trace not kept has none to draw.
        report: { ...report, scenarios: report.scenarios.map((scenario) => ({ ...scenario, waterfalls: [] })) },
        thresholds: evaluateThresholds(db, thresholds),
      };
    };
    const full = open(merged);
    const partial = open(sampled);
    try {
      const kept = partial.prepare('SELECT count(*) FROM spans').pluck().get() as number;
      const all = full.prepare('SELECT count(*) FROM spans').pluck().get() as number;
      expect(kept).toBeLessThan(all * 0.4);
      expect(figures(partial)).toEqual(figures(full));
      expect(compareDatabases(partial, full)).toEqual(compareDatabases(full, full));
    } finally {
      full.close();
      partial.close();
    }
  });
});
