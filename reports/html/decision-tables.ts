/**
 * The decision tables of a scenario in the HTML report: its decision matrix (one row per pattern ×
 * variant, the best value of each column starred) and its threshold results.
 */
import { parseThreshold } from '../../harness/scenario/thresholds.ts';
import { escapeHtml } from './page.ts';
import { printMatrixValue, type MatrixKey, type MatrixRow } from './matrix.ts';
import { cell, NONE, textCell } from './tables.ts';
import type { ScenarioReport, ThresholdResult } from './data.ts';
import { formatObservedValue, formatThresholdValue } from '../summary/threshold-format.ts';
import type { SummaryRow } from '../summary/summary.ts';

/** Matrix columns under their concern, with their headers. */
const MATRIX_GROUPS: readonly { concern: string; columns: readonly { key: MatrixKey; header: string; title?: string }[] }[] = [
  { concern: 'latency', columns: [{ key: 'p50Ms', header: 'p50' }, { key: 'p95Ms', header: 'p95' }] },
  {
    concern: 'predictability',
    columns: [
      { key: 'p99OverP50', header: 'p99 ÷ p50' },
      { key: 'latencyCv', header: 'CV', title: 'coefficient of variation of latency: standard deviation ÷ mean' },
    ],
  },
  {
    concern: 'error recovery',
    columns: [
      { key: 'successRate', header: 'success', title: 'completed ÷ every arrival (failed and dropped count against it)' },
      { key: 'retriesPerWorkflow', header: 'retries/wf', title: 'model attempts beyond the first, per workflow' },
    ],
  },
  { concern: 'token cost', columns: [{ key: 'meanTokens', header: 'tokens/wf' }, { key: 'meanCostUsd', header: 'cost/wf' }] },
  { concern: 'quality', columns: [{ key: 'accuracy', header: 'accuracy', title: 'correct ÷ every arrival' }] },
];

/** The interval of a value as a tooltip (`95% interval 81.2%–88.0%`). */
function intervalTitle(row: MatrixRow, key: MatrixKey): string {
  const interval = row.intervals[key];
  return interval === undefined ? '' : ` title="95% interval ${escapeHtml(printMatrixValue(key, interval.lo))} – ${escapeHtml(printMatrixValue(key, interval.hi))}"`;
}

/** The pattern cell: its label, and for a failing series a ✗ with the reasons. */
function labelCell(row: MatrixRow): string {
  if (row.failing.length === 0) return textCell(row.label);
  return `<td class="text failing">${escapeHtml(row.label)} <span class="failing-mark">✗ failing</span><br><span class="failing-why">${escapeHtml(row.failing.join('; '))}</span></td>`;
}

/**
 * A scenario's decision matrix; a real best value of a column (see `matrix.ts`) is marked (★, class
 * `best`); a failing series is marked ✗ with its reasons and wins no star.
 */
export function matrixTable(rows: readonly MatrixRow[], id: string): string {
  const groups = MATRIX_GROUPS.map((group) => `<th colspan="${group.columns.length}">${escapeHtml(group.concern)}</th>`).join('');
  const headers = MATRIX_GROUPS.flatMap((group) =>
    group.columns.map((column) => `<th${column.title === undefined ? '' : ` title="${escapeHtml(column.title)}"`}>${escapeHtml(column.header)}</th>`),
  ).join('');
  const body = rows.map((row) => {
    const cells = MATRIX_GROUPS.flatMap((group) =>
      group.columns.map((column) => {
        const value = row.values[column.key];
        const best = row.best.includes(column.key);
        const text = value === null ? NONE : `${best ? '★ ' : ''}${printMatrixValue(column.key, value)}`;
        return cell(text, value, ` data-key="${column.key}"${intervalTitle(row, column.key)}`, best ? 'best' : '');
      }),
    );
    const state = row.failing.length === 0 ? 'viable' : 'failing';
    return `<tr class="${state}" data-series="${escapeHtml(row.label)}">${labelCell(row)}${textCell(row.taskDependencies)}${cells.join('')}</tr>`;
  });
  return [
    `<div class="wide"><table class="matrix" id="${escapeHtml(id)}">`,
    `<thead><tr><th class="text" rowspan="2">pattern</th><th class="text" rowspan="2" title="What the pattern assumes about the task’s dependencies">task dependencies</th>${groups}</tr>`,
    `<tr>${headers}</tr></thead>`,
    `<tbody>\n${body.join('\n')}\n</tbody></table></div>`,
  ].join('\n');
}

/** `pattern · variant · seed N` of a run, its id when the run is unknown. */
function runLabel(runId: string, runs: readonly SummaryRow[]): string {
  const run = runs.find((entry) => entry.runId === runId);
  if (run === undefined) return runId;
  return `${run.pattern}${run.variant === 'base' ? '' : ` (${run.variant})`} · seed ${run.seed}`;
}

/**
 * A scenario's threshold results (empty string when none were checked), formatted as the CLI prints
 * them: ✓/✗, the run, the threshold, the observed value and the limit each in the threshold's unit
 * (`20.3s` against `< 1.0m`).
 */
export function thresholdTable(rows: readonly ThresholdResult[], runs: readonly SummaryRow[] = []): string {
  if (rows.length === 0) return '';
  const body = rows.map((row) => {
    const parsed = parseThreshold(row.expression);
    const spec = parsed.ok ? parsed.threshold : null;
    const observed = spec === null ? (row.observed === null ? NONE : String(row.observed)) : formatObservedValue(row.observed, spec.metricText, spec.unit);
    const limit = spec === null ? NONE : `${spec.op} ${formatThresholdValue(spec.limit, spec.unit)}`;
    const verdict = row.passed ? '<td class="text pass">✓ passed</td>' : '<td class="text bad">✗ failed</td>';
    return `<tr class="${row.passed ? 'passed' : 'failed'}" data-run-id="${escapeHtml(row.runId)}">` +
      `<td class="text" title="${escapeHtml(row.runId)}">${escapeHtml(runLabel(row.runId, runs))}</td>${textCell(row.expression)}` +
      `${cell(observed, row.observed, ' data-field="observed"')}${cell(limit, spec?.limit ?? null, ' data-field="limit"')}${verdict}${textCell(row.source)}</tr>`;
  });
  const failed = rows.filter((row) => !row.passed).length;
  return [
    '<h3>Thresholds</h3>',
    `<p class="note">${rows.length - failed}/${rows.length} passed${failed === 0 ? '' : `, ${failed} failed`}. Observed and limit in the threshold’s unit, as <code>patternbench run</code> prints them.</p>`,
    '<div class="wide"><table class="thresholds"><thead><tr><th class="text">run</th><th class="text">threshold</th><th>observed</th><th>limit</th><th class="text">result</th><th class="text">source</th></tr></thead><tbody>',
    body.join('\n'),
    '</tbody></table></div>',
  ].join('\n');
}

/**
 * The scenario's lead: one sentence naming the best pattern on the headline measure (cost per
 * correct answer among the patterns that meet every threshold and `minSuccess`) and what it trades
 * away, as HTML.
 */
export function decisionLead(report: ScenarioReport): string {
  const { best, sentence } = report.decision;
  const text = escapeHtml(sentence);
  const marked = best === null ? text : text.replace(escapeHtml(best), `<strong>${escapeHtml(best)}</strong>`);
  return `<p class="decision${best === null ? ' none' : ''}"><span class="decision-label">Decision:</span> ${marked}</p>`;
}
