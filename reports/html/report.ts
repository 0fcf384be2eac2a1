/**
 * The HTML report of a results file: one self-contained page (`renderHtmlPage`) with the summary
 * table, and per scenario the decision matrix, its thresholds, reliability, load and security tables and every
 * chart section, each a query over the file (`collectReportData`). The charts are drawn in the
 * browser by `html-report-client.js` from the chart descriptions embedded as JSON.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { escapeHtml, renderHtmlPage } from './page.ts';
import type { ChartSpec, ReportSection } from './chart-spec.ts';
import { measureSections } from './charts.ts';
import { timeSections } from './charts-time.ts';
import { collectReportData, type ScenarioReport } from './data.ts';
import { loadTable, reliabilityTable } from './findings.ts';
import { securityTable } from './security.ts';
import { routingTables } from './routing.ts';
import { summaryTable } from './tables.ts';
import { matrixTable, thresholdTable } from './decision-tables.ts';
import { openResultsReadonly, type ResultsReader } from '../store/open-results.ts';
import type { Db } from '../store/schema.ts';
import { describeUnfinishedRun, unfinishedRuns, type UnfinishedRun } from '../summary/unfinished-runs.ts';

/** Styles of the report on top of the page's base style. */
const REPORT_STYLE = `
figure { margin: 0; } figcaption { font-weight: 600; margin: 4px 0; }
p.empty { color: #59636e; font-style: italic; }
table.matrix td.text { max-width: 320px; }
header p { margin: 2px 0; } div.wide { overflow-x: auto; }
td.bad { background: #ffebe9; font-weight: 600; }
td.diagonal { background: #dafbe1; }
div.unfinished { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
div.unfinished ul { margin: 4px 0 0; }
`;

/** The browser script that draws the charts (plain JS, read once per report). */
function clientScript(): string {
  return readFileSync(new URL('./client.js', import.meta.url), 'utf8');
}

function chartFigure(chart: ChartSpec): string {
  return `<figure><figcaption>${escapeHtml(chart.title)}</figcaption><div class="chart"><canvas id="${escapeHtml(chart.id)}" role="img" aria-label="${escapeHtml(chart.title)}"></canvas></div></figure>`;
}

function sectionHtml(section: ReportSection): string {
  const content = section.empty !== undefined
    ? `<p class="empty">${escapeHtml(section.empty)}</p>`
    : `<div class="grid">\n${section.charts.map(chartFigure).join('\n')}\n</div>`;
  return `<h3 id="${escapeHtml(section.id)}">${escapeHtml(section.title)}</h3>\n<p class="note">${escapeHtml(section.note)}</p>\n${content}`;
}

/** The notice over the page when some runs have not finished: their figures are partial. */
function unfinishedNotice(runs: readonly UnfinishedRun[]): string {
  if (runs.length === 0) return '';
  return [
    '<div class="unfinished" id="unfinished-runs" role="status">',
    `<strong>Not every run finished: the figures of ${runs.length === 1 ? 'this run' : `these ${runs.length} runs`} are partial.</strong>`,
    `<ul>${runs.map((run) => `<li>${escapeHtml(describeUnfinishedRun(run))}</li>`).join('')}</ul>`,
    '</div>',
  ].join('\n');
}

function scenarioHtml(report: ScenarioReport, index: number, sections: readonly ReportSection[]): string {
  return [
    `<section id="scenario-${index}">`,
    `<h2>${escapeHtml(report.scenario)}</h2>`,
    '<h3>Decision matrix</h3>',
    '<p class="note">This run’s measured values per pattern. ★ marks the best value in each column (none when every pattern ties). ' +
      'Predictability: p99 ÷ p50 and the coefficient of variation (standard deviation ÷ mean) of latency — lower is steadier. ' +
      'Error recovery: workflows completed, and retries per workflow ((model attempts − agent calls) ÷ workflows).</p>',
    matrixTable(report.matrix, `matrix-${index}`),
    thresholdTable(report.thresholds),
    reliabilityTable(report.reliability, report.runs, `reliability-${index}`),
    loadTable(report.loadSummary, report.runs, `load-${index}`),
    routingTables(report.routing, `routing-${index}`),
    securityTable(report.security, report.runs, `security-${index}`),
    ...sections.map(sectionHtml),
    '</section>',
  ].join('\n');
}

/** Renders the report of `db`; `source` (e.g. the file name) is shown in the heading. */
export function buildHtmlReport(db: Db, source = ''): string {
  const data = collectReportData(db);
  const scenarios = data.scenarios.map((report, index) => {
    const prefix = `s${index}`;
    return { report, sections: [...measureSections(report, prefix), ...timeSections(report, prefix)] };
  });
  const charts = scenarios.flatMap((entry) => entry.sections.flatMap((section) => section.charts));
  const runs = data.summary.length;
  const workflows = data.summary.reduce((total, row) => total + row.workflows, 0);
  const body = [
    '<header>',
    `<h1>patternbench report${source === '' ? '' : ` — ${escapeHtml(source)}`}</h1>`,
    `<p class="note">${runs} run(s), ${workflows.toLocaleString('en-US')} workflows, ${data.scenarios.length} scenario(s). ` +
      'Every figure below is a query over the results database; times are virtual time.</p>',
    unfinishedNotice(unfinishedRuns(db)),
    '</header>',
    `<nav><a href="#summary-heading">summary</a>${data.scenarios.map((report, index) => `<a href="#scenario-${index}">${escapeHtml(report.scenario)}</a>`).join('')}</nav>`,
    '<h2 id="summary-heading">Summary per run</h2>',
    '<p class="note">One row per scenario × pattern × variant × seed, as <code>patternbench run</code> prints it. Latency percentiles are nearest rank over every workflow of the run.</p>',
    summaryTable(data.summary),
    ...scenarios.map((entry, index) => scenarioHtml(entry.report, index, entry.sections)),
  ].join('\n');
  return renderHtmlPage({
    title: `patternbench report${source === '' ? '' : ` — ${source}`}`,
    bodyHtml: body,
    data: { charts },
    script: clientScript(),
    style: REPORT_STYLE,
  });
}

/** What the report reads of a results file (`openResultsReadonly`). */
export const REPORT_READER: ResultsReader = {
  name: 'report',
  relations: ['runs', 'workflows', 'spans', 'histograms', 'timeseries', 'queue_series', 'events', 'dead_letters', 'thresholds', 'audit'],
};

/**
 * Reads the results file at `dbPath` (through `openResultsReadonly`: a missing, damaged or foreign
 * file is refused before anything is written) and writes its HTML report to `outPath`. Returns the
 * runs that have not finished, which the page marks as partial.
 */
export function writeHtmlReport(dbPath: string, outPath: string): readonly UnfinishedRun[] {
  const db = openResultsReadonly(dbPath, REPORT_READER);
  try {
    const html = buildHtmlReport(db, basename(dbPath));
    mkdirSync(dirname(outPath), { recursive: true });
    writeFileSync(outPath, html);
    return unfinishedRuns(db);
  } finally {
    db.close();
  }
}
