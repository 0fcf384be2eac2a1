/**
 * The HTML report's tables, rendered on the server as plain markup: the summary per run, a
 * scenario's decision matrix, and its threshold results. Every numeric cell carries its raw value
 * in `data-value` (and the summary's its field in `data-field`), so a reader's tool — or a test —
 * can check the page against the database.
 */
import { formatDuration } from '../../harness/kernel/duration.ts';
import { escapeHtml } from './page.ts';
import type { MatrixKey, MatrixRow } from './matrix.ts';
import { formatAccuracy, formatPassAllK, formatPercentDown, formatUsd } from '../summary/format.ts';
import type { SummaryRow } from '../summary/summary.ts';


/** One threshold checked on a run (`thresholds`). */
export interface ThresholdResult {
  readonly runId: string;
  readonly expression: string;
  readonly source: string;
  readonly observed: number | null;
  readonly passed: boolean;
}

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

/** Matrix columns under their concern, and how a value prints. */
const MATRIX_GROUPS: readonly { concern: string; columns: readonly { key: MatrixKey; header: string; text: (value: number) => string }[] }[] = [
  { concern: 'latency', columns: [{ key: 'p50Ms', header: 'p50', text: formatDuration }, { key: 'p95Ms', header: 'p95', text: formatDuration }] },
  {
    concern: 'predictability',
    columns: [
      { key: 'p99OverP50', header: 'p99 ÷ p50', text: (value) => `${value.toFixed(2)}×` },
      { key: 'latencyCv', header: 'CV', text: (value) => value.toFixed(2) },
    ],
  },
  {
    concern: 'error recovery',
    columns: [
      { key: 'successRate', header: 'success', text: (value) => formatPercentDown(value) },
      { key: 'retriesPerWorkflow', header: 'retries/wf', text: (value) => value.toFixed(2) },
    ],
  },
  {
    concern: 'token cost',
    columns: [
      { key: 'meanTokens', header: 'tokens/wf', text: (value) => count(value) },
      { key: 'meanCostUsd', header: 'cost/wf', text: (value) => formatUsd(value) },
    ],
  },
  { concern: 'quality', columns: [{ key: 'accuracy', header: 'accuracy', text: (value) => formatPercentDown(value) }] },
];

/** A scenario's decision matrix; the best value of each column is marked (★, class `best`). */
export function matrixTable(rows: readonly MatrixRow[], id: string): string {
  const groups = MATRIX_GROUPS.map((group) => `<th colspan="${group.columns.length}">${escapeHtml(group.concern)}</th>`).join('');
  const headers = MATRIX_GROUPS.flatMap((group) => group.columns.map((column) => `<th>${escapeHtml(column.header)}</th>`)).join('');
  const body = rows.map((row) => {
    const cells = MATRIX_GROUPS.flatMap((group) =>
      group.columns.map((column) => {
        const value = row.values[column.key];
        const best = row.best.includes(column.key);
        const text = value === null ? NONE : `${best ? '★ ' : ''}${column.text(value)}`;
        return cell(text, value, ` data-key="${column.key}"`, best ? 'best' : '');
      }),
    );
    return `<tr>${textCell(row.label)}${textCell(row.taskDependencies)}${cells.join('')}</tr>`;
  });
  return [
    `<div class="wide"><table class="matrix" id="${escapeHtml(id)}">`,
    `<thead><tr><th class="text" rowspan="2">pattern</th><th class="text" rowspan="2">task dependencies (what it assumes)</th>${groups}</tr>`,
    `<tr>${headers}</tr></thead>`,
    `<tbody>\n${body.join('\n')}\n</tbody></table></div>`,
  ].join('\n');
}

/** A scenario's threshold results (empty string when none were checked). */
export function thresholdTable(rows: readonly ThresholdResult[]): string {
  if (rows.length === 0) return '';
  const body = rows.map(
    (row) =>
      `<tr>${textCell(row.runId)}${textCell(row.expression)}${textCell(row.source)}${cell(row.observed === null ? NONE : String(row.observed), row.observed)}` +
      `${textCell(row.passed ? 'passed' : 'FAILED')}</tr>`,
  );
  return `<h3>Thresholds</h3>\n<table><thead><tr><th class="text">run</th><th class="text">threshold</th><th class="text">source</th><th>observed</th><th class="text">result</th></tr></thead><tbody>\n${body.join('\n')}\n</tbody></table>`;
}
