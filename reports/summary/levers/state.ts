/**
 * The state block (`state:`, harness/pipeline/state/): for each scenario that sets `state:` in
 * any of its runs, each run's strategy beside the figures a user picks one by — latency p50/p95,
 * tokens, cost and accuracy per workflow (the summary table's, restated side by side) — and what
 * the strategy itself costs: the central serialiser's load (ρ = Σ service ÷ the arrival period) and
 * its queue, the bus's messages, time per workflow and peak consumer lag, retrieval's queries and
 * the pieces its recall missed. Read from the workflows' facts (`state.*`, every workflow, kept
 * trace or not) and the `state:serialiser` / `state:bus` queue series.
 */
import { formatDuration } from '../../../harness/kernel/duration.ts';
import type { Db } from '../../store/schema.ts';
import { alignColumns, formatPercent, formatUsd } from '../format.ts';
import type { SummaryRow } from '../summary.ts';

/** One run of a scenario that sets `state:`. */
export interface RunState {
  readonly runId: string;
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
  readonly seed: number;
  /** `central` also for a run of such a scenario that does not set it (today's passing). */
  readonly strategy: string;
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
  readonly meanTokens: number | null;
  readonly meanCostUsd: number | null;
  readonly accuracy: number | null;
  /** central: the serialiser's offered load ρ = arrival rate × service per workflow = Σ service ÷ the arrival period; null for other strategies. */
  readonly serialiserUtilisation: number | null;
  /** central: mean time a workflow's transfers waited for the serialiser, ms. */
  readonly queueMsPerWorkflow: number | null;
  /** bus: messages per workflow and the time they took, ms per workflow. */
  readonly messagesPerWorkflow: number | null;
  readonly busMsPerWorkflow: number | null;
  /** retrieval: queries and pieces missed per workflow. */
  readonly queriesPerWorkflow: number | null;
  readonly missedPerWorkflow: number | null;
  /** Peak of the strategy's queue: jobs at the serialiser (central), consumer lag in messages (bus); null when it has none. */
  readonly peakQueue: number | null;
}

interface Totals {
  runId: string;
  strategy: string | null;
  workflows: number;
  serialise: number | null;
  queue: number | null;
  messages: number | null;
  bus: number | null;
  queries: number | null;
  missed: number | null;
  spanMs: number | null;
}

const fact = (name: string): string => `sum(json_extract(w.facts, '$."state.${name}"'))`;

/** The state rows of `db`, in the order of `runs` (the summary table's); [] when no run sets `state:`. */
export function summariseState(db: Db, runs: readonly SummaryRow[]): RunState[] {
  const totals = db
    .prepare(
      `SELECT r.run_id AS runId, json_extract(r.config, '$.state.strategy') AS strategy, count(w.workflow_id) AS workflows,
         ${fact('serialise_ms')} AS serialise, ${fact('queue_ms')} AS queue, ${fact('messages')} AS messages, ${fact('bus_ms')} AS bus,
         ${fact('queries')} AS queries, ${fact('missed')} AS missed, max(w.intended_start_ms) - min(w.intended_start_ms) AS spanMs
       FROM runs r LEFT JOIN workflows w ON w.run_id = r.run_id
       WHERE r.scenario IN (SELECT scenario FROM runs WHERE json_extract(config, '$.state.strategy') IS NOT NULL)
       GROUP BY r.run_id`,
    )
    .all() as Totals[];
  if (totals.length === 0) return [];
  const byRun = new Map(totals.map((row) => [row.runId, row]));
  const peaks = new Map<string, number>();
  for (const row of db
    .prepare(`SELECT run_id AS runId, max(queue_max) AS peak FROM queue_series WHERE resource IN ('state:serialiser', 'state:bus') GROUP BY run_id`)
    .all() as { runId: string; peak: number }[]) {
    peaks.set(row.runId, row.peak);
  }
  return runs.flatMap((run): RunState[] => {
    const total = byRun.get(run.runId);
    if (total === undefined) return [];
    const strategy = total.strategy ?? 'central';
    const perWorkflow = (sum: number | null, applies: boolean): number | null => (!applies || total.workflows === 0 ? null : (sum ?? 0) / total.workflows);
    const central = strategy === 'central' && total.serialise !== null;
    return [{
      runId: run.runId,
      scenario: run.scenario,
      pattern: run.pattern,
      variant: run.variant,
      seed: run.seed,
      strategy,
      latencyP50Ms: run.latencyP50Ms,
      latencyP95Ms: run.latencyP95Ms,
      meanTokens: run.meanTokens,
      meanCostUsd: run.meanCostUsd,
      accuracy: run.accuracy,
      serialiserUtilisation: central && total.spanMs !== null && total.spanMs > 0 ? (total.serialise as number) / total.spanMs : null,
      queueMsPerWorkflow: perWorkflow(total.queue, central),
      messagesPerWorkflow: perWorkflow(total.messages, strategy === 'bus'),
      busMsPerWorkflow: perWorkflow(total.bus, strategy === 'bus'),
      queriesPerWorkflow: perWorkflow(total.queries, strategy === 'retrieval'),
      missedPerWorkflow: perWorkflow(total.missed, strategy === 'retrieval'),
      peakQueue: peaks.get(run.runId) ?? null,
    }];
  });
}

/** What the strategy itself did in a run, in words. */
export function strategyFigures(run: RunState): string {
  const ms = (value: number | null): string => (value === null ? '–' : formatDuration(value));
  const fixed = (value: number | null, digits: number): string => (value === null ? '–' : value.toFixed(digits));
  switch (run.strategy) {
    case 'central':
      return run.serialiserUtilisation === null
        ? 'no serialisation overhead'
        : `serialiser ρ ${fixed(run.serialiserUtilisation, 2)} · queued ${ms(run.queueMsPerWorkflow)}/wf · peak ${run.peakQueue ?? 0} in queue`;
    case 'bus':
      return `${fixed(run.messagesPerWorkflow, 1)} messages/wf · ${ms(run.busMsPerWorkflow)}/wf on the bus · peak lag ${run.peakQueue ?? 0} messages`;
    case 'retrieval':
      return `${fixed(run.queriesPerWorkflow, 1)} queries/wf · ${fixed(run.missedPerWorkflow, 2)} pieces missed/wf`;
    default:
      return '';
  }
}

/** The block as the terminal shows it; '' when no run sets `state:`. */
export function formatStateBlock(runs: readonly RunState[]): string {
  if (runs.length === 0) return '';
  const ms = (value: number | null): string => (value === null ? '–' : formatDuration(value));
  const header = ['run', 'state', 'p50', 'p95', 'tokens/wf', 'cost/wf', 'accuracy', 'the strategy'];
  const rows = runs.map((run) => [
    run.runId,
    run.strategy,
    ms(run.latencyP50Ms),
    ms(run.latencyP95Ms),
    run.meanTokens === null ? '–' : Math.round(run.meanTokens).toLocaleString('en-US'),
    formatUsd(run.meanCostUsd),
    formatPercent(run.accuracy),
    strategyFigures(run),
  ]);
  const table = alignColumns(header, rows, (column) => column <= 1 || column === header.length - 1);
  return ['', '', 'state (how agents share state: central passing, a message bus, or retrieval from a shared store):', ...table.map((line) => `  ${line}`)].join('\n');
}
