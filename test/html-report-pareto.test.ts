import { describe, expect, it } from 'vitest';
import { accuracyCostPoints, paretoFrontier } from '../reports/html/cost.ts';
import type { ReportSeries } from '../reports/html/series.ts';

describe('paretoFrontier (low cost, high accuracy)', () => {
  it('keeps exactly the points no other point beats on both, ordered by cost', () => {
    const points = [
      { costUsd: 0.5, accuracy: 0.9 }, // 0: frontier
      { costUsd: 0.2, accuracy: 0.7 }, // 1: frontier (cheapest)
      { costUsd: 0.6, accuracy: 0.85 }, // 2: dominated by 0
      { costUsd: 1.0, accuracy: 0.95 }, // 3: frontier (most accurate)
      { costUsd: 0.2, accuracy: 0.6 }, // 4: dominated by 1 (same cost, less accurate)
      { costUsd: 0.8, accuracy: 0.9 }, // 5: dominated by 0 (same accuracy, dearer)
      { costUsd: 0.5, accuracy: 0.9 }, // 6: equal to 0: both stay
    ];
    expect(paretoFrontier(points)).toEqual([1, 0, 6, 3]);
  });

  it('marks the frontier on the series that were scored', () => {
    const series = (label: string, costUsd: number, correct: number, scored: number): ReportSeries => ({
      pattern: label, variant: 'base', label, runIds: [label], seeds: [1], workflows: 10, completed: 10, dropped: 0, scored, correct,
      tokens: 0, costUsd, agentCalls: 10, modelAttempts: 10, latencyMeanMs: 1, latencyStdMs: 0,
    });
    const points = accuracyCostPoints([series('a', 1, 9, 10), series('b', 2, 8, 10), series('c', 5, 0, 0)]);
    expect(points).toEqual([
      { label: 'a', costUsd: 0.1, accuracy: 0.9, frontier: true, beatenBy: null },
      { label: 'b', costUsd: 0.2, accuracy: 0.8, frontier: false, beatenBy: 'a' },
    ]);
  });
});
