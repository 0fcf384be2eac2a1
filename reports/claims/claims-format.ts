/**
 * The claims table, as `patternbench claims` prints it: `table` for a terminal (the table, then
 * each claim's inputs and note), `markdown` (what README.md's table is: a test keeps them equal)
 * and `json`.
 */
import type { MeanInterval } from '../../harness/kernel/statistics.ts';
import type { ClaimUnit } from './claims.ts';
import type { ClaimResult } from './claims-measure.ts';

export const CLAIMS_FORMATS = ['table', 'markdown', 'json'] as const;
export type ClaimsFormat = (typeof CLAIMS_FORMATS)[number];

/** `value` in `unit`. */
function number(value: number, unit: ClaimUnit): string {
  switch (unit) {
    case '%':
      return `${value.toFixed(1)} %`;
    case '×':
      return `${value.toFixed(2)}×`;
    case 's':
      return `${value.toFixed(1)} s`;
    case 'tokens':
      return `${(value / 1000).toFixed(1)}k`;
  }
}

/** A figure with its interval: `73.9 % [72.8–75.0]`. */
function interval(figure: MeanInterval, unit: ClaimUnit): string {
  const bare = (value: number): string => number(value, unit).replace(/ (%|s)$/, '');
  return `${number(figure.mean, unit)} [${bare(figure.lo)}–${bare(figure.hi)}]`;
}

/** The measured cell of a claim. */
function measuredText(result: ClaimResult): string {
  const [first, second] = result.measured;
  if (first === undefined) return '—';
  if (second === undefined) return interval(first, result.claim.unit);
  const [low, high] = result.claim.labels ?? ['p5', 'p95'];
  return `${low} ${interval(first, result.claim.unit)}, ${high} ${interval(second, result.claim.unit)}`;
}

/** The note of a claim with its asides' figures, or null. */
function noteText(result: ClaimResult): string | null {
  const asides = (result.claim.asides ?? []).map((aside, index) => {
    const figure = result.asides[index];
    return figure === undefined ? '' : ` Measured ${aside.text} is ${interval(figure, result.claim.unit)}.`;
  });
  const text = `${result.claim.note ?? ''}${asides.join('')}`.trim();
  return text === '' ? null : text;
}

/** How many seeds the measured figures pool, for the heading. */
function seedsOf(results: readonly ClaimResult[]): number {
  return Math.max(0, ...results.map((result) => result.seeds));
}

function markdown(results: readonly ClaimResult[]): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = [
    `| claim | article | measured (mean of ${seedsOf(results)} seeds [95 % interval]) | inputs | verdict |`,
    '| --- | --- | --- | --- | --- |',
    ...results.map((result) => `| ${cell(result.claim.claim)} | ${cell(result.claim.article.text)} | ${cell(measuredText(result))} | ${cell(result.claim.inputs)} | ${result.verdict} |`),
    '',
    ...results.flatMap((result) => {
      const note = noteText(result);
      return note === null ? [] : [`- **${result.claim.claim}.** ${note}`];
    }),
  ];
  return lines.join('\n');
}

function table(results: readonly ClaimResult[]): string {
  const rows = [['claim', 'article', `measured (mean of ${seedsOf(results)} seeds [95 % interval])`, 'verdict'], ...results.map((result) => [result.claim.claim, result.claim.article.text, measuredText(result), result.verdict])];
  const widths = rows[0]!.map((_cell, column) => Math.max(...rows.map((row) => (row[column] as string).length)));
  const line = (row: readonly string[]): string => row.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ').trimEnd();
  const notes = results.flatMap((result) => {
    const note = noteText(result);
    return [`  ${result.claim.claim}`, `    inputs: ${result.claim.inputs}`, ...(note === null ? [] : [`    note: ${note}`])];
  });
  return [line(rows[0]!), '─'.repeat(widths.reduce((sum, width) => sum + width + 2, -2)), ...rows.slice(1).map(line), '', 'inputs and notes:', ...notes].join('\n');
}

function json(results: readonly ClaimResult[]): string {
  return JSON.stringify(
    results.map((result) => ({
      id: result.claim.id,
      claim: result.claim.claim,
      article: result.claim.article,
      unit: result.claim.unit,
      scenario: result.claim.scenario === null ? null : `scenarios/article/${result.claim.scenario}`,
      seeds: result.seeds,
      measured: result.measured,
      asides: (result.claim.asides ?? []).map((aside, index) => ({ text: aside.text, measured: result.asides[index] ?? null })),
      inputs: result.claim.inputs,
      note: result.claim.note,
      verdict: result.verdict,
    })),
    null,
    2,
  );
}

/** The claims table in `format`. */
export function formatClaims(results: readonly ClaimResult[], format: ClaimsFormat): string {
  if (format === 'markdown') return markdown(results);
  if (format === 'json') return json(results);
  return table(results);
}
