/** `patternbench merge <out.db> <in.db>… [--shards n]`: combines results files (shards of runs, or different runs) into one. */
import type { Command } from 'commander';
import { mergeDatabases } from '../../reports/store/merge/merge.ts';
import { positiveInteger } from './flags.ts';
import type { CliIo } from './progress.ts';
import { MAX_SHARD_COUNT } from './shard-env.ts';

/** Adds `merge` to `program`; its action records the exit code in `result` (errors exit 2 through `main`). */
export function registerMergeCommand(program: Command, io: CliIo, result: { code: number }): void {
  program
    .command('merge')
    .description('merge results files: shards of a run are combined (histograms exactly), other runs copied')
    .argument('<out>', 'results database to write (must not exist unless --overwrite)')
    .argument('<inputs...>', 'results databases to merge (opened read-only)')
    .option('--overwrite', 'replace <out> if it exists', false)
    .option('--shards <n>', 'require every shard i/n of `run --shard` (or --shard-from-env n) among the inputs', positiveInteger('--shards', MAX_SHARD_COUNT))
    .action((out: string, inputs: string[], flags: Record<string, unknown>) => {
      const merged = mergeDatabases(out, inputs, { overwrite: flags['overwrite'] as boolean, shards: (flags['shards'] as number | undefined) ?? null });
      const combined = merged.combinedRuns.length === 0 ? '' : ` (${merged.combinedRuns.length} combined from shards)`;
      io.err(`merged ${merged.inputs} file(s) into ${out}: ${merged.runs} run(s)${combined}, ${merged.workflows} workflows, ${merged.spans} spans`);
      result.code = 0;
    });
}
