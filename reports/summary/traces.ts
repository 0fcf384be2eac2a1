/**
 * How many traces each run kept (`run --traces`, harness/run/trace-policy.ts). A run that kept
 * every span (`all`, the default but for long open loads, and every file written before
 * `--traces`) shows nothing; a run under `tail` shows its workflows, the traces kept, and why
 * (failed, budget-stopped, named by a threshold, slowest, sampled). Its policy is the `traces` key
 * of `runs.config`; the kept counts are the `histograms` rows `trace.kept`/<reason>, which `merge`
 * adds up over shards. A run that stopped before writing them (killed) counts the traces its file
 * holds, reasons unknown.
 */
import type { Db } from '../store/schema.ts';

/** Why a workflow kept its trace under `tail`, in the order they are tried (harness/run/trace-retention.ts). */
export const KEPT_REASONS = ['failed', 'budget', 'named', 'slowest', 'sampled'] as const;

/** The trace retention of one run that did not keep every trace. */
export interface RunTraces {
  readonly runId: string;
  /** `tail:<share>`, as the run stored it. */
  readonly policy: string;
  /** Share of the other workflows sampled, in [0, 1]. */
  readonly share: number | null;
  readonly workflows: number;
  /** Workflows that kept their trace. */
  readonly kept: number;
  /** Kept per reason; null when the run did not record them (it was killed), `kept` then counted from the stored traces. */
  readonly reasons: Readonly<Record<(typeof KEPT_REASONS)[number], number>> | null;
}

interface TraceRow {
  readonly run_id: string;
  readonly policy: string;
}

/** The runs that kept traces by another policy than `all`, in summary order. */
export function summariseTraces(db: Db): RunTraces[] {
  const runs = (
    db
      .prepare(
        `SELECT run_id, CASE WHEN json_valid(config) THEN json_extract(config, '$.traces') END AS policy FROM runs
         ORDER BY scenario, pattern, variant, seed, run_id`,
      )
      .all() as { run_id: string; policy: unknown }[]
  ).filter((run): run is TraceRow => typeof run.policy === 'string' && run.policy !== 'all');
  const counts = db.prepare("SELECT scope, count FROM histograms WHERE run_id = ? AND metric = 'trace.kept'");
  const workflows = db.prepare('SELECT count(*) FROM workflows WHERE run_id = ?').pluck();
  const stored = db.prepare('SELECT count(DISTINCT trace_id) FROM spans WHERE run_id = ?').pluck();
  return runs.map((run) => {
    const rows = counts.all(run.run_id) as { scope: string; count: number }[];
    const share = /^tail:(.+)$/.exec(run.policy)?.[1];
    const reasons = rows.length === 0 ? null : Object.fromEntries(KEPT_REASONS.map((reason) => [reason, rows.find((row) => row.scope === reason)?.count ?? 0])) as RunTraces['reasons'];
    return {
      runId: run.run_id,
      policy: run.policy,
      share: share === undefined ? null : Number(share),
      workflows: workflows.get(run.run_id) as number,
      kept: reasons === null ? (stored.get(run.run_id) as number) : KEPT_REASONS.reduce((sum, reason) => sum + reasons[reason], 0),
      reasons,
    };
  });
}

const LABELS: Readonly<Record<(typeof KEPT_REASONS)[number], string>> = {
  failed: 'failed',
  budget: 'budget-stopped',
  named: 'named by a threshold',
  slowest: 'slowest',
  sampled: 'sampled',
};

const count = (n: number): string => n.toLocaleString('en-US');

/** `kept 3,612 of 360,000 (tail, 1 % sampled: failed 1,204 · slowest 3,600 · sampled 3,500)`. */
export function describeTraces(run: RunTraces): string {
  const share = run.share === null ? run.policy : `tail, ${Number((run.share * 100).toPrecision(6))} % sampled`;
  const reasons =
    run.reasons === null
      ? 'the run did not end: counted from the traces stored'
      : KEPT_REASONS.filter((reason) => reason === 'sampled' || (run.reasons?.[reason] ?? 0) > 0).map((reason) => `${LABELS[reason]} ${count(run.reasons?.[reason] ?? 0)}`).join(' · ');
  return `kept ${count(run.kept)} of ${count(run.workflows)} (${share}: ${reasons})`;
}

/** The traces block printed under the summary table; empty when every run kept every trace. */
export function formatTracesBlock(runs: readonly RunTraces[]): string {
  if (runs.length === 0) return '';
  const lines = ['', '', 'traces (every span counts in the figures above; these runs stored the traces listed):'];
  for (const run of runs) lines.push(`  ${run.runId}: ${describeTraces(run)}`);
  return lines.join('\n');
}
