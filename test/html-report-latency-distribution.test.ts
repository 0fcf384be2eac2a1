import { describe, expect, it } from 'vitest';
import { CDF_STEPS, LATENCY_BINS, latencyReport } from '../reports/html/latency.ts';
import { listSeries } from '../reports/html/series.ts';
import { openDatabase } from '../reports/store/schema.ts';

describe('latencyReport', () => {
  it('bins every workflow, and gives the nearest-rank percentiles and the CDF of each pattern', () => {
    const db = openDatabase(':memory:');
    db.prepare(`INSERT INTO runs (run_id, scenario, pattern, variant, seed, epoch_ms, config, started_at, status) VALUES ('r', 's', 'sequential', 'base', 1, 0, '{}', '', 'completed')`).run();
    const workflow = db.prepare(
      `INSERT INTO workflows (run_id, workflow_id, case_id, repeat, status, intended_start_ms, start_ms, end_ms, latency_ms, service_ms,
         input_tokens, output_tokens, cached_tokens, cost_usd, agent_calls, model_attempts, trace_id)
       VALUES ('r', ?, 'c', 0, 'completed', 0, 0, ?, ?, ?, 0, 0, 0, 0, 1, 1, 't')`,
    );
    // Latencies 1, 2, …, 1000 ms, inserted out of order.
    for (let id = 0; id < 1000; id += 1) {
      const latency = ((id * 7) % 1000) + 1;
      workflow.run(id, latency, latency, latency);
    }
    const report = latencyReport(db, 's', listSeries(db, 's'));
    db.close();
    const [series] = report.series;
    expect(report.binEdgesMs).toHaveLength(LATENCY_BINS + 1);
    expect(report.binEdgesMs[0]).toBe(1);
    expect(report.binEdgesMs[LATENCY_BINS]).toBe(1000);
    expect(series?.binCounts.reduce((total, count) => total + count, 0)).toBe(1000);
    // Log bins of equal ratio: the first bin [1, 1.259) holds only 1 ms; the last [794, 1000] holds 207.
    expect(series?.binCounts[0]).toBe(1);
    expect(series?.binCounts[LATENCY_BINS - 1]).toBe(1000 - Math.ceil(1000 ** (29 / 30)) + 1);
    expect([series?.p50Ms, series?.p95Ms, series?.p99Ms]).toEqual([500, 950, 990]);
    // The smallest latency, then a point each time the share reaches a multiple of 1/200.
    expect(series?.cdf).toHaveLength(CDF_STEPS + 1);
    expect(series?.cdf.slice(0, 3)).toEqual([[1, 0.001], [5, 0.005], [10, 0.01]]);
    expect(series?.cdf[CDF_STEPS]).toEqual([1000, 1]);
  });
});
