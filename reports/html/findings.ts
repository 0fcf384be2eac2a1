/**
 * A scenario's reliability and load tables, as `patternbench run` prints them under the summary:
 * one row per run (pattern, variant, seed), rendered on the server. Every number carries its raw
 * value in `data-value` and its field of `RunReliability` / `RunLoad` in `data-field` (a dotted
 * path for the break point), so a reader's tool — or a test — can check the page against
 * `summariseReliability` and `summariseLoad`.
 */
import { escapeHtml } from './page.ts';
import { cell, count, duration, NONE, textCell } from './tables.ts';
import { formatPercentDown, formatUsd } from '../summary/format.ts';
import type { RunLoad } from '../summary/load.ts';
import { eventful, type RunReliability } from '../summary/reliability.ts';
import type { SummaryRow } from '../summary/summary.ts';

export type NumericField<T> = { [K in keyof T]: T[K] extends number | null ? K : never }[keyof T];

/** A column of numbers: header, field, and how a value prints. */
export interface Column<T> {
  readonly header: string;
  readonly field: NumericField<T>;
  readonly text: (value: number) => string;
  /** Marks the cell (class `bad`) when true. Default: never. */
  readonly bad?: (value: number) => boolean;
}

const RELIABILITY_COLUMNS: readonly Column<RunReliability>[] = [
  { header: 'completed', field: 'completionRate', text: (value) => formatPercentDown(value) },
  { header: 'p95', field: 'latencyP95Ms', text: duration },
  { header: 'retries/wf', field: 'retriesPerWorkflow', text: (value) => value.toFixed(2) },
  { header: 'breaker trips', field: 'breakerTrips', text: (value) => count(value) },
  { header: 'fallbacks', field: 'fallbacks', text: (value) => count(value) },
  { header: 'dead letters', field: 'deadLetters', text: (value) => count(value) },
  { header: 'compensations', field: 'compensations', text: (value) => count(value) },
  { header: 'uncompensated', field: 'uncompensated', text: (value) => count(value), bad: (value) => value > 0 },
  { header: 'budget stops', field: 'budgetStops', text: (value) => count(value) },
  { header: 'cost/wf', field: 'meanCostUsd', text: (value) => formatUsd(value) },
];

const LOAD_COLUMNS: readonly Column<RunLoad>[] = [
  { header: 'arrivals', field: 'arrivals', text: (value) => count(value) },
  { header: 'dropped', field: 'dropped', text: (value) => count(value) },
  { header: 'peak wf/s', field: 'peakThroughput', text: (value) => count(value, 1) },
  { header: 'peak in flight', field: 'peakInFlight', text: (value) => count(value) },
  { header: 'p95 latency', field: 'latencyP95Ms', text: duration },
  { header: 'p95 service', field: 'serviceP95Ms', text: duration },
];

export function numberCells<T>(row: T, columns: readonly Column<T>[]): string[] {
  return columns.map((column) => {
    const value = row[column.field] as number | null;
    const bad = value !== null && column.bad !== undefined && column.bad(value);
    return cell(value === null ? NONE : column.text(value), value, ` data-field="${String(column.field)}"`, bad ? 'bad' : '');
  });
}

/** The run's pattern, variant and seed cells (from its summary row). */
export function runCells(runId: string, summary: ReadonlyMap<string, SummaryRow>): string {
  const row = summary.get(runId);
  return row === undefined ? `${textCell(runId)}${textCell('')}${textCell('')}` : `${textCell(row.pattern)}${textCell(row.variant)}${textCell(String(row.seed))}`;
}

export function table(id: string, headers: readonly string[], rows: readonly string[]): string {
  const head = ['pattern', 'variant', 'seed'].map((name) => `<th class="text">${name}</th>`).join('') + headers.join('');
  return `<div class="wide"><table id="${escapeHtml(id)}"><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>`;
}

export const byRunId = (summary: readonly SummaryRow[]): Map<string, SummaryRow> => new Map(summary.map((row) => [row.runId, row]));

/** Failed workflows by error type: one `<span data-error-type data-value>` per type. */
function failuresCell(failures: RunReliability['failures']): string {
  const spans = failures.map(([type, n]) => `<span data-error-type="${escapeHtml(type)}" data-value="${n}">${escapeHtml(`${type} ${n}`)}</span>`);
  return `<td class="text" data-field="failures">${spans.length === 0 ? NONE : spans.join(', ')}</td>`;
}

/**
 * The reliability table of a scenario's runs (`summariseReliability`); empty string when no run met
 * a fault (`eventful`), as the terminal's reliability block.
 */
export function reliabilityTable(runs: readonly RunReliability[], summary: readonly SummaryRow[], id: string): string {
  if (!runs.some(eventful)) return '';
  const runRows = byRunId(summary);
  const headers = [...RELIABILITY_COLUMNS.map((column) => `<th>${escapeHtml(column.header)}</th>`), '<th class="text">failures by type</th>'];
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

/** The load table of a scenario's runs that had load (`summariseLoad`); empty string when none did. */
export function loadTable(runs: readonly RunLoad[], summary: readonly SummaryRow[], id: string): string {
  if (runs.length === 0) return '';
  const runRows = byRunId(summary);
  const resources = [...new Set(runs.flatMap((run) => run.queueWaitP95Ms.map(([resource]) => resource)))].sort();
  const headers = [
    '<th class="text">load</th>',
    ...LOAD_COLUMNS.map((column) => `<th>${escapeHtml(column.header)}</th>`),
    ...resources.map((resource) => `<th>wait p95 ${escapeHtml(resource)}</th>`),
    '<th>p95 limit</th><th>p95 broke at</th><th>arrivals/s there</th>',
  ];
  const rows = runs.map((run) => {
    const waits = new Map(run.queueWaitP95Ms);
    const waitCells = resources.map((resource) => {
      const wait = waits.get(resource) ?? null;
      return cell(duration(wait), wait, ` data-field="queueWaitP95Ms" data-resource="${escapeHtml(resource)}"`);
    });
    return `<tr data-run-id="${escapeHtml(run.runId)}">${runCells(run.runId, runRows)}${textCell(run.load)}${numberCells(run, LOAD_COLUMNS).join('')}${waitCells.join('')}${breakPointCells(run)}</tr>`;
  });
  return [
    '<h3>Load</h3>',
    '<p class="note">Runs with an open arrival model, concurrency or shared resources. Latency counts from the intended start (queueing ' +
      'included), service from the actual start: a gap between them is waiting a closed loop would have hidden. Peak wf/s: most workflows ' +
      'completed per second in one window. p95 broke at: the intended start of the first block of workflows whose p95 went over the limit ' +
      '(the run’s p95(latency) threshold, else twice its early p95) and stayed over, with the arrivals per second over the 30 s before it.</p>',
    table(id, headers, rows),
  ].join('\n');
}
