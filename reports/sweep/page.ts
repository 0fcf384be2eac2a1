/**
 * The sweep part of a report: per scenario swept, its boundaries in sentences, the table of
 * crossings, the best pattern at each point, and the charts (`charts.ts`). `sweepSectionsHtml`
 * gives the markup and chart specs for any page (the HTML report includes them); `writeSweepReport`
 * writes a page of its own, drawn by the report's chart client. Everything is a query over the
 * results file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { ChartSpec } from '../html/chart-spec.ts';
import { escapeHtml, renderHtmlPage, type HtmlPageInput } from '../html/page.ts';
import { openResultsReadonly, type ResultsReader } from '../store/open-results.ts';
import type { Db } from '../store/schema.ts';
import { sweepBoundaries, sweepExtent, type BoundaryOptions, type SweepBoundaries } from '../summary/boundaries.ts';
import { boundarySentences, crossingTable, pointColumns } from '../summary/boundary-format.ts';
import { readSweeps } from '../summary/sweep-data.ts';
import { formatMeasure, SWEEP_MEASURES } from '../summary/sweep-measures.ts';
import { sweepCharts } from './charts.ts';

/** What a page includes of a file's sweeps. */
export interface SweepSections {
  /** Markup of every scenario's sweep section ('' when the file holds no sweep). */
  readonly html: string;
  /** The charts the markup has canvases for: add them to the page's `charts` data. */
  readonly charts: readonly ChartSpec[];
}

/** Style of the sweep sections (classes only: the page's CSP forbids `style=""`). */
export const SWEEP_STYLE = `
ul.boundaries { max-width: 130ch; padding-left: 1.2em; } ul.boundaries li { margin: 4px 0; }
td.winner { font-weight: 600; }
`;

function figure(chart: ChartSpec): string {
  return `<figure><figcaption>${escapeHtml(chart.title)}</figcaption><div class="chart"><canvas id="${escapeHtml(chart.id)}" role="img" aria-label="${escapeHtml(chart.title)}"></canvas></div></figure>`;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[], textColumns: number): string {
  const head = `<thead><tr>${headers.map((header, index) => `<th${index < textColumns ? ' class="text"' : ''}>${escapeHtml(header)}</th>`).join('')}</tr></thead>`;
  const body = rows.map((row) => `<tr>${row.map((cell, index) => `<td${index < textColumns ? ' class="text"' : ''}>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="wide"><table>${head}<tbody>\n${body}\n</tbody></table></div>`;
}

function winnerRows(boundaries: SweepBoundaries): string[][] {
  const columns = pointColumns(boundaries);
  return boundaries.points.map((point) => [
    ...columns.cells(point),
    ...SWEEP_MEASURES.map((measure) => {
      const entry = point.measures[measure.name];
      const first = entry.winners[0];
      return first === undefined ? '–' : `${entry.winners.join(' = ')} (${formatMeasure(measure, entry.values[first] ?? null)})`;
    }),
  ]);
}

/** One scenario's section. */
function scenarioSection(boundaries: SweepBoundaries, index: number, prefix: string): { html: string; charts: ChartSpec[] } {
  const charts = sweepCharts(boundaries, `${prefix}-${index}`);
  const crossings = crossingTable(boundaries);
  const method =
    boundaries.interval === 'seeds'
      ? `95% intervals are t intervals over the ${boundaries.replicates} seeds.`
      : `95% intervals come from a bootstrap over cases (${boundaries.replicates.toLocaleString('en-US')} resamples, the same draws for every pattern and point: their runs share cases and random streams).`;
  const html = [
    `<section class="sweep" id="${escapeHtml(`${prefix}-${index}`)}">`,
    `<h2>Decision boundaries: ${escapeHtml(boundaries.scenario)}</h2>`,
    `<p class="note">${boundaries.points.length} point(s) × ${boundaries.candidates.length} pattern(s), over ${escapeHtml(sweepExtent(boundaries))}. ` +
      `For each measure, the best pattern at each point and where it changes between neighbouring points: interpolated linearly in the difference between the two. ${escapeHtml(method)} ` +
      `<em>threshold pass</em> is the report’s decision: the cheapest per correct answer among the patterns that pass every threshold and complete at least ${Math.round(boundaries.minSuccess * 100)}% of their arrivals.</p>`,
    `<ul class="boundaries">${boundarySentences(boundaries).map((sentence) => `<li>${escapeHtml(sentence)}</li>`).join('\n')}</ul>`,
    boundaries.crossings.length === 0
      ? '<p class="note">The best pattern is the same at every point on every measure.</p>'
      : `<h3>Crossings</h3>\n${table(crossings.headers, crossings.rows, crossings.headers.length - 3)}`,
    '<h3>Best at each point</h3>',
    table([...pointColumns(boundaries).headers, ...SWEEP_MEASURES.map((measure) => measure.title)], winnerRows(boundaries), Infinity),
    charts.length === 0 ? '' : `<div class="grid">\n${charts.map(figure).join('\n')}\n</div>`,
    '</section>',
  ].join('\n');
  return { html, charts };
}

/** The sections of boundaries already computed (ids start with `prefix`). */
export function sweepSectionsFor(all: readonly SweepBoundaries[], prefix = 'sweep'): SweepSections {
  const sections = all.map((boundaries, index) => scenarioSection(boundaries, index, prefix));
  return { html: sections.map((section) => section.html).join('\n'), charts: sections.flatMap((section) => section.charts) };
}

/**
 * The sweep sections of `db` (ids start with `prefix`); none when the file holds no sweep. This is
 * what the HTML report includes: its markup in the page, its charts in the page's chart data.
 */
export function sweepSectionsHtml(db: Db, options: BoundaryOptions = {}, prefix = 'sweep'): SweepSections {
  return sweepSectionsFor(
    readSweeps(db).map((data) => sweepBoundaries(data, options)),
    prefix,
  );
}

/**
 * `page` with the sweep sections of `db` added after its body, their charts after the page's
 * `charts` data (a page drawn by `reports/html/client.js`) and their style after its own: the HTML
 * report wraps its page in it. A file without a sweep leaves the page as it is.
 */
export function withSweepSections(db: Db, page: HtmlPageInput, options: BoundaryOptions = {}): HtmlPageInput {
  const sections = sweepSectionsHtml(db, options);
  if (sections.html === '') return page;
  const data = (typeof page.data === 'object' && page.data !== null ? page.data : {}) as { readonly charts?: readonly ChartSpec[] };
  return {
    ...page,
    bodyHtml: `${page.bodyHtml}\n${sections.html}`,
    data: { ...data, charts: [...(data.charts ?? []), ...sections.charts] },
    style: `${page.style ?? ''}${SWEEP_STYLE}`,
  };
}

/** The report's chart client (plain JS), which draws `ChartSpec`s from the page's data. */
function chartClient(): string {
  return readFileSync(new URL('../html/client.js', import.meta.url), 'utf8');
}

/** A page of its own with the sweeps' boundaries (`source` names the results file in the heading). */
export function buildSweepPage(all: readonly SweepBoundaries[], source: string): string {
  const sections = sweepSectionsFor(all);
  const body = [
    `<h1>patternbench sweep — ${escapeHtml(source)}</h1>`,
    '<p class="note">Where the best pattern changes as an assumption changes. Every figure is a query over the results database; times are virtual time.</p>',
    sections.html === '' ? '<p class="note">This file holds no sweep.</p>' : sections.html,
  ].join('\n');
  return renderHtmlPage({ title: `patternbench sweep — ${source}`, bodyHtml: body, data: { charts: sections.charts }, script: chartClient(), style: SWEEP_STYLE });
}

/** What the sweep analysis reads of a results file. */
export const SWEEP_READER: ResultsReader = { name: 'sweep', relations: ['runs', 'workflows', 'timeseries', 'thresholds', 'sweep_points'] };

/** Writes the page of `all` (the boundaries of the results file `dbPath`) to `outPath`. */
export function writeSweepPage(outPath: string, all: readonly SweepBoundaries[], dbPath: string): void {
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, buildSweepPage(all, basename(dbPath)));
}

/** Reads the sweeps of the results file at `dbPath` (through the checked opener) and computes their boundaries. */
export function readSweepBoundaries(dbPath: string, options: BoundaryOptions = {}): SweepBoundaries[] {
  const db = openResultsReadonly(dbPath, SWEEP_READER);
  try {
    return readSweeps(db).map((data) => sweepBoundaries(data, options));
  } finally {
    db.close();
  }
}
