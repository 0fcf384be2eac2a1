import type { RunEvents } from './run-events.ts';
import type { BudgetLimit, Budgets, Pricing } from '../scenario/types.ts';
import { Cancellation } from '../kernel/clock.ts';
import type { ActiveSpan } from '../kernel/tracer.ts';

/** Share of a budget at which the alert fires unless the scenario says otherwise. */
export const DEFAULT_ALERT_AT = 0.7;

/** What crossing a line of a budget means. */
export type BudgetCrossing = 'alert' | 'stop';

/** A metered quantity of a hard budget. */
export type BudgetMetric = 'tokens' | 'cost_usd';

/**
 * One limited quantity (tokens, dollars, rounds, ms): an alert when consumption reaches
 * `alertAt` × the limit, a stop when it reaches the limit (or when `stop` is called: a call that
 * could not fit). Each fires once. Also used for the supervisor's round and time limits.
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

  /** True once consumption has reached the limit, or the meter was stopped short of it. */
  get exhausted(): boolean {
    return this.#stopped;
  }

  /** Sets the consumption to `consumed` (monotonic totals) and returns the lines it crossed, in order. */
  update(consumed: number): BudgetCrossing[] {
    this.#consumed = consumed;
    const crossed: BudgetCrossing[] = [];
    // Compared in integers of the limit's scale where possible, so 70 % of 1,000 fires at exactly 700.
    // A meter stopped short of its alert line (a call that could not fit) alerts no more.
    if (!this.#alerted && !this.#stopped && consumed >= this.alertAt * this.limit - 1e-9 * this.limit) {
      this.#alerted = true;
      crossed.push('alert');
    }
    if (!this.#stopped && consumed >= this.limit - 1e-9 * this.limit) {
      this.#stopped = true;
      crossed.push('stop');
    }
    return crossed;
  }

  /** Stops the meter short of its limit; true when it was not stopped yet. */
  stop(): boolean {
    if (this.#stopped) return false;
    this.#stopped = true;
    return true;
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

/** Consumption of a budget's metric from token and cost totals. */
export function consumption(metric: string, tokens: number, costUsd: number): number {
  return metric === 'tokens' ? tokens : costUsd;
}

/** A hard limit on each workflow that a pattern declares for itself (a supervisor's `tokenBudget`). */
export interface WorkflowLimit {
  /** Whose limit it is: the pattern's name (`supervisor`); events are about `<scope>.<metric>`. */
  readonly scope: string;
  readonly metric: BudgetMetric;
  readonly limit: number;
}

/** One line of a hard budget: a meter and whose it is (`workflow`, `run`, or a pattern). */
export interface BudgetLine {
  readonly scope: string;
  readonly meter: BudgetMeter;
}

/** The most a call may consume: its input and its output-token cap, and what they cost. */
export interface WorstCase {
  readonly tokens: number;
  readonly costUsd: number;
}

/**
 * The worst case of one attempt reading `inputTokens` with an output cap of `maxOutputTokens`
 * (null: no cap known, the input alone), priced as if nothing came from the cache. Pure.
 */
export function worstCase(inputTokens: number, maxOutputTokens: number | null, pricing: Pricing): WorstCase {
  const outputTokens = maxOutputTokens ?? 0;
  return { tokens: inputTokens + outputTokens, costUsd: (inputTokens * pricing.inputPerMTok + outputTokens * pricing.outputPerMTok) / 1_000_000 };
}

/**
 * The hard budgets of one workflow, or of a run: their lines and the cancellation a stop fires.
 * A line stops when consumption reaches its limit or when a call that could not fit in it is
 * refused; the first stop fires `halt`, which cuts every call in flight under these budgets
 * (harness/pipeline/interceptors/budget.ts links each call to it).
 */
export class HardBudget {
  /** Fires once, on the first stop. */
  readonly halt = new Cancellation();
  #stoppedBy: string | null = null;

  constructor(readonly lines: readonly BudgetLine[]) {}

  /** `<scope>.<metric>` of the line that stopped first; null while none has. */
  get stoppedBy(): string | null {
    return this.#stoppedBy;
  }

  /** Sets the consumption of every line from the totals; returns the crossings in order (a stop fires `halt`). */
  update(tokens: number, costUsd: number): [BudgetLine, BudgetCrossing][] {
    const crossed: [BudgetLine, BudgetCrossing][] = [];
    for (const line of this.lines) {
      for (const crossing of line.meter.update(consumption(line.meter.metric, tokens, costUsd))) {
        crossed.push([line, crossing]);
        if (crossing === 'stop') this.#stopped(line);
      }
    }
    return crossed;
  }

  /**
   * The line that refuses a call whose consumption may reach `worst`, given the `tokens` and
   * `costUsd` consumed so far: the first line already spent, else the first one whose worst case
   * does not fit in what is left. Null when every line has room. Calls in flight are not reserved
   * against: a crossing cuts them.
   */
  refusing(tokens: number, costUsd: number, worst: WorstCase): BudgetLine | null {
    const spent = this.lines.find((line) => line.meter.exhausted);
    if (spent !== undefined) return spent;
    return (
      this.lines.find((line) => {
        const used = consumption(line.meter.metric, tokens, costUsd);
        return used + consumption(line.meter.metric, worst.tokens, worst.costUsd) > line.meter.limit + 1e-9 * line.meter.limit;
      }) ?? null
    );
  }

  /** Stops `line` short of its limit (a call could not fit); true when that is news (a `budget.stop` to record). */
  stop(line: BudgetLine): boolean {
    if (!line.meter.stop()) return false;
    this.#stopped(line);
    return true;
  }

  #stopped(line: BudgetLine): void {
    this.#stoppedBy ??= `${line.scope}.${line.meter.metric}`;
    this.halt.cancel();
  }
}

/** The lines of one budget (tokens and/or cost) under `scope`. */
function budgetLines(scope: string, limit: BudgetLimit | null, alertAt: number): BudgetLine[] {
  if (limit === null) return [];
  const lines: BudgetLine[] = [];
  if (limit.tokens !== null) lines.push({ scope, meter: new BudgetMeter('tokens', limit.tokens, alertAt) });
  if (limit.costUsd !== null) lines.push({ scope, meter: new BudgetMeter('cost_usd', limit.costUsd, alertAt) });
  return lines;
}

/** A run's budgets: the run's own, and a fresh set per workflow (the scenario's and the pattern's). */
export class RunBudget {
  readonly run: HardBudget;
  readonly #alertAt: number;
  #tokens = 0;
  #costUsd = 0;

  constructor(
    private readonly budgets: Budgets | null,
    /** Hard limits the pattern declares on each workflow (`PatternDefinition.limits`). Default none. */
    private readonly patternLimits: readonly WorkflowLimit[] = [],
  ) {
    this.#alertAt = budgets?.alertAt ?? DEFAULT_ALERT_AT;
    this.run = new HardBudget(budgetLines('run', budgets?.run ?? null, this.#alertAt));
  }

  /** True when any budget is in force (the scenario's or the pattern's). */
  get any(): boolean {
    return this.budgets !== null || this.patternLimits.length > 0;
  }

  /** The run's totals so far. */
  get tokens(): number {
    return this.#tokens;
  }

  get costUsd(): number {
    return this.#costUsd;
  }

  /** New hard budgets for one workflow: `budgets.workflow` (scope `workflow`), then the pattern's limits. */
  forWorkflow(): HardBudget {
    const lines = budgetLines('workflow', this.budgets?.workflow ?? null, this.#alertAt);
    for (const limit of this.patternLimits) lines.push({ scope: limit.scope, meter: new BudgetMeter(limit.metric, limit.limit, this.#alertAt) });
    return new HardBudget(lines);
  }

  /** True once a run budget is spent: no new workflow starts, no call goes out. */
  get exhausted(): boolean {
    return this.run.stoppedBy !== null;
  }

  /** Adds a call's tokens and cost to the run's totals; returns the run lines' crossings. */
  add(tokens: number, costUsd: number): [BudgetLine, BudgetCrossing][] {
    this.#tokens += tokens;
    this.#costUsd += costUsd;
    return this.run.update(this.#tokens, this.#costUsd);
  }
}
