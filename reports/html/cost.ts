/**
 * Where a scenario's money and tokens go: cost and tokens per workflow split by agent (each agent
 * call's tokens counted once, at its `invoke_agent` span, and its cost at its model attempts'
 * `chat` spans), and accuracy against cost with the Pareto
 * frontier (the series no other series beats on both).
 */
import type { Db } from '../store/schema.ts';
import type { ReportSeries } from './series.ts';
import { readSpanMetrics } from '../store/span-metrics.ts';
import { accuracyRate } from '../summary/rates.ts';

/** Per agent, per series (same order as the series): mean cost and tokens per workflow. */
export interface AgentBreakdown {
  readonly agents: readonly string[];
  /** `costPerWorkflowUsd[agent][series]`. */
  readonly costPerWorkflowUsd: readonly (readonly number[])[];
  /** `tokensPerWorkflow[agent][series]`: input + output tokens. */
  readonly tokensPerWorkflow: readonly (readonly number[])[];
}

/**
 * Cost and tokens per workflow by agent for the `series` of `scenario`, from the span metrics:
 * tokens of each agent call's `invoke_agent` span, cost of its model attempts' `chat` spans, the
 * only spans that carry one (schema 6; in older files the agent span repeated their total).
 */
export function agentBreakdown(db: Db, scenario: string, series: readonly ReportSeries[]): AgentBreakdown {
  const positions = new Map(series.flatMap((entry, position) => entry.runIds.map((runId) => [runId, position] as const)));
  const totals = new Map<string, { cost: number; tokens: number }[]>();
  for (const metrics of readSpanMetrics(db, { scenario, operations: ['invoke_agent', 'chat'] })) {
    const position = positions.get(metrics.runId);
    if (position === undefined) continue;
    const agent = metrics.agentName === '' ? '(unnamed)' : metrics.agentName;
    const bySeries = totals.get(agent) ?? series.map(() => ({ cost: 0, tokens: 0 }));
    totals.set(agent, bySeries);
    const total = bySeries[position] as { cost: number; tokens: number };
    if (metrics.operation === 'chat') total.cost += metrics.costUsd;
    else total.tokens += metrics.inputTokens + metrics.outputTokens;
  }
  const agents = [...totals.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const perWorkflow = (value: (total: { cost: number; tokens: number }) => number): number[][] =>
    agents.map((agent) => (totals.get(agent) as { cost: number; tokens: number }[]).map((total, position) => {
      const workflows = series[position]?.workflows ?? 0;
      return workflows === 0 ? 0 : value(total) / workflows;
    }));
  return { agents, costPerWorkflowUsd: perWorkflow((total) => total.cost), tokensPerWorkflow: perWorkflow((total) => total.tokens) };
}

/** A series placed by what it costs and how often it is right. */
export interface AccuracyCostPoint {
  readonly label: string;
  /** Mean cost per workflow, USD. */
  readonly costUsd: number;
  /** The headline accuracy: correct ÷ every workflow meant to run (`../summary/rates.ts`). */
  readonly accuracy: number;
  /** On the Pareto frontier: no other point is at least as cheap and as accurate, and better on one. */
  readonly frontier: boolean;
  /** Off the frontier: the cheapest point on it that is no dearer and no less accurate (and better on one); null on the frontier. */
  readonly beatenBy: string | null;
}

/**
 * Indexes of the points on the Pareto frontier of (low cost, high accuracy), ordered by cost: a
 * point is on it unless another is no dearer, no less accurate, and strictly better on one of the
 * two. Equal points are all on it.
 */
export function paretoFrontier(points: readonly { readonly costUsd: number; readonly accuracy: number }[]): number[] {
  const dominated = (index: number): boolean => {
    const point = points[index] as { costUsd: number; accuracy: number };
    return points.some(
      (other) =>
        other.costUsd <= point.costUsd &&
        other.accuracy >= point.accuracy &&
        (other.costUsd < point.costUsd || other.accuracy > point.accuracy),
    );
  };
  return points
    .map((_, index) => index)
    .filter((index) => !dominated(index))
    .sort((a, b) => (points[a] as { costUsd: number }).costUsd - (points[b] as { costUsd: number }).costUsd);
}

/**
 * Accuracy (over every workflow meant to run, failed and dropped ones counting as not correct)
 * against mean cost per workflow, for the series that have an accuracy.
 */
export function accuracyCostPoints(series: readonly ReportSeries[]): AccuracyCostPoint[] {
  const points = series.flatMap((entry) => {
    const accuracy = accuracyRate(entry);
    return accuracy === null || entry.workflows === 0 ? [] : [{ label: entry.label, costUsd: entry.costUsd / entry.workflows, accuracy }];
  });
  const frontier = paretoFrontier(points).map((index) => points[index] as (typeof points)[number]);
  return points.map((point) => {
    const beater = frontier.find(
      (other) => other.costUsd <= point.costUsd && other.accuracy >= point.accuracy && (other.costUsd < point.costUsd || other.accuracy > point.accuracy),
    );
    return { ...point, frontier: beater === undefined, beatenBy: beater?.label ?? null };
  });
}
