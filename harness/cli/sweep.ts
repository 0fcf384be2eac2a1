/**
 * `patternbench sweep <scenario> --vary PATH=VALUES [--vary …]`: runs every pattern (and variant)
 * of the scenario at every point of the grid the `--vary` options make — on the same cases and
 * random streams — in parallel across cores, into one results file whose runs record their point
 * (`sweep_points`), then prints where the best pattern changes on each measure and writes a page of
 * charts. `--results <db>` analyses a file already written (the `merge` of a sharded sweep).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { HarnessError } from '../kernel/errors.ts';
import { formatScenarioWarning } from '../scenario/issues.ts';
import { parseThreshold, type ThresholdSpec } from '../scenario/thresholds.ts';
import type { CompiledScenario } from '../scenario/types.ts';
import { checkRealAgents } from '../agents/http-agent-preflight.ts';
import { compileScenarioText } from '../run/load-scenario.ts';
import { gridDesign, planSweep, type SweepDesign, type SweepMatrix, type SweepPlan } from '../run/sweep/sweep-plan.ts';
import { readSweepSource, type SweepSource } from '../run/sweep/sweep-point.ts';
import { sweepTasks, runSweep } from '../run/sweep/sweep-run.ts';
import { parseVary, type VarySpec } from '../run/sweep/sweep-values.ts';
import { openDatabase } from '../../reports/store/schema.ts';
import { ResultsLock } from '../../reports/store/results-lock.ts';
import type { BoundaryOptions, SweepBoundaries } from '../../reports/summary/boundaries.ts';
import { formatBoundaries, type BoundaryFormat } from '../../reports/summary/boundary-format.ts';
import { evaluateThresholds, recordThresholds, type ThresholdInput } from '../../reports/summary/threshold-eval.ts';
import { readSweepBoundaries, writeSweepPage } from '../../reports/sweep/page.ts';
import { expectedWorkflows, MAX_WORKFLOWS } from './run.ts';
import { defaultReportPath } from './report.ts';
import type { CliIo } from './progress.ts';
import { addMatrixOptions, collectThreshold, matrixFlags, positiveInteger, shardOption } from './flags.ts';

/** The matrix and run options `sweep` and `advise` share. */
export interface SweepRunCommandOptions {
  readonly matrix: SweepMatrix;
  /** `--shard i/n`: every n-th cell of the sweep. */
  readonly shard: { readonly index: number; readonly count: number } | null;
  /** Results file; default `out/<scenario>.<kind>.db` (replaced), an explicit one only with `overwrite`. */
  readonly db: string | null;
  readonly overwrite: boolean;
  /** Worker threads; default one per core (at most one per task). */
  readonly workers: number | null;
  /** `--threshold` checks, on top of the scenario's own. */
  readonly thresholds: readonly ThresholdSpec[];
  /** Write the HTML page beside the results file (default true; `--no-report`). */
  readonly report: boolean;
  readonly format: BoundaryFormat;
  readonly quiet: boolean;
  /** Run even above `MAX_WORKFLOWS` workflows. */
  readonly yes: boolean;
  readonly boundaries: BoundaryOptions;
}

/** Options of `patternbench sweep`. */
export interface SweepCommandOptions extends SweepRunCommandOptions {
  readonly varies: readonly VarySpec[];
  /** Analyse this results file instead of running (`--results`). */
  readonly results: string | null;
}

/** What `sweep` and `advise` settled before writing anything. */
export interface PreparedSweep {
  readonly plan: SweepPlan;
  readonly dbPath: string;
  readonly kind: 'sweep' | 'advise';
}

/**
 * A point as progress names it: every axis of a grid (`load.rate = 12/s, …`); for `advise`, the
 * assumption it changes (`latency × = ×2`), or the scenario as written.
 */
function describePoint(design: SweepDesign, index: number, kind: 'sweep' | 'advise'): string {
  const point = design.points[index];
  const base = design.points[0];
  if (point === undefined) return `point ${index}`;
  const shown = point.coordinates
    .map((coordinate, axis) => ({ coordinate, axis }))
    .filter(({ coordinate, axis }) => kind === 'sweep' || coordinate.value !== base?.coordinates[axis]?.value);
  if (shown.length === 0) return 'the scenario as written';
  return shown.map(({ coordinate, axis }) => `${design.axes[axis]?.path} = ${coordinate.text}`).join(', ');
}

/** Plans a sweep of `design` over `base` and checks its size and results file; nothing is written. */
export function prepareSweep(source: SweepSource, base: CompiledScenario, design: SweepDesign, options: SweepRunCommandOptions, kind: 'sweep' | 'advise'): PreparedSweep {
  const plan = planSweep(source, base, design, options.matrix, options.shard);
  // A sweep runs on virtual time: a scenario with real agents (an `endpoint:`) is refused, as `run` refuses it without --realtime.
  checkRealAgents(plan.cells.map((cell) => cell.spec.scenario), false);
  const planned = plan.cells.reduce((sum, cell) => sum + expectedWorkflows(cell.spec), 0);
  if (planned > MAX_WORKFLOWS && !options.yes) {
    throw new HarnessError(
      'USAGE',
      `this ${kind} would run about ${Math.round(planned).toLocaleString('en-US')} workflows in ${plan.cells.length} run(s), more than ${MAX_WORKFLOWS.toLocaleString('en-US')}: ` +
        'use fewer values, --cases or --seed, or pass --yes to go ahead',
    );
  }
  const dbPath = options.db ?? join('out', `${base.name}.${kind}.db`);
  if (options.db !== null && existsSync(dbPath) && !options.overwrite) {
    throw new HarnessError('DATABASE_EXISTS', `${dbPath} exists; pass --overwrite to replace it, or choose another --db`);
  }
  return { plan, dbPath, kind };
}

/**
 * Runs a prepared sweep into its results file (claimed first), records the thresholds, and returns
 * the boundaries — or null when it was interrupted (nothing written).
 */
export async function executeSweep(prepared: PreparedSweep, options: SweepRunCommandOptions, io: CliIo, stop: { readonly stopped: boolean }): Promise<SweepBoundaries[] | null> {
  const { plan, dbPath, kind } = prepared;
  const lock = ResultsLock.acquire(dbPath);
  try {
    if (lock.createdFolder !== null && !options.quiet) io.err(`created ${lock.createdFolder} for the results file`);
    const tasks = sweepTasks(plan.cells, '').length;
    const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), tasks));
    const points = new Map<number, number>();
    for (const cell of plan.cells) points.set(cell.point, (points.get(cell.point) ?? 0) + 1);
    let pointsDone = 0;
    if (!options.quiet) io.err(`sweeping ${plan.design.points.length} point(s) × their runs: ${plan.cells.length} run(s) on ${workers} worker thread(s)`);
    const outcome = await runSweep(plan, {
      db: dbPath,
      overwrite: true,
      workers,
      shouldStop: () => stop.stopped,
      onCell: (cell) => {
        const left = (points.get(cell.point) ?? 1) - 1;
        points.set(cell.point, left);
        if (left > 0 || options.quiet) return;
        pointsDone++;
        io.err(`point ${pointsDone}/${points.size} done (${describePoint(plan.design, cell.point, kind)})`);
      },
    });
    if (outcome.status === 'interrupted') return null;
    const db = openDatabase(dbPath);
    try {
      recordThresholds(db, evaluateThresholds(db, thresholdInputs(plan.base, options.thresholds)));
    } finally {
      db.close();
    }
    if (!options.quiet) io.err(`${outcome.runs} run(s), ${outcome.workflows.toLocaleString('en-US')} workflows, ${outcome.agentCalls.toLocaleString('en-US')} agent calls`);
  } finally {
    lock.release();
  }
  return readSweepBoundaries(dbPath, options.boundaries);
}

/** The scenario's thresholds (for its runs) and the command line's (for all). */
function thresholdInputs(scenario: CompiledScenario, cli: readonly ThresholdSpec[]): ThresholdInput[] {
  const inputs: ThresholdInput[] = [];
  for (const text of scenario.thresholds) {
    const parsed = parseThreshold(text);
    if (parsed.ok) inputs.push({ spec: parsed.threshold, source: 'scenario', scenario: scenario.name });
  }
  for (const spec of cli) inputs.push({ spec, source: 'cli' });
  return inputs;
}

/** Prints boundaries and writes the page; the results file's path on stderr. */
export function presentSweep(all: readonly SweepBoundaries[], dbPath: string, options: Pick<SweepRunCommandOptions, 'format' | 'report' | 'quiet'>, io: CliIo): void {
  io.out(formatBoundaries(all, options.format));
  if (options.report) {
    const page = defaultReportPath(dbPath);
    writeSweepPage(page, all, dbPath);
    if (!options.quiet) io.err(`report: ${page}`);
  }
  if (!options.quiet) io.err(`results: ${dbPath}`);
}

/** Reads and compiles the scenario file; warnings go to stderr. */
export function loadSweepScenario(path: string, io: CliIo): { source: SweepSource; base: CompiledScenario } {
  const source = readSweepSource(path);
  const base = compileScenarioText(source.text, source.file);
  for (const warning of base.warnings) io.err(formatScenarioWarning(warning));
  return { source, base };
}

/**
 * `patternbench sweep`. Returns the exit code: 0 done, 2 bad input (an unknown or non-numeric
 * field, a value the scenario refuses, a bad flag: nothing written), 130 interrupted (nothing written).
 */
export async function sweepCommand(path: string | undefined, options: SweepCommandOptions, io: CliIo, stop: { readonly stopped: boolean }): Promise<number> {
  if (options.results !== null) {
    if (path !== undefined || options.varies.length > 0) throw new HarnessError('USAGE', '--results analyses a sweep already run: give no scenario and no --vary with it');
    const all = readSweepBoundaries(options.results, options.boundaries);
    if (all.length === 0) throw new HarnessError('USAGE', `${options.results} holds no sweep (no sweep_points rows): write one with sweep or advise`);
    presentSweep(all, options.results, options, io);
    return 0;
  }
  if (path === undefined) throw new HarnessError('USAGE', 'sweep needs a scenario file (or --results <db> to analyse a sweep already run)');
  const { source, base } = loadSweepScenario(path, io);
  const prepared = prepareSweep(source, base, gridDesign(source, options.varies), options, 'sweep');
  const boundaries = await executeSweep(prepared, options, io, stop);
  if (boundaries === null) {
    io.err(`interrupted: the sweep stopped before every run ended; nothing was written to ${prepared.dbPath}`);
    return 130;
  }
  presentSweep(boundaries, prepared.dbPath, options, io);
  return 0;
}

/** Adds the options `sweep` and `advise` share to `command`. */
export function addSweepRunOptions(command: Command, kind: 'sweep' | 'advise'): Command {
  return addMatrixOptions(command, 'seed(s) at every point')
    .option('--threshold <expr>', 'pass/fail check on every run, repeatable: "p95(latency) < 20s"', collectThreshold, [])
    .option('--workers <n>', 'worker threads (default: one per core)', positiveInteger('--workers', 1024))
    .option('--shard <i/n>', `run shard i of n of the ${kind}'s runs; merge the files with \`merge\`, then \`sweep --results\``, shardOption)
    .option('--db <file>', `results database (default: out/<scenario>.${kind}.db, replaced)`)
    .option('--overwrite', 'replace the --db file if it exists', false)
    .option('--no-report', 'do not write the HTML page beside the database')
    .addOption(new Option('--interval <source>', 'where the 95% intervals come from: a bootstrap over cases, or the spread of --seed repeats').choices(['cases', 'seeds']).default('cases'))
    .option('--resamples <n>', 'bootstrap resamples (default 1000; fewer above 200,000 workflows)', positiveInteger('--resamples', 100_000))
    .option('--yes', 'run even when it would make more than 10,000,000 workflows', false)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'markdown', 'json']).default('table'))
    .option('--quiet', 'no progress output', false);
}

/** The shared options from commander's flags. */
export function sweepRunOptions(flags: Record<string, unknown>): SweepRunCommandOptions {
  return {
    matrix: matrixFlags(flags),
    shard: (flags['shard'] as { index: number; count: number } | undefined) ?? null,
    db: (flags['db'] as string | undefined) ?? null,
    overwrite: flags['overwrite'] as boolean,
    workers: (flags['workers'] as number | undefined) ?? null,
    thresholds: flags['threshold'] as ThresholdSpec[],
    report: flags['report'] as boolean,
    format: flags['format'] as BoundaryFormat,
    quiet: flags['quiet'] as boolean,
    yes: flags['yes'] as boolean,
    boundaries: { interval: flags['interval'] as 'cases' | 'seeds', ...(flags['resamples'] === undefined ? {} : { resamples: flags['resamples'] as number }) },
  };
}

/** Adds `sweep` to `program`; its action records the exit code in `result` (errors exit 2 through `main`). */
export function registerSweepCommand(program: Command, io: CliIo, result: { code: number }, stop: { readonly stopped: boolean }): void {
  const command = program
    .command('sweep')
    .description('run every pattern at every point of a grid of scenario values, and print where the best pattern changes')
    .argument('[scenario]', 'scenario file')
    .option('--vary <PATH=VALUES>', 'a numeric field and its values, repeatable (two make a grid): agents.x.skill=0.7..0.98:8, load.rate=1/s~40/s:6, a list 0.7,0.8', (value: string, previous: VarySpec[]) => {
      try {
        return [...previous, parseVary(value)];
      } catch (error) {
        throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
      }
    }, [])
    .option('--results <db>', 'analyse a sweep already run (e.g. shards joined with merge) instead of running one');
  addSweepRunOptions(command, 'sweep').action(async (path: string | undefined, flags: Record<string, unknown>) => {
    const options: SweepCommandOptions = { ...sweepRunOptions(flags), varies: flags['vary'] as VarySpec[], results: (flags['results'] as string | undefined) ?? null };
    result.code = await sweepCommand(path, options, io, stop);
  });
}
