import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { buildHtmlReport } from '../reports/html/report.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { summariseRouting } from '../reports/summary/routing.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/support-routing.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-cli-routing-'));

describe('patternbench run, router runs', () => {
  it("prints each router run's routing accuracy and confusion matrix, and the report shows the same table", async () => {
    const path = join(folder, 'routing.db');
    const io = captureIo();
    expect(await main(['run', scenario, '--cases', '120', '--db', path, '--no-report'], io)).toBe(0);
    const db = openDatabase(path, { readonly: true });
    let html: string;
    let runs: ReturnType<typeof summariseRouting>;
    try {
      runs = summariseRouting(db);
      html = buildHtmlReport(db, 'routing.db');
    } finally {
      db.close();
    }
    // The router runs of both variants (LLM classifier, keyword rules); the single agent has no router.
    expect(runs.map((run) => run.runId)).toEqual(['support-routing/router/base/seed-7', 'support-routing/router/keyword-rules/seed-7']);
    const out = io.stdout.join('\n');
    expect(out).toContain("routing (router runs: the classifier's label against the case's expected label):");
    for (const run of runs) {
      expect(run.labels).toEqual(['account', 'billing', 'general', 'technical']);
      expect(run.classified + run.unclassified).toBe(120);
      expect(out).toContain(`  ${run.runId}: accuracy ${((run.accuracy ?? 0) * 100).toFixed(1)}%`);
      // The report's table for the run: one row per expected label, each cell the count with its value.
      const table = html.slice(html.indexOf(`data-run-id="${run.runId}"`));
      for (const [row, counts] of run.matrix.entries()) {
        for (const [column, count] of counts.entries()) {
          expect(table).toContain(`data-expected="${run.labels[row]}" data-routed="${run.labels[column]}" data-value="${count}"`);
        }
      }
      expect(table).toContain(`data-field="accuracy" data-value="${run.accuracy}"`);
    }
  });
});
