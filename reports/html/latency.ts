/**
 * Workflow latency of each series of a scenario, from `workflows.latency_ms` (every workflow, failed
 * ones included, seeds pooled): a histogram on logarithmic bins shared by all series, the CDF, and
 * the nearest-rank p50/p95/p99 (the same definition as the summary table).
 */
import type { Db } from '../store/schema.ts';
import { nearestRankIndex } from '../../harness/kernel/statistics.ts';
import { SCENARIO_RUNS, seriesIndex, type ReportSeries } from './series.ts';

/** Bins of the latency histogram. */
export const LATENCY_BINS = 30;

/**
 * Steps of the CDF: one point at the smallest latency, then one each time the cumulative share
 * reaches a multiple of 1/CDF_STEPS (nearest rank), so at most CDF_STEPS + 1 points.
 */
export const CDF_STEPS = 200;

/** Latency of one series. */
export interface SeriesLatency {
  /** Workflows per histogram bin (bins of `LatencyReport.binEdgesMs`). */
  readonly binCounts: readonly number[];
  /** CDF points: `[latency ms, share of workflows at or below]`, increasing. */
  readonly cdf: readonly (readonly [number, number])[];
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
}

/** Latency of every series of a scenario (same order as the series). */
export interface LatencyReport {
  /** `LATENCY_BINS + 1` edges, log-spaced from the smallest to the largest latency; empty without workflows. */
  readonly binEdgesMs: readonly number[];
  readonly series: readonly SeriesLatency[];
}

/** Smallest latency a log bin starts at (a 0 ms workflow falls in the first bin). */
const FLOOR_MS = 0.001;

const RANGE = `SELECT min(latency_ms) AS lo, max(latency_ms) AS hi FROM workflows WHERE ${SCENARIO_RUNS}`;

const BINS = `
SELECT r.pattern, r.variant,
       min(:bins - 1, max(0, CAST((ln(max(w.latency_ms, :lo)) - ln(:lo)) / :step AS INTEGER))) AS bin,
       count(*) AS n
FROM workflows w JOIN runs r ON r.run_id = w.run_id
WHERE r.scenario = :scenario
GROUP BY r.pattern, r.variant, bin`;

interface RankedRow {
  latency_ms: number;
  rank: number;
  n: number;
}

/**
 * The CDF points of the workflows of `runIds`: the workflow of rank 1 (by latency), then each whose
 * rank takes the cumulative share past a multiple of 1/`CDF_STEPS`. The latencies come sorted from
 * the (run_id, latency_ms) index: one run (the usual large file) walks it in order, several are
 * sorted; a column of numbers crosses into JavaScript fast (a window function over an hour-long
 * run's 360,000 workflows took 0.6 s, this 0.06 s).
 */
function cdfRows(db: Db, runIds: readonly string[]): RankedRow[] {
  if (runIds.length === 0) return [];
  const latencies = db
    .prepare(`SELECT latency_ms FROM workflows WHERE run_id IN (${runIds.map(() => '?').join(', ')}) ORDER BY latency_ms`)
    .pluck()
    .all(...runIds) as number[];
  const n = latencies.length;
  const rows: RankedRow[] = [];
  for (let rank = 1; rank <= n; rank++) {
    if (rank === 1 || Math.floor((rank * CDF_STEPS) / n) > Math.floor(((rank - 1) * CDF_STEPS) / n)) rows.push({ latency_ms: latencies[rank - 1] as number, rank, n });
  }
  return rows;
}

/** Log-spaced bin edges from `lo` to `hi` (one bin when they are equal). */
export function logBinEdges(lo: number, hi: number, bins: number): number[] {
  const start = Math.max(lo, FLOOR_MS);
  const end = Math.max(hi, start);
  if (end === start) return [start, start];
  const step = Math.log(end / start) / bins;
  return Array.from({ length: bins + 1 }, (_, index) => (index === bins ? end : start * Math.exp(step * index)));
}

/** The latency report of `scenario`, for its `series` (as `listSeries` returns them). */
export function latencyReport(db: Db, scenario: string, series: readonly ReportSeries[]): LatencyReport {
  const range = db.prepare(RANGE).get(scenario) as { lo: number | null; hi: number | null };
  if (range.lo === null || range.hi === null) {
    return { binEdgesMs: [], series: series.map(() => ({ binCounts: [], cdf: [], p50Ms: null, p95Ms: null, p99Ms: null })) };
  }
  const edges = logBinEdges(range.lo, range.hi, LATENCY_BINS);
  const bins = edges.length - 1;
  const first = edges[0] as number;
  const step = bins === 1 ? 1 : Math.log((edges[bins] as number) / first) / bins;
  const find = seriesIndex(series);
  const counts = series.map(() => new Array<number>(bins).fill(0));
  const binRows = db.prepare(BINS).all({ bins, lo: first, step, scenario }) as { pattern: string; variant: string; bin: number; n: number }[];
  for (const row of binRows) {
    const target = counts[find(row.pattern, row.variant)];
    if (target !== undefined) target[row.bin] = row.n;
  }
  const cdfs = series.map((entry) => cdfRows(db, entry.runIds));
  return {
    binEdgesMs: edges,
    series: series.map((_, position) => {
      const ranked = cdfs[position] ?? [];
      const at = (q: number): number | null => {
        const n = ranked[0]?.n;
        if (n === undefined) return null;
        const rank = nearestRankIndex(n, q) + 1;
        return ranked.find((row) => row.rank === rank)?.latency_ms ?? null;
      };
      return {
        binCounts: counts[position] ?? [],
        cdf: ranked.map((row) => [row.latency_ms, row.rank / row.n] as const),
        p50Ms: at(0.5),
        p95Ms: at(0.95),
        p99Ms: at(0.99),
      };
    }),
  };
}
