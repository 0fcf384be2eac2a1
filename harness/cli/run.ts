import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { HarnessError } from '../kernel/errors.ts';
import { checkRealAgents } from '../agents/http-agent-preflight.ts';
import { planRuns, type MatrixOptions } from '../run/matrix.ts';
import { OtlpSink } from '../../reports/store/otlp-sink.ts';
import { createProgress, type CliIo } from './progress.ts';
import { RealClock } from '../kernel/real-clock.ts';
import { executeRun, runIdOf, type RunOutcome, type RunSpec } from '../run/runner.ts';
import { prepareResume } from '../run/recovery/resume.ts';
import { openReplay, recordReplayHooks, replayNotice } from '../run/replay-hooks.ts';
import { resumeCommandLine } from '../run/recovery/resume-command.ts';
import { ArrivalSchedule } from '../run/arrivals.ts';
import { defaultReportPath } from './report.ts';
import { parseThreshold, type ThresholdSpec } from '../scenario/thresholds.ts';
import { writeHtmlReport } from '../../reports/html/report.ts';
import { evaluateThresholds, recordThresholds, thresholdsPassed, type ThresholdInput } from '../../reports/summary/threshold-eval.ts';
import { formatThresholdTable } from '../../reports/summary/threshold-format.ts';
import { formatLoadBlock, p95Limits, summariseLoad } from '../../reports/summary/load.ts';
import { formatReliabilityBlock, summariseReliability } from '../../reports/summary/reliability.ts';
import { formatResidencyBlock, residencyFlows } from '../../reports/summary/residency.ts';
import { formatSecurityBlock, summariseSecurity } from '../../reports/summary/security.ts';
import { loadSuite } from '../run/load-scenario.ts';
import type { CompiledScenario } from '../scenario/types.ts';
import { VirtualClock } from '../kernel/virtual-clock.ts';
import { REALTIME_BATCH_ROWS, SqliteWriterSink } from '../../reports/store/sqlite-writer-sink.ts';
import { openDatabase } from '../../reports/store/schema.ts';
import type { RecordSink } from '../../reports/store/sink.ts';
import { summarise } from '../../reports/summary/summary.ts';
import { formatFactsBlock, summariseFacts } from '../../reports/summary/facts.ts';
import { formatSummary, type SummaryFormat } from '../../reports/summary/format.ts';
import { TeeSink } from '../../reports/store/tee-sink.ts';

/** Options of `patternbench run`. */
export interface RunCommandOptions extends MatrixOptions {
  /** Results file; default `out/<name>.db`, replaced on each run. */
  readonly db: string | null;
  /** Replace an explicitly named `--db` file that exists. */
  readonly overwrite: boolean;
  /** OTLP/HTTP endpoint to export spans to (also the `OTEL_EXPORTER_OTLP_*` variables). */
  readonly otlp: string | null;
  readonly format: SummaryFormat;
  readonly quiet: boolean;
  /** Run on the wall clock (`--realtime`). */
  readonly realtime?: boolean;
  /** `--threshold` checks, on top of each scenario's `thresholds:`. */
  readonly thresholds?: readonly ThresholdSpec[];
  /** Exit 1 when a threshold fails (default true; `--no-threshold-gate`). */
  readonly thresholdGate?: boolean;
  /** Write the HTML report beside the database (default true; `--no-report`). */
  readonly report?: boolean;
  /** Continue the interrupted runs in this results file (`--resume <db>`); default null. */
  readonly resume?: string | null;
  /** Save a checkpoint per completed agent call (default true; `--no-checkpoints`). */
  readonly checkpoints?: boolean;
  /** Record every model attempt into `recordings` (`--record`); default false. */
  readonly record?: boolean;
  /** Answer agents from this file's recordings on virtual time (`--replay <db>`); default null. */
  readonly replay?: string | null;
  /** The command line as given (without node and script), for the resume hint; default `run <paths>`. */
  readonly commandLine?: readonly string[];
}

/** Stops a run between workflows (SIGINT). */
export interface StopSignal {
  readonly stopped: boolean;
}

/** `out/<scenario>.db` for one scenario, `out/<folder>.db` for a suite. */
export function defaultDatabasePath(paths: readonly string[], scenarios: readonly CompiledScenario[]): string {
  const only = scenarios.length === 1 ? scenarios[0] : undefined;
  const name = only?.name ?? basename(resolve(paths[0] ?? 'suite')).replace(/\.ya?ml$/, '');
  return join('out', `${name}.db`);
}

/**
 * `patternbench run`: compiles every scenario first (a bad one exits 2 before anything is
 * written), runs the matrix on the virtual clock into SQLite (and OTLP), then prints the summary.
 * Returns the exit code: 0 done, 1 a threshold failed, 2 bad input, 130 interrupted.
 */
export async function runCommand(paths: readonly string[], options: RunCommandOptions, io: CliIo, stop: StopSignal): Promise<number> {
  const scenarios = paths.flatMap((path) => loadSuite(path));
  const specs = planRuns(scenarios, options);
  // Real agents need --realtime and their API keys: checked before anything is written.
  // --replay answers every agent from a recording (harness/agents/replay-source.ts): no real agent is called.
  const replay = openReplay(options.replay ?? null, scenarios);
  if (replay === null) checkRealAgents(specs.map((spec) => spec.scenario), options.realtime === true);
  const resuming = options.resume ?? null;
  if (resuming !== null && (options.db !== null || options.overwrite)) {
    throw new HarnessError('USAGE', '--resume names the results file to continue: drop --db and --overwrite');
  }
  const explicitDb = options.db !== null;
  const dbPath = resuming ?? options.db ?? defaultDatabasePath(paths, scenarios);
  if (explicitDb && existsSync(dbPath) && !options.overwrite) {
    throw new HarnessError('DATABASE_EXISTS', `${dbPath} exists; pass --overwrite to replace it, or choose another --db`);
  }
  // --resume: completed runs are skipped, interrupted ones continued (harness/run/recovery/resume.ts).
  const actions = resuming === null ? null : prepareResume(dbPath, specs, options.realtime === true);

  const sqlite = SqliteWriterSink.open(dbPath, { overwrite: resuming === null, ...(options.realtime === true && { batchRows: REALTIME_BATCH_ROWS }) });
  const sinks: RecordSink[] = [sqlite];
  if (options.otlp !== null || process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] || process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) {
    sinks.push(new OtlpSink(options.otlp === null ? {} : { url: options.otlp }));
  }
  const sink = sinks.length === 1 ? sqlite : new TeeSink(sinks);
  const total = specs.reduce((sum, spec) => sum + expectedWorkflows(spec), 0);
  const progress = createProgress(io, total, options.quiet);
  const outcomes: RunOutcome[] = [];
  try {
    for (const spec of specs) {
      if (stop.stopped) break;
      const action = actions?.get(runIdOf(spec));
      if (action?.kind === 'skip') continue;
      const resume = action?.kind === 'resume' ? { resume: action.resume } : {};
      progress.startRun(runIdOf(spec), resume.resume?.pending.length ?? expectedWorkflows(spec));
      const clock = options.realtime === true ? new RealClock() : new VirtualClock();
      const outcome = await executeRun(spec, sink, clock, {
        ...recordReplayHooks(spec, clock, options.record === true, replay),
        onWorkflow: (record) => progress.workflowDone(record.endMs),
        shouldStop: () => stop.stopped,
        startedAt: new Date(RealClock.wallTimeMs()).toISOString(),
        finishedAt: () => new Date(RealClock.wallTimeMs()).toISOString(),
        checkpoints: options.checkpoints ?? true,
        ...resume,
      });
      outcomes.push(outcome);
      progress.endRun(outcome.runId, outcome.status, outcome.workflows, outcome.agentCalls);
    }
  } finally {
    progress.stop();
    await sink.close();
  }

  const notice = replayNotice(replay);
  if (notice !== null) io.err(notice);
  const thresholds = thresholdInputs(scenarios, options.thresholds ?? []);
  const db = openDatabase(dbPath);
  let thresholdsHeld = true;
  try {
    const table = options.format === 'table';
    // Recorded before the load block, which takes its p95 limits from the `thresholds` table.
    const results = evaluateThresholds(db, thresholds);
    recordThresholds(db, results);
    thresholdsHeld = thresholdsPassed(results);
    const summary = summarise(db);
    const blocks = table
      ? formatFactsBlock(summariseFacts(db)) +
        formatReliabilityBlock(summariseReliability(db, summary)) +
        formatSecurityBlock(summariseSecurity(db, summary)) +
        formatResidencyBlock(residencyFlows(db)) +
        formatLoadBlock(summariseLoad(db, p95Limits(db)))
      : '';
    io.out(formatSummary(summary, options.format) + blocks);
    if (thresholds.length > 0) io.out(formatThresholdTable(results, options.format));
  } finally {
    db.close();
  }
  if (options.report !== false) {
    const reportPath = defaultReportPath(dbPath);
    writeHtmlReport(dbPath, reportPath);
    if (options.format === 'table' && !options.quiet) io.err(`report: ${reportPath}`);
  }
  const interrupted = stop.stopped || outcomes.some((outcome) => outcome.status === 'interrupted');
  if (interrupted) {
    io.err(
      `interrupted: ${dbPath} is consistent and holds every workflow that finished (runs marked 'interrupted'). ` +
        `Continue it with: ${resumeCommandLine(options.commandLine ?? ['run', ...paths], dbPath)}`,
    );
    return 130;
  }
  if (options.format === 'table' && !options.quiet) io.err(`results: ${dbPath}`);
  if (!thresholdsHeld && options.thresholdGate !== false) {
    io.err('thresholds failed: see the table above');
    return 1;
  }
  return 0;
}

/** Workflows a cell is expected to run: its cases × repeat, or the expected arrivals of an open load. */
export function expectedWorkflows(spec: RunSpec): number {
  if (spec.load.kind === 'open') return Math.round(ArrivalSchedule.expectedArrivals(spec.load.phases));
  return spec.cases.length * spec.repeat;
}

/** Each scenario's thresholds (applying to its own runs), then the command line's (applying to all). */
function thresholdInputs(scenarios: readonly CompiledScenario[], cli: readonly ThresholdSpec[]): ThresholdInput[] {
  const inputs: ThresholdInput[] = [];
  for (const scenario of scenarios) {
    for (const text of scenario.thresholds) {
      const parsed = parseThreshold(text);
      if (parsed.ok) inputs.push({ spec: parsed.threshold, source: 'scenario', scenario: scenario.name });
    }
  }
  for (const spec of cli) inputs.push({ spec, source: 'cli' });
  return inputs;
}
