/**
 * The HTML report's summary table, and the cell helpers every table of the report uses, rendered on
 * the server as plain markup. Every numeric cell carries its raw value in `data-value` (and the
 * summary's its field in `data-field`), so a reader's tool — or a test — can check the page against
 * the database. Headers are short, their explanation in `title`; long names are shortened
 * (`clipped`) with the whole name in `title`.
 */
import { formatDuration } from '../../harness/kernel/duration.ts';
import { escapeHtml } from './page.ts';
import { formatAccuracy, formatPassAllK, formatPercentDown, formatUsd } from '../summary/format.ts';
import type { SummaryRow } from '../summary/summary.ts';

/** Printed for a missing value. */
export const NONE = '–';

/** A number with thousands separators and `digits` decimals; `–` for null. */
export function count(value: number | null, digits = 0): string {
  return value === null ? NONE : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A duration (`850ms`, `12.3s`); `–` for null. */
export function duration(ms: number | null): string {
  return ms === null ? NONE : formatDuration(ms);
}

/** A numeric cell: `text` shown, the raw `value` in `data-value` (empty for null). */
export function cell(text: string, value: number | null, attributes = '', classes = ''): string {
  const classAttribute = classes === '' ? '' : ` class="${classes}"`;
  return `<td${classAttribute}${attributes} data-value="${value === null ? '' : String(value)}">${escapeHtml(text)}</td>`;
}

/** A left-aligned text cell. */
export function textCell(text: string): string {
  return `<td class="text">${escapeHtml(text)}</td>`;
}

/**
 * `short` (default: `text`) in a `span.clip`, which a narrow column cuts with an ellipsis, the whole
 * `text` in its `title`: for long names (resources, run ids) in a table.
 */
export function clipped(text: string, short = text): string {
  return `<span class="clip" title="${escapeHtml(text)}">${escapeHtml(short)}</span>`;
}

/** A header cell: a short `label`, and the long explanation in `title` (a tooltip) when given. */
export function headerCell(label: string, title = '', classes = ''): string {
  const classAttribute = classes === '' ? '' : ` class="${classes}"`;
  return `<th${classAttribute}${title === '' ? '' : ` title="${escapeHtml(title)}"`}>${escapeHtml(label)}</th>`;
}

/** A header row of `[label, title]` cells, the columns `text` says left-aligned (class `text`). */
export function headerRow(headers: readonly (readonly [string, string])[], text: (column: number) => boolean): string {
  return `<tr>${headers.map(([label, title], column) => headerCell(label, title, text(column) ? 'text' : '')).join('')}</tr>`;
}

/** A number's cell with its field named (`data-field`), so a test can check the page against the file. */
export function fieldCell(text: string, value: number | null, field: string): string {
  return cell(text, value, ` data-field="${field}"`);
}

/** A table in its own scroll box: the header rows `head` (each a `<tr>` already) and the body rows. */
export function scrollTable(id: string, head: string, rows: readonly string[]): string {
  return `<div class="wide"><table id="${escapeHtml(id)}"><thead>${head}</thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>`;
}

/** `pattern` or `pattern (variant)` (the base variant unnamed), as the decision matrix labels a series. */
export function seriesLabel(row: { readonly pattern: string; readonly variant: string }): string {
  return row.variant === 'base' ? row.pattern : `${row.pattern} (${row.variant})`;
}

/** A summary column: short header, its explanation, the field of `SummaryRow`, and how the value prints. */
interface SummaryColumn {
  readonly header: string;
  readonly title: string;
  readonly field: keyof SummaryRow;
  readonly text: (row: SummaryRow) => string;
}

const LATENCY = 'workflow latency (intended start → end, queueing counted), nearest rank over every workflow of the run';

const SUMMARY_COLUMNS: readonly SummaryColumn[] = [
  { header: 'seed', title: 'seed of the run’s random streams', field: 'seed', text: (row) => String(row.seed) },
  { header: 'workflows', title: 'workflows that started', field: 'workflows', text: (row) => count(row.workflows) },
  { header: 'success', title: 'completed ÷ arrivals: failed workflows and dropped arrivals count against it', field: 'successRate', text: (row) => formatPercentDown(row.successRate) },
  {
    header: 'accuracy [95%\u00a0CI]',
    title: 'correct ÷ every arrival (failed and dropped ones count as not correct), with its 95 % Wilson interval',
    field: 'accuracy',
    text: (row) => formatAccuracy(row),
  },
  { header: 'acc. completed', title: 'accuracy of the completed workflows alone: correct ÷ scored', field: 'accuracyCompleted', text: (row) => formatPercentDown(row.accuracyCompleted) },
  { header: 'pass^k', title: 'share of the cases right on every one of their k tries (--repeat k); – without repeats', field: 'passAllK', text: (row) => formatPassAllK(row) },
  { header: 'p50', title: `median ${LATENCY}`, field: 'latencyP50Ms', text: (row) => duration(row.latencyP50Ms) },
  { header: 'p95', title: `95th percentile ${LATENCY}`, field: 'latencyP95Ms', text: (row) => duration(row.latencyP95Ms) },
  { header: 'p99', title: `99th percentile ${LATENCY}`, field: 'latencyP99Ms', text: (row) => duration(row.latencyP99Ms) },
  { header: 'tokens/wf', title: 'mean input + output tokens per workflow', field: 'meanTokens', text: (row) => count(row.meanTokens) },
  { header: 'cost/wf', title: 'mean cost per workflow, USD', field: 'meanCostUsd', text: (row) => formatUsd(row.meanCostUsd) },
  { header: 'cost/1k\u00a0wf', title: 'cost of 1,000 workflows, USD', field: 'costPer1kUsd', text: (row) => formatUsd(row.costPer1kUsd) },
  {
    header: 'cost/correct',
    title: 'total cost ÷ correct answers: what one right answer costs (failed workflows and wrong answers are paid for too)',
    field: 'costPerCorrectUsd',
    text: (row) => formatUsd(row.costPerCorrectUsd),
  },
  { header: 'calls/wf', title: 'mean agent calls per workflow', field: 'meanAgentCalls', text: (row) => count(row.meanAgentCalls, 1) },
  { header: 'failed', title: 'workflows that failed (budget-stopped ones included)', field: 'failed', text: (row) => count(row.failed) },
  { header: 'dropped', title: 'arrivals dropped at the in-flight cap: they never started', field: 'dropped', text: (row) => count(row.dropped) },
];

/** Runs of `rows` in a row, by scenario (the summary lists a scenario's runs together). */
function byScenario(rows: readonly SummaryRow[]): SummaryRow[][] {
  const groups: SummaryRow[][] = [];
  for (const row of rows) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last[0]?.scenario === row.scenario) last.push(row);
    else groups.push([row]);
  }
  return groups;
}

/**
 * The summary: one row per run, as `summarise` returns them, under a heading row per scenario
 * (a link to `anchors.get(scenario)`, the id of its section, when given). The first column — the
 * run's pattern and variant — stays in view when the table scrolls sideways.
 */
export function summaryTable(rows: readonly SummaryRow[], anchors: ReadonlyMap<string, string> = new Map()): string {
  if (rows.length === 0) return '<p class="note">No runs recorded in this file.</p>';
  const header = headerCell('run', 'pattern (variant) of the run, under its scenario', 'text') + SUMMARY_COLUMNS.map((column) => headerCell(column.header, column.title)).join('');
  const groups = byScenario(rows).map((group) => {
    const scenario = group[0]?.scenario ?? '';
    const anchor = anchors.get(scenario);
    const name = anchor === undefined ? escapeHtml(scenario) : `<a href="#${escapeHtml(anchor)}">${escapeHtml(scenario)}</a>`;
    const heading = `<tr class="group"><th class="text" colspan="${SUMMARY_COLUMNS.length + 1}" scope="rowgroup"><span>${name}</span></th></tr>`;
    const body = group.map((row) => {
      const cells = SUMMARY_COLUMNS.map((column) => {
        const value = row[column.field];
        return cell(column.text(row), typeof value === 'number' ? value : null, ` data-field="${column.field}"`);
      });
      return `<tr data-run-id="${escapeHtml(row.runId)}"><td class="text run" title="${escapeHtml(row.runId)}">${escapeHtml(seriesLabel(row))}</td>${cells.join('')}</tr>`;
    });
    return [`<tbody data-scenario="${escapeHtml(scenario)}">`, heading, ...body, '</tbody>'].join('\n');
  });
  return [`<div class="wide"><table id="summary"><thead><tr>${header}</tr></thead>`, ...groups, '</table></div>'].join('\n');
}
