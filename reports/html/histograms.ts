/**
 * Agent call latency per agent and series: nearest-rank p50 and p95 of the `invoke_agent` spans'
 * durations, by SQL over `spans` (the trace is the data model; no side channel).
 */
import type { Db } from '../store/schema.ts';
import { seriesIndex, type ReportSeries } from './series.ts';

/** Per agent, per series (same order as the series): call duration percentiles, ms; null where the agent was not called. */
export interface AgentLatency {
  readonly agents: readonly string[];
  /** `p50Ms[agent][series]`. */
  readonly p50Ms: readonly (readonly (number | null)[])[];
  /** `p95Ms[agent][series]`. */
  readonly p95Ms: readonly (readonly (number | null)[])[];
}

/** Nearest rank ⌈q·n⌉ in SQL without `ceil` (not in every SQLite build). */
const rank = (q: number): string => `CAST(${q} * n AS INTEGER) + (${q} * n > CAST(${q} * n AS INTEGER))`;

const AGENT_DURATIONS = `
WITH d AS (
  SELECT r.pattern, r.variant, s.agent_name AS agent, s.end_ms - s.start_ms AS ms,
         row_number() OVER (PARTITION BY r.pattern, r.variant, s.agent_name ORDER BY s.end_ms - s.start_ms) AS k,
         count(*) OVER (PARTITION BY r.pattern, r.variant, s.agent_name) AS n
  FROM spans s JOIN runs r ON r.run_id = s.run_id
  WHERE r.scenario = ? AND s.operation = 'invoke_agent' AND s.agent_name IS NOT NULL
)
SELECT pattern, variant, agent,
       max(CASE WHEN k = max(1, ${rank(0.5)}) THEN ms END) AS p50,
       max(CASE WHEN k = max(1, ${rank(0.95)}) THEN ms END) AS p95
FROM d GROUP BY pattern, variant, agent ORDER BY agent`;

/** Agent call duration percentiles of `scenario`'s series, from its spans. */
export function agentLatency(db: Db, scenario: string, series: readonly ReportSeries[]): AgentLatency {
  const rows = db.prepare(AGENT_DURATIONS).all(scenario) as { pattern: string; variant: string; agent: string; p50: number; p95: number }[];
  const agents = [...new Set(rows.map((row) => row.agent))];
  const find = seriesIndex(series);
  const p50Ms = agents.map(() => series.map((): number | null => null));
  const p95Ms = agents.map(() => series.map((): number | null => null));
  for (const row of rows) {
    const position = find(row.pattern, row.variant);
    const line = agents.indexOf(row.agent);
    if (position < 0) continue;
    (p50Ms[line] as (number | null)[])[position] = row.p50;
    (p95Ms[line] as (number | null)[])[position] = row.p95;
  }
  return { agents, p50Ms, p95Ms };
}
