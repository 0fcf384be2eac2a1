/**
 * Renders a comparison for a terminal (`table`), for machines (`json`, `csv`) or for pull-request
 * comments (`markdown`), with the `--fail-on` rules each cell breaks.
 */
import { formatDuration } from '../../harness/kernel/duration.ts';
import { HarnessError } from '../../harness/kernel/errors.ts';
import { cellName, type CellKey } from './load.ts';
import type { RuleFailure } from './rules.ts';
import { COMPARE_METRICS, higherIsWorse, type CellComparison, type Comparison, type MetricDelta, type MetricUnit } from './compare.ts';
import { csvCell, formatPercentDown, formatUsd, markdownCell, SUMMARY_FORMATS, type SummaryFormat } from '../summary/format.ts';

const NONE = '–';

/** A value in its unit: `1.2m`, `$0.0123`, `84.0%` (accuracy and success rounded down, as in the summary). */
export function formatMetricValue(unit: MetricUnit, value: number | null): string {
  if (value === null) return NONE;
  if (unit === 'ms') return formatDuration(value);
  if (unit === 'usd') return formatUsd(value);
  return formatPercentDown(value);
}

/** A signed difference: `+13.4s`, `-$0.0012`, `+2.5pt` (proportions in percentage points); `0` for none. */
export function formatMetricDelta(unit: MetricUnit, value: number | null): string {
  if (value === null) return NONE;
  if (value === 0) return '0';
  const sign = value < 0 ? '-' : '+';
  if (unit === 'ms') return `${sign}${formatDuration(Math.abs(value))}`;
  if (unit === 'usd') return value < 0 ? formatUsd(value) : `+${formatUsd(value)}`;
  return `${sign}${Math.abs(value * 100).toFixed(1)}pt`;
}

/** `+30.0%`: the change relative to base; `–` without a base. */
export function formatPct(delta: MetricDelta): string {
  return delta.deltaPct === null ? NONE : `${delta.deltaPct < 0 ? '-' : '+'}${Math.abs(delta.deltaPct).toFixed(1)}%`;
}

/** `[+10.1s, +16.2s]`: the 95 % interval on the change; `–` without one. */
export function formatInterval(delta: MetricDelta): string {
  if (delta.ciLo === null || delta.ciHi === null) return NONE;
  return `[${formatMetricDelta(delta.unit, delta.ciLo)}, ${formatMetricDelta(delta.unit, delta.ciHi)}]`;
}

function formatP(delta: MetricDelta): string {
  if (delta.pValue === null) return '';
  return delta.pValue < 0.001 ? 'p<0.001' : `p=${delta.pValue.toFixed(3)}`;
}

/** `worse` / `better` for a significant change, empty otherwise. */
export function verdict(delta: MetricDelta): string {
  if (!delta.significant || delta.delta === null || delta.delta === 0) return '';
  return (delta.delta > 0) === higherIsWorse(delta.metric) ? 'worse' : 'better';
}

const HEADERS = ['metric', 'base', 'head', 'Δ', 'Δ%', '95% CI of Δ', 'p', 'significant'] as const;

function metricCells(delta: MetricDelta, failures: readonly RuleFailure[]): string[] {
  const broken = failures.filter((failure) => failure.delta === delta).map((failure) => `FAIL ${failure.rule.text}`);
  return [
    delta.metric,
    formatMetricValue(delta.unit, delta.base),
    formatMetricValue(delta.unit, delta.head),
    formatMetricDelta(delta.unit, delta.delta),
    formatPct(delta),
    formatInterval(delta),
    formatP(delta),
    [verdict(delta), ...broken].filter((text) => text !== '').join(' '),
  ];
}

function cellTitle(cell: CellComparison): string {
  return `${cell.pattern} / ${cell.variant}  (${cell.baseCounts.workflows} → ${cell.headCounts.workflows} workflows)`;
}

function unmatchedLines(comparison: Comparison): string[] {
  const line = (kind: string, cell: CellKey & { readonly workflows: number }): string => `${kind}: ${cellName(cell)} (${cell.workflows} workflows)`;
  return [...comparison.added.map((cell) => line('added', cell)), ...comparison.removed.map((cell) => line('removed', cell))];
}

function failureLine(failure: RuleFailure): string {
  const change = failure.delta.unit === 'proportion' ? formatMetricDelta('proportion', failure.delta.delta) : formatPct(failure.delta);
  return `${cellName(failure)}: ${failure.rule.metric} ${change} ${formatInterval(failure.delta)} breaks '${failure.rule.text}'`;
}

/** One line per failure, as printed on stderr: `legal-review/sequential/base: p95 +30.0% […] breaks 'p95 +10%'`. */
export function formatFailures(failures: readonly RuleFailure[]): string[] {
  return failures.map(failureLine);
}

function formatTable(comparison: Comparison, failures: readonly RuleFailure[]): string {
  const rows = comparison.cells.flatMap((cell) => cell.metrics.map((delta) => metricCells(delta, failures)));
  const widths = HEADERS.map((header, index) => Math.max(header.length, ...rows.map((row) => (row[index] as string).length)));
  const line = (cells: readonly string[]): string =>
    cells.map((text, index) => (index === 0 ? text.padEnd(widths[index] as number) : text.padStart(widths[index] as number))).join('  ').trimEnd();
  const indent = '    ';
  const header = `${indent}${line(HEADERS)}`;
  const lines = [header, '─'.repeat(header.length)];
  let scenario: string | null = null;
  let row = 0;
  for (const cell of comparison.cells) {
    if (cell.scenario !== scenario) lines.push((scenario = cell.scenario));
    lines.push(`  ${cellTitle(cell)}`);
    for (let i = 0; i < cell.metrics.length; i++) lines.push(`${indent}${line(rows[row++] as string[])}`);
  }
  if (comparison.cells.length === 0) lines.push('no cell in both files');
  lines.push(...unmatchedLines(comparison));
  lines.push(`bootstrap: ${comparison.resamples} resamples, seed ${comparison.seed}; significant = 95 % interval excludes 0 (p < 0.05 for proportions)`);
  if (failures.length > 0) lines.push(`${failures.length} rule failure(s):`, ...formatFailures(failures).map((text) => `  ${text}`));
  return lines.join('\n');
}

function formatMarkdown(comparison: Comparison, failures: readonly RuleFailure[]): string {
  const lines = [
    failures.length === 0 ? '**patternbench compare: no regression.**' : `**patternbench compare: ${failures.length} regression(s).**`,
    '',
  ];
  for (const text of formatFailures(failures)) lines.push(`- ${markdownCell(text)}`);
  for (const text of unmatchedLines(comparison)) lines.push(`- ${markdownCell(text)}`);
  if (lines.length > 2) lines.push('');
  const headers = ['scenario', 'pattern', 'variant', ...HEADERS];
  lines.push(`| ${headers.join(' | ')} |`, `| ${headers.map((_, index) => (index < 4 ? '---' : '---:')).join(' | ')} |`);
  for (const cell of comparison.cells) {
    for (const delta of cell.metrics) {
      const cells = [cell.scenario, cell.pattern, cell.variant, ...metricCells(delta, failures)].map(markdownCell);
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  lines.push('', `_Bootstrap ${comparison.resamples} resamples (seed ${comparison.seed}); significant: 95 % interval excludes 0, or p < 0.05 for proportions._`);
  return lines.join('\n');
}

const CSV_FIELDS = [
  'status', 'scenario', 'pattern', 'variant', 'baseWorkflows', 'headWorkflows', 'metric', 'unit', 'base', 'head', 'delta', 'deltaPct',
  'ciLo', 'ciHi', 'pValue', 'significant', 'failedRules',
] as const;

function formatCsv(comparison: Comparison, failures: readonly RuleFailure[]): string {
  const lines = [CSV_FIELDS.join(',')];
  const push = (values: readonly (string | number | boolean | null)[]): void =>
    void lines.push(values.map((value) => csvCell(typeof value === 'boolean' ? String(value) : value)).join(','));
  for (const cell of comparison.cells) {
    for (const delta of cell.metrics) {
      const broken = failures.filter((failure) => failure.delta === delta).map((failure) => failure.rule.text).join(';');
      push(['matched', cell.scenario, cell.pattern, cell.variant, cell.baseCounts.workflows, cell.headCounts.workflows, delta.metric, delta.unit,
        delta.base, delta.head, delta.delta, delta.deltaPct, delta.ciLo, delta.ciHi, delta.pValue, delta.significant, broken]);
    }
  }
  const blanks = Array.from({ length: CSV_FIELDS.length - 6 }, () => null);
  for (const cell of comparison.added) push(['added', cell.scenario, cell.pattern, cell.variant, null, cell.workflows, ...blanks]);
  for (const cell of comparison.removed) push(['removed', cell.scenario, cell.pattern, cell.variant, cell.workflows, null, ...blanks]);
  return lines.join('\r\n');
}

/** The JSON form: the comparison, the metric order, and the failures (rule text + cell + delta). */
export function comparisonJson(comparison: Comparison, failures: readonly RuleFailure[]): unknown {
  return {
    ...comparison,
    metrics: COMPARE_METRICS,
    failures: failures.map((failure) => ({
      scenario: failure.scenario,
      pattern: failure.pattern,
      variant: failure.variant,
      rule: failure.rule.text,
      delta: failure.delta,
    })),
  };
}

/**
 * Renders `comparison` (with the rule `failures` from `evaluateRules`). `table`: one block per
 * cell under its scenario; `json`: `comparisonJson`, numbers unrounded; `csv`: one row per cell
 * and metric (plus `added`/`removed` rows), numbers unrounded; `markdown`: a verdict line, the
 * failures, and one GitHub table. No trailing newline.
 */
export function formatComparison(comparison: Comparison, failures: readonly RuleFailure[], format: SummaryFormat): string {
  switch (format) {
    case 'table':
      return formatTable(comparison, failures);
    case 'json':
      return JSON.stringify(comparisonJson(comparison, failures), null, 2);
    case 'csv':
      return formatCsv(comparison, failures);
    case 'markdown':
      return formatMarkdown(comparison, failures);
    default:
      throw new HarnessError('USAGE', `unknown compare format ${JSON.stringify(format)}; use ${SUMMARY_FORMATS.join(', ')}`);
  }
}
