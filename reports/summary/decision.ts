/**
 * The decision a scenario's results support, in one sentence: the best pattern on the headline
 * measure — cost per correct answer — among the patterns that are viable (meet every threshold and
 * complete at least the scenario's `minSuccess` share of their arrivals), and what it trades away
 * against the other viable patterns. A pattern that failed is never named best.
 */
import { formatDuration } from '../../harness/kernel/duration.ts';
import { formatPercentDown, formatUsd } from './format.ts';

/** One option the decision chooses between: a pattern × variant, its seeds pooled. */
export interface DecisionCandidate {
  readonly label: string;
  /** Why it is not viable (`success 10.2% < 95%`, `p95(latency) < 20s failed`); empty when viable. */
  readonly failing: readonly string[];
  /** Cost ÷ correct answers; null when nothing was correct. */
  readonly costPerCorrectUsd: number | null;
  readonly accuracy: number | null;
  readonly p95Ms: number | null;
  readonly successRate: number | null;
  /** 95 % intervals of accuracy and success, where known: a trade-off must clear them. */
  readonly accuracyInterval?: { readonly lo: number; readonly hi: number } | undefined;
  readonly successInterval?: { readonly lo: number; readonly hi: number } | undefined;
}

/** What the results support. */
export interface ScenarioDecision {
  /** The best viable candidate's label; null when none is viable or none has a correct answer. */
  readonly best: string | null;
  /** The decision as one or two plain sentences. */
  readonly sentence: string;
}

/** A measure the winner may trade away, and how it prints. */
interface TradeMeasure {
  readonly name: string;
  readonly value: (candidate: DecisionCandidate) => number | null;
  readonly better: 'low' | 'high';
  readonly text: (value: number) => string;
  readonly interval: (candidate: DecisionCandidate) => { readonly lo: number; readonly hi: number } | undefined;
}

const TRADE_MEASURES: readonly TradeMeasure[] = [
  { name: 'accuracy', value: (c) => c.accuracy, better: 'high', text: formatPercentDown, interval: (c) => c.accuracyInterval },
  { name: 'p95 latency', value: (c) => c.p95Ms, better: 'low', text: formatDuration, interval: () => undefined },
  { name: 'success', value: (c) => c.successRate, better: 'high', text: formatPercentDown, interval: (c) => c.successInterval },
];

/** The reasons a run is not viable: a success rate under `minSuccess`, and its failed thresholds. */
export function failingReasons(successRate: number | null, minSuccess: number, failedThresholds: readonly string[]): string[] {
  const reasons: string[] = [];
  if (successRate !== null && successRate < minSuccess) reasons.push(`success ${formatPercentDown(successRate)} < ${formatPercentDown(minSuccess)}`);
  if (successRate === null) reasons.push('no workflow ran');
  for (const expression of failedThresholds) reasons.push(`${expression} failed`);
  return reasons;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The failing candidates, each with its first reasons: `single-agent (success 10.2% < 95%; 2 more)`. */
function notViable(candidates: readonly DecisionCandidate[]): string {
  return candidates
    .map((c) => {
      const shown = c.failing.slice(0, 2).join('; ');
      const more = c.failing.length > 2 ? `; ${c.failing.length - 2} more` : '';
      return `${c.label} (${shown}${more})`;
    })
    .join(', ');
}

/** Whether `rival` is really better than `own` on `measure`: a different printed value, and clear intervals where known. */
function reallyBetter(measure: TradeMeasure, own: DecisionCandidate, rival: DecisionCandidate): boolean {
  const a = measure.value(own);
  const b = measure.value(rival);
  if (a === null || b === null || measure.text(a) === measure.text(b)) return false;
  if (measure.better === 'low' ? b >= a : b <= a) return false;
  const ownInterval = measure.interval(own);
  const rivalInterval = measure.interval(rival);
  if (ownInterval === undefined || rivalInterval === undefined) return true;
  return measure.better === 'high' ? rivalInterval.lo > ownInterval.hi : rivalInterval.hi < ownInterval.lo;
}

/**
 * What `best` gives up: each measure where another viable candidate is really better (`reallyBetter`),
 * naming the one that is best on it.
 */
function tradeOffs(best: DecisionCandidate, others: readonly DecisionCandidate[]): string[] {
  const trades: string[] = [];
  for (const measure of TRADE_MEASURES) {
    const own = measure.value(best);
    if (own === null) continue;
    const sign = measure.better === 'low' ? 1 : -1;
    const rival = others
      .filter((candidate) => reallyBetter(measure, best, candidate))
      .sort((a, b) => sign * ((measure.value(a) as number) - (measure.value(b) as number)))[0];
    if (rival !== undefined) trades.push(`${measure.name} (${measure.text(own)} against ${measure.text(measure.value(rival) as number)} for ${rival.label})`);
  }
  return trades;
}

/**
 * The decision among `candidates` (`minSuccess` and `hasThresholds` — whether the runs had any
 * threshold to pass — only word the sentence: each candidate's `failing` already says whether it
 * is viable).
 */
export function decide(candidates: readonly DecisionCandidate[], minSuccess: number, hasThresholds = true): ScenarioDecision {
  const failing = candidates.filter((c) => c.failing.length > 0);
  const viable = candidates.filter((c) => c.failing.length === 0);
  const share = formatPercentDown(minSuccess);
  const bar = hasThresholds ? `meet every threshold and complete at least ${share} of their arrivals` : `complete at least ${share} of their arrivals (no thresholds set)`;
  const barOne = hasThresholds ? `meets every threshold and completes at least ${share} of its arrivals` : `completes at least ${share} of its arrivals (no thresholds set)`;
  const failingNote = failing.length === 0 ? '' : ` Not viable: ${notViable(failing)}.`;
  if (candidates.length === 0) return { best: null, sentence: 'No runs recorded.' };
  if (viable.length === 0) return { best: null, sentence: `No pattern is viable: none ${barOne}.${failingNote}` };
  const ranked = viable
    .filter((c) => c.costPerCorrectUsd !== null)
    .sort((a, b) => (a.costPerCorrectUsd as number) - (b.costPerCorrectUsd as number) || a.label.localeCompare(b.label));
  const best = ranked[0];
  if (best === undefined) return { best: null, sentence: `No viable pattern gave a correct answer, so none has a cost per correct answer.${failingNote}` };
  const cost = formatUsd(best.costPerCorrectUsd);
  const runner = ranked[1];
  let lead: string;
  let subject = { who: 'It', trades: 'trades away', gives: 'gives up' };
  if (viable.length === 1) {
    lead = `${best.label} is the only pattern that ${barOne}, at ${cost} per correct answer.`;
  } else if (runner !== undefined && formatUsd(runner.costPerCorrectUsd) === cost) {
    lead = `${best.label} and ${runner.label} tie on cost per correct answer (${cost}) among the ${viable.length} patterns that ${bar}.`;
    subject = { who: 'Both', trades: 'trade away', gives: 'give up' };
  } else {
    const saving = runner === undefined ? '' : `, ${Math.round((1 - (best.costPerCorrectUsd as number) / (runner.costPerCorrectUsd as number)) * 100)}% below ${runner.label} (${formatUsd(runner.costPerCorrectUsd)})`;
    lead = `${best.label} is the cheapest per correct answer among the ${viable.length} patterns that ${bar}: ${cost}${saving}.`;
  }
  const trades = tradeOffs(best, viable.filter((c) => c !== best));
  const trade = viable.length === 1 ? '' : trades.length === 0 ? ` ${subject.who} ${subject.gives} nothing measured here.` : ` ${subject.who} ${subject.trades} ${listed(trades)}.`;
  return { best: best.label, sentence: `${lead}${trade}${failingNote}` };
}
