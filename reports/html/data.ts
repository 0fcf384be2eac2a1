/**
 * Everything the HTML report shows, as SQL over the results file: the summary per run, and per
 * scenario its series (pattern × variant) with latency (of workflows, and of agent calls from the HDR
 * histograms), cost and tokens by agent, accuracy against
 * cost, failures, load and queues over time, events, sample trace waterfalls, the decision matrix,
 * threshold results, and the reliability, load and security summaries the terminal prints
 * (`summariseReliability`, `summariseLoad`, `securityFindings`). Sections a file has no rows for come back empty.
 */
import type { Db } from '../store/schema.ts';
import { summarise, type SummaryRow } from '../summary/summary.ts';
import { readRunTotals, type RunTotals } from '../summary/run-totals.ts';
import { p95Limits, summariseLoad, type RunLoad as RunLoadSummary } from '../summary/load.ts';
import { summariseReliability, type RunReliability } from '../summary/reliability.ts';
import { accuracyCostPoints, agentBreakdown, type AccuracyCostPoint, type AgentBreakdown } from './cost.ts';
import { eventTimeline, failureBreakdown, type EventTimeline, type FailureBreakdown } from './events.ts';
import { agentLatency, type AgentLatency } from './histograms.ts';
import { latencyReport, type LatencyReport } from './latency.ts';
import { loadSeries, queueLines, scenarioTimes, type QueueLine, type RunLoad } from './load.ts';
import { decisionMatrix, matrixContext, type MatrixRow } from './matrix.ts';
import { scenarioDecisions, type ScenarioDecisionRow } from '../summary/decision-data.ts';
import { listScenarios, listSeries, type ReportSeries } from './series.ts';
import { waterfalls, type Waterfall } from './waterfall.ts';
import { securityFindings, type RunSecurityFindings } from './security.ts';
import { summariseRouting, type RunRouting } from '../summary/routing.ts';
import { summariseBatching, type RunBatching } from '../summary/levers/batching.ts';
import { summariseState, type RunState } from '../summary/levers/state.ts';
import { summariseSpeculation, type RunSpeculation } from '../summary/levers/speculation.ts';

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
  /** The scenario's runs, as in the summary. */
  readonly runs: readonly SummaryRow[];
  /** Reliability figures of each of its runs, in the summary's order. */
  readonly reliability: readonly RunReliability[];
  /** Load summary of its runs that had load (none when no run had). */
  readonly loadSummary: readonly RunLoadSummary[];
  /** Security findings of each of its runs, in the summary's order. */
  readonly security: readonly RunSecurityFindings[];
  /** Routing accuracy and confusion matrix of each of its router runs (`summariseRouting`). */
  readonly routing: readonly RunRouting[];
  /** Its batched agents in every run, with and without batching (`summariseBatching`); empty when it does not batch. */
  readonly batching: readonly RunBatching[];
  /** Each run's state strategy and its figures (`summariseState`); empty when the scenario does not set `state:`. */
  readonly state: readonly RunState[];
  /** Its speculative chain steps, every run that speculates (`summariseSpeculation`); empty when none does. */
  readonly speculation: readonly RunSpeculation[];
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
  /** The decision the scenario's results support (`scenarioDecisions`, as the terminal prints it). */
  readonly decision: ScenarioDecisionRow;
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

/** The per-run summaries of a whole file, computed once and split by scenario. */
export interface RunFindings {
  readonly summary: readonly SummaryRow[];
  readonly reliability: readonly RunReliability[];
  readonly load: readonly RunLoadSummary[];
  readonly security: readonly RunSecurityFindings[];
  /** Per scenario, the decision its results support. */
  readonly decisions: readonly ScenarioDecisionRow[];
  /** Routing accuracy of every router run (read once for the whole file). */
  readonly routing: readonly RunRouting[];
  /** Batched agents of the scenarios that batch, every run (read once for the whole file). */
  readonly batching: readonly RunBatching[];
  /** Runs of the scenarios that set `state:` (read once for the whole file). */
  readonly state: readonly RunState[];
  /** Speculative chain steps of every run that speculates (read once for the whole file). */
  readonly speculation: readonly RunSpeculation[];
  /** Every run's sums over its workflows (one scan of the table, read once for the whole file). */
  readonly totals: readonly RunTotals[];
}

/** The per-run summaries of `db`: the load break points use the runs' recorded p95(latency) thresholds. */
export function runFindings(db: Db): RunFindings {
  const totals = readRunTotals(db);
  const summary = summarise(db, totals);
  return { totals, summary, reliability: summariseReliability(db, summary), load: summariseLoad(db, p95Limits(db)), security: securityFindings(db, summary), decisions: scenarioDecisions(db, summary), routing: summariseRouting(db), batching: summariseBatching(db, summary), state: summariseState(db, summary), speculation: summariseSpeculation(db, summary) };
}

/** The report of one scenario; `findings` are those of the whole file (`runFindings`). */
export function scenarioReport(db: Db, scenario: string, findings: RunFindings): ScenarioReport {
  const series = listSeries(db, scenario, findings.totals);
  const latency = latencyReport(db, scenario, series);
  const times = scenarioTimes(db, scenario, series);
  const runs = findings.summary.filter((row) => row.scenario === scenario);
  const runIds = new Set(runs.map((row) => row.runId));
  const reliability = findings.reliability.filter((run) => runIds.has(run.runId));
  const thresholdRows = thresholds(db, scenario);
  const context = matrixContext(db, scenario, runs, reliability, thresholdRows, findings.totals);
  const matrix = decisionMatrix(series, latency, context);
  return {
    scenario,
    runs,
    reliability,
    loadSummary: findings.load.filter((run) => runIds.has(run.runId)),
    security: findings.security.filter((run) => runIds.has(run.runId)),
    routing: findings.routing.filter((run) => runIds.has(run.runId)),
    batching: findings.batching.filter((run) => runIds.has(run.runId)),
    state: findings.state.filter((run) => runIds.has(run.runId)),
    speculation: findings.speculation.filter((run) => runIds.has(run.runId)),
    series,
    latency,
    agents: agentBreakdown(db, scenario, series),
    agentLatency: agentLatency(db, scenario, series),
    accuracyCost: accuracyCostPoints(series),
    failures: failureBreakdown(db, scenario, series),
    load: loadSeries(db, scenario, series, times),
    queues: queueLines(db, scenario, series, times),
    events: eventTimeline(db, scenario, series, times),
    waterfalls: waterfalls(db, series),
    matrix,
    decision: findings.decisions.find((row) => row.scenario === scenario) ?? { scenario, best: null, sentence: 'No runs recorded.', candidates: [] },
    thresholds: thresholdRows,
  };
}

/** Collects the whole report from `db`. */
export function collectReportData(db: Db): ReportData {
  const findings = runFindings(db);
  return { summary: findings.summary, scenarios: listScenarios(db).map((scenario) => scenarioReport(db, scenario, findings)) };
}
