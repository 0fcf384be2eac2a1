import { afterAll, describe, expect, it } from 'vitest';
import { parseThresholdOrThrow } from '../harness/scenario/thresholds.ts';
import { evaluateThresholds, type ThresholdInput } from '../reports/summary/threshold-eval.ts';
import { emptyResultsDb, insertRun, insertWorkflows } from './support/threshold-db.ts';

/** Two scenarios; triage runs sequential, router (seeds 1 and 2) and fanout; alpha runs router. One workflow each. */
const db = emptyResultsDb();
const runs = [
  { runId: 't-seq', scenario: 'triage', pattern: 'sequential' },
  { runId: 't-rtr-2', scenario: 'triage', pattern: 'router', seed: 2 },
  { runId: 't-rtr-1', scenario: 'triage', pattern: 'router', seed: 1 },
  { runId: 't-fan', scenario: 'triage', pattern: 'fanout' },
  { runId: 'a-rtr', scenario: 'alpha', pattern: 'router' },
];
for (const run of runs) {
  insertRun(db, run);
  insertWorkflows(db, run.runId, [{ status: 'completed', intendedStartMs: 0, startMs: 0, endMs: 10 }]);
}
afterAll(() => db.close());

const input = (text: string, source: ThresholdInput['source'], scenario?: string): ThresholdInput =>
  scenario === undefined ? { spec: parseThresholdOrThrow(text), source } : { spec: parseThresholdOrThrow(text), source, scenario };

const cells = (inputs: readonly ThresholdInput[]): string[] =>
  evaluateThresholds(db, inputs).map((result) => `${result.runId} ${result.expression} ${result.source}`);

describe('evaluateThresholds scopes thresholds to patterns and scenarios', () => {
  it('applies an unscoped threshold to every run, ordered by scenario, pattern, variant, seed', () => {
    expect(cells([input('error_rate < 1%', 'cli')])).toEqual([
      'a-rtr error_rate < 1% cli', 't-fan error_rate < 1% cli', 't-rtr-1 error_rate < 1% cli', 't-rtr-2 error_rate < 1% cli', 't-seq error_rate < 1% cli',
    ]);
  });

  it('applies a pattern-scoped threshold only to that pattern\'s runs', () => {
    expect(cells([input('router: p95(latency) < 20s', 'cli')])).toEqual([
      'a-rtr router: p95(latency) < 20s cli', 't-rtr-1 router: p95(latency) < 20s cli', 't-rtr-2 router: p95(latency) < 20s cli',
    ]);
  });

  it('applies a scenario\'s own thresholds only to its runs, and keeps the order given within a run', () => {
    expect(cells([input('router: error_rate < 1%', 'scenario', 'triage'), input('success_rate > 0.5', 'scenario', 'triage')])).toEqual([
      't-fan success_rate > 0.5 scenario',
      't-rtr-1 router: error_rate < 1% scenario', 't-rtr-1 success_rate > 0.5 scenario',
      't-rtr-2 router: error_rate < 1% scenario', 't-rtr-2 success_rate > 0.5 scenario',
      't-seq success_rate > 0.5 scenario',
    ]);
  });

  it('evaluates a threshold given twice for a run once, with the source given first', () => {
    expect(cells([input('fanout: error_rate<1%', 'scenario', 'triage'), input('fanout: error_rate < 1%', 'cli')])).toEqual([
      't-fan fanout: error_rate < 1% scenario',
    ]);
  });

  it('returns nothing for no thresholds or a pattern with no runs', () => {
    expect(evaluateThresholds(db, [])).toEqual([]);
    expect(cells([input('supervisor: accuracy > 0.9', 'cli')])).toEqual([]);
  });
});
