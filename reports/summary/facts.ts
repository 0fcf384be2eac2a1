/**
 * Per-run totals of what the patterns recorded about their workflows (`workflows.facts`): counts
 * of missing workers, conflicts, escalations, cache hits, termination reasons, … Each workflow's
 * facts object, read in run order, aggregated per run and fact.
 */
import { formatDuration } from '../../harness/kernel/duration.ts';
import type { Db } from '../store/schema.ts';

/** One fact of one run, aggregated over its workflows. */
export type FactSummary =
  /** Numeric facts: their total and mean over the workflows that recorded them. */
  | { readonly key: string; readonly kind: 'number'; readonly total: number; readonly mean: number; readonly workflows: number }
  /** Yes/no facts: how many workflows said yes. */
  | { readonly key: string; readonly kind: 'flag'; readonly yes: number; readonly workflows: number }
  /** Text facts: how many workflows gave each value, most frequent first. */
  | { readonly key: string; readonly kind: 'label'; readonly counts: readonly (readonly [string, number])[]; readonly workflows: number };

/** The facts of one run. */
export interface RunFacts {
  readonly runId: string;
  readonly facts: readonly FactSummary[];
}

interface Accumulator {
  numbers: number;
  total: number;
  yes: number;
  flags: number;
  labels: Map<string, number>;
}

/**
 * Each workflow's facts, as stored (a JSON object), in run order. Parsed here rather than unnested
 * by SQLite's `json_each`: handing every (workflow, fact) pair to JavaScript as a row cost ~4.5 µs
 * a fact (~1 s for the shipped suite's 218,000 facts, measured), parsing a workflow's object ~0.9 µs
 * a fact. The facts are read in the same order (workflows, then each object's keys as written), so
 * every total adds up in the same order.
 */
const FACTS = 'SELECT run_id, facts FROM workflows WHERE facts IS NOT NULL ORDER BY run_id';

/** Aggregates every run's workflow facts; runs with none are left out. Keys sorted by name. */
export function summariseFacts(db: Db): RunFacts[] {
  const runs = new Map<string, Map<string, Accumulator>>();
  let runId: string | null = null;
  let facts = new Map<string, Accumulator>();
  for (const [run, text] of db.prepare(FACTS).raw().iterate() as IterableIterator<[string, string]>) {
    // In run order: a run's rows come together, so a new run id starts its facts.
    if (run !== runId) runs.set((runId = run), (facts = new Map()));
    const parsed = JSON.parse(text) as Record<string, unknown>;
    for (const key in parsed) {
      const value = parsed[key];
      let fact = facts.get(key);
      if (fact === undefined) facts.set(key, (fact = { numbers: 0, total: 0, yes: 0, flags: 0, labels: new Map() }));
      if (typeof value === 'number') {
        fact.numbers++;
        fact.total += value;
      } else if (typeof value === 'boolean') {
        fact.flags++;
        if (value) fact.yes++;
      } else if (typeof value === 'string' && value !== '') {
        fact.labels.set(value, (fact.labels.get(value) ?? 0) + 1);
      }
    }
  }
  return [...runs].map(([runId, facts]) => ({
    runId,
    facts: [...facts.keys()].sort().flatMap((key): FactSummary[] => {
      const fact = facts.get(key) as Accumulator;
      if (fact.numbers > 0) return [{ key, kind: 'number', total: fact.total, mean: fact.total / fact.numbers, workflows: fact.numbers }];
      if (fact.flags > 0) return [{ key, kind: 'flag', yes: fact.yes, workflows: fact.flags }];
      if (fact.labels.size > 0) {
        const counts = [...fact.labels].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
        return [{ key, kind: 'label', counts, workflows: counts.reduce((sum, [, count]) => sum + count, 0) }];
      }
      return [];
    }),
  }));
}

/**
 * A fact as text: `lost_updates 42 (0.21/wf)`, `escalated 31 of 600`, `termination_reason completed 198, max_rounds 2`,
 * `sequential.steps[1].fanout.successes 360 (3/wf)`.
 */
export function formatFact(fact: FactSummary): string {
  // `<pattern>.<fact>` prints as its fact; a fact of a pattern nested in a hybrid keeps its path
  // (`sequential.steps[1].fanout.successes`), which says where in the composition it was recorded.
  const own = fact.key.slice(fact.key.indexOf('.') + 1);
  const name = own.includes('.') ? fact.key : own;
  switch (fact.kind) {
    case 'number':
      // Durations add up to nothing meaningful: show their mean.
      if (name.endsWith('_ms')) return `${name.slice(0, -3)} mean ${formatDuration(fact.mean)}`;
      return `${name} ${round(fact.total)} (${round(fact.mean)}/wf)`;
    case 'flag':
      return `${name} ${fact.yes} of ${fact.workflows}`;
    case 'label': {
      const shown = fact.counts.slice(0, 4).map(([value, count]) => `${value} ${count}`);
      if (fact.counts.length > 4) shown.push(`… ${fact.counts.length - 4} more`);
      return `${name} ${shown.join(', ')}`;
    }
  }
}

/** The facts block printed under the summary table: one line per run that recorded any. */
export function formatFactsBlock(runs: readonly RunFacts[]): string {
  if (runs.length === 0) return '';
  const lines = ['', '', 'pattern facts (per run, over its workflows):'];
  for (const run of runs) lines.push(`  ${run.runId}: ${run.facts.map(formatFact).join(' · ')}`);
  return lines.join('\n');
}

function round(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2);
}
