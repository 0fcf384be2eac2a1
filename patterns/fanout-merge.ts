import { findingDomain } from '../harness/scenario/findings.ts';
import type { AgentOutput } from './types.ts';

/** How a fan-out combines its workers' results. */
export const MERGE_STRATEGIES = ['concat', 'vote', 'confidence-weighted', 'reconciler'] as const;
export type MergeStrategy = (typeof MERGE_STRATEGIES)[number];

/** A merged result: the output, and how many conflicts the merge met and left unresolved. */
export interface MergeResult {
  /** The merged output (`agent` = `merged`; `tokens` = all worker outputs, what a next step reads). */
  readonly output: AgentOutput;
  /** Points where the workers disagreed (distinct labels − 1, contested findings, differing values). */
  readonly conflicts: number;
  /** Conflicts the strategy did not resolve (only `concat` leaves any): they count against accuracy. */
  readonly unresolved: number;
}

/**
 * Merges worker outputs without a model (pure; `reconciler` merges like `vote` here — the executor
 * calls the reconciler agent when there are conflicts):
 * - labels: `concat` keeps the label only when all agree, else none (an unresolved conflict);
 *   `vote` takes the most frequent label (ties: higher summed confidence, then worker order);
 *   `confidence-weighted` the label with the highest summed confidence (ties: worker order).
 * - findings: a domain's workers are those that reported a finding in it. `concat` keeps the union
 *   (a finding not every such worker reported is contested, and stays); `vote` keeps a finding at
 *   least half of them reported; `confidence-weighted` one whose reporters carry at least half their
 *   confidence.
 * - values: `concat` keeps the value when all agree, `vote` takes the median (lower middle),
 *   `confidence-weighted` the confidence-weighted mean.
 * Confidence of the result = mean confidence of the workers. `outputs` must not be empty.
 */
export function mergeOutputs(strategy: MergeStrategy, outputs: readonly AgentOutput[]): MergeResult {
  let tokens = 0;
  let confidenceSum = 0;
  for (const output of outputs) {
    tokens += output.tokens;
    confidenceSum += weight(output);
  }
  const merged: { -readonly [K in keyof AgentOutput]: AgentOutput[K] } = {
    agent: 'merged',
    tokens,
    confidence: outputs.length === 0 ? 0 : confidenceSum / outputs.length,
  };
  let conflicts = 0;
  let unresolved = 0;

  const labelled = outputs.filter((output) => output.label !== undefined);
  if (labelled.length > 0) {
    const tally = tallyLabels(labelled);
    conflicts += tally.length - 1;
    if (strategy === 'concat') {
      if (tally.length === 1) merged.label = (tally[0] as LabelTally).label;
      else unresolved += tally.length - 1;
    } else {
      const byVotes = strategy === 'vote';
      const best = tally.reduce((a, b) => (better(b, a, byVotes) ? b : a));
      merged.label = best.label;
    }
  }

  if (outputs.some((output) => output.findings !== undefined)) {
    const findings = mergeFindings(strategy, outputs);
    merged.findings = findings.kept;
    conflicts += findings.contested;
    if (strategy === 'concat') unresolved += findings.contested;
  }

  const valued = outputs.filter((output) => output.value !== undefined);
  if (valued.length > 0) {
    const values = valued.map((output) => output.value as number);
    const distinct = new Set(values).size;
    conflicts += distinct - 1;
    if (strategy === 'concat') {
      if (distinct === 1) merged.value = values[0] as number;
      else unresolved += distinct - 1;
    } else if (strategy === 'confidence-weighted') {
      const total = valued.reduce((sum, output) => sum + weight(output), 0);
      merged.value = total === 0 ? mean(values) : valued.reduce((sum, output) => sum + (output.value as number) * weight(output), 0) / total;
    } else {
      const sorted = [...values].sort((a, b) => a - b);
      merged.value = sorted[Math.floor((sorted.length - 1) / 2)] as number;
    }
  }
  if (unresolved > 0) merged.conflicts = unresolved;
  return { output: merged, conflicts, unresolved };
}

interface LabelTally {
  readonly label: string;
  votes: number;
  confidence: number;
  /** Position of the first worker that gave it. */
  readonly first: number;
}

function tallyLabels(outputs: readonly AgentOutput[]): LabelTally[] {
  const tally = new Map<string, LabelTally>();
  outputs.forEach((output, index) => {
    const label = output.label as string;
    const entry = tally.get(label) ?? { label, votes: 0, confidence: 0, first: index };
    entry.votes++;
    entry.confidence += weight(output);
    tally.set(label, entry);
  });
  return [...tally.values()];
}

/** Whether `a` beats `b`: by votes then confidence (`vote`), or by confidence alone; then worker order. */
function better(a: LabelTally, b: LabelTally, byVotes: boolean): boolean {
  if (byVotes && a.votes !== b.votes) return a.votes > b.votes;
  if (a.confidence !== b.confidence) return a.confidence > b.confidence;
  return a.first < b.first;
}

function mergeFindings(strategy: MergeStrategy, outputs: readonly AgentOutput[]): { kept: string[]; contested: number } {
  // Workers covering a domain: those that reported something in it.
  const coverage = new Map<string, { workers: number; confidence: number }>();
  const support = new Map<string, { workers: number; confidence: number }>();
  for (const output of outputs) {
    const findings = [...new Set(output.findings ?? [])];
    const domains = new Set(findings.map(findingDomain));
    for (const domain of domains) add(coverage, domain, output);
    for (const finding of findings) add(support, finding, output);
  }
  const kept: string[] = [];
  let contested = 0;
  for (const [finding, backing] of support) {
    const covered = coverage.get(findingDomain(finding)) as { workers: number; confidence: number };
    if (backing.workers < covered.workers) contested++;
    const keep =
      strategy === 'concat' ||
      (strategy === 'confidence-weighted' ? 2 * backing.confidence >= covered.confidence : 2 * backing.workers >= covered.workers);
    if (keep) kept.push(finding);
  }
  return { kept, contested };
}

function add(map: Map<string, { workers: number; confidence: number }>, key: string, output: AgentOutput): void {
  const entry = map.get(key) ?? { workers: 0, confidence: 0 };
  entry.workers++;
  entry.confidence += weight(output);
  map.set(key, entry);
}

/** Confidence used as a weight; an output without one weighs 0.5. */
function weight(output: AgentOutput): number {
  return output.confidence ?? 0.5;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
