import { describe, expect, it } from 'vitest';
import type { SummaryRow } from '../reports/summary/summary.ts';
import { formatSummary, SUMMARY_FIELDS } from '../reports/summary/format.ts';

const base: SummaryRow = {
  runId: 'triage/sequential', scenario: 'triage', pattern: 'sequential', variant: 'base', seed: 42, runStatus: 'completed',
  arrivals: 200, workflows: 200, completed: 197, failed: 3, dropped: 0, successRate: 0.985, scored: 197, correct: 171, accuracy: 171 / 200,
  accuracyLo: 0.7995, accuracyHi: 0.8971, accuracyCompleted: 171 / 197, cases: 200, repeats: 1, passAllK: 0.855, latencyP50Ms: 12_340, latencyP95Ms: 20_100, latencyP99Ms: 31_000,
  meanTokens: 5210.4, totalCostUsd: 2.46, meanCostUsd: 0.0123, costPer1kUsd: 12.3, costPerCorrectUsd: 2.46 / 171, meanAgentCalls: 4.02,
};
const rows: SummaryRow[] = [
  base,
  { ...base, runId: 'triage/fanout', pattern: 'fanout', variant: 'tiered, "cheap"', accuracy: null, accuracyLo: null, accuracyHi: null, accuracyCompleted: null, costPerCorrectUsd: null },
];

/** Splits RFC 4180 text into records of fields (quoted fields may hold commas and doubled quotes). */
function parseCsv(text: string): string[][] {
  return text.split('\r\n').map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)]
    .slice(0, -1)
    .map((match) => (match[1]?.startsWith('"') ? match[1].slice(1, -1).replace(/""/g, '"') : (match[1] as string))));
}

describe('formatSummary shapes', () => {
  it('json: the rows themselves, unrounded', () => {
    expect(JSON.parse(formatSummary(rows, 'json'))).toEqual(rows);
  });

  it('csv: a header of field names, one record per run, raw numbers, null as empty, quoting per RFC 4180', () => {
    const text = formatSummary(rows, 'csv');
    const records = parseCsv(text);
    expect(records[0]).toEqual([...SUMMARY_FIELDS]);
    expect(records).toHaveLength(3);
    expect(records.every((record) => record.length === SUMMARY_FIELDS.length)).toBe(true);
    const second = Object.fromEntries(SUMMARY_FIELDS.map((field, index) => [field, records[2]?.[index]]));
    expect(second).toMatchObject({ variant: 'tiered, "cheap"', accuracy: '', costPerCorrectUsd: '', seed: '42', meanTokens: '5210.4' });
    expect(text).toContain('"tiered, ""cheap"""');
    expect(Object.fromEntries(SUMMARY_FIELDS.map((field, index) => [field, records[1]?.[index]]))).toMatchObject({
      costPerCorrectUsd: String(2.46 / 171),
    });
  });

  it('csv: names every SummaryRow field', () => {
    expect([...SUMMARY_FIELDS].sort()).toEqual(Object.keys(base).sort());
  });

  it('markdown: a header, an alignment row (numbers right-aligned) and one row per run with the table cells', () => {
    const lines = formatSummary(rows, 'markdown').split('\n');
    expect(lines).toHaveLength(4);
    const cells = lines.map((line) => line.split(' | ').length);
    expect(new Set(cells).size).toBe(1);
    expect(lines.every((line) => line.startsWith('| ') && line.endsWith(' |'))).toBe(true);
    expect(lines[0]).toMatch(/^\| scenario \| pattern \| variant \| seed \| workflows \|/);
    expect(lines[1]).toMatch(/^\| --- \| --- \| --- \| ---: \| ---: \|/);
    expect(lines[2]).toBe(
      '| triage | sequential | base | 42 | 200 | 98.5% | 85.5% [79.9–89.7] | 86.8% | – | 12.3s | 20.1s | 31.0s | 5,210 | $0.0123 | $12.30 | $0.0144 | 4.0 | 3 | 0 |',
    );
    expect(lines[3]).toContain('| tiered, "cheap" |');
  });

  it('rejects an unknown format (USAGE)', () => {
    expect(() => formatSummary(rows, 'xml' as never)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
