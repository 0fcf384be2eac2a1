/**
 * The `patternbench` command line: `main(argv)` parses it, runs the command and returns the exit
 * code. Each command's module is loaded only when that command runs (`patternbench report` does not
 * load the simulator, `run` not the HTML report's readers), so a command starts in the time its own
 * code takes to load; `--help` and a command line naming no known command load them all.
 */
import { Command, CommanderError } from 'commander';
import { formatScenarioIssue, HarnessError, ScenarioError, type ErrorCode } from '../kernel/errors.ts';
import { processIo, type CliIo } from './progress.ts';
import packageJson from '../../package.json' with { type: 'json' };

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
  'CLAIM_UNMEASURABLE',
  'USAGE',
]);

/** What a command's registration gets: where to write, where to put its exit code, the stop flag and the whole command line. */
interface CommandContext {
  readonly io: CliIo;
  readonly result: { code: number };
  readonly stop: { stopped: boolean };
  readonly argv: readonly string[];
}

/** Each command, in the order `--help` lists them: loads its module and adds the command to the program. */
const COMMANDS: Readonly<Record<string, (program: Command, context: CommandContext) => Promise<void>>> = {
  run: async (program, { io, result, stop, argv }) => (await import('./run-command.ts')).registerRunCommand(program, io, result, stop, argv),
  validate: async (program, { io, result }) => (await import('./validate.ts')).registerValidateCommand(program, io, result),
  schema: async (program, { io, result }) => (await import('./schema.ts')).registerSchemaCommand(program, io, result),
  compare: async (program, { io, result }) => (await import('./compare.ts')).registerCompareCommand(program, io, result),
  merge: async (program, { io, result }) => (await import('./merge.ts')).registerMergeCommand(program, io, result),
  summary: async (program, { io, result }) => (await import('./summary.ts')).registerSummaryCommand(program, io, result),
  report: async (program, { io, result }) => (await import('./report.ts')).registerReportCommand(program, io, result),
  dlq: async (program, { io, result }) => (await import('./dlq.ts')).registerDlqCommand(program, io, result),
  audit: async (program, { io, result }) => (await import('./audit.ts')).registerAuditCommand(program, io, result),
  import: async (program, { io, result }) => (await import('./import.ts')).registerImportCommand(program, io, result),
  calibrate: async (program, { io, result }) => (await import('./calibrate.ts')).registerCalibrateCommand(program, io, result),
  sweep: async (program, { io, result, stop }) => (await import('./sweep.ts')).registerSweepCommand(program, io, result, stop),
  advise: async (program, { io, result, stop }) => (await import('./advise.ts')).registerAdviseCommand(program, io, result, stop),
  claims: async (program, { io, result, stop }) => (await import('./claims.ts')).registerClaimsCommand(program, io, result, stop),
};

/**
 * Builds the command tree for `argv`: the command it names, or every command when it names none
 * (`--help`, `--version`, a typo: commander lists them all). Actions record their exit code in
 * `context.result`.
 */
async function buildProgram(context: CommandContext): Promise<Command> {
  const { io, argv } = context;
  const program = new Command('patternbench')
    .description('Compare multi-agent orchestration patterns on cost, latency and accuracy.')
    .version(packageJson.version)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });
  const named = argv[0] !== undefined && Object.hasOwn(COMMANDS, argv[0]) ? [argv[0]] : Object.keys(COMMANDS);
  // `--version` needs no command at all.
  const wanted = argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V') ? [] : named;
  for (const name of wanted) await (COMMANDS[name] as (program: Command, context: CommandContext) => Promise<void>)(program, context);
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
    const program = await buildProgram({ io, result, stop, argv });
    await program.parseAsync([...argv], { from: 'user' });
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
