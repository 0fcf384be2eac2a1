/**
 * The HTML comparison view (`compare --html`): one self-contained page (`renderHtmlPage`) with the
 * verdict, the rule failures, the table of deltas, and p95 latency per cell, base next to head,
 * drawn by `reports/compare/client.js`.
 */
import { readFileSync } from 'node:fs';
import { cellName } from './load.ts';
import { formatFailures, formatInterval, formatMetricDelta, formatMetricValue, formatPct, verdict } from './format.ts';
import type { RuleFailure } from './rules.ts';
import type { Comparison, MetricDelta } from './compare.ts';
import { escapeHtml, renderHtmlPage } from '../html/page.ts';

/** Data the client script reads: p95 per matched cell, ms. */
interface CompareChartData {
  readonly p95: { readonly labels: readonly string[]; readonly base: readonly (number | null)[]; readonly head: readonly (number | null)[] };
}

const STYLE = `
tr.worse td.delta { background: #ffebe9; } tr.better td.delta { background: #dafbe1; }
tr.fail td { font-weight: 600; } ul.failures li { color: #cf222e; }
`;

/** Where the two files came from, shown under the title. */
export interface CompareSources {
  readonly base: string;
  readonly head: string;
}

function row(cell: { scenario: string; pattern: string; variant: string }, delta: MetricDelta, failures: readonly RuleFailure[]): string {
  const broken = failures.filter((failure) => failure.delta === delta).map((failure) => `FAIL ${failure.rule.text}`);
  const mark = verdict(delta);
  const classes = [mark, broken.length > 0 ? 'fail' : ''].filter((name) => name !== '').join(' ');
  const text = [cell.scenario, cell.pattern, cell.variant, delta.metric].map((value) => `<td class="text">${escapeHtml(value)}</td>`);
  const numbers = [
    formatMetricValue(delta.unit, delta.base),
    formatMetricValue(delta.unit, delta.head),
    formatMetricDelta(delta.unit, delta.delta),
    formatPct(delta),
    formatInterval(delta),
    delta.pValue === null ? '' : delta.pValue.toFixed(3),
  ].map((value, index) => `<td${index >= 2 ? ' class="delta"' : ''}>${escapeHtml(value)}</td>`);
  const status = `<td class="text">${escapeHtml([mark, ...broken].join(' '))}</td>`;
  return `<tr${classes === '' ? '' : ` class="${classes}"`}>${[...text, ...numbers, status].join('')}</tr>`;
}

/** Renders the comparison page. */
export function renderComparisonHtml(comparison: Comparison, failures: readonly RuleFailure[], sources: CompareSources): string {
  const headers = ['scenario', 'pattern', 'variant', 'metric', 'base', 'head', 'Δ', 'Δ%', '95% CI of Δ', 'p', 'significant'];
  const rows = comparison.cells.flatMap((cell) => cell.metrics.map((delta) => row(cell, delta, failures)));
  const unmatched = [
    ...comparison.added.map((cell) => `added: ${cellName(cell)} (${cell.workflows} workflows)`),
    ...comparison.removed.map((cell) => `removed: ${cellName(cell)} (${cell.workflows} workflows)`),
  ];
  const list = (items: readonly string[], className: string): string =>
    items.length === 0 ? '' : `<ul class="${className}">${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
  const body = [
    '<h1>patternbench compare</h1>',
    `<p class="note">base <code>${escapeHtml(sources.base)}</code> → head <code>${escapeHtml(sources.head)}</code>; ` +
      `bootstrap ${comparison.resamples} resamples, seed ${comparison.seed}; significant = 95 % interval excludes 0 (p &lt; 0.05 for proportions)</p>`,
    `<p>${failures.length === 0 ? 'No rule failed.' : `${failures.length} rule failure(s):`}</p>`,
    list(formatFailures(failures), 'failures'),
    list(unmatched, 'unmatched'),
    '<h2>p95 latency, base and head</h2>',
    '<div class="chart"><canvas id="compare-p95" role="img" aria-label="p95 latency per cell, base and head"></canvas></div>',
    '<h2>Deltas</h2>',
    `<table><thead><tr>${headers.map((header, index) => `<th${index < 4 || index === 10 ? ' class="text"' : ''}>${escapeHtml(header)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody></table>`,
  ].join('\n');
  const p95 = (side: 'base' | 'head'): (number | null)[] =>
    comparison.cells.map((cell) => cell.metrics.find((delta) => delta.metric === 'p95')?.[side] ?? null);
  const data: CompareChartData = { p95: { labels: comparison.cells.map(cellName), base: p95('base'), head: p95('head') } };
  const script = readFileSync(new URL('./client.js', import.meta.url), 'utf8');
  return renderHtmlPage({ title: 'patternbench compare', bodyHtml: body, data, script, style: STYLE });
}
