import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { collectReportData } from '../reports/html/data.ts';
import { TASK_DEPENDENCIES } from '../reports/html/matrix.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/claims-hybrid.yaml', import.meta.url).pathname;
const db = join(mkdtempSync(join(tmpdir(), 'patternbench-hybrid-row-')), 'claims.db');

describe('the shipped hybrid against its pure alternatives', () => {
  it('is its own row of the summary, the decision and the HTML matrix, next to each pure pattern', async () => {
    const io = captureIo();
    expect(await main(['run', scenario, '--cases', '40', '--db', db, '--quiet', '--no-report', '--format', 'json'], io)).toBe(0);
    const rows = JSON.parse(io.stdout.join('\n')) as { pattern: string; workflows: number }[];
    expect(rows.map((row) => row.pattern).sort()).toEqual(['fanout', 'hybrid', 'sequential', 'single-agent']);
    for (const row of rows) expect(row.workflows).toBe(40);

    const handle = openDatabase(db, { readonly: true });
    try {
      const [report] = collectReportData(handle).scenarios;
      expect(report?.matrix.map((row) => row.pattern).sort()).toEqual(['fanout', 'hybrid', 'sequential', 'single-agent']);
      const hybrid = report?.matrix.find((row) => row.pattern === 'hybrid');
      expect(hybrid?.taskDependencies).toBe(TASK_DEPENDENCIES['hybrid']);
      // The checks read the intake's extraction, not the raw claim: fewer tokens than the pure fan-out.
      const fanout = report?.matrix.find((row) => row.pattern === 'fanout');
      expect(hybrid?.values.meanTokens).toBeLessThan(fanout?.values.meanTokens ?? 0);
      expect(report?.decision.candidates.map((candidate) => candidate.label).sort()).toEqual(['fanout', 'hybrid', 'sequential', 'single-agent']);
    } finally {
      handle.close();
    }
  });

  it("prints the nested fan-out's facts under their path in the summary", async () => {
    const io = captureIo();
    expect(await main(['summary', db], io)).toBe(0);
    const line = io.stdout.join('\n').split('\n').find((text) => text.startsWith('  claims-hybrid/hybrid/base/seed-19: '));
    // 40 claims × 3 checks, none missing.
    expect(line).toContain('sequential.steps[1].fanout.successes 120 (3/wf)');
    expect(line).toContain('sequential.steps[1].fanout.missing_count 0 (0/wf)');
  });
});
