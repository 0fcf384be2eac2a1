/**
 * The decision of each scenario in a results file (`decide`), from what the file stores: the
 * summary rows pooled per pattern × variant (every seed), the runs' recorded thresholds, the
 * scenario's `minSuccess` (from the run's stored configuration; 95 % for files written before it
 * existed), and p95 latency from the runs' stored HDR histograms (added exactly across seeds; within
 * 0.1 % of the nearest-rank value). Shared by the terminal summary and the HTML report, so both say
 * the same thing.
 */
import { DurationHistogram } from '../../harness/kernel/hdr.ts';
import { wilsonInterval } from '../../harness/kernel/statistics.ts';
import type { Db } from '../store/schema.ts';
import { decide, failingReasons, type DecisionCandidate, type ScenarioDecision } from './decision.ts';
import { accuracyRate, arrivalCount, judgedCount, successRate } from './rates.ts';
import type { SummaryRow } from './summary.ts';

/** The decision of one scenario, with the candidates it chose between. */
export interface ScenarioDecisionRow {
  readonly scenario: string;
  readonly best: string | null;
  readonly sentence: string;
  readonly candidates: readonly DecisionCandidate[];
}

/** `pattern`, or `pattern (variant)` for a variant other than `base` (as the report labels a series). */
export function candidateLabel(pattern: string, variant: string): string {
  return variant === 'base' ? pattern : `${pattern} (${variant})`;
}

interface Pooled {
  readonly scenario: string;
  readonly label: string;
  readonly runs: SummaryRow[];
}

/** What the decision needs of a run besides its summary row. */
interface RunFact {
  readonly minSuccess: number;
  /** Whether any threshold was checked on it. */
  readonly checked: boolean;
  readonly failed: string[];
  latency: string | null;
}

/** Per run: its `minSuccess`, whether thresholds were checked, its failed ones and its encoded latency histogram. */
function runFacts(db: Db): Map<string, RunFact> {
  const facts = new Map<string, RunFact>();
  const runs = db
    .prepare("SELECT run_id, coalesce(json_extract(config, '$.minSuccess'), 0.95) AS min_success, EXISTS (SELECT 1 FROM thresholds t WHERE t.run_id = runs.run_id) AS checked FROM runs")
    .all() as { run_id: string; min_success: number; checked: number }[];
  for (const run of runs) facts.set(run.run_id, { minSuccess: run.min_success, checked: run.checked === 1, failed: [], latency: null });
  const failed = db.prepare('SELECT run_id, expression FROM thresholds WHERE passed = 0 ORDER BY run_id, rowid').all() as { run_id: string; expression: string }[];
  for (const row of failed) facts.get(row.run_id)?.failed.push(row.expression);
  const histograms = db.prepare("SELECT run_id, encoded FROM histograms WHERE metric = 'workflow.latency' AND scope = ''").all() as { run_id: string; encoded: string }[];
  for (const row of histograms) {
    const entry = facts.get(row.run_id);
    if (entry !== undefined) entry.latency = row.encoded;
  }
  return facts;
}

function candidate(pool: Pooled, facts: ReturnType<typeof runFacts>): { candidate: DecisionCandidate; minSuccess: number } {
  const sum = (field: (row: SummaryRow) => number): number => pool.runs.reduce((total, row) => total + field(row), 0);
  const counts = {
    workflows: sum((row) => row.workflows),
    completed: sum((row) => row.completed),
    dropped: sum((row) => row.dropped),
    scored: sum((row) => row.scored),
    correct: sum((row) => row.correct),
  };
  const cost = sum((row) => (row.meanCostUsd ?? 0) * row.workflows);
  const latency = DurationHistogram.create();
  const failed = new Set<string>();
  let minSuccess = 1;
  for (const row of pool.runs) {
    const fact = facts.get(row.runId);
    if (fact?.latency) latency.add(DurationHistogram.decode(fact.latency));
    for (const expression of fact?.failed ?? []) failed.add(expression);
    minSuccess = Math.min(minSuccess, fact?.minSuccess ?? 0.95);
  }
  const success = successRate(counts);
  const accuracy = accuracyRate(counts);
  return {
    minSuccess,
    candidate: {
      label: pool.label,
      failing: failingReasons(success, minSuccess, [...failed]),
      costPerCorrectUsd: counts.correct === 0 ? null : cost / counts.correct,
      accuracy,
      p95Ms: latency.quantileMs(0.95),
      successRate: success,
      accuracyInterval: accuracy === null ? undefined : (wilsonInterval(counts.correct, judgedCount(counts)) ?? undefined),
      successInterval: wilsonInterval(counts.completed, arrivalCount(counts)) ?? undefined,
    },
  };
}

/** The decision of every scenario of `db`, in the order of `runs` (the summary's rows). */
export function scenarioDecisions(db: Db, runs: readonly SummaryRow[]): ScenarioDecisionRow[] {
  const pools = new Map<string, Pooled>();
  for (const row of runs) {
    const label = candidateLabel(row.pattern, row.variant);
    const key = `${row.scenario}\u0000${label}`;
    let pool = pools.get(key);
    if (pool === undefined) pools.set(key, (pool = { scenario: row.scenario, label, runs: [] }));
    pool.runs.push(row);
  }
  const facts = runFacts(db);
  const scenarios = [...new Set(runs.map((row) => row.scenario))];
  return scenarios.map((scenario) => {
    const built = [...pools.values()].filter((pool) => pool.scenario === scenario).map((pool) => candidate(pool, facts));
    const candidates = built.map((entry) => entry.candidate);
    const checked = runs.some((row) => row.scenario === scenario && facts.get(row.runId)?.checked === true);
    const decision: ScenarioDecision = decide(candidates, built.length === 0 ? 0.95 : Math.min(...built.map((entry) => entry.minSuccess)), checked);
    return { scenario, best: decision.best, sentence: decision.sentence, candidates };
  });
}

/** The terminal block: one line per scenario, `decision  <scenario>: <sentence>`; '' without runs. */
export function formatDecisionBlock(rows: readonly ScenarioDecisionRow[]): string {
  if (rows.length === 0) return '';
  return `\n\ndecision (cost per correct answer among patterns that pass every threshold and minSuccess):\n${rows.map((row) => `  ${row.scenario}: ${row.sentence}`).join('\n')}`;
}
