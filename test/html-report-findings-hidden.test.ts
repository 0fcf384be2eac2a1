import { describe, expect, it } from 'vitest';
import { loadTable, reliabilityTable } from '../reports/html/findings.ts';
import type { RunReliability } from '../reports/summary/reliability.ts';

/** A run that met no fault: everything completed at the first attempt. */
const calm: RunReliability = {
  runId: 's/sequential/base/seed-1',
  scenario: 's',
  pattern: 'sequential',
  variant: 'base',
  completionRate: 1,
  latencyP95Ms: 1200,
  retriesPerWorkflow: 0,
  failures: [],
  breakerTrips: 0,
  fallbacks: 0,
  deadLetters: 0,
  compensations: 0,
  uncompensated: 0,
  budgetStops: 0,
  meanCostUsd: 0.002,
};

describe('the report’s reliability and load tables', () => {
  it('are left out when no run met a fault and no run had load', () => {
    expect(reliabilityTable([calm, { ...calm, runId: 's/router/base/seed-1', pattern: 'router' }], [], 'reliability-0')).toBe('');
    expect(loadTable([], [], 'load-0')).toBe('');
  });

  it('show every run once one run met a fault, and mark side effects left uncompensated', () => {
    const faulty = { ...calm, runId: 's/router/base/seed-1', pattern: 'router', retriesPerWorkflow: 0.5, uncompensated: 2 };
    const html = reliabilityTable([calm, faulty], [], 'reliability-0');
    expect(html.match(/<tr data-run-id=/g)).toHaveLength(2);
    expect(html).toContain('<td class="bad" data-field="uncompensated" data-value="2">2</td>');
    expect(html).toContain('<td data-field="uncompensated" data-value="0">0</td>');
  });
});
