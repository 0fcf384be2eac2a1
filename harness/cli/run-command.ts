/**
 * `patternbench run <paths...>`: its flags, and the options `runCommand` (harness/cli/run.ts) takes
 * made of them.
 */
import { Option, type Command } from 'commander';
import type { ThresholdSpec } from '../scenario/thresholds.ts';
import { addMatrixOptions, collectThreshold, matrixFlags, otlpUrl, positiveInteger, shardOption } from './flags.ts';
import type { CliIo } from './progress.ts';
import { chosenShard, MAX_SHARD_COUNT, SHARD_INDEX_VARIABLE } from './shard-env.ts';
import { parseTracePolicy, type TracePolicy } from '../run/trace-policy.ts';
import { MAX_WORKFLOWS, runCommand, type RunCommandOptions, type StopSignal } from './run.ts';

/** Most worker threads `--workers` takes (as `sweep --workers`). */
const MAX_WORKERS = 1024;

/**
 * Adds `run` to `program`; its action records the exit code in `result`. `argv` is the whole
 * command line (for the resume hint); `stop` is set by the first Ctrl-C.
 */
export function registerRunCommand(program: Command, io: CliIo, result: { code: number }, stop: StopSignal, argv: readonly string[]): void {
  const command = program
    .command('run')
    .description('run scenarios (files or folders) through their patterns and print the summary')
    .argument('<paths...>', 'scenario files or folders of scenarios');
  addMatrixOptions(command, 'seed(s) to run')
    .option('--realtime', 'run on the wall clock (simulated agents sleep for real); reports scheduling lag', false)
    .option('--threshold <expr>', 'pass/fail check, repeatable: "p95(latency) < 20s", "router: accuracy > 90%"', collectThreshold, [])
    .option('--shard <i/n>', 'run shard i of n of the matrix (every n-th cell); merge the files with `merge`', shardOption)
    .option('--workers <n>', 'worker threads for the runs of the matrix, and the slices of a large run whose workflows share nothing (default: one per core, one per two cores when a run keeps every trace); the rows are the same for any number', positiveInteger('--workers', MAX_WORKERS))
    .option('--shard-from-env <n>', `run shard ${SHARD_INDEX_VARIABLE} + 1 of n (a pod of a Kubernetes Indexed Job of n completions)`, positiveInteger('--shard-from-env', MAX_SHARD_COUNT))
    .option('--no-report', 'do not write the HTML report beside the database')
    .option('--no-threshold-gate', 'print failed thresholds but exit 0 (exploring, not gating CI)')
    .option('--db <file>', 'results database (default: out/<name>.db; the previous one is kept as out/<name>.prev.db)')
    .option('--overwrite', 'replace the --db file if it exists', false)
    .option('--resume <db>', 'continue the interrupted runs in this results file (same scenarios and options as the first command)')
    .option('--checkpoints', 'save a checkpoint per agent call even when every agent is simulated (default: only runs with real agents save them)')
    .option('--no-checkpoints', 'save no checkpoint per agent call, real agents included (--resume does not need them)')
    .option('--record', "record every model attempt's result, usage and latency (table recordings), for --replay", false)
    .option('--replay <db>', "answer agents from this file's recordings, waiting the recorded latencies (no real agent is called)")
    .option('--otlp <url>', 'also export spans over OTLP/HTTP to this collector', otlpUrl)
    .option('--traces <policy>', 'traces to keep: all, or tail[:share] (failed, slowest and threshold-named workflows, and a seeded share, default 1 %, of the rest); default tail for open loads over 10 minutes, else all', parseTracePolicy)
    .option('--yes', `run even when the command would make more than ${MAX_WORKFLOWS.toLocaleString('en-US')} workflows`, false)
    .addOption(new Option('--format <format>', 'summary format').choices(['table', 'json', 'csv', 'markdown']).default('table'))
    .option('--quiet', 'no progress output', false)
    .action(async (paths: string[], flags: Record<string, unknown>) => {
      const options: RunCommandOptions = {
        ...matrixFlags(flags),
        shard: chosenShard(flags, process.env),
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
        checkpoints: (flags['checkpoints'] as boolean | undefined) ?? null,
        record: flags['record'] as boolean,
        replay: (flags['replay'] as string | undefined) ?? null,
        commandLine: argv,
        yes: flags['yes'] as boolean,
        traces: (flags['traces'] as TracePolicy | undefined) ?? null,
        workers: (flags['workers'] as number | undefined) ?? null,
      };
      result.code = await runCommand(paths, options, io, stop);
    });

}
