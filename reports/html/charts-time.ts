/**
 * The charts of a scenario's behaviour over time — load, queues, events — and its sample trace
 * waterfalls, as `ChartSpec`s built from its `ScenarioReport`.
 */
import { formatDuration } from '../../harness/kernel/duration.ts';
import { colour, section, type AxisSpec, type ChartSpec, type PointStyle, type ReportSection } from './chart-spec.ts';
import type { ScenarioReport } from './data.ts';
import type { LoadPoint, RunLoad } from './load.ts';
import { DRAIN_SHARE, wholeRuns, type TimeAxis } from './time-axis.ts';
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

/**
 * The x axis of every over-time chart: time from each run's start (virtual time, or the wall clock of
 * a real-time run or imported traces: the page's header says which) to the end of the scenario's
 * time axis (`time-axis.ts`).
 */
function timeX(axis: TimeAxis): AxisSpec {
  return axis.endMs === null ? { title: 'time from the run’s start', format: 'seconds', min: 0 } : { title: 'time from the run’s start', format: 'seconds', min: 0, max: axis.endMs / 1000 };
}

/** `n word(s)` with thousands separators. */
function counted(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** What a clipped time axis leaves out of the workflows: per run, how many ended later and when the last did. */
export function workflowTailNote(axis: TimeAxis): string | undefined {
  if (axis.tail.length === 0) return undefined;
  const runs = axis.tail.map((run, index) =>
    `${run.label}: ${index === 0 ? `${counted(run.workflows, 'workflow')} ended after the drain` : run.workflows.toLocaleString('en-US')}, the last at ${formatDuration(run.lastEndMs)}`,
  );
  return `${runs.join('; ')} (not shown).`;
}

/**
 * The sentence of a section note that says where a clipped time axis stops (and, `why`, how that
 * point is chosen); empty when not clipped.
 */
export function timeAxisSentence(axis: TimeAxis, why: boolean): string {
  if (!axis.clipped || axis.endMs === null || axis.arrivalsEndMs === null || axis.drainMs === null) return '';
  const reason = why ? ` (a run’s p95 latency, at most ${DRAIN_SHARE * 100} % of its arrival period)` : '';
  return (
    ` The time axis stops at ${formatDuration(axis.endMs)}: ${formatDuration(axis.arrivalsEndMs)} of arrivals, then ${formatDuration(axis.drainMs)} for the work in flight to drain${reason}; ` +
    'what ended later is counted under the charts.'
  );
}

/** A run with its position in the scenario's runs, which picks its colour. */
type PlacedRun = RunLoad & { readonly index: number };

function loadChart(runs: readonly PlacedRun[], axis: TimeAxis, id: string, title: string, value: (point: LoadPoint) => number | null, y: ChartSpec['y']): ChartSpec {
  const note = workflowTailNote(axis);
  return {
    id,
    title,
    type: 'line',
    datasets: runs.map((run) => ({
      label: run.label,
      color: colour(run.index),
      pointRadius: 0,
      // One workflow at a time ends in few windows: join its line across the windows where none did.
      ...(run.loaded ? {} : { spanGaps: true }),
      data: run.points.map((point) => ({ x: point.t, y: value(point) })),
    })),
    x: timeX(axis),
    y,
    ...(note === undefined ? {} : { note }),
  };
}

/** Why throughput, in flight and spend are not drawn for closed loops of one workflow at a time; empty when every run is loaded. */
export function unloadedSentence(runs: readonly RunLoad[]): string {
  const unloaded = runs.filter((run) => !run.loaded);
  if (unloaded.length === 0) return '';
  const which = unloaded.length === runs.length ? 'any run: each is' : `${unloaded.map((run) => run.label).join(', ')}: ${unloaded.length === 1 ? 'it is' : 'each is'}`;
  return (
    ` Throughput, in flight and spend are not drawn for ${which} a closed loop of one workflow at a time, ` +
    'so its throughput is only 1 ÷ its latency and one workflow is always in flight.'
  );
}

/** The note of the load section: what its charts show (throughput and the rest only when some run was loaded). */
function loadNote(runs: readonly RunLoad[], axis: TimeAxis): string {
  const shows = runs.some((run) => run.loaded)
    ? 'Per window of time: workflows finished per second, the most in flight at once, the p95 latency of those that ended, and the spend per minute. ' +
      'A p95 that climbs while throughput stays flat is a queue building up.'
    : 'Per window of time, the p95 latency of the workflows that ended in it: a p95 that drifts up over the run is a queue or a dependency slowing down.';
  return `${shows} Long runs are drawn in buckets of whole windows (a bucket’s p95 is its worst window’s).${timeAxisSentence(axis, true)}${unloadedSentence(runs)}`;
}

function loadSections(report: ScenarioReport, prefix: string): ReportSection[] {
  const runs = report.load.map((run, index) => ({ ...run, index })).filter((run) => run.points.length > 0);
  const axis = report.load[0]?.axis ?? wholeRuns(null);
  const loaded = runs.filter((run) => run.loaded);
  const tailNote = workflowTailNote(axis);
  const waitedLater = report.queues.flatMap((line) => (line.queuedUntilS === null ? [] : [`${line.label} until ${formatDuration(line.queuedUntilS * 1000)}`]));
  const queueNote = [tailNote, ...(waitedLater.length === 0 ? [] : [`Calls still waited after the drain: ${waitedLater.join('; ')}.`])].filter((part): part is string => part !== undefined);
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
    x: timeX(axis),
    y: { title: 'calls waiting', format: 'count', min: 0 },
    ...(queueNote.length === 0 ? {} : { note: queueNote.join(' ') }),
  };
  const kinds = [...new Set(report.events.events.map((event) => event.kind))].sort();
  const eventRuns = [...new Set(report.events.events.map((event) => event.run))];
  const { later } = report.events;
  const events: ChartSpec = {
    id: `${prefix}-events-timeline`,
    title: 'Reliability events over time',
    type: 'scatter',
    datasets: eventRuns.map((run, index) => {
      const ofRun = report.events.events.filter((event) => event.run === run);
      return {
        label: run,
        color: colour(index),
        pointRadius: 5,
        pointStyle: ofRun.map((event) => eventMarker(event.kind)),
        data: ofRun.map((event) => ({ x: event.t, y: event.kind, note: `${event.subject}${event.workflowId === null ? '' : ` (workflow ${event.workflowId})`}` })),
      };
    }),
    x: timeX(axis),
    y: { title: 'event', format: 'count', categories: kinds },
    ...(later.events === 0 || later.lastS === null
      ? {}
      : { note: `${counted(later.events, 'event')} after the drain, the last at ${formatDuration(later.lastS * 1000)} (not shown).` }),
  };
  const { total } = report.events;
  const shown = report.events.events.length;
  const clipped = timeAxisSentence(axis, false);
  return [
    section(
      `${prefix}-load`,
      runs.length > 0 && loaded.length === 0 ? 'p95 latency over time' : 'Throughput, in flight, p95 and spend over time',
      loadNote(runs, axis),
      runs.length === 0
        ? []
        : [
            ...(loaded.length === 0
              ? []
              : [
                  loadChart(loaded, axis, `${prefix}-throughput`, 'Throughput', (point) => point.throughput, { title: 'workflows finished per second', format: 'ratio', min: 0 }),
                  loadChart(loaded, axis, `${prefix}-in-flight`, 'Workflows in flight', (point) => point.inFlight, { title: 'most in flight', format: 'count', min: 0 }),
                ]),
            loadChart(runs, axis, `${prefix}-p95-over-time`, 'p95 latency per window', (point) => point.p95Ms, { title: 'p95 latency', format: 'duration', min: 0 }),
            ...(loaded.length === 0
              ? []
              : [loadChart(loaded, axis, `${prefix}-spend-over-time`, 'Spend per minute', (point) => point.costPerMinuteUsd, { title: 'USD per minute', format: 'usd', min: 0 })]),
          ],
      'No data in this run: it recorded no time series.',
    ),
    section(
      `${prefix}-queues`,
      'Queue length over time',
      `Calls waiting for a shared rate limit or concurrency pool.${clipped}`,
      report.queues.length > 0 ? [queues] : [],
      'No data in this run: no shared rate limits or pools were queued.',
    ),
    section(
      `${prefix}-events`,
      'Breaker, budget and compensation events',
      'Each point is one event, coloured by run and shaped by kind: circuit breaker transitions ▲, budget alerts and stops ◆, ' +
        `compensations ■, dropped arrivals ✕, anything else ●.${shown < total - later.events ? ` The first ${shown} of ${total - later.events} events are drawn.` : ''}${clipped}`,
      shown > 0 ? [events] : [],
      later.events > 0 && events.note !== undefined
        ? `No events before the end of the time axis: ${events.note}`
        : 'No data in this run: no breaker, budget or compensation events were recorded.',
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
