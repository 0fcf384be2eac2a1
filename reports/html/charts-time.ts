/**
 * The charts of a scenario's behaviour over time — load, queues, events — and its sample trace
 * waterfalls, as `ChartSpec`s built from its `ScenarioReport`.
 */
import { colour, section, type ChartSpec, type PointStyle, type ReportSection } from './chart-spec.ts';
import type { ScenarioReport } from './data.ts';
import type { LoadPoint } from './load.ts';
import type { Waterfall } from './waterfall.ts';

/** Bar colour of a span, by operation; failed spans are red whatever their operation. */
const OPERATION_COLOURS: Readonly<Record<string, string>> = {
  invoke_workflow: '#59636e',
  invoke_agent: '#0072b2',
  chat: '#56b4e9',
  execute_tool: '#e69f00',
};
const ERROR_COLOUR = '#d1242f';

/** Marker of an event by the family of its kind (the text before the first dot); others are circles. */
const EVENT_MARKERS: Readonly<Record<string, PointStyle>> = {
  breaker: 'triangle',
  budget: 'rectRot',
  compensation: 'rect',
  arrival: 'crossRot',
};

function eventMarker(kind: string): PointStyle {
  return EVENT_MARKERS[kind.split('.')[0] as string] ?? 'circle';
}

/** Height of one waterfall row, px. */
const WATERFALL_ROW_PX = 18;

function loadChart(report: ScenarioReport, id: string, title: string, value: (point: LoadPoint) => number | null, y: ChartSpec['y']): ChartSpec {
  return {
    id,
    title,
    type: 'line',
    datasets: report.load.map((run, index) => ({
      label: run.label,
      color: colour(index),
      pointRadius: 0,
      data: run.points.map((point) => ({ x: point.t, y: value(point) })),
    })),
    x: { title: 'virtual time', format: 'seconds' },
    y,
  };
}

function loadSections(report: ScenarioReport, prefix: string): ReportSection[] {
  const hasLoad = report.load.some((run) => run.points.length > 0);
  const queues: ChartSpec = {
    id: `${prefix}-queue-length`,
    title: 'Queue length per shared resource (most waiting in each window)',
    type: 'line',
    datasets: report.queues.map((line, index) => ({
      label: line.label,
      color: colour(index),
      pointRadius: 0,
      data: line.points.map(([x, y]) => ({ x, y })),
    })),
    x: { title: 'virtual time', format: 'seconds' },
    y: { title: 'calls waiting', format: 'count', min: 0 },
  };
  const kinds = [...new Set(report.events.events.map((event) => event.kind))].sort();
  const runs = [...new Set(report.events.events.map((event) => event.run))];
  const events: ChartSpec = {
    id: `${prefix}-events-timeline`,
    title: 'Reliability events over time',
    type: 'scatter',
    datasets: runs.map((run, index) => {
      const ofRun = report.events.events.filter((event) => event.run === run);
      return {
        label: run,
        color: colour(index),
        pointRadius: 5,
        pointStyle: ofRun.map((event) => eventMarker(event.kind)),
        data: ofRun.map((event) => ({ x: event.t, y: event.kind, note: `${event.subject}${event.workflowId === null ? '' : ` (workflow ${event.workflowId})`}` })),
      };
    }),
    x: { title: 'virtual time', format: 'seconds' },
    y: { title: 'event', format: 'count', categories: kinds },
  };
  const { total } = report.events;
  const shown = report.events.events.length;
  return [
    section(
      `${prefix}-load`,
      'Throughput, in-flight and p95 over time',
      'Per window of virtual time: workflows finished per second, the most in flight at once, and the p95 latency of those that ended. A p95 that climbs while throughput stays flat is a queue building up. Long runs are drawn in buckets of whole windows (a bucket’s p95 is its worst window’s).',
      hasLoad
        ? [
            loadChart(report, `${prefix}-throughput`, 'Throughput', (point) => point.throughput, { title: 'workflows finished per second', format: 'ratio', min: 0 }),
            loadChart(report, `${prefix}-in-flight`, 'Workflows in flight', (point) => point.inFlight, { title: 'most in flight', format: 'count', min: 0 }),
            loadChart(report, `${prefix}-p95-over-time`, 'p95 latency per window', (point) => point.p95Ms, { title: 'p95 latency', format: 'duration', min: 0 }),
          ]
        : [],
      'No data in this run: it recorded no time series.',
    ),
    section(
      `${prefix}-queues`,
      'Queue length over time',
      'Calls waiting for a shared rate limit or concurrency pool.',
      report.queues.length > 0 ? [queues] : [],
      'No data in this run: no shared rate limits or pools were queued.',
    ),
    section(
      `${prefix}-events`,
      'Breaker, budget and compensation events',
      'Each point is one event, coloured by run and shaped by kind: circuit breaker transitions ▲, budget alerts and stops ◆, ' +
        `compensations ■, dropped arrivals ✕, anything else ●.${shown < total ? ` The first ${shown} of ${total} events are drawn.` : ''}`,
      shown > 0 ? [events] : [],
      'No data in this run: no breaker, budget or compensation events were recorded.',
    ),
  ];
}

function waterfallChart(waterfall: Waterfall, id: string): ChartSpec {
  const labels = waterfall.spans.map((span) => `${'\u00a0\u00a0'.repeat(span.depth)}${span.name}`);
  const colours = waterfall.spans.map((span) => (span.status === 'error' ? ERROR_COLOUR : (OPERATION_COLOURS[span.operation] ?? '#7f7f7f')));
  const truncated = waterfall.totalSpans > waterfall.spans.length ? ` — first ${waterfall.spans.length} of ${waterfall.totalSpans} spans` : '';
  return {
    id,
    title: `${waterfall.series}: ${waterfall.which} workflow #${waterfall.workflowId} (${waterfall.status})${truncated}`,
    type: 'bar',
    horizontal: true,
    legend: false,
    labels,
    datasets: [{ label: 'span', color: colours, data: waterfall.spans.map((span) => [span.startMs, span.endMs] as const) }],
    x: { title: 'time since the workflow started', format: 'duration', min: 0 },
    y: { title: '', format: 'count' },
    height: Math.max(160, 60 + WATERFALL_ROW_PX * waterfall.spans.length),
  };
}

function waterfallSection(report: ScenarioReport, prefix: string): ReportSection {
  const charts = report.waterfalls.map((waterfall, index) => waterfallChart(waterfall, `${prefix}-waterfall-${index}`));
  return section(
    `${prefix}-waterfalls`,
    'Trace waterfalls: the median and the slowest workflow of each pattern',
    'Spans of one trace: the workflow (grey), agent calls (dark blue), model attempts (light blue), tool calls (orange); failed spans in red. Gaps between bars are waiting; stacked chat bars under one agent call are retries.',
    charts,
  );
}

/** The load, queue, event and waterfall sections of a scenario; chart ids start with `prefix`. */
export function timeSections(report: ScenarioReport, prefix: string): ReportSection[] {
  return [...loadSections(report, prefix), waterfallSection(report, prefix)];
}
