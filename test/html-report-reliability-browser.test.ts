import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { writeHtmlReport } from '../reports/html/report.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { p95Limits, summariseLoad, type RunLoad } from '../reports/summary/load.ts';
import { summariseReliability, type RunReliability } from '../reports/summary/reliability.ts';
import { summarise } from '../reports/summary/summary.ts';
import { captureIo } from './support/capture-io.ts';
import { closeReport, expectCleanPage, openReport, type OpenedReport } from './support/report-browser.ts';

const scenario = new URL('../scenarios/credit-check-outage.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-reliability-'));
const db = join(folder, 'credit-check-outage.db');
const html = join(folder, 'credit-check-outage.html');

/** A numeric cell of a findings table: its row's run, `data-field` (and resource), `data-value` and text. */
interface PageCell {
  readonly runId: string;
  readonly field: string;
  readonly resource: string | null;
  readonly value: string;
  readonly text: string;
}

async function tableCells(page: Page, table: string): Promise<PageCell[]> {
  return page.$$eval(`#${table} td[data-value]`, (tds) =>
    tds.map((td) => ({
      runId: td.parentElement?.getAttribute('data-run-id') ?? '',
      field: td.getAttribute('data-field') ?? '',
      resource: td.getAttribute('data-resource'),
      value: td.getAttribute('data-value') ?? '',
      text: td.textContent ?? '',
    })),
  );
}

/** What `data-value` holds for `value`: the number as text, empty for null. */
const dataValue = (value: unknown): string => (value === null ? '' : String(value));

/** The value at a dotted path (`breakPoint.atMs`) of `row`. */
function fieldValue(row: object, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value === null ? null : (value as Record<string, unknown>)[key]), row);
}

/** The event-timeline datasets embedded in the page: per point its kind, and the marker drawn. */
async function timelineMarkers(page: Page): Promise<{ kind: string; marker: string }[]> {
  const json = await page.$eval('#pb-data', (element) => element.textContent ?? '');
  const charts = (JSON.parse(json) as { charts: { id: string; datasets: { pointStyle: string[]; data: { y: string }[] }[] }[] }).charts;
  const timeline = charts.find((chart) => chart.id === 's0-events-timeline');
  return (timeline?.datasets ?? []).flatMap((dataset) => dataset.data.map((point, index) => ({ kind: point.y, marker: dataset.pointStyle[index] ?? '' })));
}

describe('the HTML report of a run with an outage, in headless Chromium', () => {
  let report: OpenedReport;
  let reliability: RunReliability[];
  let load: RunLoad[];
  beforeAll(async () => {
    // 1 when a scenario threshold fails (the base variant misses `success_rate > 99%`), else 0.
    expect([0, 1]).toContain(await main(['run', scenario, '--db', db, '--no-report', '--quiet'], captureIo()));
    const sqlite = openDatabase(db, { readonly: true });
    reliability = summariseReliability(sqlite, summarise(sqlite));
    load = summariseLoad(sqlite, p95Limits(sqlite));
    sqlite.close();
    await writeHtmlReport(db, html);
    report = await openReport(html);
  });
  afterAll(async () => {
    await closeReport(report);
  });

  it('draws every chart with no console error, CSP violation or network request', async () => {
    const ids = (await expectCleanPage(report)).map((canvas) => canvas.id);
    expect(ids).toContain('s0-events-timeline');
  });

  it('shows the reliability figures the database holds, run by run', async () => {
    // The scenario exercises every column worth checking: breaker trips, fallbacks, dead letters, compensations.
    for (const field of ['breakerTrips', 'fallbacks', 'deadLetters', 'compensations'] as const) {
      expect(reliability.some((run) => run[field] > 0), field).toBe(true);
    }
    const cells = await tableCells(report.page, 'reliability-0');
    expect(new Set(cells.map((cell) => cell.runId))).toEqual(new Set(reliability.map((run) => run.runId)));
    const fields = ['completionRate', 'latencyP95Ms', 'retriesPerWorkflow', 'breakerTrips', 'fallbacks', 'deadLetters', 'compensations', 'uncompensated', 'budgetStops', 'meanCostUsd'];
    expect(cells).toHaveLength(reliability.length * fields.length);
    for (const run of reliability) {
      for (const field of fields) {
        const cell = cells.find((candidate) => candidate.runId === run.runId && candidate.field === field);
        expect(cell?.value, `${run.runId} ${field}`).toBe(dataValue(fieldValue(run, field)));
      }
      const failures = await report.page.$$eval(`#reliability-0 tr[data-run-id="${run.runId}"] span[data-error-type]`, (spans) =>
        spans.map((span) => [span.getAttribute('data-error-type') ?? '', Number(span.getAttribute('data-value'))]),
      );
      expect(failures, `${run.runId} failures`).toEqual(run.failures);
    }
  });

  it('shows the load figures the database holds, with the p95 limit from the recorded threshold', async () => {
    expect(load.length).toBeGreaterThan(0);
    const cells = await tableCells(report.page, 'load-0');
    expect(new Set(cells.map((cell) => cell.runId))).toEqual(new Set(load.map((run) => run.runId)));
    let checked = 0;
    for (const cell of cells) {
      const run = load.find((candidate) => candidate.runId === cell.runId) as RunLoad;
      const want = cell.field === 'queueWaitP95Ms' ? (new Map(run.queueWaitP95Ms).get(cell.resource ?? '') ?? null) : fieldValue(run, cell.field);
      expect(cell.value, `${cell.runId} ${cell.field}`).toBe(dataValue(want));
      checked += 1;
    }
    const resources = new Set(load.flatMap((run) => run.queueWaitP95Ms.map(([resource]) => resource)));
    expect(checked).toBe(load.length * (6 + resources.size + 3));
    // The scenario's `p95(latency) < 60s` is in the `thresholds` table, so it is every run's limit.
    for (const cell of cells.filter((candidate) => candidate.field === 'breakPoint.limitMs')) {
      expect(cell.value).toBe('60000');
      expect(cell.text).toMatch(/^threshold /);
    }
  });

  it('marks breaker, budget and compensation events with their own shapes on the timeline', async () => {
    const markers = await timelineMarkers(report.page);
    const shape = (prefix: string): Set<string> => new Set(markers.filter((point) => point.kind.startsWith(prefix)).map((point) => point.marker));
    expect(shape('breaker.')).toEqual(new Set(['triangle']));
    expect(shape('compensation')).toEqual(new Set(['rect']));
    expect(markers.filter((point) => !/^(breaker|budget|compensation|arrival)\b/.test(point.kind)).every((point) => point.marker === 'circle')).toBe(true);
  });
});
