/**
 * Agent call latency per agent and series: p50 and p95 of the `invoke_agent` spans' durations,
 * from the HDR histograms of the span metrics (every call counted, whether its trace was kept or
 * not; seeds pooled by adding their histograms, which is exact), each within 0.1 % of the
 * nearest-rank value over the spans.
 */
import type { Db } from '../store/schema.ts';
import { mergedDurations, readSpanMetrics } from '../store/span-metrics.ts';
import type { SpanMetricsRecord } from '../../harness/kernel/records.ts';
import type { ReportSeries } from './series.ts';

/** Per agent, per series (same order as the series): call duration percentiles, ms; null where the agent was not called. */
export interface AgentLatency {
  readonly agents: readonly string[];
  /** `p50Ms[agent][series]`. */
  readonly p50Ms: readonly (readonly (number | null)[])[];
  /** `p95Ms[agent][series]`. */
  readonly p95Ms: readonly (readonly (number | null)[])[];
}

/** Agent call duration percentiles of `scenario`'s series, from its span metrics. */
export function agentLatency(db: Db, scenario: string, series: readonly ReportSeries[]): AgentLatency {
  const positions = new Map(series.flatMap((entry, position) => entry.runIds.map((runId) => [runId, position] as const)));
  const byAgent = new Map<string, SpanMetricsRecord[][]>();
  for (const metrics of readSpanMetrics(db, { scenario, operations: ['invoke_agent'] })) {
    const position = positions.get(metrics.runId);
    if (metrics.agentName === '' || position === undefined) continue;
    const bySeries = byAgent.get(metrics.agentName) ?? series.map((): SpanMetricsRecord[] => []);
    byAgent.set(metrics.agentName, bySeries);
    bySeries[position]?.push(metrics);
  }
  const agents = [...byAgent.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const durations = agents.map((agent) => (byAgent.get(agent) as SpanMetricsRecord[][]).map((records) => (records.length === 0 ? null : mergedDurations(records))));
  const quantile = (q: number): (number | null)[][] => durations.map((bySeries) => bySeries.map((histogram) => histogram?.quantileMs(q) ?? null));
  return { agents, p50Ms: quantile(0.5), p95Ms: quantile(0.95) };
}
