/**
 * How much of its traces a run keeps (`run --traces`). Every span is folded into the run's span
 * metrics and every workflow has its row whatever the policy, so summaries, thresholds and
 * comparisons are exact either way; the policy decides which workflows keep their spans (and their
 * calls' checkpoints) in the results file and the OTLP export (harness/run/trace-retention.ts).
 */
import { HarnessError } from '../kernel/errors.ts';
import type { LoadModel } from '../scenario/types.ts';
import { ArrivalSchedule } from './arrivals.ts';

/**
 * `all`: every span of every workflow (the default, but for long open loads). `tail`: the spans of
 * every failed or budget-stopped workflow, of those a threshold names, of the slowest (at or above
 * the run's running p99), and of a seeded `share` of the rest.
 */
export type TracePolicy = { readonly mode: 'all' } | { readonly mode: 'tail'; /** Share of the other workflows kept, in [0, 1]; default 0.01. */ readonly share: number };

/** Every span kept. */
export const KEEP_ALL_TRACES: TracePolicy = Object.freeze({ mode: 'all' });

/** Share of the other workflows `tail` keeps when none is given: 1 %. */
export const DEFAULT_TAIL_SHARE = 0.01;

/** Open loads whose arrivals go on longer than this (virtual ms) keep traces by `tail` unless told otherwise: ten minutes. */
export const TAIL_BY_DEFAULT_AFTER_MS = 600_000;

/** `all`, `tail`, `tail:0.05` or `tail:5%` (`--traces`); `USAGE` otherwise. */
export function parseTracePolicy(text: string): TracePolicy {
  const trimmed = text.trim();
  if (trimmed === 'all') return KEEP_ALL_TRACES;
  const match = /^tail(?::\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?))?$/.exec(trimmed);
  if (match === null) {
    throw new HarnessError('USAGE', `--traces takes 'all', 'tail' or 'tail:<share>' (tail:0.05 or tail:5%), got '${text}'`);
  }
  if (match[1] === undefined) return { mode: 'tail', share: DEFAULT_TAIL_SHARE };
  const share = Number(match[1]) / (match[2] === '%' ? 100 : 1);
  if (!(share >= 0 && share <= 1)) throw new HarnessError('USAGE', `the share of --traces tail:<share> must be from 0 to 1 (or 0% to 100%), got '${match[1]}${match[2] ?? ''}'`);
  return { mode: 'tail', share };
}

/** `all` or `tail:<share>`: what `parseTracePolicy` reads back, as the run stores it. */
export function formatTracePolicy(policy: TracePolicy): string {
  return policy.mode === 'all' ? 'all' : `tail:${policy.share}`;
}

/** True when a run under `load` keeps traces by `tail` unless told otherwise: an open load whose arrivals last longer than ten minutes. */
export function tailByDefault(load: LoadModel): boolean {
  return load.kind === 'open' && ArrivalSchedule.durationMs(load.phases) > TAIL_BY_DEFAULT_AFTER_MS;
}

/** The policy of a run under `load` given `chosen` (`--traces`; null = none given): `chosen`, or the default for the load. */
export function tracePolicyFor(load: LoadModel, chosen: TracePolicy | null | undefined): TracePolicy {
  if (chosen !== null && chosen !== undefined) return chosen;
  return tailByDefault(load) ? { mode: 'tail', share: DEFAULT_TAIL_SHARE } : KEEP_ALL_TRACES;
}

/**
 * What the command prints when runs keep traces by `tail` without `--traces` (an open load longer
 * than ten minutes): how many, what they keep, and how to keep every span; null when none does.
 */
export function tailByDefaultNotice(runs: readonly { readonly load: LoadModel; readonly traces?: TracePolicy | null }[]): string | null {
  const tailed = runs.filter((run) => (run.traces === null || run.traces === undefined) && tailByDefault(run.load)).length;
  if (tailed === 0) return null;
  const which = tailed === runs.length ? (tailed === 1 ? 'the run' : `all ${tailed} runs`) : `${tailed} of ${runs.length} runs`;
  return (
    `traces: ${which} ${tailed === 1 && runs.length === 1 ? 'keeps' : 'keep'} traces by tail sampling (--traces tail, the default for open loads longer than ${TAIL_BY_DEFAULT_AFTER_MS / 60_000} minutes): ` +
    `every failed or budget-stopped workflow, those a threshold names, the slowest, and ${DEFAULT_TAIL_SHARE * 100} % of the rest; ` +
    'every span still counts in the summary. Pass --traces all to keep every span'
  );
}
