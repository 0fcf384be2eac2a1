/** Renders summary rows for a terminal (`table`), for machines (`json`, `csv`) or for docs (`markdown`). */
import { formatDuration } from '../../harness/kernel/duration.ts';
import { HarnessError } from '../../harness/kernel/errors.ts';
import type { SummaryRow } from './summary.ts';

/** Output formats of `formatSummary` (the CLI's `--format`). */
export type SummaryFormat = 'table' | 'json' | 'csv' | 'markdown';

/** Every `SummaryFormat`, in the order the CLI lists them. */
export const SUMMARY_FORMATS: readonly SummaryFormat[] = ['table', 'json', 'csv', 'markdown'];

/** Shown for a value that has no denominator (e.g. accuracy when nothing was scored). */
const NONE = '–';

/**
 * Renders `rows` (as `summarise` returns them):
 * - `table`: aligned columns for a terminal, grouped under one heading line per scenario so its
 *   patterns sit side by side; units on every value (`12.3s`, `$0.0123`, `87.0% [84.1–89.5]`).
 * - `json`: the rows as a pretty-printed JSON array, numbers unrounded.
 * - `csv`: RFC 4180, a header of the `SummaryRow` field names, numbers unrounded, null as empty.
 * - `markdown`: a GitHub table with the same cells as `table` and a scenario column.
 * No trailing newline.
 */
export function formatSummary(rows: readonly SummaryRow[], format: SummaryFormat): string {
  switch (format) {
    case 'table':
      return formatTable(rows);
    case 'json':
      return JSON.stringify(rows, null, 2);
    case 'csv':
      return formatCsv(rows);
    case 'markdown':
      return formatMarkdown(rows);
    default:
      throw new HarnessError('USAGE', `unknown summary format ${JSON.stringify(format)}; use ${SUMMARY_FORMATS.join(', ')}`);
  }
}

/** A column of the human-readable formats. */
interface Column {
  readonly header: string;
  readonly align: 'left' | 'right';
  readonly cell: (row: SummaryRow) => string;
}

const COLUMNS: readonly Column[] = [
  { header: 'pattern', align: 'left', cell: (row) => row.pattern },
  { header: 'variant', align: 'left', cell: (row) => row.variant },
  { header: 'seed', align: 'right', cell: (row) => String(row.seed) },
  { header: 'workflows', align: 'right', cell: (row) => formatCount(row.workflows) },
  { header: 'success', align: 'right', cell: (row) => formatPercentDown(row.successRate) },
  { header: 'accuracy [95% CI]', align: 'right', cell: (row) => formatAccuracy(row) },
  { header: 'acc. completed', align: 'right', cell: (row) => formatPercentDown(row.accuracyCompleted) },
  { header: 'pass^k', align: 'right', cell: (row) => formatPassAllK(row) },
  { header: 'p50', align: 'right', cell: (row) => formatLatency(row.latencyP50Ms) },
  { header: 'p95', align: 'right', cell: (row) => formatLatency(row.latencyP95Ms) },
  { header: 'p99', align: 'right', cell: (row) => formatLatency(row.latencyP99Ms) },
  { header: 'tokens/wf', align: 'right', cell: (row) => (row.meanTokens === null ? NONE : formatCount(row.meanTokens)) },
  { header: 'cost/wf', align: 'right', cell: (row) => formatUsd(row.meanCostUsd) },
  { header: 'cost/1k wf', align: 'right', cell: (row) => formatUsd(row.costPer1kUsd) },
  { header: 'cost/correct', align: 'right', cell: (row) => formatUsd(row.costPerCorrectUsd) },
  { header: 'calls/wf', align: 'right', cell: (row) => (row.meanAgentCalls === null ? NONE : row.meanAgentCalls.toFixed(1)) },
  { header: 'failed', align: 'right', cell: (row) => formatCount(row.failed) },
  { header: 'dropped', align: 'right', cell: (row) => formatCount(row.dropped) },
];

/** `87.0%` (rounded to 0.1 %); `–` for null. */
export function formatPercent(rate: number | null): string {
  return rate === null ? NONE : `${(rate * 100).toFixed(1)}%`;
}

/**
 * `99.9%`: a share of good outcomes (success, accuracy, pass^k, completion) rounded DOWN to 0.1 %,
 * so it shows 100.0% only when nothing failed: 199/200 is 99.5%, 1999/2000 is 99.9%. `–` for null.
 */
export function formatPercentDown(rate: number | null): string {
  if (rate === null) return NONE;
  // The small allowance keeps a rate that is exactly on a step (0.58 × 1000 = 579.999…) on it.
  const tenths = Math.floor(rate * 1000 + 1e-9);
  return `${(tenths / 10).toFixed(1)}%`;
}

/** `87.0% [84.1–89.5]` (accuracy and its 95 % Wilson interval, each rounded down); `–` when there is no accuracy. */
export function formatAccuracy(row: Pick<SummaryRow, 'accuracy' | 'accuracyLo' | 'accuracyHi'>): string {
  if (row.accuracy === null) return NONE;
  const interval = row.accuracyLo === null || row.accuracyHi === null
    ? ''
    : ` [${formatPercentDown(row.accuracyLo).slice(0, -1)}–${formatPercentDown(row.accuracyHi).slice(0, -1)}]`;
  return `${formatPercentDown(row.accuracy)}${interval}`;
}

/** `61.0% (k=3)`: pass^k with its k; `–` without `--repeat` (a single try per case, or a load cycling its cases). */
export function formatPassAllK(row: Pick<SummaryRow, 'passAllK' | 'repeats'>): string {
  if (row.passAllK === null || row.repeats <= 1) return NONE;
  return `${formatPercentDown(row.passAllK)} (k=${row.repeats})`;
}

/**
 * US dollars with the precision a cost needs: `$12.30` from $1 up, `$0.0123` (4 decimals) from a
 * cent up, 3 significant digits below (`$0.000456`); `$0` for zero, `–` for null.
 */
export function formatUsd(usd: number | null): string {
  if (usd === null) return NONE;
  if (usd === 0) return '$0';
  const sign = usd < 0 ? '-' : '';
  const abs = Math.abs(usd);
  if (abs >= 1) return `${sign}$${groupThousands(abs.toFixed(2))}`;
  if (abs >= 0.01) return `${sign}$${abs.toFixed(4)}`;
  return `${sign}$${abs.toPrecision(3)}`;
}

/** A milliseconds value with `formatDuration` (`850ms`, `12.3s`); `–` for null. */
function formatLatency(ms: number | null): string {
  return ms === null ? NONE : formatDuration(ms);
}

/** Rounded to an integer with thousands separators: `12,345`. */
function formatCount(value: number): string {
  return groupThousands(Math.round(value).toFixed(0));
}

function groupThousands(digits: string): string {
  const [whole = '', fraction] = digits.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}

function formatTable(rows: readonly SummaryRow[]): string {
  if (rows.length === 0) return 'no runs recorded';
  const indent = '  ';
  const title = 'scenario / pattern';
  const cells = rows.map((row) => COLUMNS.map((column) => column.cell(row)));
  const widths = COLUMNS.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => (line[index] as string).length)),
  );
  // The first heading names both levels; pattern cells sit one indent right of scenario lines.
  const firstWidth = Math.max(widths[0] as number, title.length - indent.length);
  const others = (line: readonly string[]): string =>
    line
      .slice(1)
      .map((text, index) => pad(text, widths[index + 1] as number, (COLUMNS[index + 1] as Column).align))
      .join('  ');
  const header = `${title.padEnd(indent.length + firstWidth)}  ${others(COLUMNS.map((column) => column.header))}`;
  const lines = [header, '─'.repeat(header.length)];
  let scenario: string | null = null;
  rows.forEach((row, index) => {
    const line = cells[index] as string[];
    if (row.scenario !== scenario) {
      scenario = row.scenario;
      lines.push(row.scenario);
    }
    lines.push(`${indent}${(line[0] as string).padEnd(firstWidth)}  ${others(line)}`);
  });
  return lines.join('\n');
}

/** Field names of `SummaryRow`, in CSV column order. */
export const SUMMARY_FIELDS: readonly (keyof SummaryRow)[] = [
  'runId', 'scenario', 'pattern', 'variant', 'seed', 'runStatus', 'arrivals', 'workflows', 'completed', 'failed', 'dropped',
  'successRate', 'scored', 'correct', 'accuracy', 'accuracyLo', 'accuracyHi', 'accuracyCompleted', 'cases', 'repeats', 'passAllK',
  'latencyP50Ms', 'latencyP95Ms',
  'latencyP99Ms', 'meanTokens', 'totalCostUsd', 'meanCostUsd', 'costPer1kUsd', 'costPerCorrectUsd', 'meanAgentCalls',
];

/** One RFC 4180 CSV cell: quoted when it holds a quote, comma or line break; null as empty. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function formatCsv(rows: readonly SummaryRow[]): string {
  const lines = [SUMMARY_FIELDS.join(',')];
  for (const row of rows) lines.push(SUMMARY_FIELDS.map((field) => csvCell(row[field])).join(','));
  return lines.join('\r\n');
}

/** Text safe inside a GitHub markdown table cell (`|` escaped). */
export function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function formatMarkdown(rows: readonly SummaryRow[]): string {
  const headers = ['scenario', ...COLUMNS.map((column) => column.header)];
  const aligns = ['---', ...COLUMNS.map((column) => (column.align === 'right' ? '---:' : '---'))];
  const lines = [`| ${headers.join(' | ')} |`, `| ${aligns.join(' | ')} |`];
  for (const row of rows) {
    const cells = [row.scenario, ...COLUMNS.map((column) => column.cell(row))].map(markdownCell);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * The lines of a terminal table, `header` first: columns two spaces apart, each as wide as its
 * widest cell, left-aligned where `left(column)` says and right-aligned elsewhere, trailing spaces trimmed.
 */
export function alignColumns(header: readonly string[], rows: readonly (readonly string[])[], left: (column: number) => boolean): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  return [header, ...rows].map((cells) => cells.map((cell, column) => (left(column) ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number))).join('  ').trimEnd());
}
