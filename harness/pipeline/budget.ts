import type { RunEvents } from './run-events.ts';
import type { BudgetLimit, Budgets } from '../scenario/types.ts';
import type { ActiveSpan } from '../kernel/tracer.ts';

/** Share of a budget at which the alert fires unless the scenario says otherwise. */
export const DEFAULT_ALERT_AT = 0.7;

/** What crossing a line of a budget means. */
export type BudgetCrossing = 'alert' | 'stop';

/**
 * One limited quantity (tokens, dollars, rounds, ms): an alert when consumption reaches
 * `alertAt` × the limit, a stop when it reaches the limit. Each fires once. Also used for the
 * supervisor's round and time limits.
 */
export class BudgetMeter {
  #consumed = 0;
  #alerted = false;
  #stopped = false;

  constructor(
    /** `tokens`, `cost_usd`, `rounds`, `time_ms`. */
    readonly metric: string,
    readonly limit: number,
    readonly alertAt: number,
  ) {}

  get consumed(): number {
    return this.#consumed;
  }

  /** True once consumption has reached the limit. */
  get exhausted(): boolean {
    return this.#stopped;
  }

  /** Sets the consumption to `consumed` (monotonic totals) and returns the lines it crossed, in order. */
  update(consumed: number): BudgetCrossing[] {
    this.#consumed = consumed;
    const crossed: BudgetCrossing[] = [];
    // Compared in integers of the limit's scale where possible, so 70 % of 1,000 fires at exactly 700.
    if (!this.#alerted && consumed >= this.alertAt * this.limit - 1e-9 * this.limit) {
      this.#alerted = true;
      crossed.push('alert');
    }
    if (!this.#stopped && consumed >= this.limit - 1e-9 * this.limit) {
      this.#stopped = true;
      crossed.push('stop');
    }
    return crossed;
  }
}

/**
 * Records that a budget line was crossed: a `budget.alert` or `budget.stop` event about
 * `<scope>.<metric>` (scope: `workflow`, `run`, or a pattern's own limits such as `supervisor`).
 */
export function emitBudgetCrossing(
  events: RunEvents,
  crossing: BudgetCrossing,
  scope: string,
  meter: Pick<BudgetMeter, 'metric' | 'limit' | 'consumed'>,
  timeMs: number,
  span: ActiveSpan | null,
): void {
  events.emit(`budget.${crossing}`, `${scope}.${meter.metric}`, timeMs, {
    'patternbench.budget.scope': scope,
    'patternbench.budget.limit': meter.limit,
    'patternbench.budget.consumed': meter.consumed,
    'patternbench.budget.share': meter.consumed / meter.limit,
  }, span);
}

/** The meters of one budget (tokens and/or cost). */
export function budgetMeters(limit: BudgetLimit | null, alertAt: number): BudgetMeter[] {
  if (limit === null) return [];
  const meters: BudgetMeter[] = [];
  if (limit.tokens !== null) meters.push(new BudgetMeter('tokens', limit.tokens, alertAt));
  if (limit.costUsd !== null) meters.push(new BudgetMeter('cost_usd', limit.costUsd, alertAt));
  return meters;
}

/** Consumption of a budget's metric from token and cost totals. */
export function consumption(metric: string, tokens: number, costUsd: number): number {
  return metric === 'tokens' ? tokens : costUsd;
}

/** A run's budgets: the run's meters, and a fresh set per workflow. */
export class RunBudget {
  readonly run: readonly BudgetMeter[];
  #tokens = 0;
  #costUsd = 0;

  constructor(private readonly budgets: Budgets | null) {
    this.run = budgetMeters(budgets?.run ?? null, budgets?.alertAt ?? DEFAULT_ALERT_AT);
  }

  get any(): boolean {
    return this.budgets !== null;
  }

  /** New meters for one workflow. */
  workflowMeters(): BudgetMeter[] {
    return budgetMeters(this.budgets?.workflow ?? null, this.budgets?.alertAt ?? DEFAULT_ALERT_AT);
  }

  /** True once a run budget is spent: no new workflow starts, no call goes out. */
  get exhausted(): boolean {
    return this.run.some((meter) => meter.exhausted);
  }

  /** Adds a call's tokens and cost to the run's totals; returns the run meters' crossings. */
  add(tokens: number, costUsd: number): [BudgetMeter, BudgetCrossing][] {
    this.#tokens += tokens;
    this.#costUsd += costUsd;
    return this.run.flatMap((meter) => meter.update(consumption(meter.metric, this.#tokens, this.#costUsd)).map((c) => [meter, c] as [BudgetMeter, BudgetCrossing]));
  }
}
