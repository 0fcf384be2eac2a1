/**
 * Everything the HTML report shows, as SQL over the results file: the summary per run, and per
 * scenario its series (pattern × variant) with latency (of workflows, and of agent calls from the HDR
 * histograms), cost and tokens by agent, accuracy against
 * cost, failures, load and queues over time, events, sample trace waterfalls, the decision matrix
 * and threshold results. Sections a file has no rows for come back empty.
 */
import type { Db } from './schema.ts';
import { summarise, type SummaryRow } from './summary.ts';
import { accuracyCostPoints, agentBreakdown, type AccuracyCostPoint, type AgentBreakdown } from './html-report-cost.ts';
import { eventTimeline, failureBreakdown, type EventTimeline, type FailureBreakdown } from './html-report-events.ts';
import { agentLatency, type AgentLatency } from './html-report-histograms.ts';
import { latencyReport, type LatencyReport } from './html-report-latency.ts';
import { loadSeries, queueLines, type QueueLine, type RunLoad } from './html-report-load.ts';
import { decisionMatrix, type MatrixRow } from './html-report-matrix.ts';
import { listScenarios, listSeries, type ReportSeries } from './html-report-series.ts';
import { waterfalls, type Waterfall } from './html-report-waterfall.ts';

/** One threshold checked on a run (`thresholds`). */
export interface ThresholdResult {
  readonly runId: string;
  readonly expression: string;
  readonly source: string;
  readonly observed: number | null;
  readonly passed: boolean;
}

/** Everything shown for one scenario. */
export interface ScenarioReport {
  readonly scenario: string;
  readonly series: readonly ReportSeries[];
  readonly latency: LatencyReport;
  readonly agents: AgentBreakdown;
  readonly agentLatency: AgentLatency;
  readonly accuracyCost: readonly AccuracyCostPoint[];
  readonly failures: FailureBreakdown;
  readonly load: readonly RunLoad[];
  readonly queues: readonly QueueLine[];
  readonly events: EventTimeline;
  readonly waterfalls: readonly Waterfall[];
  readonly matrix: readonly MatrixRow[];
  readonly thresholds: readonly ThresholdResult[];
}

/** Everything the report shows. */
export interface ReportData {
  readonly summary: readonly SummaryRow[];
  readonly scenarios: readonly ScenarioReport[];
}

const THRESHOLDS = `
SELECT t.run_id, t.expression, t.source, t.observed, t.passed
FROM thresholds t JOIN runs r ON r.run_id = t.run_id
WHERE r.scenario = ? ORDER BY t.run_id, t.expression`;

function thresholds(db: Db, scenario: string): ThresholdResult[] {
  const rows = db.prepare(THRESHOLDS).all(scenario) as { run_id: string; expression: string; source: string; observed: number | null; passed: number }[];
  return rows.map((row) => ({ runId: row.run_id, expression: row.expression, source: row.source, observed: row.observed, passed: row.passed === 1 }));
}

/** The report of one scenario. */
export function scenarioReport(db: Db, scenario: string): ScenarioReport {
  const series = listSeries(db, scenario);
  const latency = latencyReport(db, scenario, series);
  return {
    scenario,
    series,
    latency,
    agents: agentBreakdown(db, scenario, series),
    agentLatency: agentLatency(db, scenario, series),
    accuracyCost: accuracyCostPoints(series),
    failures: failureBreakdown(db, scenario, series),
    load: loadSeries(db, scenario, series),
    queues: queueLines(db, scenario, series),
    events: eventTimeline(db, scenario, series),
    waterfalls: waterfalls(db, scenario, series),
    matrix: decisionMatrix(series, latency),
    thresholds: thresholds(db, scenario),
  };
}

/** Collects the whole report from `db`. */
export function collectReportData(db: Db): ReportData {
  return { summary: summarise(db), scenarios: listScenarios(db).map((scenario) => scenarioReport(db, scenario)) };
}
