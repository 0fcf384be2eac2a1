import { HarnessError } from '../kernel/errors.ts';
import type { LoadModel } from './types.ts';

/** Load settings given on the command line; each replaces the scenario's. */
export interface LoadOverrides {
  /** Closed model with this many workflows in flight (`--concurrency`). */
  readonly concurrency?: number | null;
  /** Open model at this rate per second (`--rate`). */
  readonly ratePerSecond?: number | null;
  /** `constant` or `poisson` open arrivals (`--arrivals`). */
  readonly arrivals?: 'constant' | 'poisson' | null;
  /** Length of the run (`--duration`). */
  readonly durationMs?: number | null;
  /** In-flight cap of an open model (`--max-in-flight`). */
  readonly maxInFlight?: number | null;
}

/** A closed loop of `concurrency` workflows, no think time, over the cases once. */
export function closedLoad(concurrency: number): LoadModel {
  return { kind: 'closed', concurrency, thinkTimeMs: { kind: 'fixed', value: 0 }, durationMs: null, windowMs: null };
}

/**
 * The scenario's load with the command line's overrides: `--rate` makes it open (needing a
 * duration, from `--duration` or the scenario's single-rate load), `--concurrency` makes it
 * closed; `--duration`, `--arrivals` and `--max-in-flight` adjust the model in force. `USAGE` when
 * the combination cannot be honoured.
 */
export function applyLoadOverrides(load: LoadModel, overrides: LoadOverrides): LoadModel {
  const { concurrency, ratePerSecond, arrivals, durationMs, maxInFlight } = overrides;
  if (concurrency != null && ratePerSecond != null) {
    throw new HarnessError('USAGE', '--concurrency (closed model) and --rate (open model) exclude each other');
  }
  if (ratePerSecond != null || (load.kind === 'open' && (arrivals != null || durationMs != null || maxInFlight != null))) {
    const open = load.kind === 'open' ? load : null;
    const rate = ratePerSecond ?? (open !== null && singleRate(open) !== null ? singleRate(open) : null);
    if (rate === null && durationMs != null) throw new HarnessError('USAGE', `--duration cannot shorten a load with several phases; give --rate too`);
    const length = durationMs ?? (open !== null && open.phases.length === 1 ? open.phases[0]?.durationMs : undefined);
    if (rate !== null && length === undefined) throw new HarnessError('USAGE', '--rate needs --duration (how long arrivals go on)');
    return {
      kind: 'open',
      process: arrivals ?? open?.process ?? 'poisson',
      phases: rate === null || length === undefined ? (open?.phases ?? []) : [{ durationMs: length, fromPerSecond: rate, toPerSecond: rate }],
      maxInFlight: maxInFlight ?? open?.maxInFlight ?? null,
      onFull: open?.onFull ?? 'drop',
      windowMs: load.windowMs,
    };
  }
  if (arrivals != null || maxInFlight != null) {
    throw new HarnessError('USAGE', '--arrivals and --max-in-flight apply to open arrivals: give --rate too');
  }
  if (concurrency == null && durationMs == null) return load;
  const closed = load.kind === 'closed' ? load : null;
  return {
    kind: 'closed',
    concurrency: concurrency ?? closed?.concurrency ?? 1,
    thinkTimeMs: closed?.thinkTimeMs ?? { kind: 'fixed', value: 0 },
    durationMs: durationMs ?? closed?.durationMs ?? null,
    windowMs: load.windowMs,
  };
}

function singleRate(load: Extract<LoadModel, { kind: 'open' }>): number | null {
  const only = load.phases.length === 1 ? load.phases[0] : undefined;
  return only !== undefined && only.fromPerSecond === only.toPerSecond ? only.fromPerSecond : null;
}
