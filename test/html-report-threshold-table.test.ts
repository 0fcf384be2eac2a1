import { describe, expect, it } from 'vitest';
import { thresholdTable } from '../reports/html/decision-tables.ts';
import type { SummaryRow } from '../reports/summary/summary.ts';

/** The text of each cell of each body row of `html`, numeric entities decoded. */
function cells(html: string): string[][] {
  const body = html.slice(html.indexOf('<tbody>'));
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((row) => [...(row[1] as string).matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((cell) => decode(cell[1] as string)));
}

function decode(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

const run = { runId: 'run-a', pattern: 'router', variant: 'base', seed: 7 } as SummaryRow;

describe('thresholdTable', () => {
  it('prints observed and limit in the threshold’s unit, as the CLI does, the limit in its own column', () => {
    const html = thresholdTable(
      [
        { runId: 'run-a', expression: 'p95(latency) < 1m', source: 'scenario', observed: 20_310.74175993094, passed: true },
        { runId: 'run-a', expression: 'accuracy > 85%', source: 'scenario', observed: 0.84999, passed: false },
        { runId: 'run-a', expression: 'router: cost_per_correct < 0.01', source: 'cli', observed: null, passed: false },
      ],
      [run],
    );
    expect(cells(html)).toEqual([
      ['router · seed 7', 'p95(latency) < 1m', '20.3s', '< 1.0m', '✓ passed', 'scenario'],
      // A good share is rounded down, so a failed accuracy > 85% never prints 85.00%.
      ['router · seed 7', 'accuracy > 85%', '84.99%', '> 85.00%', '✗ failed', 'scenario'],
      ['router · seed 7', 'router: cost_per_correct < 0.01', '–', '< $0.0100', '✗ failed', 'cli'],
    ]);
    // The raw value stays in data-value for tools, never in the text.
    expect(cells(html).flat().join(' ')).not.toContain('20310');
    expect(html).toContain('data-value="20310.74175993094"');
    expect(html).toContain('1/3 passed, 2 failed');
    expect(html).toContain('title="run-a"');
  });

  it('renders nothing without thresholds', () => {
    expect(thresholdTable([], [run])).toBe('');
  });
});
