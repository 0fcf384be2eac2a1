/**
 * Speculative chain steps (`patterns.sequential.steps[i].speculate`, patterns/speculation.ts): per
 * run and speculative step, from the workflow facts every workflow records (exact, whatever traces
 * are kept) — hits and misses, the latency the step saved (on a hit, the overlap of the two calls;
 * nothing on a miss), the tokens and cost of the speculative calls thrown away, and the run's cost
 * per correct answer. Beside each, the same scenario, pattern and seed without speculation (a
 * variant whose workflows record none): mean latency and cost per correct answer there, so the
 * measured saving stands next to the one computed per workflow.
 */
import { formatDuration } from '../../../harness/kernel/duration.ts';
import type { Db } from '../../store/schema.ts';
import { alignColumns, formatPercent, formatUsd } from '../format.ts';
import type { SummaryRow } from '../summary.ts';

/** One speculative step of one run. */
export interface RunSpeculation {
  readonly runId: string;
  readonly scenario: string;
  readonly pattern: string;
  readonly variant: string;
  readonly seed: number;
  /** The step's agent, prefixed with its place in a composition (`sequential.steps[1].` …) when nested. */
  readonly step: string;
  /** Workflows that reached the step's speculation, and how it ended in them. */
  readonly workflows: number;
  readonly hits: number;
  readonly misses: number;
  /** The speculative call failed (or its `on` step did): the step ran (or the workflow ended) without it. */
  readonly failed: number;
  /** Latency saved per workflow by the step, mean over `workflows` (ms). */
  readonly savedMsPerWorkflow: number;
  readonly wastedTokens: number;
  readonly wastedCostUsd: number;
  /** Wasted cost ÷ the run's correct answers; null when none was right. */
  readonly wastedCostPerCorrectUsd: number | null;
  readonly meanLatencyMs: number | null;
  readonly costPerCorrectUsd: number | null;
  /** The same scenario, pattern and seed without speculation (null when the file holds no such run). */
  readonly plainVariant: string | null;
  readonly plainMeanLatencyMs: number | null;
  readonly plainCostPerCorrectUsd: number | null;
}

const FACTS = `
SELECT w.run_id AS runId, j.key AS key, j.atom AS atom
FROM workflows w, json_each(w.facts) j
WHERE w.run_id IN (SELECT run_id FROM runs WHERE instr(config, '"speculate"') > 0)
  AND w.facts IS NOT NULL AND j.key LIKE '%speculation.%'`;

const MEAN_LATENCY = 'SELECT avg(latency_ms) AS mean FROM workflows WHERE run_id = ?';

/** Splits `<prefix>speculation.<agent>.<fact>` into its step and fact; null for another key. */
function parseKey(key: string): { step: string; fact: string } | null {
  const match = /^(.*?)speculation\.(.+)\.(outcome|saved_ms|wasted_tokens|wasted_cost_usd)$/.exec(key);
  return match === null ? null : { step: `${match[1] ?? ''}${match[2] ?? ''}`, fact: match[3] as string };
}

interface Tally {
  workflows: number;
  hits: number;
  misses: number;
  failed: number;
  savedMs: number;
  wastedTokens: number;
  wastedCostUsd: number;
}

/** Every speculative step of every run, in the summary's run order; [] when no run speculates. */
export function summariseSpeculation(db: Db, runs: readonly SummaryRow[]): RunSpeculation[] {
  const tallies = new Map<string, Map<string, Tally>>();
  for (const row of db.prepare(FACTS).iterate() as IterableIterator<{ runId: string; key: string; atom: string | number }>) {
    const parsed = parseKey(row.key);
    if (parsed === null) continue;
    let steps = tallies.get(row.runId);
    if (steps === undefined) tallies.set(row.runId, (steps = new Map()));
    let tally = steps.get(parsed.step);
    if (tally === undefined) steps.set(parsed.step, (tally = { workflows: 0, hits: 0, misses: 0, failed: 0, savedMs: 0, wastedTokens: 0, wastedCostUsd: 0 }));
    if (parsed.fact === 'outcome') {
      tally.workflows++;
      if (row.atom === 'hit') tally.hits++;
      else if (row.atom === 'miss') tally.misses++;
      else tally.failed++;
    } else if (parsed.fact === 'saved_ms') tally.savedMs += Number(row.atom);
    else if (parsed.fact === 'wasted_tokens') tally.wastedTokens += Number(row.atom);
    else tally.wastedCostUsd += Number(row.atom);
  }
  if (tallies.size === 0) return [];
  const meanLatency = db.prepare(MEAN_LATENCY);
  const mean = (runId: string): number | null => (meanLatency.get(runId) as { mean: number | null }).mean;
  const rows: RunSpeculation[] = [];
  for (const run of runs) {
    const steps = tallies.get(run.runId);
    if (steps === undefined) continue;
    const plain =
      runs
        .filter((other) => other.scenario === run.scenario && other.pattern === run.pattern && other.seed === run.seed && !tallies.has(other.runId))
        .sort((a, b) => Number(b.variant === 'base') - Number(a.variant === 'base'))[0] ?? null;
    for (const [step, tally] of [...steps].sort(([a], [b]) => a.localeCompare(b))) {
      rows.push({
        runId: run.runId,
        scenario: run.scenario,
        pattern: run.pattern,
        variant: run.variant,
        seed: run.seed,
        step,
        workflows: tally.workflows,
        hits: tally.hits,
        misses: tally.misses,
        failed: tally.failed,
        savedMsPerWorkflow: tally.workflows > 0 ? tally.savedMs / tally.workflows : 0,
        wastedTokens: tally.wastedTokens,
        wastedCostUsd: tally.wastedCostUsd,
        wastedCostPerCorrectUsd: run.correct > 0 ? tally.wastedCostUsd / run.correct : null,
        meanLatencyMs: mean(run.runId),
        costPerCorrectUsd: run.costPerCorrectUsd,
        plainVariant: plain?.variant ?? null,
        plainMeanLatencyMs: plain === null ? null : mean(plain.runId),
        plainCostPerCorrectUsd: plain?.costPerCorrectUsd ?? null,
      });
    }
  }
  return rows;
}

/** A signed change, `−1.20s` for a saving: `to − from`. */
function delta(from: number | null, to: number | null, format: (value: number) => string): string {
  if (from === null || to === null) return '–';
  const change = to - from;
  return `${change < 0 ? '−' : change > 0 ? '+' : ''}${format(Math.abs(change))}`;
}

/** The terminal block: one table per scenario, pattern and step; '' when no run speculates. */
export function formatSpeculationBlock(rows: readonly RunSpeculation[]): string {
  if (rows.length === 0) return '';
  const lines = ['', '', 'speculation (speculative chain steps: saved = overlap on a hit; waste = speculative calls thrown away; vs plain = the same seed without speculation):'];
  const header = ['variant', 'seed', 'hits', 'misses', 'failed', 'saved/wf', 'wasted tokens', 'wasted $', 'waste/correct', 'mean latency', 'vs plain', 'cost/correct', 'vs plain'];
  const groups = new Map<string, RunSpeculation[]>();
  for (const row of rows) {
    const key = `${row.scenario} / ${row.pattern} · ${row.step}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const [key, group] of groups) {
    const cells = group.map((row) => [
      row.variant,
      String(row.seed),
      `${row.hits} (${formatPercent(row.workflows > 0 ? row.hits / row.workflows : null)})`,
      String(row.misses),
      String(row.failed),
      formatDuration(row.savedMsPerWorkflow),
      row.wastedTokens.toLocaleString('en-US'),
      formatUsd(row.wastedCostUsd),
      formatUsd(row.wastedCostPerCorrectUsd),
      row.meanLatencyMs === null ? '–' : formatDuration(row.meanLatencyMs),
      delta(row.plainMeanLatencyMs, row.meanLatencyMs, formatDuration),
      formatUsd(row.costPerCorrectUsd),
      delta(row.plainCostPerCorrectUsd, row.costPerCorrectUsd, (usd) => formatUsd(usd)),
    ]);
    lines.push(`  ${key}`, ...alignColumns(header, cells, (column) => column < 1).map((line) => `    ${line}`));
  }
  return lines.join('\n');
}
