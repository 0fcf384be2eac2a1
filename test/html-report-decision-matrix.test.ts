import { describe, expect, it } from 'vitest';
import type { LatencyReport } from '../reports/html/latency.ts';
import { decisionMatrix, seriesKey, type MatrixContext } from '../reports/html/matrix.ts';
import type { ReportSeries } from '../reports/html/series.ts';

function series(pattern: string, fields: Partial<ReportSeries>): ReportSeries {
  return {
    pattern, variant: 'base', label: pattern, runIds: [pattern], seeds: [1], workflows: 100, completed: 100, dropped: 0, scored: 100,
    correct: 90, tokens: 1_000_000, costUsd: 10, agentCalls: 300, modelAttempts: 300, latencyMeanMs: 1000, latencyStdMs: 100,
    ...fields,
  };
}

function latency(rows: readonly { p50Ms: number; p95Ms: number; p99Ms: number }[]): LatencyReport {
  return { binEdgesMs: [1, 2], series: rows.map((row) => ({ binCounts: [], cdf: [], ...row })) };
}

/** A context with `retries` per run, failed thresholds per run and no spread (no mean intervals). */
function context(retries: Record<string, number>, failed: Record<string, string[]> = {}, minSuccess = 0.95): MatrixContext {
  const patterns = new Set([...Object.keys(retries), ...Object.keys(failed)]);
  return {
    retriesByRun: new Map(Object.entries(retries)),
    failedThresholdsByRun: new Map(Object.entries(failed)),
    standards: new Map([...patterns].map((pattern) => [seriesKey(pattern, 'base'), { minSuccess, meanCostSquare: null, meanTokensSquare: null }])),
  };
}

describe('decisionMatrix', () => {
  it('fills each column from the measurements and stars a real best value per column', () => {
    const rows = decisionMatrix(
      [
        series('sequential', { completed: 95, scored: 95, costUsd: 20, latencyStdMs: 500, correct: 60 }),
        series('fanout', { tokens: 500_000, correct: 95 }),
      ],
      latency([
        { p50Ms: 1000, p95Ms: 3000, p99Ms: 5000 },
        { p50Ms: 800, p95Ms: 3000, p99Ms: 1600 },
      ]),
      context({ sequential: 20, fanout: 0 }),
    );
    const [sequential, fanout] = rows;
    expect(sequential?.values).toEqual({
      p50Ms: 1000, p95Ms: 3000, p99OverP50: 5, latencyCv: 0.5, successRate: 0.95, retriesPerWorkflow: 0.2,
      meanTokens: 10_000, meanCostUsd: 0.2, accuracy: 0.6,
    });
    expect(sequential?.failing).toEqual([]);
    expect(sequential?.taskDependencies).toMatch(/previous step/);
    expect(fanout?.values.retriesPerWorkflow).toBe(0);
    // p95 ties (3000 each): no winner in that column. Success 95 % against 100 % of 100: the Wilson
    // intervals (88.8–98.0 %, 96.3–100 %) overlap, so no star there either.
    expect(sequential?.best).toEqual([]);
    expect(fanout?.best).toEqual(['p50Ms', 'p99OverP50', 'latencyCv', 'retriesPerWorkflow', 'meanTokens', 'meanCostUsd', 'accuracy']);
  });

  it('gives no star to a failing run that would have won a column, and marks it failing', () => {
    // single-agent is cheapest and fastest but completes 10 % of its arrivals (under minSuccess 95 %).
    const input = [
      series('single-agent', { completed: 10, scored: 10, correct: 9, costUsd: 1, tokens: 100_000 }),
      series('router', { costUsd: 8, tokens: 800_000 }),
      series('supervisor', { costUsd: 12, tokens: 1_200_000, correct: 95 }),
    ];
    const times = latency([
      { p50Ms: 100, p95Ms: 200, p99Ms: 300 },
      { p50Ms: 1000, p95Ms: 3000, p99Ms: 5000 },
      { p50Ms: 2000, p95Ms: 6000, p99Ms: 9000 },
    ]);
    const rows = decisionMatrix(input, times, context({ 'single-agent': 0, router: 10, supervisor: 30 }));
    const [single, router, supervisor] = rows;
    expect(single?.failing).toEqual(['success 10.0% < 95.0%']);
    expect(single?.best).toEqual([]);
    expect(router?.best).toEqual(expect.arrayContaining(['p50Ms', 'p95Ms', 'meanTokens', 'meanCostUsd']));
    // 95 of 100 correct against 90 of 100: the Wilson intervals (88.8–97.8 %, 82.6–94.5 %) overlap: no star.
    expect(supervisor?.best).toEqual(['p99OverP50']);
    // Without the failing rule the single agent would have won those columns: the test can fail.
    const lenient = decisionMatrix(input, times, context({ 'single-agent': 0, router: 10, supervisor: 30 }, {}, 0.05));
    expect(lenient[0]?.best).toEqual(expect.arrayContaining(['p50Ms', 'p95Ms', 'meanTokens', 'meanCostUsd']));
  });

  it('gives no star to a run that failed a threshold, and names the threshold', () => {
    const rows = decisionMatrix(
      [series('fanout', { costUsd: 5 }), series('router', { costUsd: 8 }), series('supervisor', { costUsd: 9 })],
      latency([{ p50Ms: 900, p95Ms: 900, p99Ms: 900 }, { p50Ms: 1000, p95Ms: 1000, p99Ms: 1000 }, { p50Ms: 1100, p95Ms: 1100, p99Ms: 1100 }]),
      context({ fanout: 0, router: 0, supervisor: 0 }, { fanout: ['p95(latency) < 500ms'] }),
    );
    expect(rows[0]?.failing).toEqual(['p95(latency) < 500ms failed']);
    expect(rows[0]?.best).toEqual([]);
    expect(rows[1]?.best).toEqual(expect.arrayContaining(['p50Ms', 'meanCostUsd']));
  });

  it('stars nothing on a tie after rounding', () => {
    // 1000.2 ms and 1000.4 ms both print as 1.00s; cost $0.10000 and $0.10001 both print $0.1000.
    const rows = decisionMatrix(
      [series('fanout', { costUsd: 10 }), series('router', { costUsd: 10.001 })],
      latency([{ p50Ms: 1000.2, p95Ms: 1000.2, p99Ms: 1000.2 }, { p50Ms: 1000.4, p95Ms: 1000.4, p99Ms: 1000.4 }]),
      context({ fanout: 0, router: 0 }),
    );
    expect(rows.map((row) => row.best)).toEqual([[], []]);
  });

  it('never shows negative retries: calls that never reached a model are not negative retries', () => {
    // 300 agent calls, 250 model attempts (50 rejected before the model): the old figure was −0.5/wf.
    const rows = decisionMatrix(
      [series('sequential', { modelAttempts: 250 })],
      latency([{ p50Ms: 1, p95Ms: 1, p99Ms: 1 }]),
      context({ sequential: 8 }),
    );
    expect(rows[0]?.values.retriesPerWorkflow).toBe(0.08);
  });
});
