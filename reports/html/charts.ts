/**
 * The charts of a scenario's latency, cost, accuracy and failure sections, as `ChartSpec`s built
 * from its `ScenarioReport`. A section with nothing to draw carries a note instead of charts.
 */
import { colour, section, type ChartSpec, type DatasetSpec, type PointStyle, type ReportSection } from './chart-spec.ts';
import type { ScenarioReport } from './data.ts';
import type { ValueInterval } from './matrix.ts';

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
      'Per agent, how long one call takes (retries, backoff and queueing for a model included), from an HDR histogram of every `invoke_agent` span (within 0.1 % of the nearest rank), seeds pooled.',
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

/** An accuracy axis spans at least this (10 points), so a 1-point gap fills a tenth of the height, not all of it. */
export const MIN_ACCURACY_SPAN = 0.1;
/** Room kept between the outermost points and the ends of the accuracy axis. */
const ACCURACY_MARGIN = 0.02;
/** Room kept above the dearest point on the cost axis, as a share of its cost. */
const COST_MARGIN = 0.08;
/** Fewest and most ticks a cost axis is cut into. */
const COST_TICKS = [4, 8] as const;

/** `value` without floating-point dust (0.85 rather than 0.8500000000000001). */
const tidy = (value: number): number => Number(value.toPrecision(12));

/** A linear axis's range and tick step. */
export interface AxisRange {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

/** `value` rounded down (`direction` −1) or up (+1) to a whole multiple of `step`. */
function toStep(value: number, step: number, direction: -1 | 1): number {
  return tidy((direction < 0 ? Math.floor(value / step + 1e-9) : Math.ceil(value / step - 1e-9)) * step);
}

/**
 * The accuracy axis around `values` (accuracies and interval ends, 0–1): their span with a margin,
 * ending on whole ticks of 5 points (10 when it spans more than 40), widened a tick at a time on the
 * tighter side to at least `MIN_ACCURACY_SPAN`, and kept inside [0, 1].
 */
export function accuracyAxisRange(values: readonly number[]): AxisRange {
  if (values.length === 0) return { min: 0, max: 1, step: 0.1 };
  const lo = Math.min(...values) - ACCURACY_MARGIN;
  const hi = Math.max(...values) + ACCURACY_MARGIN;
  const step = hi - lo > 0.4 ? 0.1 : 0.05;
  let min = toStep(lo, step, -1);
  let max = toStep(hi, step, 1);
  while (max - min < MIN_ACCURACY_SPAN - 1e-9) {
    if (lo - min < max - hi) min = tidy(min - step);
    else max = tidy(max + step);
  }
  if (min < 0) {
    max = tidy(max - min);
    min = 0;
  }
  if (max > 1) {
    min = Math.max(0, tidy(min - (max - 1)));
    max = 1;
  }
  return { min, max, step };
}

/**
 * The cost axis of `values` (mean costs and interval ends, USD): from $0 to a round value a little
 * above the dearest, in 4 to 8 ticks of 1, 2, 2.5 or 5 × 10^k, the tightest fit.
 */
export function costAxisRange(values: readonly number[]): AxisRange {
  const top = Math.max(0, ...values) * (1 + COST_MARGIN);
  if (!(top > 0)) return { min: 0, max: 0.01, step: 0.002 };
  const [fewest, most] = COST_TICKS;
  const magnitude = 10 ** Math.floor(Math.log10(top / most));
  const steps = [1, 2, 2.5, 5, 10, 20].map((factor) => tidy(factor * magnitude)).filter((step) => top / step <= most && Math.ceil(top / step - 1e-9) >= fewest);
  const step = steps.reduce((best, candidate) => (toStep(top, candidate, 1) < toStep(top, best, 1) ? candidate : best), steps[0] ?? magnitude);
  return { min: 0, max: toStep(top, step, 1), step };
}

/** Marker of the `index`-th series on the accuracy chart: a distinct shape per series, so coinciding points stay apart. */
const SERIES_MARKERS: readonly PointStyle[] = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot'];

/** Radius of a marker drawn over no other; each marker it is drawn over adds `MARKER_STEP`. */
const MARKER_RADIUS = 6;
const MARKER_STEP = 3;
/** Points closer than this share of both axes coincide on the chart. */
const COINCIDE_SHARE = 0.02;

/**
 * Marker radius of each point: chart.js draws the first dataset on top, so of points that coincide
 * on the chart (within `COINCIDE_SHARE` of both axes) each later one gets a larger marker and stays
 * visible around the ones drawn over it.
 */
export function markerRadii(points: readonly { readonly x: number; readonly y: number }[], x: AxisRange, y: AxisRange): number[] {
  const near = (a: { x: number; y: number }, b: { x: number; y: number }): boolean =>
    Math.abs(a.x - b.x) <= COINCIDE_SHARE * (x.max - x.min) && Math.abs(a.y - b.y) <= COINCIDE_SHARE * (y.max - y.min);
  return points.map((point, index) => MARKER_RADIUS + MARKER_STEP * points.slice(0, index).filter((earlier) => near(point, earlier)).length);
}

/**
 * Accuracy against mean cost per workflow: one hollow marker per series (its own shape and
 * colour), labelled on the chart with whether it is on the Pareto frontier; 95 % interval whiskers
 * from the decision matrix; the frontier as a dashed staircase bounding what it beats.
 */
export function accuracyCostChart(report: ScenarioReport, prefix: string): ChartSpec {
  const points = report.accuracyCost;
  const intervals = new Map(report.matrix.map((row) => [row.label, row.intervals]));
  const whisker = (label: string): { cost?: ValueInterval; accuracy?: ValueInterval } => {
    const of = intervals.get(label);
    return { ...(of?.meanCostUsd === undefined ? {} : { cost: of.meanCostUsd }), ...(of?.accuracy === undefined ? {} : { accuracy: of.accuracy }) };
  };
  const x = costAxisRange(points.flatMap((point) => [point.costUsd, whisker(point.label).cost?.hi ?? point.costUsd]));
  const y = accuracyAxisRange(points.flatMap((point) => {
    const accuracy = whisker(point.label).accuracy;
    return accuracy === undefined ? [point.accuracy] : [point.accuracy, accuracy.lo, accuracy.hi];
  }));
  const radii = markerRadii(points.map((point) => ({ x: point.costUsd, y: point.accuracy })), x, y);
  const seriesColour = (label: string): string => colour(Math.max(0, report.series.findIndex((entry) => entry.label === label)));
  const seriesMarker = (label: string): PointStyle => SERIES_MARKERS[Math.max(0, report.series.findIndex((entry) => entry.label === label)) % SERIES_MARKERS.length] as PointStyle;
  const markers: DatasetSpec[] = points.map((point, index) => {
    const standing = point.frontier ? 'on the frontier' : `beaten by ${point.beatenBy ?? 'another'}`;
    return {
      label: point.label,
      color: seriesColour(point.label),
      pointRadius: radii[index] as number,
      pointStyle: seriesMarker(point.label),
      hollow: true,
      data: [{ x: point.costUsd, y: point.accuracy, note: point.frontier ? 'on the Pareto frontier' : `dominated: ${standing}`, label: `${point.label}: ${standing}` }],
    };
  });
  const whiskers: DatasetSpec[] = points.flatMap((point) => {
    const { cost, accuracy } = whisker(point.label);
    if (cost === undefined && accuracy === undefined) return [];
    const gap = { x: point.costUsd, y: null };
    return [{
      label: `${point.label} 95 % interval`,
      type: 'line' as const,
      color: seriesColour(point.label),
      pointRadius: 0,
      pointStyle: 'line' as const,
      showLine: true,
      inLegend: false,
      data: [
        ...(cost === undefined ? [] : [{ x: Math.max(0, cost.lo), y: point.accuracy, note: 'low end of the 95 % interval of the mean cost' }, { x: cost.hi, y: point.accuracy, note: 'high end of the 95 % interval of the mean cost' }, gap]),
        ...(accuracy === undefined ? [] : [{ x: point.costUsd, y: accuracy.lo, note: 'low end of the 95 % interval of accuracy' }, { x: point.costUsd, y: accuracy.hi, note: 'high end of the 95 % interval of accuracy' }]),
      ],
    }];
  });
  const frontier = points.filter((point) => point.frontier).sort((a, b) => a.costUsd - b.costUsd);
  const first = frontier[0];
  const last = frontier.at(-1);
  const staircase: DatasetSpec[] = first === undefined || last === undefined ? [] : [{
    label: 'Pareto frontier (beats what lies below and to the right)',
    type: 'line',
    pointStyle: 'line',
    color: '#59636e',
    dashed: true,
    stepped: true,
    pointRadius: 0,
    showLine: true,
    data: [
      { x: first.costUsd, y: y.min },
      ...frontier.map((point) => ({ x: point.costUsd, y: point.accuracy, note: `${point.label}: on the frontier` })),
      { x: x.max, y: last.accuracy },
    ],
  }];
  return {
    id: `${prefix}-accuracy-cost`,
    title: 'Accuracy against cost per workflow, with the Pareto frontier',
    type: 'scatter',
    datasets: [...markers, ...whiskers, ...staircase],
    x: { title: 'mean cost per workflow (USD)', format: 'usd', ...x },
    y: { title: 'accuracy (correct ÷ all workflows)', format: 'percent', ...y },
    pointLegend: true,
    height: 380,
  };
}

function costSections(report: ScenarioReport, prefix: string): ReportSection[] {
  const hasAgents = report.agents.agents.length > 0;
  const points = report.accuracyCost;
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
        'The dashed staircase is the frontier: whatever lies below and to the right of it is beaten by a pattern on it. ' +
        'Whiskers are 95 % intervals (Wilson for accuracy, normal for the mean cost). Cost starts at $0 and accuracy spans at least 10 points, so a small gap looks small. ' +
        'Accuracy counts every workflow meant to run: a failed workflow or a dropped arrival is not a right answer.',
      points.length > 0 ? [accuracyCostChart(report, prefix)] : [],
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
