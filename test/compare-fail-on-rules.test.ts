import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import type { MetricDelta } from '../reports/compare/compare.ts';
import { breaksRule, parseFailRule, parseFailRules } from '../reports/compare/rules.ts';
import { captureIo } from './support/capture-io.ts';

function delta(fields: Partial<MetricDelta>): MetricDelta {
  return { metric: 'p95', unit: 'ms', base: 100, head: 130, delta: 30, deltaPct: 30, ciLo: 5, ciHi: 55, pValue: null, significant: true, ...fields };
}

describe('--fail-on rules', () => {
  it('parses the documented forms', () => {
    expect(parseFailRules(['p95 +10%', 'accuracy -2pt,success -1pt', 'cost +5%', 'mean_latency +10%', 'p99+20%'])).toEqual([
      { text: 'p95 +10%', metric: 'p95', limit: 10 },
      { text: 'accuracy -2pt', metric: 'accuracy', limit: 2 },
      { text: 'success -1pt', metric: 'success', limit: 1 },
      { text: 'cost +5%', metric: 'cost', limit: 5 },
      { text: 'mean_latency +10%', metric: 'mean_latency', limit: 10 },
      { text: 'p99 +20%', metric: 'p99', limit: 20 },
    ]);
  });

  it.each([
    ['p95 10%', /not a rule/],
    ['p97 +10%', /unknown metric 'p97'/],
    ['p95 -10%', /increase, in percent/],
    ['p95 +10pt', /increase, in percent/],
    ['accuracy +2pt', /drop, in points/],
    ['accuracy -2%', /drop, in points/],
    ['', /not a rule/],
  ])('rejects %j', (text, message) => {
    expect(() => parseFailRule(text)).toThrow(message);
  });

  it('fails a cell only when the change is worse than the limit and significant', () => {
    const rule = parseFailRule('p95 +10%');
    expect(breaksRule(rule, delta({}))).toBe(true);
    expect(breaksRule(rule, delta({ significant: false }))).toBe(false);
    expect(breaksRule(rule, delta({ delta: 5, deltaPct: 5 }))).toBe(false);
    expect(breaksRule(rule, delta({ delta: -30, deltaPct: -30 }))).toBe(false);
    const accuracy = parseFailRule('accuracy -2pt');
    const drop = { metric: 'accuracy', unit: 'proportion', base: 0.9, head: 0.85, delta: -0.05, deltaPct: -5.6, pValue: 0.01 } as const;
    expect(breaksRule(accuracy, delta(drop))).toBe(true);
    expect(breaksRule(accuracy, delta({ ...drop, head: 0.89, delta: -0.01 }))).toBe(false);
    expect(breaksRule(accuracy, delta({ ...drop, pValue: 0.2, significant: false }))).toBe(false);
  });

  it('exits 2 on a bad rule, before reading any file', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'patternbench-rules-')), 'missing.db');
    const io = captureIo();
    expect(await main(['compare', missing, missing, '--fail-on', 'p95 +10'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/error \[USAGE\]: --fail-on rule "p95 \+10": not a rule/);
  });
});
