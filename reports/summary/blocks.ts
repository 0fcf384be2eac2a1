/**
 * Everything the terminal summary of a results file shows — the summary table, the facts, routing,
 * reliability, security, residency and load blocks, and the thresholds — gathered once and rendered
 * in one place, so that `run` (after a run) and `summary` (any results file) cannot drift apart.
 */
import { parseThreshold } from '../../harness/scenario/thresholds.ts';
import type { Db } from '../store/schema.ts';
import { formatFactsBlock, summariseFacts, type RunFacts } from './facts.ts';
import { csvCell, formatSummary, markdownCell, SUMMARY_FORMATS, type SummaryFormat } from './format.ts';
import { formatLoadBlock, p95Limits, summariseLoad, type RunLoad } from './load.ts';
import { formatReliabilityBlock, summariseReliability, type RunReliability } from './reliability.ts';
import { formatResidencyBlock, residencyFlows, type ResidencyFlow } from './residency.ts';
import { formatRoutingBlock, summariseRouting, type RunRouting } from './routing.ts';
import { formatBatchingBlock, summariseBatching, type RunBatching } from './levers/batching.ts';
import { formatSecurityBlock, summariseSecurity, type RunSecurity } from './security.ts';
import { summarise, type SummaryRow } from './summary.ts';
import { formatTracesBlock, summariseTraces, type RunTraces } from './traces.ts';
import type { ThresholdResult, ThresholdSource } from './threshold-eval.ts';
import { formatThresholdTable } from './threshold-format.ts';
import { formatDecisionBlock, scenarioDecisions, type ScenarioDecisionRow } from './decision-data.ts';
import { formatStateBlock, summariseState, type RunState } from './levers/state.ts';
import { HarnessError } from '../../harness/kernel/errors.ts';
import { formatAutoscaleBlock, summariseAutoscale, type RunAutoscale } from './levers/autoscale.ts';
import { formatSpeculationBlock, summariseSpeculation, type RunSpeculation } from './levers/speculation.ts';

/** The tables and views `summariseResults` and `recordedThresholds` read (`ResultsReader.relations`). */
export const SUMMARY_RELATIONS: readonly string[] = [
  'runs', 'workflows', 'spans', 'events', 'dead_letters', 'audit', 'timeseries', 'histograms', 'thresholds', 'queue_series',
];

/** Everything the summary of a results file shows; every per-run row names its run by `runId` (which holds the seed). */
export interface ResultsSummary {
  /** The summary table, one row per run. */
  readonly runs: readonly SummaryRow[];
  readonly facts: readonly RunFacts[];
  readonly routing: readonly RunRouting[];
  /** Per batched agent of the scenarios that batch, every run of them: with and without batching. */
  readonly batching: readonly RunBatching[];
  readonly reliability: readonly RunReliability[];
  readonly security: readonly RunSecurity[];
  readonly residency: readonly ResidencyFlow[];
  readonly load: readonly RunLoad[];
  /** Runs of scenarios that set `state:`: each strategy's latency, tokens, cost, accuracy and its own figures. */
  readonly state: readonly RunState[];
  /** Runs that did not keep every trace (`--traces tail`): how many they kept, and why. */
  readonly traces: readonly RunTraces[];
  /** Autoscaled pools per run (harness/pipeline/autoscale/): replica-hours, cost, scaling, reclaims. */
  readonly autoscale: readonly RunAutoscale[];
  /** Speculative chain steps per run (patterns/speculation.ts): hits, misses, latency saved, waste. */
  readonly speculation: readonly RunSpeculation[];
  /** Threshold results; null when none are to be shown (a run given no thresholds). */
  readonly thresholds: readonly ThresholdResult[] | null;
  /** Per scenario, the decision its results support (`scenarioDecisions`), printed last. */
  readonly decision: readonly ScenarioDecisionRow[];
}

/** The blocks in the order they are printed (and keyed in JSON). */
const BLOCKS = ['facts', 'routing', 'batching', 'reliability', 'security', 'residency', 'load', 'state', 'traces', 'autoscale', 'speculation'] as const;
type BlockName = (typeof BLOCKS)[number];

/**
 * Gathers the summary of the results file `db`. `thresholds` are the results to show (a run's
 * fresh evaluation, or `recordedThresholds`); the load block takes its p95 limits from the file's
 * `thresholds` table, so record a run's thresholds before calling this.
 */
export function summariseResults(db: Db, thresholds: readonly ThresholdResult[] | null): ResultsSummary {
  const runs = summarise(db);
  return {
    runs,
    facts: summariseFacts(db),
    routing: summariseRouting(db),
    batching: summariseBatching(db, runs),
    reliability: summariseReliability(db, runs),
    security: summariseSecurity(db, runs),
    residency: residencyFlows(db),
    load: summariseLoad(db, p95Limits(db)),
    state: summariseState(db, runs),
    traces: summariseTraces(db),
    autoscale: summariseAutoscale(db),
    speculation: summariseSpeculation(db, runs),
    thresholds,
    decision: scenarioDecisions(db, runs),
  };
}

/**
 * The thresholds recorded in the file's `thresholds` table, as results (ordered as the summary
 * orders runs, then as recorded). The limit and unit come from the expression; a result without an
 * observed value has the reason `no value recorded` (the file keeps no reason).
 */
export function recordedThresholds(db: Db): ThresholdResult[] {
  const rows = db
    .prepare(
      `SELECT t.run_id, r.scenario, r.pattern, r.variant, r.seed, t.expression, t.source, t.observed, t.passed
       FROM thresholds t JOIN runs r ON r.run_id = t.run_id
       ORDER BY r.scenario, r.pattern, r.variant, r.seed, t.rowid`,
    )
    .all() as { run_id: string; scenario: string; pattern: string; variant: string; seed: number; expression: string; source: ThresholdSource; observed: number | null; passed: number }[];
  return rows.flatMap((row): ThresholdResult[] => {
    const parsed = parseThreshold(row.expression);
    if (!parsed.ok) return [];
    const spec = parsed.threshold;
    return [{
      runId: row.run_id,
      scenario: row.scenario,
      pattern: row.pattern,
      variant: row.variant,
      seed: row.seed,
      expression: row.expression,
      source: row.source,
      metric: spec.metricText,
      op: spec.op,
      limit: spec.limit,
      unit: spec.unit,
      observed: row.observed,
      passed: row.passed === 1,
      reason: row.observed === null ? 'no value recorded' : null,
    }];
  });
}

/** A block as the terminal shows it: '' when it has nothing to show. */
function blockText(summary: ResultsSummary, name: BlockName): string {
  switch (name) {
    case 'facts':
      return formatFactsBlock(summary.facts);
    case 'routing':
      return formatRoutingBlock(summary.routing);
    case 'batching':
      return formatBatchingBlock(summary.batching);
    case 'reliability':
      return formatReliabilityBlock(summary.reliability);
    case 'security':
      return formatSecurityBlock(summary.security);
    case 'residency':
      return formatResidencyBlock(summary.residency);
    case 'load':
      return formatLoadBlock(summary.load);
    case 'state':
      return formatStateBlock(summary.state);
    case 'traces':
      return formatTracesBlock(summary.traces);
    case 'autoscale':
      return formatAutoscaleBlock(summary.autoscale);
    case 'speculation':
      return formatSpeculationBlock(summary.speculation);
  }
}

/**
 * Renders `summary` as the texts to print, one per output line group (no trailing newlines):
 * - `table`: the summary table followed by every block that has something to show, then the
 *   threshold table (when `thresholds` is not null), then the decision of each scenario.
 * - `json`: one object `{ runs, facts, routing, batching, reliability, security, residency, load, state, traces, autoscale, speculation, thresholds, decision }`
 *   (every block an array, `thresholds` [] when null), numbers unrounded.
 * - `csv`: the summary table, then each non-empty block (and the thresholds) as its own CSV table
 *   after an empty line and a `# <block>` line; nested values (lists, matrices) as JSON in a cell.
 * - `markdown`: the summary table, each non-empty block under a `#### <block>` heading as the
 *   terminal shows it (in a `text` fence), then the threshold table.
 */
export function formatResults(summary: ResultsSummary, format: SummaryFormat): string[] {
  switch (format) {
    case 'table': {
      const out = [formatSummary(summary.runs, 'table') + BLOCKS.map((name) => blockText(summary, name)).join('')];
      if (summary.thresholds !== null) out.push(formatThresholdTable(summary.thresholds, 'table'));
      if (summary.decision.length > 0) out.push(formatDecisionBlock(summary.decision).replace(/^\n+/, '\n'));
      return out;
    }
    case 'json':
      return [JSON.stringify({ runs: summary.runs, ...Object.fromEntries(BLOCKS.map((name) => [name, summary[name]])), thresholds: summary.thresholds ?? [], decision: summary.decision }, null, 2)];
    case 'csv': {
      const sections = [formatSummary(summary.runs, 'csv')];
      for (const name of BLOCKS) {
        const rows = summary[name] as readonly object[];
        if (rows.length > 0) sections.push(`# ${name}\r\n${csvTable(rows)}`);
      }
      if (summary.thresholds !== null && summary.thresholds.length > 0) sections.push(`# thresholds\r\n${formatThresholdTable(summary.thresholds, 'csv')}`);
      if (summary.decision.length > 0) sections.push(`# decision\r\n${csvTable(summary.decision.map(({ scenario, best, sentence }) => ({ scenario, best, sentence })))}`);
      return [sections.join('\r\n\r\n')];
    }
    case 'markdown': {
      const sections = [formatSummary(summary.runs, 'markdown')];
      for (const name of BLOCKS) {
        const text = blockText(summary, name).replace(/^\n+/, '');
        if (text !== '') sections.push(`#### ${markdownCell(name)}\n\n\`\`\`text\n${text}\n\`\`\``);
      }
      if (summary.thresholds !== null) sections.push(`#### thresholds\n\n${formatThresholdTable(summary.thresholds, 'markdown')}`);
      if (summary.decision.length > 0) sections.push(`#### decision\n\n${summary.decision.map((row) => `- **${markdownCell(row.scenario)}**: ${markdownCell(row.sentence)}`).join('\n')}`);
      return [sections.join('\n\n')];
    }
    default:
      throw new HarnessError('USAGE', `unknown summary format ${JSON.stringify(format)}; use ${SUMMARY_FORMATS.join(', ')}`);
  }
}

/** Rows of one block as an RFC 4180 table: a header of their field names (in first-seen order), nested values as JSON. */
function csvTable(rows: readonly object[]): string {
  const fields: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!fields.includes(key)) fields.push(key);
  const cell = (value: unknown): string => {
    if (value === undefined || value === null) return '';
    if (typeof value === 'string' || typeof value === 'number') return csvCell(value);
    if (typeof value === 'boolean') return String(value);
    return csvCell(JSON.stringify(value));
  };
  const lines = [fields.join(',')];
  for (const row of rows) lines.push(fields.map((field) => cell((row as Record<string, unknown>)[field])).join(','));
  return lines.join('\r\n');
}
