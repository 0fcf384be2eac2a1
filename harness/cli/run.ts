import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { HarnessError, ScenarioError } from '../kernel/errors.ts';
import { ScenarioNames } from '../scenario/suite.ts';
import { checkRealAgents, realAgents } from '../agents/http-agent-preflight.ts';
import { planRuns, type MatrixOptions } from '../run/matrix.ts';
import type { OtlpSink } from '../../reports/store/otlp-sink.ts';
import { createProgress, type CliIo, type Progress } from './progress.ts';
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
import { loadSuite } from '../run/load-scenario.ts';
import { formatScenarioWarning } from '../scenario/issues.ts';
import type { CompiledScenario } from '../scenario/types.ts';
import { VirtualClock } from '../kernel/virtual-clock.ts';
import { REALTIME_BATCH_ROWS, SqliteWriterSink } from '../../reports/store/sqlite-writer-sink.ts';
import { openDatabase } from '../../reports/store/schema.ts';
import type { RecordSink } from '../../reports/store/sink.ts';
import { formatSummary, type SummaryFormat } from '../../reports/summary/format.ts';
import { summarise } from '../../reports/summary/summary.ts';
import { formatThresholdTable } from '../../reports/summary/threshold-format.ts';
import { formatResults, summariseResults } from '../../reports/summary/blocks.ts';
import { TeeSink } from '../../reports/store/tee-sink.ts';
import { ResultsLock } from '../../reports/store/results-lock.ts';
import { keepPreviousResults } from './previous-results.ts';
import { tailByDefaultNotice, tracePolicyFor } from '../run/trace-policy.ts';
import { runPool } from '../run/run-pool.ts';
import { sliceCount } from '../run/slices.ts';
import { SqliteSink } from '../../reports/store/sqlite-sink.ts';

/** Options of `patternbench run`. */
export interface RunCommandOptions extends MatrixOptions {
  /** Results file; default `out/<name>.db`, the previous one kept as `out/<name>.prev.db` (harness/cli/previous-results.ts). */
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
  /**
   * Save a checkpoint per completed agent call (`--checkpoints` / `--no-checkpoints`); default
   * (null): only runs that call real (HTTP) agents do. A simulated call costs nothing to redo, and
   * `--resume` simulates an interrupted run again from its seed, so its checkpoints would only be
   * rows to write (a fifth of a stored run's time).
   */
  readonly checkpoints?: boolean | null;
  /** Record every model attempt into `recordings` (`--record`); default false. */
  readonly record?: boolean;
  /** Answer agents from this file's recordings on virtual time (`--replay <db>`); default null. */
  readonly replay?: string | null;
  /** The command line as given (without node and script), for the resume hint; default `run <paths>`. */
  readonly commandLine?: readonly string[];
  /** Run even when the command would make more than `MAX_WORKFLOWS` workflows (`--yes`); default false. */
  readonly yes?: boolean;
  /**
   * Worker threads running the cells and slices of the matrix (`--workers`); default (null or
   * absent): `defaultWorkers`. Runs that cannot use them run in this thread (`workerlessReason`).
   */
  readonly workers?: number | null;
  /** Fewest expected workflows per slice of a run split by workflow (harness/run/slices.ts); default `SLICE_WORKFLOWS`. For tests. */
  readonly sliceWorkflows?: number;
}

/** Workflows one command may make without `--yes`: a typo (`--rate 999999999/s`) must not run for days. */
export const MAX_WORKFLOWS = 10_000_000;

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
  refuseRepeatedNames(scenarios);
  // Compile warnings (a merge of agents with different roles, …) never stop a run; printed even with --quiet.
  for (const scenario of scenarios) for (const warning of scenario.warnings) io.err(formatScenarioWarning(warning));
  const specs = planRuns(scenarios, options);
  // Runs that keep traces by tail sampling without being asked say so (printed even with --quiet).
  const notice = tailByDefaultNotice(specs);
  if (notice !== null) io.err(notice);
  const planned = specs.reduce((sum, spec) => sum + expectedWorkflows(spec), 0);
  if (planned > MAX_WORKFLOWS && options.yes !== true) {
    throw new HarnessError(
      'USAGE',
      `this command would run about ${Math.round(planned).toLocaleString('en-US')} workflows in ${specs.length} run(s), ` +
        `more than ${MAX_WORKFLOWS.toLocaleString('en-US')}: check --cases, --repeat, --rate and --duration, or pass --yes to go ahead`,
    );
  }
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
  // The OTLP endpoint (flag or environment) is checked before the results file is touched. The
  // exporter's modules (the OpenTelemetry SDK's, protobuf) are loaded only then: ~0.15 s of every start.
  const otlp =
    options.otlp !== null || process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] || process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']
      ? new (await import('../../reports/store/otlp-sink.ts')).OtlpSink(options.otlp === null ? {} : { url: options.otlp })
      : null;
  const workers = workersFor(specs, options, { otlp: otlp !== null, replay: replay !== null }, io);
  // One writer per results file: claimed before anything is deleted, resumed or written.
  const lock = ResultsLock.acquire(dbPath);
  if (lock.createdFolder !== null && !options.quiet) io.err(`created ${lock.createdFolder} for the results file`);
  try {
    return await runLocked(paths, options, io, stop, { scenarios, specs, replay, resuming, dbPath, otlp, workers });
  } finally {
    lock.release();
  }
}

/** What `runCommand` settled before claiming the results file. */
interface RunPlan {
  readonly scenarios: readonly CompiledScenario[];
  readonly specs: readonly RunSpec[];
  readonly replay: ReturnType<typeof openReplay>;
  readonly resuming: string | null;
  readonly dbPath: string;
  /** The OTLP exporter, when spans also go to a collector. */
  readonly otlp: OtlpSink | null;
  /** Worker threads for the cells and slices (harness/run/run-pool.ts); null = in this thread, into the results file directly. */
  readonly workers: number | null;
}

/**
 * Why the command's runs cannot go to worker threads, null when they can: each task writes its own
 * file on virtual time, joined into the results file at the end, so a run on the wall clock, with
 * real agents, exporting spans, recording, replaying, resuming (which continue one file) or saving
 * checkpoints (for a run killed mid-way: workers write the results file only once they are done)
 * runs in this thread.
 */
export function workerlessReason(specs: readonly RunSpec[], options: RunCommandOptions, outside: { readonly otlp: boolean; readonly replay: boolean }): string | null {
  if (options.realtime === true) return '--realtime runs on the wall clock';
  if (options.resume != null) return '--resume continues the runs of one file';
  if (options.record === true) return '--record records in one file';
  // Workers write the results file once they are done; a run killed before has none to resume.
  if (options.checkpoints === true) return '--checkpoints saves every agent call into the results file as it goes, for a killed run to resume';
  if (outside.otlp) return 'spans go to an OTLP collector';
  if (outside.replay) return '--replay answers from the recordings of one file';
  if (specs.some((spec) => realAgents(spec.scenario).length > 0)) return 'real agents are called';
  return null;
}

/**
 * Worker threads when `--workers` is not given: one per core, but one per two cores when a run keeps
 * every trace. Such a run stores every span, and its SQLite writer thread needs a core of its own:
 * on 2 cores the shipped suite took 9.7 s in one thread with its writer beside it against 11.3 s on
 * two workers storing in-thread, while the hour under `--traces tail` took 23.6 s on two workers
 * against 37.5 s on one (BENCHMARKS.md, 2026-12-04).
 */
export function defaultWorkers(specs: readonly RunSpec[], cores: number = availableParallelism()): number {
  const storesEverySpan = specs.some((spec) => tracePolicyFor(spec.load, spec.traces).mode === 'all');
  return storesEverySpan ? Math.max(1, Math.floor(cores / 2)) : Math.max(1, cores);
}

/**
 * The worker threads of the command: null (run in this thread, as without workers) when there is a
 * single task or the runs cannot use them — said on stderr when `--workers` asked for more than one.
 */
function workersFor(specs: readonly RunSpec[], options: RunCommandOptions, outside: { readonly otlp: boolean; readonly replay: boolean }, io: CliIo): number | null {
  const asked = options.workers ?? null;
  const reason = workerlessReason(specs, options, outside);
  const slices = reason === null ? specs.map((spec) => sliceCount(spec, options.sliceWorkflows)) : [1];
  const tasks = slices.reduce((sum, count) => sum + count, 0);
  const workers = Math.max(1, Math.min(asked ?? defaultWorkers(specs), tasks));
  // One worker and no run to slice: the runs one after another into the results file hold the very
  // rows the union of their files would (test/run-workers-identical-rows.test.ts), without the copy.
  if (reason === null && tasks > 1 && (workers > 1 || slices.some((count) => count > 1))) return workers;
  if (asked !== null && asked > 1) io.err(`--workers ${asked}: running in this thread, as ${reason ?? 'the command has a single run to make'}`);
  return null;
}

/** The run itself, once the results file is claimed. */
async function runLocked(paths: readonly string[], options: RunCommandOptions, io: CliIo, stop: StopSignal, plan: RunPlan): Promise<number> {
  const { scenarios, specs, replay, resuming, dbPath } = plan;
  // --resume: completed runs are skipped, interrupted ones continued (harness/run/recovery/resume.ts).
  const actions = resuming === null ? null : prepareResume(dbPath, specs, options.realtime === true, options.sliceWorkflows);

  // The default file is written afresh; the one it replaces is kept as out/<name>.prev.db (harness/cli/previous-results.ts).
  if (resuming === null && options.db === null) keepPreviousResults(dbPath, io, { quiet: options.quiet });
  const total = specs.reduce((sum, spec) => sum + expectedWorkflows(spec), 0);
  const progress = createProgress(io, total, options.quiet);
  const { outcomes, exportFailure } = plan.workers === null ? await runInThisThread(options, stop, plan, actions, progress) : await runOnWorkers(options, stop, plan, progress);

  const notice = replayNotice(replay);
  if (notice !== null) io.err(notice);
  const thresholds = thresholdInputs(scenarios, options.thresholds ?? []);
  const db = openDatabase(dbPath);
  let thresholdsHeld = true;
  try {
    // Recorded before the load block, which takes its p95 limits from the `thresholds` table.
    const results = evaluateThresholds(db, thresholds);
    recordThresholds(db, results);
    thresholdsHeld = thresholdsPassed(results);
    if (options.format === 'json') {
      // `run --format json` keeps its array of summary rows (then the threshold array) for existing
      // consumers; `patternbench summary <db> --format json` gives every block in one object.
      io.out(formatSummary(summarise(db), 'json'));
      if (thresholds.length > 0) io.out(formatThresholdTable(results, 'json'));
    } else {
      // The same rendering as `patternbench summary` (reports/summary/blocks.ts), so the two cannot drift apart.
      for (const text of formatResults(summariseResults(db, thresholds.length > 0 ? results : null), options.format)) io.out(text);
    }
  } finally {
    db.close();
  }
  if (options.report !== false) {
    const reportPath = defaultReportPath(dbPath);
    await writeHtmlReport(dbPath, reportPath);
    if (options.format === 'table' && !options.quiet) io.err(`report: ${reportPath}`);
  }
  if (exportFailure !== null) io.err(`error [EXPORT_FAILED]: ${exportFailure} (the results file is complete)`);
  const interrupted = stop.stopped || outcomes.some((outcome) => outcome.status === 'interrupted');
  if (interrupted) {
    // A run on the wall clock cannot be made again (harness/run/recovery/resume.ts): no hint that --resume would refuse.
    io.err(
      `interrupted: ${dbPath} is consistent and holds every workflow that finished (runs marked 'interrupted'). ` +
        (options.realtime === true
          ? 'A --realtime run cannot be resumed (its wall-clock times cannot be made again): run it again into a new file'
          : `Continue it with: ${resumeCommandLine(options.commandLine ?? ['run', ...paths], dbPath)}`),
    );
    return 130;
  }
  if (options.format === 'table' && !options.quiet) io.err(`results: ${dbPath}`);
  if (exportFailure !== null) return 1;
  if (!thresholdsHeld && options.thresholdGate !== false) {
    io.err('thresholds failed: see the table above');
    return 1;
  }
  return 0;
}

/** What the runs ended with: each run's outcome, and a failed export's message (null when none). */
interface Executed {
  readonly outcomes: readonly RunOutcome[];
  readonly exportFailure: string | null;
}

/** Runs the specs one after another in this thread, into the results file (and the OTLP exporter). */
async function runInThisThread(options: RunCommandOptions, stop: StopSignal, plan: RunPlan, actions: ReturnType<typeof prepareResume> | null, progress: Progress): Promise<Executed> {
  const { specs, replay, resuming, dbPath, otlp } = plan;
  const sqlite = openResultsForWriting(dbPath, resuming === null, options.realtime === true);
  const sinks: RecordSink[] = otlp === null ? [sqlite] : [sqlite, otlp];
  const sink = sinks.length === 1 ? sqlite : new TeeSink(sinks);
  const outcomes: RunOutcome[] = [];
  let exportFailure: string | null = null;
  try {
    for (const spec of specs) {
      if (stop.stopped) break;
      const action = actions?.get(runIdOf(spec));
      if (action?.kind === 'skip') continue;
      const resume = action?.kind === 'resume' ? { resume: action.resume } : {};
      // A resumed run is simulated whole again (harness/run/recovery/resume.ts): every workflow counts.
      progress.startRun(runIdOf(spec), expectedWorkflows(spec));
      const clock = options.realtime === true ? new RealClock() : new VirtualClock();
      const outcome = await executeRun(spec, sink, clock, {
        ...recordReplayHooks(spec, clock, options.record === true, replay),
        onWorkflow: (record) => progress.workflowDone(record.endMs),
        shouldStop: () => stop.stopped,
        startedAt: new Date(RealClock.wallTimeMs()).toISOString(),
        finishedAt: () => new Date(RealClock.wallTimeMs()).toISOString(),
        checkpoints: options.checkpoints ?? (replay === null && realAgents(spec.scenario).length > 0),
        thresholds: options.thresholds ?? [],
        ...resume,
      });
      outcomes.push(outcome);
      progress.endRun(outcome.runId, outcome.status, outcome.workflows, outcome.agentCalls);
    }
  } finally {
    progress.stop();
    // The results file first: a failure there is the run's failure. A failed export leaves the
    // file complete, so the summary is still printed, and the export error after it.
    if (otlp === null) await sink.close();
    else exportFailure = await closeExport(sqlite, otlp);
  }

  return { outcomes, exportFailure };
}

/** Runs the cells and slices of the specs on worker threads (harness/run/run-pool.ts), then writes their union to the results file. */
async function runOnWorkers(options: RunCommandOptions, stop: StopSignal, plan: RunPlan, progress: Progress): Promise<Executed> {
  // A results file that cannot be written fails now (exit 2), not after the runs.
  await writable(plan.dbPath, () => SqliteSink.open(plan.dbPath, { overwrite: true })).close();
  try {
    const outcomes = await runPool({
      matrix: matrixOf(options),
      specs: plan.specs,
      workers: plan.workers ?? 1,
      output: plan.dbPath,
      thresholds: options.thresholds ?? [],
      checkpoints: options.checkpoints ?? false,
      ...(options.sliceWorkflows !== undefined && { sliceWorkflows: options.sliceWorkflows }),
      expected: expectedWorkflows,
      observer: progress,
      stop,
      cores: availableParallelism(),
    });
    return { outcomes, exportFailure: null };
  } finally {
    progress.stop();
  }
}

/** Two scenarios of one name (in different paths of one command) would write the same runs: bad input. */
function refuseRepeatedNames(scenarios: readonly CompiledScenario[]): void {
  const names = new ScenarioNames();
  const issues = scenarios.flatMap((scenario) => names.claim(scenario.name, scenario.file) ?? []);
  if (issues.length > 0) throw new ScenarioError(issues);
}

/**
 * Closes the results file, then the OTLP export. A failure of the results file is thrown; a failed
 * export is returned as its message (null when every span was delivered).
 */
async function closeExport(sqlite: RecordSink, otlp: OtlpSink): Promise<string | null> {
  const [stored, exported] = await Promise.allSettled([sqlite.close(), otlp.close()]);
  if (stored.status === 'rejected') throw stored.reason;
  if (exported.status === 'fulfilled') return null;
  return exported.reason instanceof Error ? exported.reason.message : String(exported.reason);
}

/** The matrix options alone (what each worker plans the runs from). */
function matrixOf(options: RunCommandOptions): MatrixOptions {
  const { patterns, variants, seeds, cases, repeat, concurrency, load, shard, traces } = options;
  return { patterns, variants, seeds, cases, repeat, concurrency, ...(load !== undefined && { load }), ...(shard !== undefined && { shard }), ...(traces !== undefined && { traces }) };
}

/** Opens the results file for the writer thread; a file SQLite cannot open is bad input (exit 2), named. */
function openResultsForWriting(dbPath: string, overwrite: boolean, realtime: boolean): SqliteWriterSink {
  return writable(dbPath, () => SqliteWriterSink.open(dbPath, { overwrite, ...(realtime && { batchRows: REALTIME_BATCH_ROWS }) }));
}

/** What `open` opens at `dbPath`; a file SQLite cannot open is bad input (exit 2), named. */
function writable<T>(dbPath: string, open: () => T): T {
  try {
    return open();
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    throw new HarnessError('DATABASE_UNWRITABLE', `cannot open the results file ${dbPath}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
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
