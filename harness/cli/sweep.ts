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
import { parseDuration } from '../kernel/duration.ts';
import { parseRate } from '../scenario/schema/load.ts';
import { parseThreshold, type ThresholdSpec } from '../scenario/thresholds.ts';
import { PATTERN_NAMES, type CompiledScenario, type PatternName } from '../scenario/types.ts';
import { checkRealAgents } from '../agents/http-agent-preflight.ts';
import { compileScenarioText } from '../run/load-scenario.ts';
import { gridDesign, planSweep, type SweepDesign, type SweepMatrix, type SweepPlan } from '../run/sweep-plan.ts';
import { readSweepSource, type SweepSource } from '../run/sweep-point.ts';
import { sweepTasks, runSweep } from '../run/sweep-run.ts';
import { parseVary, type VarySpec } from '../run/sweep-values.ts';
import { openDatabase } from '../../reports/store/schema.ts';
import { ResultsLock } from '../../reports/store/results-lock.ts';
import type { BoundaryOptions, SweepBoundaries } from '../../reports/summary/boundaries.ts';
import { formatBoundaries, type BoundaryFormat } from '../../reports/summary/boundary-format.ts';
import { evaluateThresholds, recordThresholds, type ThresholdInput } from '../../reports/summary/threshold-eval.ts';
import { readSweepBoundaries, writeSweepPage } from '../../reports/sweep/page.ts';
import { expectedWorkflows, MAX_WORKFLOWS } from './run.ts';
import { defaultReportPath } from './report.ts';
import type { CliIo } from './progress.ts';

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

// Flag parsers shared by `sweep` and `advise` (main.ts keeps those of `run`; importing it would make a circle).

function positiveInteger(name: string, max: number): (value: string) => number {
  return (value) => {
    const number = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(number) || number < 1 || number > max) throw new InvalidArgumentError(`${name} must be an integer from 1 to ${max.toLocaleString('en-US')}, got '${value}'`);
    return number;
  };
}

function seedList(value: string): number[] {
  const seeds = value.split(',').map((part) => {
    const text = part.trim();
    const seed = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(seed) || seed > 0xffffffff) throw new InvalidArgumentError(`seed must be an integer from 0 to 4294967295, got '${text}'`);
    return seed;
  });
  const repeated = seeds.find((seed, index) => seeds.indexOf(seed) !== index);
  if (repeated !== undefined) throw new InvalidArgumentError(`seed ${repeated} is given twice`);
  return seeds;
}

function patternList(value: string): PatternName[] {
  return value.split(',').map((part) => {
    const name = part.trim();
    if (!(PATTERN_NAMES as readonly string[]).includes(name)) throw new InvalidArgumentError(`unknown pattern '${name}' (known: ${PATTERN_NAMES.join(', ')})`);
    return name as PatternName;
  });
}

function shardOption(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count) throw new InvalidArgumentError(`shard must be i/n with 1 ≤ i ≤ n, got '${value}'`);
  return { index, count };
}

function rateOption(value: string): number {
  const rate = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : parseRate(value);
  if (rate === null || !(rate > 0)) throw new InvalidArgumentError(`'${value}' is not a rate (use e.g. 50, "50/s", "3000/m")`);
  return rate;
}

function durationOption(value: string): number {
  try {
    return parseDuration(value);
  } catch {
    throw new InvalidArgumentError(`'${value}' is not a duration (use e.g. "30s", "10m", "1h")`);
  }
}

function collectThreshold(value: string, previous: ThresholdSpec[]): ThresholdSpec[] {
  const parsed = parseThreshold(value);
  if (!parsed.ok) throw new InvalidArgumentError(`threshold "${value}": ${parsed.message}`);
  return [...previous, parsed.threshold];
}

/** Adds the options `sweep` and `advise` share to `command`. */
export function addSweepRunOptions(command: Command, kind: 'sweep' | 'advise'): Command {
  return command
    .option('--pattern <names>', 'only these patterns (comma-separated)', patternList)
    .option('--variant <names>', 'only these variants, comma-separated (base = the scenario as written)', (value: string) => value.split(',').map((part) => part.trim()))
    .option('--seed <seeds>', "seed(s) at every point, comma-separated (default: the scenario's)", seedList)
    .option('--cases <n>', "number of cases (default: the scenario's)", positiveInteger('--cases', 1_000_000))
    .option('--repeat <k>', 'run each case k times', positiveInteger('--repeat', 10_000), 1)
    .option('--concurrency <n>', "closed load: workflows in flight at once (default: the scenario's load)", positiveInteger('--concurrency', 1_000_000))
    .option('--rate <rate>', 'open load: arrivals per second, or "50/s" (needs --duration)', rateOption)
    .addOption(new Option('--arrivals <process>', 'open load: constant or poisson arrivals').choices(['constant', 'poisson']))
    .option('--duration <duration>', 'length of the load: "10m", "1h"', durationOption)
    .option('--max-in-flight <n>', 'open load: cap on workflows in flight', positiveInteger('--max-in-flight', 10_000_000))
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
    matrix: {
      patterns: (flags['pattern'] as PatternName[] | undefined) ?? null,
      variants: (flags['variant'] as string[] | undefined) ?? null,
      seeds: (flags['seed'] as number[] | undefined) ?? null,
      cases: (flags['cases'] as number | undefined) ?? null,
      repeat: flags['repeat'] as number,
      concurrency: (flags['concurrency'] as number | undefined) ?? null,
      load: {
        ratePerSecond: (flags['rate'] as number | undefined) ?? null,
        arrivals: (flags['arrivals'] as 'constant' | 'poisson' | undefined) ?? null,
        durationMs: (flags['duration'] as number | undefined) ?? null,
        maxInFlight: (flags['maxInFlight'] as number | undefined) ?? null,
      },
    },
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
