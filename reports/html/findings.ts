/**
 * A scenario's reliability and load tables, as `patternbench run` prints them under the summary:
 * one row per run (pattern, variant, seed), rendered on the server. Every number carries its raw
 * value in `data-value` and its field of `RunReliability` / `RunLoad` in `data-field` (a dotted
 * path for the break point), so a reader's tool — or a test — can check the page against
 * `summariseReliability` and `summariseLoad`.
 */
import { escapeHtml } from './page.ts';
import { cell, clipped, count, duration, NONE, scrollTable, seriesLabel } from './tables.ts';
import { formatPercentDown, formatUsd } from '../summary/format.ts';
import type { RunLoad } from '../summary/load.ts';
import { eventful, type RunReliability } from '../summary/reliability.ts';
import type { SummaryRow } from '../summary/summary.ts';

export type NumericField<T> = { [K in keyof T]: T[K] extends number | null ? K : never }[keyof T];

/** A column of numbers: header, field, and how a value prints. */
export interface Column<T> {
  /** A short header (a word or two). */
  readonly header: string;
  /** What the column means, shown as the header's tooltip. Default: none. */
  readonly title?: string;
  readonly field: NumericField<T>;
  readonly text: (value: number) => string;
  /** Marks the cell (class `bad`) when true. Default: never. */
  readonly bad?: (value: number) => boolean;
}

const RELIABILITY_COLUMNS: readonly Column<RunReliability>[] = [
  { header: 'completed', title: 'completed workflows ÷ arrivals (failed and dropped ones count against it)', field: 'completionRate', text: (value) => formatPercentDown(value) },
  { header: 'p95', title: '95th percentile workflow latency', field: 'latencyP95Ms', text: duration },
  { header: 'retries/wf', title: 'attempts after the first of each agent call, per workflow', field: 'retriesPerWorkflow', text: (value) => value.toFixed(2) },
  { header: 'breaker trips', title: 'times a circuit breaker opened', field: 'breakerTrips', text: (value) => count(value) },
  { header: 'fallbacks', title: 'agent calls answered by a fallback agent', field: 'fallbacks', text: (value) => count(value) },
  { header: 'dead letters', title: 'workflows and compensations that failed for good (patternbench dlq list)', field: 'deadLetters', text: (value) => count(value) },
  { header: 'compen\u00adsations', title: 'side effects undone after a workflow failed', field: 'compensations', text: (value) => count(value) },
  {
    header: 'uncompen\u00adsated',
    title: 'side effects of failed workflows neither undone nor dead-lettered: must be 0',
    field: 'uncompensated',
    text: (value) => count(value),
    bad: (value) => value > 0,
  },
  { header: 'budget stops', title: 'workflows a budget ended', field: 'budgetStops', text: (value) => count(value) },
  { header: 'cost/wf', title: 'mean cost per workflow, USD', field: 'meanCostUsd', text: (value) => formatUsd(value) },
];

const LOAD_COLUMNS: readonly Column<RunLoad>[] = [
  { header: 'arrivals', title: 'workflows meant to run: started ones and dropped arrivals', field: 'arrivals', text: (value) => count(value) },
  { header: 'dropped', title: 'arrivals dropped at the in-flight cap: they never started', field: 'dropped', text: (value) => count(value) },
  { header: 'peak wf/s', title: 'most workflows completed per second in one window', field: 'peakThroughput', text: (value) => count(value, 1) },
  { header: 'peak in\u00a0flight', title: 'most workflows in flight at once', field: 'peakInFlight', text: (value) => count(value) },
  { header: 'p95 latency', title: '95th percentile latency from the intended start (queueing counted)', field: 'latencyP95Ms', text: duration },
  { header: 'p95 service', title: '95th percentile latency from the actual start: a gap to p95 latency is time spent waiting to start', field: 'serviceP95Ms', text: duration },
];

/** The header cells of `columns`. */
export function columnHeaders<T>(columns: readonly Column<T>[], attributes = ''): string[] {
  return columns.map((column) => {
    const title = column.title === undefined ? '' : ` title="${escapeHtml(column.title)}"`;
    return `<th${attributes}${title}>${escapeHtml(column.header)}</th>`;
  });
}

export function numberCells<T>(row: T, columns: readonly Column<T>[]): string[] {
  return columns.map((column) => {
    const value = row[column.field] as number | null;
    const bad = value !== null && column.bad !== undefined && column.bad(value);
    return cell(value === null ? NONE : column.text(value), value, ` data-field="${String(column.field)}"`, bad ? 'bad' : '');
  });
}

/**
 * A run as a reader names it: its pattern and variant, and its seed when the scenario ran that
 * pattern and variant with several seeds; null for a run `summary` does not hold.
 */
export function runLabel(runId: string, summary: ReadonlyMap<string, SummaryRow>): string | null {
  const row = summary.get(runId);
  if (row === undefined) return null;
  const seeds = [...summary.values()].filter((other) => other.scenario === row.scenario && other.pattern === row.pattern && other.variant === row.variant);
  return seeds.length > 1 ? `${seriesLabel(row)} · seed ${row.seed}` : seriesLabel(row);
}

/**
 * The run's cell, first in its row and pinned when the table scrolls: its `runLabel` with the run
 * id as its tooltip; the run id, shortened, for a run `summary` does not hold.
 */
export function runCells(runId: string, summary: ReadonlyMap<string, SummaryRow>): string {
  const label = runLabel(runId, summary);
  if (label === null) return `<td class="text run">${clipped(runId)}</td>`;
  return `<td class="text run" title="${escapeHtml(runId)}">${escapeHtml(label)}</td>`;
}


/** The run column's header. */
const RUN_HEADER = '<th class="text" title="pattern (variant) of the run; the run id on hover">run</th>';

/** A table of runs: the run column (`runCells`), then the header cells `headers`. */
export function table(id: string, headers: readonly string[], rows: readonly string[]): string {
  return scrollTable(id, `<tr>${RUN_HEADER}${headers.join('')}</tr>`, rows);
}

export const byRunId = (summary: readonly SummaryRow[]): Map<string, SummaryRow> => new Map(summary.map((row) => [row.runId, row]));

/** Failed workflows by error type: one `<span data-error-type data-value>` per type. */
function failuresCell(failures: RunReliability['failures']): string {
  const spans = failures.map(([type, n]) => `<span data-error-type="${escapeHtml(type)}" data-value="${n}">${escapeHtml(`${type} ${n}`)}</span>`);
  return `<td class="text list" data-field="failures">${spans.length === 0 ? NONE : spans.join(', ')}</td>`;
}

/**
 * The reliability table of a scenario's runs (`summariseReliability`); empty string when no run met
 * a fault (`eventful`), as the terminal's reliability block.
 */
export function reliabilityTable(runs: readonly RunReliability[], summary: readonly SummaryRow[], id: string): string {
  if (!runs.some(eventful)) return '';
  const runRows = byRunId(summary);
  const headers = [...columnHeaders(RELIABILITY_COLUMNS), '<th class="text" title="failed workflows by error type, most frequent first">failures</th>'];
  const rows = runs.map((run) => {
    const cells = numberCells(run, RELIABILITY_COLUMNS).join('');
    return `<tr data-run-id="${escapeHtml(run.runId)}">${runCells(run.runId, runRows)}${cells}${failuresCell(run.failures)}</tr>`;
  });
  return [
    '<h3>Reliability</h3>',
    '<p class="note">How each run coped with faults. Retries: attempts after the first of each agent call, per workflow. Breaker trips: ' +
      'times a circuit breaker opened. Fallbacks: agent calls answered by a fallback agent. Compensations: side effects undone after a ' +
      'workflow failed; uncompensated side effects (neither undone nor dead-lettered) must be 0. Budget stops: workflows a budget ended.</p>',
    table(id, headers, rows),
  ].join('\n');
}

/** The break point's limit, where p95 broke, and the arrival rate there. */
function breakPointCells(run: RunLoad): string {
  const point = run.breakPoint;
  const field = (name: string): string => ` data-field="breakPoint.${name}"`;
  if (point === null) return cell(NONE, null, field('limitMs')) + cell(NONE, null, field('atMs')) + cell(NONE, null, field('arrivalRate'));
  const limit = `${point.basis === 'threshold' ? 'threshold' : '2× early p95'} ${duration(point.limitMs)}`;
  return (
    cell(limit, point.limitMs, field('limitMs')) +
    cell(point.atMs === null ? 'held' : duration(point.atMs), point.atMs, field('atMs')) +
    cell(point.arrivalRate === null ? NONE : count(point.arrivalRate, 1), point.arrivalRate, field('arrivalRate'))
  );
}

/** The shortest name of a resource: a rate limit's model without provider and date, `pool <agent>` for a pool. */
function shortResource(resource: string): string {
  const [kind, name = ''] = resource.split(/:(.*)/s);
  if (kind === 'rate') return (name.split('/').pop() ?? name).replace(/-(\d{8}|\d{4}-\d{2}-\d{2})$/, '');
  if (kind === 'pool') return `pool ${name}`;
  return resource;
}

/**
 * Column labels of `resources` (sorted names such as `rate:anthropic/claude-sonnet-4-5-20250929`):
 * each its `shortResource`, the whole name where two short ones would read the same.
 */
export function resourceLabels(resources: readonly string[]): Map<string, string> {
  const short = resources.map(shortResource);
  return new Map(resources.map((resource, index) => [resource, short.indexOf(short[index] as string) === short.lastIndexOf(short[index] as string) ? (short[index] as string) : resource]));
}

/** The load table's two header rows: the runs' figures, then the queue waits and the break point each under its group. */
function loadHead(resources: readonly string[]): string[] {
  const labels = resourceLabels(resources);
  const tall = ' rowspan="2"';
  const top = [
    RUN_HEADER.replace('<th', `<th${tall}`),
    `<th class="text"${tall} title="the run’s load model">load</th>`,
    ...columnHeaders(LOAD_COLUMNS, tall),
    resources.length === 0 ? '' : `<th colspan="${resources.length}" title="95th percentile wait in the queue of each shared resource (rate limits, agent pools); the full name on hover">queue wait p95</th>`,
    '<th colspan="3" title="where p95 latency went over its limit and stayed over">p95 break\u00a0point</th>',
  ];
  const bottom = [
    ...resources.map((resource) => `<th data-resource="${escapeHtml(resource)}">${clipped(resource, labels.get(resource))}</th>`),
    '<th title="the run’s p95(latency) threshold, else twice its early p95">limit</th>',
    '<th title="intended start of the first block of workflows whose p95 went over the limit and stayed over; held: it never did">broke at</th>',
    '<th title="arrivals per second over the 30 s before the break">arrivals/s</th>',
  ];
  return [top.join(''), bottom.join('')];
}

/** The load table of a scenario's runs that had load (`summariseLoad`); empty string when none did. */
export function loadTable(runs: readonly RunLoad[], summary: readonly SummaryRow[], id: string): string {
  if (runs.length === 0) return '';
  const runRows = byRunId(summary);
  const resources = [...new Set(runs.flatMap((run) => run.queueWaitP95Ms.map(([resource]) => resource)))].sort();
  const rows = runs.map((run) => {
    const waits = new Map(run.queueWaitP95Ms);
    const waitCells = resources.map((resource) => {
      const wait = waits.get(resource) ?? null;
      return cell(duration(wait), wait, ` data-field="queueWaitP95Ms" data-resource="${escapeHtml(resource)}"`);
    });
    return `<tr data-run-id="${escapeHtml(run.runId)}">${runCells(run.runId, runRows)}<td class="text load">${escapeHtml(run.load)}</td>${numberCells(run, LOAD_COLUMNS).join('')}${waitCells.join('')}${breakPointCells(run)}</tr>`;
  });
  return [
    '<h3>Load</h3>',
    '<p class="note">Runs with an open arrival model, concurrency or shared resources. Latency counts from the intended start (queueing ' +
      'included), service from the actual start: a gap between them is waiting a closed loop would have hidden. Peak wf/s: most workflows ' +
      'completed per second in one window. p95 broke at: the intended start of the first block of workflows whose p95 went over the limit ' +
      '(the run’s p95(latency) threshold, else twice its early p95) and stayed over, with the arrivals per second over the 30 s before it.</p>',
    scrollTable(id, loadHead(resources).map((row) => `<tr>${row}</tr>`).join(''), rows),
  ].join('\n');
}
