import { describe, expect, it } from 'vitest';
import type { LatencyReport } from '../reports/html/latency.ts';
import { decisionMatrix } from '../reports/html/matrix.ts';
import type { ReportSeries } from '../reports/html/series.ts';

function series(pattern: string, fields: Partial<ReportSeries>): ReportSeries {
  return {
    pattern, variant: 'base', label: pattern, runIds: [pattern], seeds: [1], workflows: 100, completed: 100, dropped: 0, scored: 100,
    correct: 90, tokens: 1_000_000, costUsd: 10, agentCalls: 300, modelAttempts: 300, latencyMeanMs: 1000, latencyStdMs: 100,
    ...fields,
  };
}

describe('decisionMatrix', () => {
  it('fills each column from the measurements and marks the best value per column', () => {
    const rows = decisionMatrix(
      [
        series('sequential', { completed: 95, scored: 95, modelAttempts: 320, costUsd: 20, latencyStdMs: 500 }),
        series('fanout', { tokens: 500_000, correct: 95 }),
      ],
      {
        binEdgesMs: [1, 2],
        series: [
          { binCounts: [], cdf: [], p50Ms: 1000, p95Ms: 3000, p99Ms: 5000 },
          { binCounts: [], cdf: [], p50Ms: 800, p95Ms: 3000, p99Ms: 1600 },
        ],
      } satisfies LatencyReport,
    );
    const [sequential, fanout] = rows;
    expect(sequential?.values).toEqual({
      p50Ms: 1000, p95Ms: 3000, p99OverP50: 5, latencyCv: 0.5, successRate: 0.95, retriesPerWorkflow: 0.2,
      meanTokens: 10_000, meanCostUsd: 0.2, accuracy: 0.9,
    });
    expect(sequential?.taskDependencies).toMatch(/previous step/);
    expect(fanout?.values.retriesPerWorkflow).toBe(0);
    // p95 ties (3000 each): no winner in that column.
    expect(sequential?.best).toEqual([]);
    expect(fanout?.best).toEqual(['p50Ms', 'p99OverP50', 'latencyCv', 'successRate', 'retriesPerWorkflow', 'meanTokens', 'meanCostUsd', 'accuracy']);
  });
});
