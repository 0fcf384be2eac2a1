// The page `sweep` writes opens clean in headless Chromium (no console error, no CSP violation, no
// request but its own file) and draws every chart: for one swept value, each measure against it
// with the crossings marked; for two, a map of the best pattern per measure over the grid.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { SWEEP_MEASURES } from '../reports/summary/sweep-measures.ts';
import { captureIo } from './support/capture-io.ts';
import { closeReport, expectCleanPage, openReport, type OpenedReport } from './support/report-browser.ts';

const scenario = new URL('../scenarios/triage-router.yaml', import.meta.url).pathname;

async function sweepPage(folder: string, name: string, varies: readonly string[]): Promise<string> {
  const db = join(folder, `${name}.db`);
  const io = captureIo();
  const code = await main(['sweep', scenario, ...varies.flatMap((vary) => ['--vary', vary]), '--cases', '300', '--db', db, '--quiet', '--resamples', '200'], io);
  expect(code, io.stderr.join('\n')).toBe(0);
  const html = join(folder, `${name}.html`);
  expect(readFileSync(html, 'utf8')).not.toMatch(/\sstyle=|\son[a-z]+=/i);
  return html;
}

describe('sweep page', () => {
  it('draws each measure against one swept value, and the map of the best pattern over a grid', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-sweep-page-'));
    const line = await sweepPage(folder, 'line', ['agents.triage-classifier.skill=0.6..0.98:5']);
    const grid = await sweepPage(folder, 'grid', ['agents.triage-classifier.skill=0.6,0.98', 'agents.desk-agent.skill=0.7,0.9']);
    let report: OpenedReport | undefined;
    try {
      report = await openReport(line);
      const canvases = await expectCleanPage(report);
      expect(canvases.map((canvas) => canvas.id)).toEqual(SWEEP_MEASURES.map((measure) => `sweep-0-${measure.name}`));
      const sentences = await report.page.locator('ul.boundaries li').allTextContents();
      expect(sentences.some((sentence) => /^cost per correct answer: single-agent is best below agents\.triage-classifier\.skill ≈ 0\.\d+ \[/.test(sentence))).toBe(true);
      expect(await report.page.locator('h3').allTextContents()).toEqual(['Crossings', 'Best at each point']);
      await report.browser.close();

      report = await openReport(grid);
      const maps = await expectCleanPage(report);
      expect(maps.map((canvas) => canvas.id)).toEqual(SWEEP_MEASURES.map((measure) => `sweep-0-map-${measure.name}`));
      // Four points in the table of winners, one per combination.
      expect(await report.page.locator('section.sweep table').last().locator('tbody tr').count()).toBe(4);
    } finally {
      await closeReport(report);
    }
  });
});
