/**
 * Every per-run row of the reliability and security blocks names its run by its id, which holds the
 * seed: `--seed 1,2` gives two rows that can be told apart, as the other blocks' rows are.
 */
import { describe, expect, it } from 'vitest';
import { formatReliabilityBlock, type RunReliability } from '../reports/summary/reliability.ts';
import { formatSecurityBlock, type RunSecurity } from '../reports/summary/security.ts';

const base = { scenario: 'desk', pattern: 'router', variant: 'base' } as const;
const runIds = ['desk/router/base/seed-1', 'desk/router/base/seed-2'];

describe('the seed in every per-run row', () => {
  it('reliability: one row per seed, labelled by run id', () => {
    const runs: RunReliability[] = runIds.map((runId) => ({
      ...base, runId, completionRate: 0.9, latencyP95Ms: 1000, retriesPerWorkflow: 0.5, failures: [['timeout', 2]], breakerTrips: 0,
      fallbacks: 0, deadLetters: 0, compensations: 0, uncompensated: 0, budgetStops: 0, meanCostUsd: 0.01,
    }));
    const rows = formatReliabilityBlock(runs).split('\n').slice(-2).map((line) => line.trim().split(/\s{2,}/)[0]);
    expect(rows).toEqual(runIds);
  });

  it('security: one row per seed and one denial line per seed, labelled by run id', () => {
    const runs: RunSecurity[] = runIds.map((runId) => ({
      ...base, runId, workflows: 10, injectedCases: 2, reachedElevated: 1, sanitised: 1, privilegedCalls: 0, denied: [{ agent: 'a', tool: 'refund', denied: 3 }],
    }));
    const lines = formatSecurityBlock(runs).split('\n');
    expect(lines.slice(4, 6).map((line) => line.trim().split(/\s{2,}/)[0])).toEqual(runIds);
    expect(lines.slice(-2)).toEqual(runIds.map((runId) => `    ${runId}: a → refund × 3`));
  });
});
