import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { HarnessError } from './errors.ts';
import { planRuns, type MatrixOptions } from './matrix.ts';
import { OtlpSink } from './otlp-sink.ts';
import { createProgress, type CliIo } from './progress.ts';
import { RealClock } from './real-clock.ts';
import { executeRun, runIdOf, type RunOutcome } from './runner.ts';
import { loadSuite } from './scenario-suite.ts';
import type { CompiledScenario } from './scenario-types.ts';
import { VirtualClock } from './virtual-clock.ts';
import { SqliteWriterSink } from '../reports/sqlite-writer-sink.ts';
import { openDatabase } from '../reports/schema.ts';
import type { RecordSink } from '../reports/sink.ts';
import { summarise } from '../reports/summary.ts';
import { formatFactsBlock, summariseFacts } from '../reports/summary-facts.ts';
import { formatSummary, type SummaryFormat } from '../reports/summary-format.ts';
import { TeeSink } from '../reports/tee-sink.ts';

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
 * Returns the exit code: 0 done, 2 bad input, 130 interrupted.
 */
export async function runCommand(paths: readonly string[], options: RunCommandOptions, io: CliIo, stop: StopSignal): Promise<number> {
  const scenarios = paths.flatMap((path) => loadSuite(path));
  const specs = planRuns(scenarios, options);
  const explicitDb = options.db !== null;
  const dbPath = options.db ?? defaultDatabasePath(paths, scenarios);
  if (explicitDb && existsSync(dbPath) && !options.overwrite) {
    throw new HarnessError('DATABASE_EXISTS', `${dbPath} exists; pass --overwrite to replace it, or choose another --db`);
  }

  const sqlite = SqliteWriterSink.open(dbPath, { overwrite: true });
  const sinks: RecordSink[] = [sqlite];
  if (options.otlp !== null || process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] || process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) {
    sinks.push(new OtlpSink(options.otlp === null ? {} : { url: options.otlp }));
  }
  const sink = sinks.length === 1 ? sqlite : new TeeSink(sinks);
  const total = specs.reduce((sum, spec) => sum + spec.cases.length * spec.repeat, 0);
  const progress = createProgress(io, total, options.quiet);
  const outcomes: RunOutcome[] = [];
  try {
    for (const spec of specs) {
      if (stop.stopped) break;
      progress.startRun(runIdOf(spec), spec.cases.length * spec.repeat);
      const outcome = await executeRun(spec, sink, new VirtualClock(), {
        onWorkflow: () => progress.workflowDone(),
        shouldStop: () => stop.stopped,
        startedAt: new Date(RealClock.wallTimeMs()).toISOString(),
        finishedAt: () => new Date(RealClock.wallTimeMs()).toISOString(),
      });
      outcomes.push(outcome);
      progress.endRun(outcome.runId, outcome.status, outcome.workflows, outcome.agentCalls);
    }
  } finally {
    progress.stop();
    await sink.close();
  }

  const db = openDatabase(dbPath, { readonly: true });
  try {
    const facts = options.format === 'table' ? formatFactsBlock(summariseFacts(db)) : '';
    io.out(formatSummary(summarise(db), options.format) + facts);
  } finally {
    db.close();
  }
  const interrupted = stop.stopped || outcomes.some((outcome) => outcome.status === 'interrupted');
  if (interrupted) {
    io.err(
      `interrupted: ${dbPath} is consistent and holds every workflow that finished (runs marked 'interrupted'). ` +
        'Run the same command again to redo the run from the start.',
    );
    return 130;
  }
  if (options.format === 'table' && !options.quiet) io.err(`results: ${dbPath}`);
  return 0;
}
