import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { writeHtmlReport } from '../reports/html/report.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';
import { closeReport, expectCleanPage, openReport, type OpenedReport } from './support/report-browser.ts';

// support-routing-peak's router: a 15-minute ramp of tickets, a few escalated to a human who
// answers hours later. Drawn to the last answer, the ramp would fill 2 % of the width.
const scenario = new URL('../scenarios/support-routing-peak.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-time-axis-'));
const db = join(folder, 'peak.db');
const html = join(folder, 'peak.html');

/** The charts over time of the report's only scenario. */
const TIME_CHARTS = ['s0-throughput', 's0-in-flight', 's0-p95-over-time', 's0-spend-over-time', 's0-queue-length'];

/** What the drawn chart.js chart says of its x scale, and the note under its canvas. */
interface DrawnAxis {
  readonly min: number;
  readonly max: number;
  readonly note: string | null;
}

/** The browser globals read below (the tests compile without DOM types). */
interface ChartGlobals {
  readonly Chart: { getChart(canvas: unknown): { scales: { x: { min: number; max: number } } } | undefined };
  readonly document: { getElementById(id: string): { closest(selector: string): { querySelector(selector: string): { textContent: string } | null } | null } | null };
}

describe('the over-time charts of support-routing-peak, in headless Chromium', () => {
  let report: OpenedReport | undefined;
  let arrivalsS: number;
  let lastEndS: number;
  beforeAll(async () => {
    // 1 when a threshold fails; the router passes them all on this seed, but the test is about the charts.
    expect([0, 1]).toContain(await main(['run', scenario, '--db', db, '--pattern', 'router', '--no-report', '--quiet'], captureIo()));
    const sqlite = openDatabase(db, { readonly: true });
    const load = JSON.parse(sqlite.prepare('SELECT load FROM runs').pluck().get() as string) as { phases: { durationMs: number }[] };
    arrivalsS = load.phases.reduce((total, phase) => total + phase.durationMs, 0) / 1000;
    lastEndS = (sqlite.prepare('SELECT max(end_ms) FROM workflows').pluck().get() as number) / 1000;
    sqlite.close();
    await writeHtmlReport(db, html);
    report = await openReport(html);
  }, 120_000);
  afterAll(async () => {
    await closeReport(report);
  });

  async function drawnAxis(id: string): Promise<DrawnAxis> {
    const page = (report as OpenedReport).page;
    return page.evaluate((canvasId) => {
      const browser = globalThis as unknown as ChartGlobals;
      const canvas = browser.document.getElementById(canvasId);
      const chart = browser.Chart.getChart(canvas);
      if (chart === undefined || canvas === null) throw new Error(`no chart drawn on #${canvasId}`);
      return { min: chart.scales.x.min, max: chart.scales.x.max, note: canvas.closest('figure')?.querySelector('p.chart-note')?.textContent ?? null };
    }, id);
  }

  it('draws every chart cleanly', async () => {
    const ids = (await expectCleanPage(report as OpenedReport)).map((canvas) => canvas.id);
    for (const id of TIME_CHARTS) expect(ids).toContain(id);
  });

  it('ends every time axis within 10 % of the arrival period, though the last escalation ends hours later', async () => {
    expect(arrivalsS).toBe(900);
    expect(lastEndS).toBeGreaterThan(10 * arrivalsS);
    for (const id of TIME_CHARTS) {
      const axis = await drawnAxis(id);
      expect(axis.min, id).toBe(0);
      expect(axis.max, id).toBeGreaterThanOrEqual(arrivalsS);
      expect(axis.max, id).toBeLessThanOrEqual(1.1 * arrivalsS);
    }
  });

  it('says under the charts how many workflows ended after the drain, and when the last did', async () => {
    const axis = await drawnAxis('s0-throughput');
    const sqlite = openDatabase(db, { readonly: true });
    const later = sqlite.prepare('SELECT count(*) FROM workflows WHERE end_ms > ?').pluck().get(axis.max * 1000) as number;
    sqlite.close();
    expect(later).toBeGreaterThan(0);
    expect(axis.note).toBe(`router: ${later.toLocaleString('en-US')} workflows ended after the drain, the last at ${(lastEndS / 3600).toFixed(1)}h (not shown).`);
  });
});
