/**
 * `patternbench advise <scenario>`: is the choice of pattern robust? Runs the one-at-a-time sweep of
 * the assumptions people get wrong (harness/run/sweep/sweep-advise.ts), then says per measure whether the
 * best pattern of the scenario as written holds under every change and, where not, which change
 * flips it and at what value. Exit 0 when the gated measures hold (by default the decision,
 * `threshold_pass`), 1 when not — a CI gate on the choice itself.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { adviseDesign } from '../run/sweep/sweep-advise.ts';
import { adviseVerdict, formatAdvice } from '../../reports/summary/advise-format.ts';
import { SWEEP_MEASURES, type SweepMeasure } from '../../reports/summary/sweep-measures.ts';
import { writeSweepPage } from '../../reports/sweep/page.ts';
import { defaultReportPath } from './report.ts';
import type { CliIo } from './progress.ts';
import { addSweepRunOptions, executeSweep, loadSweepScenario, prepareSweep, sweepRunOptions, type SweepRunCommandOptions } from './sweep.ts';

/** Measures gated by default: the report's decision. */
export const DEFAULT_GATE: readonly SweepMeasure[] = ['threshold_pass'];

/** Options of `patternbench advise`. */
export interface AdviseCommandOptions extends SweepRunCommandOptions {
  /** Measures whose winner must hold for exit 0 (`--gate`); default `DEFAULT_GATE`. */
  readonly gate: readonly SweepMeasure[];
}

/** `--gate accuracy,cost_per_correct` or `all`. */
function gateList(value: string): SweepMeasure[] {
  if (value.trim() === 'all') return SWEEP_MEASURES.map((measure) => measure.name);
  return value.split(',').map((part) => {
    const name = part.trim();
    const measure = SWEEP_MEASURES.find((candidate) => candidate.name === name);
    if (measure === undefined) throw new InvalidArgumentError(`unknown measure '${name}' (known: ${SWEEP_MEASURES.map((candidate) => candidate.name).join(', ')}, or all)`);
    return measure.name;
  });
}

/** `patternbench advise`: 0 robust, 1 not robust, 2 bad input, 130 interrupted (nothing written). */
export async function adviseCommand(path: string, options: AdviseCommandOptions, io: CliIo, stop: { readonly stopped: boolean }): Promise<number> {
  const { source, base } = loadSweepScenario(path, io);
  const prepared = prepareSweep(source, base, adviseDesign(source, base), options, 'advise');
  const all = await executeSweep(prepared, options, io, stop);
  if (all === null) {
    io.err(`interrupted: advise stopped before every run ended; nothing was written to ${prepared.dbPath}`);
    return 130;
  }
  const pairs = all.map((boundaries) => ({ boundaries, advice: adviseVerdict(boundaries, options.gate) }));
  io.out(formatAdvice(pairs, options.format));
  if (options.report) {
    const page = defaultReportPath(prepared.dbPath);
    writeSweepPage(page, all, prepared.dbPath);
    if (!options.quiet) io.err(`report: ${page}`);
  }
  if (!options.quiet) io.err(`results: ${prepared.dbPath}`);
  return pairs.every((pair) => pair.advice.robust) ? 0 : 1;
}

/** Adds `advise` to `program`; its action records the exit code in `result` (errors exit 2 through `main`). */
export function registerAdviseCommand(program: Command, io: CliIo, result: { code: number }, stop: { readonly stopped: boolean }): void {
  const command = program
    .command('advise')
    .description('check whether the best pattern holds when the usual assumptions are wrong (skills, latencies, error rates, load, prices); exit 1 when it flips')
    .argument('<scenario>', 'scenario file')
    .option('--gate <measures>', `measures whose winner must hold for exit 0, comma-separated, or all (default ${DEFAULT_GATE.join(',')})`, gateList);
  addSweepRunOptions(command, 'advise').action(async (path: string, flags: Record<string, unknown>) => {
    const options: AdviseCommandOptions = { ...sweepRunOptions(flags), gate: (flags['gate'] as SweepMeasure[] | undefined) ?? DEFAULT_GATE };
    result.code = await adviseCommand(path, options, io, stop);
  });
}
