/**
 * The charts of a scenario's latency, cost, accuracy and failure sections, as `ChartSpec`s built
 * from its `ScenarioReport`. A section with nothing to draw carries a note instead of charts.
 */
import { colour, section, type ChartSpec, type DatasetSpec, type ReportSection } from './chart-spec.ts';
import type { ScenarioReport } from './data.ts';

/** Spread (largest ÷ smallest positive value) above which a duration axis turns logarithmic. */
const LOG_SPREAD = 30;

/** A duration axis from 0, or logarithmic when the values span more than `LOG_SPREAD`× (tails of hours next to seconds). */
function durationAxis(title: string, values: readonly (number | null | undefined)[]): ChartSpec['y'] {
  const positive = values.filter((value): value is number => typeof value === 'number' && value > 0);
  const spread = positive.length === 0 ? 1 : Math.max(...positive) / Math.min(...positive);
  return spread > LOG_SPREAD ? { title: `${title} (log scale)`, format: 'duration', log: true } : { title, format: 'duration', min: 0 };
}

function latencySections(report: ScenarioReport, prefix: string): ReportSection[] {
  const { latency, series } = report;
  const edges = latency.binEdgesMs;
  const centres = edges.slice(0, -1).map((lo, index) => Math.sqrt(Math.max(lo, 1e-3) * (edges[index + 1] as number)));
  const histogram: ChartSpec = {
    id: `${prefix}-latency-histogram`,
    title: 'Share of workflows per latency bin (log-spaced bins)',
    type: 'line',
    datasets: series.map((entry, position) => ({
      label: entry.label,
      color: colour(position),
      data: (latency.series[position]?.binCounts ?? []).map((count, bin) => ({
        x: centres[bin] as number,
        y: entry.workflows === 0 ? 0 : count / entry.workflows,
        note: `${count} workflows`,
      })),
    })),
    x: { title: 'workflow latency', format: 'duration', log: true },
    y: { title: 'share of workflows', format: 'percent', min: 0 },
  };
  const cdf: ChartSpec = {
    id: `${prefix}-latency-cdf`,
    title: 'Cumulative distribution (CDF)',
    type: 'line',
    datasets: series.map((_, position) => ({
      label: series[position]?.label ?? '',
      color: colour(position),
      pointRadius: 0,
      data: (latency.series[position]?.cdf ?? []).map(([x, y]) => ({ x, y })),
    })),
    x: { title: 'workflow latency', format: 'duration', log: true },
    y: { title: 'share of workflows at or below', format: 'percent', min: 0, max: 1 },
  };
  const quantiles = [
    ['p50', 'p50Ms'],
    ['p95', 'p95Ms'],
    ['p99', 'p99Ms'],
  ] as const;
  const percentiles: ChartSpec = {
    id: `${prefix}-latency-percentiles`,
    title: 'Latency percentiles per pattern (nearest rank)',
    type: 'bar',
    labels: series.map((entry) => entry.label),
    datasets: quantiles.map(([label, key], index) => ({
      label,
      color: colour(index + 5),
      data: latency.series.map((entry) => entry[key]),
    })),
    x: { title: 'pattern', format: 'count' },
    y: durationAxis('workflow latency', latency.series.flatMap((entry) => [entry.p50Ms, entry.p95Ms, entry.p99Ms])),
  };
  const { agentLatency } = report;
  const agentChart = (quantile: 'p50' | 'p95'): ChartSpec => ({
    id: `${prefix}-agent-latency-${quantile}`,
    title: `Agent call duration, ${quantile} per agent`,
    type: 'bar',
    labels: agentLatency.agents,
    datasets: series.map((entry, position) => ({
      label: entry.label,
      color: colour(position),
      data: agentLatency.agents.map((_, agent) => (quantile === 'p50' ? agentLatency.p50Ms : agentLatency.p95Ms)[agent]?.[position] ?? null),
    })),
    x: { title: 'agent', format: 'count' },
    y: durationAxis('agent call duration', [...agentLatency.p50Ms.flat(), ...agentLatency.p95Ms.flat()]),
  });
  const hasLatency = edges.length > 0;
  return [
    section(
      `${prefix}-latency`,
      'Latency distribution',
      'Workflow latency from intended start to end (queueing counts), failed workflows included, seeds pooled. A long right tail means unpredictable waits.',
      hasLatency ? [histogram, cdf] : [],
    ),
    section(
      `${prefix}-percentiles`,
      'p50 / p95 / p99',
      'The typical workflow (p50) against the slow tail (p95, p99) — the tail is what users notice.',
      hasLatency ? [percentiles] : [],
    ),
    section(
      `${prefix}-agent-calls`,
      'Agent call duration',
      'Per agent, how long one call takes (retries, backoff and queueing for a model included), nearest rank over the `invoke_agent` spans, seeds pooled.',
      agentLatency.agents.length > 0 ? [agentChart('p50'), agentChart('p95')] : [],
      'No data in this run: it recorded no agent calls.',
    ),
  ];
}

function stackedByAgent(report: ScenarioReport, id: string, title: string, values: readonly (readonly number[])[], format: 'usd' | 'count'): ChartSpec {
  const datasets: DatasetSpec[] = report.agents.agents.map((agent, index) => ({ label: agent, color: colour(index), data: [...(values[index] ?? [])] }));
  return {
    id,
    title,
    type: 'bar',
    labels: report.series.map((entry) => entry.label),
    datasets,
    x: { title: 'pattern', format: 'count', stacked: true },
    y: { title: format === 'usd' ? 'USD per workflow' : 'tokens per workflow', format, stacked: true, min: 0 },
  };
}

function costSections(report: ScenarioReport, prefix: string): ReportSection[] {
  const hasAgents = report.agents.agents.length > 0;
  const points = report.accuracyCost;
  const frontier = points.filter((point) => point.frontier).sort((a, b) => a.costUsd - b.costUsd);
  const accuracy: ChartSpec = {
    id: `${prefix}-accuracy-cost`,
    title: 'Accuracy against cost per workflow (◆ on the Pareto frontier)',
    type: 'scatter',
    datasets: [
      ...points.map((point) => ({
        label: point.label,
        color: colour(report.series.findIndex((entry) => entry.label === point.label)),
        pointRadius: point.frontier ? 9 : 6,
        pointStyle: point.frontier ? ('rectRot' as const) : ('circle' as const),
        data: [{ x: point.costUsd, y: point.accuracy, note: point.frontier ? 'on the Pareto frontier' : 'dominated' }],
      })),
      {
        label: 'Pareto frontier',
        type: 'line' as const,
        color: '#59636e',
        dashed: true,
        pointRadius: 0,
        showLine: true,
        data: frontier.map((point) => ({ x: point.costUsd, y: point.accuracy })),
      },
    ],
    x: { title: 'mean cost per workflow (USD)', format: 'usd' },
    y: { title: 'accuracy (correct ÷ all workflows)', format: 'percent' },
  };
  const { failures } = report;
  const failureChart: ChartSpec = {
    id: `${prefix}-failures-by-type`,
    title: 'Failed workflows by error type',
    type: 'bar',
    labels: report.series.map((entry) => entry.label),
    datasets: failures.errorTypes.map((type, index) => ({ label: type, color: colour(index + 3), data: [...(failures.counts[index] ?? [])] })),
    x: { title: 'pattern', format: 'count', stacked: true },
    y: { title: 'failed workflows', format: 'count', stacked: true, min: 0 },
  };
  return [
    section(
      `${prefix}-cost`,
      'Cost and tokens by agent',
      'Mean cost and tokens (input + output) per workflow, split by the agent that spent them (each agent call counted once, retries included).',
      hasAgents
        ? [
            stackedByAgent(report, `${prefix}-cost-by-agent`, 'Cost per workflow by agent', report.agents.costPerWorkflowUsd, 'usd'),
            stackedByAgent(report, `${prefix}-tokens-by-agent`, 'Tokens per workflow by agent', report.agents.tokensPerWorkflow, 'count'),
          ]
        : [],
    ),
    section(
      `${prefix}-accuracy`,
      'Accuracy against cost',
      'Up and to the left is better. A pattern on the Pareto frontier is not beaten on both cost and accuracy by any other; the ones off it are. ' +
        'Accuracy counts every workflow meant to run: a failed workflow or a dropped arrival is not a right answer.',
      points.length > 0 ? [accuracy] : [],
      'No scored workflows in this run.',
    ),
    section(
      `${prefix}-failures`,
      'Failures by error type',
      'Workflows that failed for good (after retries), by the error type of the failing step.',
      failures.errorTypes.length > 0 ? [failureChart] : [],
      'No failed workflows in this run.',
    ),
  ];
}

/** The latency, cost, accuracy and failure sections of a scenario; chart ids start with `prefix`. */
export function measureSections(report: ScenarioReport, prefix: string): ReportSection[] {
  return [...latencySections(report, prefix), ...costSections(report, prefix)];
}
