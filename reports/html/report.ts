/**
 * The HTML report of a results file: one self-contained page (`renderHtmlPage`) with its contents
 * (the summary, then per scenario its line — runs, patterns, workflows, thresholds — and a link to
 * each of its parts), the summary table, and per scenario a collapsible section (`<details>`, the
 * first open): its decision, decision matrix, thresholds, reliability, load, routing and security
 * tables and every chart section, each a query over the file (`collectReportData`). The charts are
 * drawn in the browser by `client.js` from the chart descriptions embedded as JSON; it also opens
 * a closed section a link points into.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { escapeHtml, renderHtmlPage } from './page.ts';
import { withSweepSections } from '../sweep/page.ts';
import type { ChartSpec, ReportSection } from './chart-spec.ts';
import { measureSections } from './charts.ts';
import { timeSections } from './charts-time.ts';
import { autoscaleSections } from './levers/autoscale.ts';
import { collectReportData, type ScenarioReport } from './data.ts';
import { loadTable, reliabilityTable } from './findings.ts';
import { securityTable } from './security.ts';
import { routingTables } from './routing.ts';
import { batchingTables } from './levers/batching.ts';
import { stateTable } from './levers/state.ts';
import { speculationTables } from './levers/speculation.ts';
import { summaryTable } from './tables.ts';
import { decisionLead, matrixTable, thresholdTable } from './decision-tables.ts';
import { describeTraces, summariseTraces, type RunTraces } from '../summary/traces.ts';
import { openResultsDeferred, readBesidePageCheck, type ResultsReader } from '../store/open-results.ts';
import type { Db } from '../store/schema.ts';
import { describeUnfinishedRun, unfinishedRuns, type UnfinishedRun } from '../summary/unfinished-runs.ts';

/**
 * Styles of the report on top of the page's base style: the contents (a grid of scenario cards),
 * the scenario sections (`<details>` whose `<summary>` — name, summary line, and the decision while
 * closed — stays at the top of the window while the section is read), the wide-table columns.
 */
const REPORT_STYLE = `
figure { margin: 0; } figcaption { font-weight: 600; margin: 4px 0; }
p.empty { color: #59636e; font-style: italic; }
table.matrix td.text { max-width: 320px; }
header p { margin: 2px 0; }
td.bad { background: #ffebe9; font-weight: 600; } .bad { color: #cf222e; }
td.diagonal { background: #dafbe1; }
td.run { white-space: nowrap; max-width: 36ch; overflow: hidden; text-overflow: ellipsis; }
td.list { min-width: 18ch; max-width: 60ch; } td.load { min-width: 22ch; max-width: 34ch; }
tr.group > th { text-align: left; background: #eef1f4; font-weight: 600; }
tr.group > th > span { position: sticky; left: 8px; }
div.unfinished { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
div.unfinished ul { margin: 4px 0 0; }
nav.contents ol, nav.contents ul { list-style: none; margin: 0; padding: 0; }
nav.contents > ol.contents-top { margin: 8px 0; display: flex; flex-wrap: wrap; gap: 4px 24px; }
ol.contents-scenarios { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px; }
ol.contents-scenarios > li { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 12px; }
a.contents-scenario { font-weight: 600; font-size: 15px; }
ol.contents-scenarios span.scenario-line { display: block; color: #59636e; font-size: 13px; margin: 2px 0 4px; }
ul.contents-parts { font-size: 13px; } ul.contents-parts > li { display: inline; }
ul.contents-parts > li + li::before { content: " · "; color: #8c959f; }
ul.contents-parts a.empty { color: #59636e; }
div.contents-tools { margin: 8px 0; } div.contents-tools button { font: inherit; margin-right: 8px; padding: 2px 10px; border: 1px solid #d0d7de; border-radius: 6px; background: #f6f8fa; cursor: pointer; }
details.scenario { margin: 24px 0 0; }
details.scenario > summary { list-style: none; cursor: pointer; position: sticky; top: 0; z-index: 3; background: #fff; border-bottom: 1px solid #d0d7de;
  display: flex; flex-wrap: wrap; align-items: baseline; column-gap: 16px; padding: 6px 0 4px; }
details.scenario > summary::-webkit-details-marker { display: none; }
details.scenario > summary h2 { margin: 0; border: 0; padding: 0; }
details.scenario > summary h2::before { content: "▸"; display: inline-block; width: 1.1em; color: #59636e; }
details.scenario[open] > summary h2::before { content: "▾"; }
details.scenario > summary span.scenario-line { color: #59636e; }
details.scenario > summary span.scenario-decision { flex-basis: 100%; color: #1f2328; margin: 2px 0 0 1.4em; }
details.scenario[open] > summary span.scenario-decision { display: none; }
details.scenario > summary:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
details.scenario h3, details.scenario div.part { scroll-margin-top: 64px; }
p.decision { font-size: 15px; margin: 12px 0 8px; max-width: 130ch; } span.decision-label { font-weight: 600; } p.decision.none { color: #59636e; }
span.failing-mark { color: #cf222e; font-weight: 600; } span.failing-why { color: #59636e; font-size: 12px; }
details.scenario > summary a.to-contents { margin-left: auto; font-size: 13px; }
@media (max-width: 800px) { details.scenario > summary { position: static; } }
@media print { details.scenario > summary { position: static; } a.to-contents, div.contents-tools { display: none; } }
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

/** The runs that kept only some traces (`--traces tail`): how many, and why; '' when every run kept all. */
function keptTracesNote(runs: readonly RunTraces[]): string {
  if (runs.length === 0) return '';
  return [
    '<p class="note">Every span counts in every figure below; the waterfalls show kept traces only. These runs kept some of their traces (<code>--traces tail</code>):</p>',
    `<ul class="note">${runs.map((run) => `<li>${escapeHtml(run.runId)}: ${escapeHtml(describeTraces(run))}</li>`).join('')}</ul>`,
  ].join('\n');
}

/** One part of a scenario's section, listed in the contents under the scenario. */
interface ScenarioPart {
  /** Id of the element a link to the part lands on. */
  readonly id: string;
  /** Its name in the contents (a chart section's title up to its colon). */
  readonly title: string;
  readonly html: string;
  /** True when the part says only that nothing was recorded. */
  readonly empty: boolean;
}

/** The id of scenario `index`'s section (the `<details>` element). */
const scenarioId = (index: number): string => `scenario-${index}`;

/** A block of tables (empty string when it has nothing to show) as a part under `id`. */
function tablePart(id: string, title: string, html: string): ScenarioPart[] {
  return html === '' ? [] : [{ id, title, html: `<div class="part" id="${escapeHtml(id)}">\n${html}\n</div>`, empty: false }];
}

/** The parts of a scenario's section, in page order: its tables, then every chart section. */
function scenarioParts(report: ScenarioReport, index: number, sections: readonly ReportSection[]): ScenarioPart[] {
  const id = (part: string): string => `${scenarioId(index)}-${part}`;
  const matrix = [
    '<h3>Decision matrix</h3>',
    '<p class="note">Measured values per pattern, every seed pooled. A pattern that failed a threshold or completed under the scenario’s <code>minSuccess</code> is marked ✗ failing and wins no ★. ' +
      '★ marks a real best among the viable patterns: it still differs from the runner-up’s value when printed and, where an interval is known (success, accuracy, tokens and cost; on hover), its 95 % interval is clear of the runner-up’s. ' +
      'Predictability: p99 ÷ p50 and the coefficient of variation (standard deviation ÷ mean) of latency — lower is steadier. ' +
      'Error recovery: arrivals completed, and retries per workflow (model attempts beyond each call’s first ÷ workflows).</p>',
    matrixTable(report.matrix, `matrix-${index}`),
  ].join('\n');
  return [
    ...tablePart(id('matrix'), 'Decision matrix', matrix),
    ...tablePart(id('thresholds'), 'Thresholds', thresholdTable(report.thresholds, report.runs)),
    ...tablePart(id('reliability'), 'Reliability', reliabilityTable(report.reliability, report.runs, `reliability-${index}`)),
    ...tablePart(id('load'), 'Load', loadTable(report.loadSummary, report.runs, `load-${index}`)),
    ...tablePart(id('routing'), 'Routing', routingTables(report.routing, `routing-${index}`, report.runs)),
    ...tablePart(id('batching'), 'Batching', batchingTables(report.batching, `batching-${index}`)),
    ...tablePart(id('state'), 'State', stateTable(report.state, `state-${index}`)),
    ...tablePart(id('speculation'), 'Speculation', speculationTables(report.speculation, `speculation-${index}`)),
    ...tablePart(id('security'), 'Security', securityTable(report.security, report.runs, `security-${index}`)),
    ...sections.map((section) => ({ id: section.id, title: section.title.replace(/:.*$/s, ''), html: sectionHtml(section), empty: section.empty !== undefined })),
  ];
}

/** `n word(s)`, `n` with thousands separators. */
function counted(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** The scenario's line under its name (HTML): runs, patterns, variants, workflows, thresholds passed and failed. */
function scenarioLine(report: ScenarioReport): string {
  const distinct = (values: readonly string[]): number => new Set(values).size;
  const variants = distinct(report.runs.map((run) => run.variant));
  const failed = report.thresholds.filter((row) => !row.passed).length;
  const passed = report.thresholds.length - failed;
  const thresholds =
    report.thresholds.length === 0
      ? 'no thresholds'
      : `thresholds ${passed}/${report.thresholds.length} passed${failed === 0 ? '' : `, <span class="bad">✗ ${failed} failed</span>`}`;
  return [
    counted(report.runs.length, 'run'),
    counted(distinct(report.runs.map((run) => run.pattern)), 'pattern'),
    ...(variants > 1 ? [counted(variants, 'variant')] : []),
    counted(report.runs.reduce((total, run) => total + run.workflows, 0), 'workflow'),
    thresholds,
  ].join(' · ');
}

/** The page's contents: the summary, then per scenario its name, its line and links to its parts. */
function contentsHtml(scenarios: readonly { report: ScenarioReport; parts: readonly ScenarioPart[] }[], unfinished: boolean): string {
  const cards = scenarios.map(({ report, parts }, index) => {
    const links = parts.map(
      (part) => `<li><a href="#${escapeHtml(part.id)}"${part.empty ? ' class="empty" title="nothing recorded"' : ''}>${escapeHtml(part.title)}</a></li>`,
    );
    return [
      `<li data-scenario="${escapeHtml(report.scenario)}"><a class="contents-scenario" href="#${scenarioId(index)}">${escapeHtml(report.scenario)}</a>`,
      `<span class="scenario-line">${scenarioLine(report)}</span>`,
      `<ul class="contents-parts">${links.join('')}</ul></li>`,
    ].join('');
  });
  return [
    '<nav class="contents" id="contents" aria-labelledby="contents-heading">',
    '<h2 id="contents-heading">Contents</h2>',
    `<ol class="contents-top"><li><a href="#summary-heading">Summary per run</a></li>${unfinished ? '<li><a href="#unfinished-runs">Unfinished runs</a></li>' : ''}</ol>`,
    scenarios.length > 1
      ? '<div class="contents-tools"><button type="button" data-pb-details="open">Expand every scenario</button><button type="button" data-pb-details="close">Collapse every scenario</button></div>'
      : '',
    `<ol class="contents-scenarios">\n${cards.join('\n')}\n</ol>`,
    '</nav>',
  ].join('\n');
}

/**
 * `html` (a paragraph, as `decisionLead` writes it) as content a `<summary>` may hold: the
 * paragraph's inner markup when it holds only inline elements, else its text.
 */
function phrasing(html: string): string {
  const inner = /^\s*<p\b[^>]*>([\s\S]*)<\/p>\s*$/.exec(html)?.[1];
  if (inner !== undefined && !/<\/?(p|div|ul|ol|table|h[1-6]|section|details|summary)\b/i.test(inner)) return inner.trim();
  return html.replace(/<[^>]*>/g, '').trim();
}

/**
 * A scenario's section: a `<details>` (open for the first scenario only) whose `<summary>` holds
 * the name, the scenario's line and, while closed, its decision; inside, the decision first, then
 * every part.
 */
function scenarioHtml(report: ScenarioReport, index: number, parts: readonly ScenarioPart[]): string {
  const lead = decisionLead(report);
  const decision = phrasing(lead);
  return [
    `<section class="scenario" aria-labelledby="${scenarioId(index)}-title">`,
    `<details class="scenario" id="${scenarioId(index)}" data-scenario="${escapeHtml(report.scenario)}"${index === 0 ? ' open' : ''}>`,
    `<summary><h2 id="${scenarioId(index)}-title">${escapeHtml(report.scenario)}</h2><span class="scenario-line">${scenarioLine(report)}</span>` +
      '<a class="to-contents" href="#contents">↑ contents</a>' +
      `${decision === '' ? '' : `<span class="scenario-decision">${decision}</span>`}</summary>`,
    lead,
    ...parts.map((part) => part.html),
    '</details>',
    '</section>',
  ].join('\n');
}

/** Renders the report of `db`; `source` (e.g. the file name) is shown in the heading. */
export function buildHtmlReport(db: Db, source = ''): string {
  const data = collectReportData(db);
  const scenarios = data.scenarios.map((report, index) => {
    const prefix = `s${index}`;
    const sections = [...measureSections(report, prefix), ...timeSections(report, prefix), ...autoscaleSections(db, report.scenario, prefix)];
    return { report, sections, parts: scenarioParts(report, index, sections) };
  });
  const charts = scenarios.flatMap((entry) => entry.sections.flatMap((section) => section.charts));
  const runs = data.summary.length;
  const workflows = data.summary.reduce((total, row) => total + row.workflows, 0);
  const unfinished = unfinishedRuns(db);
  const anchors = new Map(data.scenarios.map((report, index) => [report.scenario, scenarioId(index)]));
  const body = [
    '<header>',
    `<h1>patternbench report${source === '' ? '' : ` — ${escapeHtml(source)}`}</h1>`,
    `<p class="note">${runs} run(s), ${workflows.toLocaleString('en-US')} workflows, ${data.scenarios.length} scenario(s). ` +
      `Every figure below is a query over the results database; ${clockWording(db)}.</p>`,
    unfinishedNotice(unfinished),
    keptTracesNote(summariseTraces(db)),
    '</header>',
    contentsHtml(scenarios, unfinished.length > 0),
    '<h2 id="summary-heading">Summary per run</h2>',
    '<p class="note">One row per scenario × pattern × variant × seed, as <code>patternbench run</code> prints it. Latency percentiles are nearest rank over every workflow of the run. ' +
      'Hover a column’s header for what it measures.</p>',
    summaryTable(data.summary, anchors),
    ...scenarios.map((entry, index) => scenarioHtml(entry.report, index, entry.parts)),
  ].join('\n');
  // A file holding a sweep gets its boundary charts after the scenarios (unchanged without one).
  return renderHtmlPage(
    withSweepSections(db, {
      title: `patternbench report${source === '' ? '' : ` — ${source}`}`,
      bodyHtml: body,
      data: { charts },
      script: clientScript(),
      style: REPORT_STYLE,
    }),
  );
}

/** What the times of the file's runs are: simulated runs keep virtual time, real-time runs and imported traces the wall clock. */
function clockWording(db: Db): string {
  const clocks = new Set(db.prepare('SELECT DISTINCT clock FROM runs').pluck().all() as string[]);
  if (clocks.has('real') && clocks.has('virtual')) return 'times are virtual time for simulated runs and wall-clock time for real-time runs and imported traces';
  if (clocks.has('real')) return 'times are wall-clock time (real-time runs and imported traces), from each run’s start';
  return 'times are virtual time';
}

/** What the report reads of a results file (`openResultsReadonly`). */
export const REPORT_READER: ResultsReader = {
  name: 'report',
  relations: ['runs', 'workflows', 'spans', 'histograms', 'timeseries', 'queue_series', 'events', 'dead_letters', 'thresholds', 'audit'],
  // Since schema 7 the figures come from `span_metrics`; the spans are read by trace, for the sample
  // waterfalls (and whole only for a run killed before it wrote its span metrics). Checkpoints and
  // recordings are not read at all. Before 7 every span is folded, so every page is checked.
  readByKey: (version) => (version >= 7 ? ['span_rows', 'checkpoints', 'recordings'] : ['checkpoints', 'recordings']),
};

/**
 * Reads the results file at `dbPath` (through the open gate: a missing, damaged or foreign file is
 * refused before anything is written) and writes its HTML report to `outPath`. The gate's page check
 * runs in a worker thread while the report is built, and its verdict is awaited before the page is
 * written or an error of the build reported (`openResultsDeferred`). Returns the runs that have not
 * finished, which the page marks as partial.
 */
export async function writeHtmlReport(dbPath: string, outPath: string): Promise<readonly UnfinishedRun[]> {
  const { db, pages } = openResultsDeferred(dbPath, REPORT_READER);
  try {
    // A damaged file first: its queries may fail in any way. Then a damaged page in a table the
    // gate does not check (`readByKey`), or the build's own error.
    const html = await readBesidePageCheck(dbPath, pages, () => buildHtmlReport(db, basename(dbPath)));
    mkdirSync(dirname(outPath), { recursive: true });
    writeFileSync(outPath, html);
    return unfinishedRuns(db);
  } finally {
    db.close();
  }
}
