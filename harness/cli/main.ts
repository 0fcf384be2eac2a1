import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { registerAuditCommand } from './audit.ts';
import { registerCompareCommand } from './compare.ts';
import { registerDlqCommand } from './dlq.ts';
import { registerImportCommand } from './import.ts';
import { registerCalibrateCommand } from './calibrate.ts';
import { registerMergeCommand } from './merge.ts';
import { registerReportCommand } from './report.ts';
import { MAX_WORKFLOWS, runCommand, type RunCommandOptions } from './run.ts';
import { runValidate } from './validate.ts';
import { parseDuration } from '../kernel/duration.ts';
import { parseRate } from '../scenario/schema/load.ts';
import { parseThreshold, type ThresholdSpec } from '../scenario/thresholds.ts';
import { formatScenarioIssue, HarnessError, ScenarioError, type ErrorCode } from '../kernel/errors.ts';
import { registerSchemaCommand } from './schema.ts';
import { registerSummaryCommand } from './summary.ts';
import { registerSweepCommand } from './sweep.ts';
import { registerAdviseCommand } from './advise.ts';
import { PATTERNBENCH_SCOPE } from '../../reports/store/otlp-span.ts';
import { processIo, type CliIo } from './progress.ts';
import { PATTERN_NAMES, type PatternName } from '../scenario/types.ts';

/** Exit codes: 0 done, 1 a check or the run failed, 2 bad input, 130 interrupted. */
export const EXIT = { ok: 0, failed: 1, badInput: 2, interrupted: 130 } as const;

/** Error codes that mean the user's input (files, flags) is wrong: exit 2, nothing written. */
const BAD_INPUT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'SCENARIO_INVALID',
  'SCENARIO_NOT_FOUND',
  'DURATION_INVALID',
  'DISTRIBUTION_INVALID',
  'PATTERN_UNKNOWN',
  'AGENT_UNKNOWN',
  'MODEL_UNKNOWN',
  'SCHEMA_MISMATCH',
  'DATABASE_CORRUPT',
  'DATABASE_EXISTS',
  'DATABASE_BUSY',
  'DATABASE_UNWRITABLE',
  'MERGE_CONFLICT',
  'TRACE_INVALID',
  'RECORDING_MISSING',
  'CREDENTIALS_MISSING',
  'USAGE',
]);

/** Upper limits of count flags: far beyond any run this machine finishes, short of exhausting memory. */
export const FLAG_LIMITS = { cases: 1_000_000, repeat: 10_000, concurrency: 1_000_000, maxInFlight: 10_000_000 } as const;

function positiveInteger(name: string, max: number): (value: string) => number {
  return (value) => {
    const number = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(number) || number < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got '${value}'`);
    if (number > max) throw new InvalidArgumentError(`${name} must be at most ${max.toLocaleString('en-US')}, got ${value.trim()}`);
    return number;
  };
}

/** `--seed 1,2,3`: distinct integers from 0 to 2³² − 1; an empty or repeated seed is refused. */
export function seedList(value: string): number[] {
  const seeds = value.split(',').map((part) => {
    const text = part.trim();
    const seed = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(seed) || seed > 0xffffffff) {
      throw new InvalidArgumentError(text === '' ? `seed list '${value}' has an empty entry` : `seed must be an integer from 0 to 4294967295, got '${text}'`);
    }
    return seed;
  });
  const repeated = seeds.find((seed, index) => seeds.indexOf(seed) !== index);
  if (repeated !== undefined) throw new InvalidArgumentError(`seed ${repeated} is given twice (each seed is one run of each cell)`);
  return seeds;
}

/** `--otlp <url>`: an http(s) URL, checked before anything runs. */
export function otlpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`'${value}' is not a URL (use e.g. http://localhost:4318)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`OTLP/HTTP needs an http: or https: URL, got '${url.protocol}'`);
  return value;
}

function patternList(value: string): PatternName[] {
  return value.split(',').map((part) => {
    const name = part.trim();
    if (!(PATTERN_NAMES as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`unknown pattern '${name}' (known: ${PATTERN_NAMES.join(', ')})`);
    }
    return name as PatternName;
  });
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

function shardOption(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count) throw new InvalidArgumentError(`shard must be i/n with 1 ≤ i ≤ n, got '${value}'`);
  return { index, count };
}

function collectThreshold(value: string, previous: ThresholdSpec[]): ThresholdSpec[] {
  const parsed = parseThreshold(value);
  if (!parsed.ok) throw new InvalidArgumentError(`threshold "${value}": ${parsed.message}`);
  return [...previous, parsed.threshold];
}

/** Builds the command tree; actions record their exit code in `result`. */
function buildProgram(io: CliIo, result: { code: number }, stop: { stopped: boolean }, argv: readonly string[]): Command {
  const program = new Command('patternbench')
    .description('Compare multi-agent orchestration patterns on cost, latency and accuracy.')
    .version(PATTERNBENCH_SCOPE.version ?? '0.0.0')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });

  program
    .command('run')
    .description('run scenarios (files or folders) through their patterns and print the summary')
    .argument('<paths...>', 'scenario files or folders of scenarios')
    .option('--pattern <names>', 'only these patterns (comma-separated)', patternList)
    .option('--variant <names>', 'only these variants, comma-separated (base = the scenario as written)', (value: string) =>
      value.split(',').map((part) => part.trim()),
    )
    .option('--seed <seeds>', 'seed(s) to run, comma-separated (default: the scenario\'s)', seedList)
    .option('--cases <n>', 'number of cases (default: the scenario\'s)', positiveInteger('--cases', FLAG_LIMITS.cases))
    .option('--repeat <k>', 'run each case k times', positiveInteger('--repeat', FLAG_LIMITS.repeat), 1)
    .option('--concurrency <n>', "closed load: workflows in flight at once (default: the scenario's load, else 1)", positiveInteger('--concurrency', FLAG_LIMITS.concurrency))
    .option('--rate <rate>', 'open load: arrivals per second, or "50/s", "3000/m" (needs --duration)', rateOption)
    .addOption(new Option('--arrivals <process>', 'open load: constant or poisson arrivals (default poisson)').choices(['constant', 'poisson']))
    .option('--duration <duration>', 'length of the load: "10m", "1h" (open: how long arrivals go on; closed: stop starting workflows after)', durationOption)
    .option('--max-in-flight <n>', 'open load: cap on workflows in flight; arrivals beyond it are dropped', positiveInteger('--max-in-flight', FLAG_LIMITS.maxInFlight))
    .option('--realtime', 'run on the wall clock (simulated agents sleep for real); reports scheduling lag', false)
    .option('--threshold <expr>', 'pass/fail check, repeatable: "p95(latency) < 20s", "router: accuracy > 90%"', collectThreshold, [])
    .option('--shard <i/n>', 'run shard i of n of the matrix (every n-th cell); merge the files with `merge`', shardOption)
    .option('--no-report', 'do not write the HTML report beside the database')
    .option('--no-threshold-gate', 'print failed thresholds but exit 0 (exploring, not gating CI)')
    .option('--db <file>', 'results database (default: out/<name>.db; the previous one is kept as out/<name>.prev.db)')
    .option('--overwrite', 'replace the --db file if it exists', false)
    .option('--resume <db>', 'continue the interrupted runs in this results file (same scenarios and options as the first command)')
    .option('--no-checkpoints', 'save no checkpoint per agent call (faster; --resume does not need them)')
    .option('--record', "record every model attempt's result, usage and latency (table recordings), for --replay", false)
    .option('--replay <db>', "answer agents from this file's recordings, waiting the recorded latencies (no real agent is called)")
    .option('--otlp <url>', 'also export spans over OTLP/HTTP to this collector', otlpUrl)
    .option('--yes', `run even when the command would make more than ${MAX_WORKFLOWS.toLocaleString('en-US')} workflows`, false)
    .addOption(new Option('--format <format>', 'summary format').choices(['table', 'json', 'csv', 'markdown']).default('table'))
    .option('--quiet', 'no progress output', false)
    .action(async (paths: string[], flags: Record<string, unknown>) => {
      const options: RunCommandOptions = {
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
        shard: (flags['shard'] as { index: number; count: number } | undefined) ?? null,
        realtime: flags['realtime'] as boolean,
        thresholds: flags['threshold'] as ThresholdSpec[],
        report: flags['report'] as boolean,
        thresholdGate: flags['thresholdGate'] as boolean,
        db: (flags['db'] as string | undefined) ?? null,
        overwrite: flags['overwrite'] as boolean,
        otlp: (flags['otlp'] as string | undefined) ?? null,
        format: flags['format'] as RunCommandOptions['format'],
        quiet: flags['quiet'] as boolean,
        resume: (flags['resume'] as string | undefined) ?? null,
        checkpoints: flags['checkpoints'] as boolean,
        record: flags['record'] as boolean,
        replay: (flags['replay'] as string | undefined) ?? null,
        commandLine: argv,
        yes: flags['yes'] as boolean,
      };
      result.code = await runCommand(paths, options, io, stop);
    });

  program
    .command('validate')
    .description('check scenario files and report every problem with file:line:column')
    .argument('<paths...>', 'scenario files or folders')
    .action((paths: string[]) => {
      result.code = runValidate(paths, { out: (line) => io.out(line), err: (line) => io.err(line) });
    });

  registerSchemaCommand(program, io, result);
  registerCompareCommand(program, io, result);
  registerMergeCommand(program, io, result);
  registerSummaryCommand(program, io, result);
  registerReportCommand(program, io, result);
  registerDlqCommand(program, io, result);
  registerAuditCommand(program, io, result);
  registerImportCommand(program, io, result);
  registerCalibrateCommand(program, io, result);
  registerSweepCommand(program, io, result, stop);
  registerAdviseCommand(program, io, result, stop);
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const result = { code: EXIT.ok as number };
  const stop = { stopped: false };
  const onInterrupt = (): void => {
    if (stop.stopped) process.exit(EXIT.interrupted);
    stop.stopped = true;
    io.err('interrupt: finishing the workflows in flight and closing the database (press Ctrl-C again to abort)');
  };
  process.on('SIGINT', onInterrupt);
  try {
    await buildProgram(io, result, stop, argv).parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (error instanceof ScenarioError) {
      for (const issue of error.issues) io.err(formatScenarioIssue(issue));
      io.err(`${error.issues.length} problem(s) found; nothing was run or written.`);
      return EXIT.badInput;
    }
    if (error instanceof HarnessError) {
      io.err(`error [${error.code}]: ${error.message}`);
      return BAD_INPUT.has(error.code) ? EXIT.badInput : EXIT.failed;
    }
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
