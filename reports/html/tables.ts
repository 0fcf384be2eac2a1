/**
 * The HTML report's tables, rendered on the server as plain markup: the summary per run, a
 * scenario's decision matrix, and its threshold results. Every numeric cell carries its raw value
 * in `data-value` (and the summary's its field in `data-field`), so a reader's tool — or a test —
 * can check the page against the database.
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

/** Summary columns: header, field of `SummaryRow`, and how the value prints. */
const SUMMARY_COLUMNS: readonly { header: string; field: keyof SummaryRow; text: (row: SummaryRow) => string }[] = [
  { header: 'seed', field: 'seed', text: (row) => String(row.seed) },
  { header: 'workflows', field: 'workflows', text: (row) => count(row.workflows) },
  { header: 'success', field: 'successRate', text: (row) => formatPercentDown(row.successRate) },
  { header: 'accuracy [95% CI]', field: 'accuracy', text: (row) => formatAccuracy(row) },
  { header: 'acc. completed', field: 'accuracyCompleted', text: (row) => formatPercentDown(row.accuracyCompleted) },
  { header: 'pass^k', field: 'passAllK', text: (row) => formatPassAllK(row) },
  { header: 'p50', field: 'latencyP50Ms', text: (row) => duration(row.latencyP50Ms) },
  { header: 'p95', field: 'latencyP95Ms', text: (row) => duration(row.latencyP95Ms) },
  { header: 'p99', field: 'latencyP99Ms', text: (row) => duration(row.latencyP99Ms) },
  { header: 'tokens/wf', field: 'meanTokens', text: (row) => count(row.meanTokens) },
  { header: 'cost/wf', field: 'meanCostUsd', text: (row) => formatUsd(row.meanCostUsd) },
  { header: 'cost/1k wf', field: 'costPer1kUsd', text: (row) => formatUsd(row.costPer1kUsd) },
  { header: 'cost/correct', field: 'costPerCorrectUsd', text: (row) => formatUsd(row.costPerCorrectUsd) },
  { header: 'calls/wf', field: 'meanAgentCalls', text: (row) => count(row.meanAgentCalls, 1) },
  { header: 'failed', field: 'failed', text: (row) => count(row.failed) },
  { header: 'dropped', field: 'dropped', text: (row) => count(row.dropped) },
];

/** The summary: one row per run, as `summarise` returns them. */
export function summaryTable(rows: readonly SummaryRow[]): string {
  if (rows.length === 0) return '<p class="note">No runs recorded in this file.</p>';
  const header = ['scenario', 'pattern', 'variant'].map((name) => `<th class="text">${name}</th>`).join('') +
    SUMMARY_COLUMNS.map((column) => `<th>${escapeHtml(column.header)}</th>`).join('');
  const body = rows.map((row) => {
    const cells = SUMMARY_COLUMNS.map((column) => {
      const value = row[column.field];
      return cell(column.text(row), typeof value === 'number' ? value : null, ` data-field="${column.field}"`);
    });
    return `<tr data-run-id="${escapeHtml(row.runId)}">${textCell(row.scenario)}${textCell(row.pattern)}${textCell(row.variant)}${cells.join('')}</tr>`;
  });
  return `<div class="wide"><table id="summary"><thead><tr>${header}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table></div>`;
}
