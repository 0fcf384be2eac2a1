import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { dumpDatabase } from './support/db-dump.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/**
 * Poisson arrivals at 4/s for a minute into a two-step chain whose model allows 300 requests/min
 * (8 calls/s against 5/s: calls queue) and whose second agent has a pool of 2 slots, with faults
 * and retries on: every load feature that draws or waits.
 */
const scenario = scenarioFromYaml(`
name: load-golden
models:
  mid-tier:
    rateLimits: { requestsPerMinute: 300 }
agents:
  drafter: { role: drafts, model: mid-tier, faults: { error: 0.05, rateLimit: 0.05 } }
  checker: { role: checks, model: mid-tier, latency: { dist: lognormal, p50: 800ms, p95: 3s }, pool: { slots: 2 } }
cases:
  generate: { count: 40, labels: { yes: 1, no: 1 } }
patterns:
  sequential: { steps: [drafter, checker] }
load: { arrivals: poisson, rate: 4/s, duration: 60s }
`);
const folder = mkdtempSync(join(tmpdir(), 'patternbench-load-golden-'));
const LOAD_TABLES = ['timeseries', 'queue_series', 'histograms'] as const;

async function runInto(name: string, seed: number): Promise<Record<string, unknown[]>> {
  const path = join(folder, name);
  const sink = SqliteSink.open(path, { overwrite: true });
  await runOnce(scenario, { seed, sink });
  await sink.close();
  return dumpDatabase(path, { withoutWallClock: true });
}

describe('load determinism', () => {
  it('gives identical time series, queue series and histograms (and every other row) for the same seed', async () => {
    const first = await runInto('a.db', 3);
    const second = await runInto('b.db', 3);
    expect(first['timeseries']!.length).toBeGreaterThanOrEqual(60);
    expect(new Set(first['queue_series']!.map((row) => (row as { resource: string }).resource))).toEqual(
      new Set(['pool:checker', 'rate:openai/gpt-4.1-mini-2025-04-14']),
    );
    expect(first['histograms']!.map((row) => (row as { metric: string; scope: string }).metric + ' ' + (row as { scope: string }).scope)).toEqual([
      'queue.wait pool:checker',
      'queue.wait rate:openai/gpt-4.1-mini-2025-04-14',
      'workflow.latency ',
      'workflow.service ',
    ]);
    // Both resources really queued (the rows compared are not all zeros).
    const queued = new Set((first['queue_series'] as { resource: string; queue_max: number }[]).filter((row) => row.queue_max > 0).map((row) => row.resource));
    expect(queued.size).toBe(2);
    for (const table of LOAD_TABLES) expect(second[table]).toEqual(first[table]);
    expect(second).toEqual(first);
  });

  it('gives different load rows for another seed (so the comparison above can fail)', async () => {
    const first = await runInto('c.db', 3);
    const other = await runInto('d.db', 4);
    for (const table of LOAD_TABLES) expect(other[table]).not.toEqual(first[table]);
  });
});
