/**
 * Renders threshold results (`evaluateThresholds`) as k6's end-of-test summary does: one line per
 * run × threshold with ✓ or ✗, the observed value beside the limit in the same unit, and a verdict.
 */
import { formatDuration } from '../../harness/kernel/duration.ts';
import { HarnessError } from '../../harness/kernel/errors.ts';
import type { ThresholdUnit } from '../../harness/scenario/thresholds.ts';
import { csvCell, formatUsd, markdownCell, SUMMARY_FORMATS, type SummaryFormat } from './format.ts';
import type { ThresholdResult } from './threshold-eval.ts';

/** Shown for an observed value the run has no data for. */
const NONE = '–';

/** Field names of `ThresholdResult`, in CSV column order. */
export const THRESHOLD_FIELDS: readonly (keyof ThresholdResult)[] = [
  'runId', 'scenario', 'pattern', 'variant', 'seed', 'expression', 'source', 'metric', 'op', 'limit', 'unit', 'observed', 'passed', 'reason',
];

/**
 * Renders `results` (the formats are the summary's, `SummaryFormat`):
 * - `table`: aligned columns for a terminal — ✓/✗, scenario, pattern, variant, seed, threshold,
 *   observed and limit in the threshold's unit (`12.3s`, `87.00%`, `$0.0123`, `31.2/s`), a note
 *   column saying why a value is missing (only when one is), then a verdict line
 *   (`thresholds: 5/6 passed, 1 failed`).
 * - `json`: the results as a pretty-printed JSON array, numbers unrounded.
 * - `csv`: RFC 4180, a header of the `ThresholdResult` field names, numbers unrounded, null as empty.
 * - `markdown`: a GitHub table with the cells of `table`, then the verdict line.
 * No trailing newline. An empty list renders as `no thresholds` (table, markdown).
 */
export function formatThresholdTable(results: readonly ThresholdResult[], format: SummaryFormat): string {
  switch (format) {
    case 'table':
      return results.length === 0 ? 'no thresholds' : `${alignedTable(results)}\n${verdict(results)}`;
    case 'json':
      return JSON.stringify(results, null, 2);
    case 'csv':
      return formatCsv(results);
    case 'markdown':
      return results.length === 0 ? 'no thresholds' : `${markdownTable(results)}\n\n${verdict(results)}`;
    default:
      throw new HarnessError('USAGE', `unknown threshold format ${JSON.stringify(format)}; use ${SUMMARY_FORMATS.join(', ')}`);
  }
}

/**
 * A value in a threshold unit: milliseconds with `formatDuration`, a ratio as a percentage with two
 * decimals, dollars with `formatUsd`, counts to three significant digits (thousands grouped), rates
 * per second with `/s`; `–` for null.
 */
export function formatThresholdValue(value: number | null, unit: ThresholdUnit): string {
  if (value === null) return NONE;
  switch (unit) {
    case 'ms':
      return formatDuration(value);
    case 'ratio':
      return `${(value * 100).toFixed(2)}%`;
    case 'usd':
      return formatUsd(value);
    case 'count':
      return formatQuantity(value);
    case 'per_second':
      return `${formatQuantity(value)}/s`;
  }
}

/** Metrics whose observed ratio is a share of good outcomes: rounded down, as the summary does. */
const GOOD_SHARES: ReadonlySet<string> = new Set(['accuracy', 'success_rate']);

/**
 * An observed value of `metric` (canonical text, e.g. `accuracy`) in `unit`: an accuracy or success
 * rate rounded DOWN to 0.01 % (so a failed `accuracy > 85%` never shows 85.00%, and 19,999 of
 * 20,000 shows 99.99%); anything else by `formatThresholdValue`.
 */
export function formatObservedValue(observed: number | null, metric: string, unit: ThresholdUnit): string {
  if (observed === null || unit !== 'ratio' || !GOOD_SHARES.has(metric)) return formatThresholdValue(observed, unit);
  return `${(Math.floor(observed * 10_000 + 1e-9) / 100).toFixed(2)}%`;
}

function formatObserved(result: ThresholdResult): string {
  return formatObservedValue(result.observed, result.metric, result.unit);
}

function formatQuantity(value: number): string {
  if (Math.abs(value) >= 1000) return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
  return String(Number(value.toPrecision(3)));
}

/** A column of the human-readable formats. */
interface Column {
  readonly header: string;
  readonly align: 'left' | 'right';
  readonly cell: (result: ThresholdResult) => string;
}

const COLUMNS: readonly Column[] = [
  { header: '', align: 'left', cell: (result) => (result.passed ? '✓' : '✗') },
  { header: 'scenario', align: 'left', cell: (result) => result.scenario },
  { header: 'pattern', align: 'left', cell: (result) => result.pattern },
  { header: 'variant', align: 'left', cell: (result) => result.variant },
  { header: 'seed', align: 'right', cell: (result) => String(result.seed) },
  { header: 'threshold', align: 'left', cell: (result) => result.expression },
  { header: 'observed', align: 'right', cell: (result) => formatObserved(result) },
  { header: 'limit', align: 'right', cell: (result) => formatThresholdValue(result.limit, result.unit) },
];

const NOTE: Column = { header: 'note', align: 'left', cell: (result) => result.reason ?? '' };

function columnsFor(results: readonly ThresholdResult[]): readonly Column[] {
  return results.some((result) => result.reason !== null) ? [...COLUMNS, NOTE] : COLUMNS;
}

function alignedTable(results: readonly ThresholdResult[]): string {
  const columns = columnsFor(results);
  const cells = results.map((result) => columns.map((column) => column.cell(result)));
  const widths = columns.map((column, index) => Math.max(column.header.length, ...cells.map((line) => (line[index] as string).length)));
  const render = (line: readonly string[]): string =>
    line
      .map((text, index) => {
        const width = widths[index] as number;
        return (columns[index] as Column).align === 'left' ? text.padEnd(width) : text.padStart(width);
      })
      .join('  ')
      .trimEnd();
  const header = render(columns.map((column) => column.header));
  const rule = '─'.repeat(Math.max(header.length, ...cells.map((line) => render(line).length)));
  return [header, rule, ...cells.map(render)].join('\n');
}

function markdownTable(results: readonly ThresholdResult[]): string {
  const columns = columnsFor(results);
  const lines = [
    `| ${columns.map((column) => column.header).join(' | ')} |`,
    `| ${columns.map((column) => (column.align === 'right' ? '---:' : '---')).join(' | ')} |`,
  ];
  for (const result of results) lines.push(`| ${columns.map((column) => markdownCell(column.cell(result))).join(' | ')} |`);
  return lines.join('\n');
}

function verdict(results: readonly ThresholdResult[]): string {
  const failed = results.filter((result) => !result.passed).length;
  return `thresholds: ${results.length - failed}/${results.length} passed${failed === 0 ? '' : `, ${failed} failed`}`;
}

function formatCsv(results: readonly ThresholdResult[]): string {
  const lines = [THRESHOLD_FIELDS.join(',')];
  for (const result of results) {
    lines.push(THRESHOLD_FIELDS.map((field) => {
      const value = result[field];
      return csvCell(typeof value === 'boolean' ? String(value) : value);
    }).join(','));
  }
  return lines.join('\r\n');
}
