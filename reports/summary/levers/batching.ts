/**
 * Batching (`agents.<name>.batch`, harness/pipeline/batching/): for every scenario with a batched
 * agent in some run, each run of it per such agent — batched or not, so the same load is seen with
 * and without batching side by side — with its batches, items per batch and mean wait (from the
 * batch attributes of its kept `chat` spans), its cost per item (the agent's billed cost ÷ its
 * calls, from the exact span metrics) and the run's cost per workflow and p95 latency (every
 * workflow meant to run, as the summary table has them).
 */
import { formatDuration } from '../../../harness/kernel/duration.ts';
import { readSpanMetrics } from '../../store/span-metrics.ts';
import type { Db } from '../../store/schema.ts';
import { alignColumns, formatUsd } from '../format.ts';
import type { SummaryRow } from '../summary.ts';

/** One agent of one run of a scenario that batches. */
export interface RunBatching {
  readonly runId: string;
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
  readonly seed: number;
  readonly agent: string;
  /** The agent's `batch.size` in this run; null when it does not batch here. */
  readonly size: number | null;
  readonly waitMs: number | null;
  /** Agent calls (items), every one. */
  readonly calls: number;
  /** Batches sent, items that went in one, and their mean wait (ms), over the kept traces; null when the run has none. */
  readonly batches: number | null;
  readonly batchedItems: number | null;
  readonly meanWaitMs: number | null;
  /** The run keeps every trace: the batch figures cover every call. */
  readonly everyTrace: boolean;
  /** The agent's billed cost ÷ its calls; null when it made none. */
  readonly costPerItemUsd: number | null;
  /** 1 − cost per item ÷ that of the same scenario, pattern and seed in the `base` variant unbatched; null when there is none. */
  readonly savingPerItem: number | null;
  readonly costPerWorkflowUsd: number | null;
  readonly latencyP95Ms: number | null;
}

interface ConfigAgents {
  readonly agents?: Record<string, { readonly batch?: { readonly size: number; readonly waitMs: number } }>;
  readonly traces?: string;
}

// Through the run's workflows and their traces (the `spans_trace` index): `span_rows` has no index by run.
const BATCHES = `
SELECT agent.value AS agent, count(*) AS items,
       count(DISTINCT json_extract(s.attributes, '$."patternbench.batch.id"')) AS batches,
       avg(json_extract(s.attributes, '$."patternbench.batch.wait_ms"')) AS wait
FROM workflows w JOIN span_rows s ON s.trace_id = w.trace_id JOIN strings agent ON agent.id = s.agent_name
WHERE w.run_id = ? AND s.operation = (SELECT id FROM strings WHERE value = 'chat')
  AND json_extract(s.attributes, '$."patternbench.batch.id"') IS NOT NULL
GROUP BY agent.value`;

/** Every run of the scenarios that batch, per batched agent, in the summary's run order. */
export function summariseBatching(db: Db, runs: readonly SummaryRow[]): RunBatching[] {
  const configs = new Map<string, ConfigAgents>();
  const batched = new Map<string, Set<string>>();
  for (const row of db.prepare('SELECT run_id AS runId, scenario, config FROM runs').all() as { runId: string; scenario: string; config: string }[]) {
    const config = JSON.parse(row.config) as ConfigAgents;
    configs.set(row.runId, config);
    for (const [name, agent] of Object.entries(config.agents ?? {})) {
      if (agent.batch === undefined) continue;
      const agents = batched.get(row.scenario) ?? new Set<string>();
      batched.set(row.scenario, agents.add(name));
    }
  }
  if (batched.size === 0) return [];
  const batchQuery = db.prepare(BATCHES);
  const rows: RunBatching[] = [];
  for (const scenario of batched.keys()) {
    const metrics = readSpanMetrics(db, { scenario, operations: ['invoke_agent', 'chat'] });
    for (const run of runs.filter((candidate) => candidate.scenario === scenario)) {
      const config = configs.get(run.runId) ?? {};
      const stats = batchQuery.all(run.runId) as { agent: string; items: number; batches: number; wait: number }[];
      for (const agent of [...(batched.get(scenario) ?? [])].sort()) {
        const of = (operation: string) => metrics.filter((m) => m.runId === run.runId && m.agentName === agent && m.operation === operation);
        const calls = of('invoke_agent').reduce((sum, m) => sum + m.spans, 0);
        const cost = of('chat').reduce((sum, m) => sum + m.costUsd, 0);
        const batch = config.agents?.[agent]?.batch;
        const stat = stats.find((candidate) => candidate.agent === agent);
        rows.push({
          runId: run.runId,
          scenario,
          pattern: run.pattern,
          variant: run.variant,
          seed: run.seed,
          agent,
          size: batch?.size ?? null,
          waitMs: batch?.waitMs ?? null,
          calls,
          batches: stat?.batches ?? null,
          batchedItems: stat?.items ?? null,
          meanWaitMs: stat?.wait ?? null,
          everyTrace: config.traces === undefined || config.traces === 'all',
          costPerItemUsd: calls > 0 ? cost / calls : null,
          savingPerItem: null,
          costPerWorkflowUsd: run.meanCostUsd,
          latencyP95Ms: run.latencyP95Ms,
        });
      }
    }
  }
  return rows.map((row) => {
    const alone = rows.find((other) => other.scenario === row.scenario && other.pattern === row.pattern && other.seed === row.seed && other.agent === row.agent && other.variant === 'base' && other.size === null);
    const saving = alone?.costPerItemUsd != null && row.costPerItemUsd !== null && alone !== row ? 1 - row.costPerItemUsd / alone.costPerItemUsd : null;
    return { ...row, savingPerItem: saving };
  });
}

/** `≤5 · 30.0s` or `off`. */
export function formatBatchPolicy(row: Pick<RunBatching, 'size' | 'waitMs'>): string {
  return row.size === null ? 'off' : `≤${row.size} · ${formatDuration(row.waitMs ?? 0)}`;
}

/** The terminal block: one table per scenario, pattern and agent; '' when no scenario batches. */
export function formatBatchingBlock(rows: readonly RunBatching[]): string {
  if (rows.length === 0) return '';
  const lines = ['', '', 'batching (cost per item and p95 with and without batching, same arrivals; batches over the kept traces):'];
  const header = ['variant', 'seed', 'batching', 'batches', 'items/batch', 'mean wait', 'cost/item', 'vs base', 'cost/wf', 'p95'];
  const groups = new Map<string, RunBatching[]>();
  for (const row of rows) {
    const key = `${row.scenario} / ${row.pattern} · ${row.agent}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const [key, group] of groups) {
    const cells = group.map((row) => [
      row.variant,
      String(row.seed),
      formatBatchPolicy(row),
      row.batches === null ? '–' : `${row.batches}${row.everyTrace ? '' : '*'}`,
      row.batches === null || row.batchedItems === null ? '–' : (row.batchedItems / row.batches).toFixed(2),
      row.meanWaitMs === null ? '–' : formatDuration(row.meanWaitMs),
      formatUsd(row.costPerItemUsd),
      row.savingPerItem === null ? '–' : `${row.savingPerItem >= 0 ? '−' : '+'}${Math.abs(row.savingPerItem * 100).toFixed(1)}%`,
      formatUsd(row.costPerWorkflowUsd),
      row.latencyP95Ms === null ? '–' : formatDuration(row.latencyP95Ms),
    ]);
    lines.push(`  ${key}`, ...alignColumns(header, cells, (column) => column < 3).map((line) => `    ${line}`));
  }
  if (rows.some((row) => !row.everyTrace && row.batches !== null)) lines.push('  * of the kept traces only (--traces tail): cost per item and p95 count every call.');
  return lines.join('\n');
}
