import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { runLegalReview, withSlowerPattern } from './support/compare-dbs.ts';
import { canvasInk, openReport } from './support/report-browser.ts';

describe('compare --html', () => {
  it('writes a self-contained page with the deltas and the p95 chart drawn, under its CSP', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-compare-html-'));
    const base = await runLegalReview(folder, 'base', 300);
    const head = withSlowerPattern(base, folder, 'head', 'sequential', 1.3);
    const html = join(folder, 'compare.html');
    expect(await main(['compare', base, head, '--html', html, '--fail-on', 'p95 +10%'], captureIo())).toBe(1);
    expect(readFileSync(html, 'utf8')).not.toMatch(/\sstyle=|\son[a-z]+=/i);

    const report = await openReport(html);
    try {
      expect(report.errors).toEqual([]);
      expect(report.violations).toEqual([]);
      expect(report.requests).toEqual([report.url]);
      const [chart] = await canvasInk(report.page);
      expect(chart?.id).toBe('compare-p95');
      expect(chart?.inked, 'the p95 chart has no drawn pixels').toBeGreaterThan(chart?.width ?? Infinity);
      const rows = await report.page.locator('tbody tr').allTextContents();
      expect(rows).toHaveLength(2 * 7);
      expect(rows.filter((text) => text.includes('FAIL p95 +10%'))).toEqual([expect.stringContaining('sequential')]);
      expect(await report.page.locator('ul.failures li').allTextContents()).toEqual([expect.stringContaining("breaks 'p95 +10%'")]);
    } finally {
      await report.browser.close();
    }
  });
});
