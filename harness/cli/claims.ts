/**
 * `patternbench claims [folder]`: reproduces the source article's quantitative claims. Runs every
 * scenario of `scenarios/article/` (or `folder`) on seeds 1…n into one results file (default
 * `out/claims.db`), measures each claim per seed (`reports/claims/`), and prints the table: the
 * claim, the article's figure, the measured figure with its 95 % interval over the seeds, the
 * inputs that produce it, and a verdict — with a note wherever the article's figure does not follow
 * from its own inputs. README.md's table is this command's `--format markdown` output.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { HarnessError } from '../kernel/errors.ts';
import { VirtualClock } from '../kernel/virtual-clock.ts';
import { loadSuite } from '../run/load-scenario.ts';
import { planRuns } from '../run/matrix.ts';
import { executeRun } from '../run/runner.ts';
import { CLAIMS, type Claim } from '../../reports/claims/claims.ts';
import { measureClaims, type ClaimResult } from '../../reports/claims/claims-measure.ts';
import { CLAIMS_FORMATS, formatClaims, type ClaimsFormat } from '../../reports/claims/claims-format.ts';
import { readRunFigures } from '../../reports/claims/run-figures.ts';
import { openDatabase } from '../../reports/store/schema.ts';
import { SqliteWriterSink } from '../../reports/store/sqlite-writer-sink.ts';
import { positiveInteger } from './flags.ts';
import type { CliIo } from './progress.ts';
import type { StopSignal } from './run.ts';

/** The shipped claim scenarios. */
export const ARTICLE_FOLDER = fileURLToPath(new URL('../../scenarios/article', import.meta.url));

/** Seeds each claim is measured on by default: five independent replicates. */
export const DEFAULT_CLAIM_SEEDS = 5;

/** Options of `measureArticleClaims`. */
export interface ClaimsOptions {
  readonly folder: string;
  readonly seeds: number;
  /** The results file written (replaced). */
  readonly db: string;
  /** Polled between runs: true stops (exit 130, the file holds the runs that finished). */
  readonly stop?: StopSignal;
}

/**
 * Runs the claims' scenarios into `options.db` and measures every claim. A claim whose scenario is
 * not in the folder is bad input (`CLAIM_UNMEASURABLE`), found before anything runs. Returns null
 * when stopped.
 */
export async function measureArticleClaims(options: ClaimsOptions, claims: readonly Claim[] = CLAIMS): Promise<ClaimResult[] | null> {
  const scenarios = loadSuite(options.folder);
  const names = new Map(scenarios.map((scenario) => [basename(scenario.file), scenario.name]));
  for (const claim of claims) {
    if (claim.scenario !== null && !names.has(claim.scenario)) {
      throw new HarnessError('CLAIM_UNMEASURABLE', `claim '${claim.id}' is measured by ${claim.scenario}, which is not in ${options.folder}`);
    }
  }
  // The claims read workflow rows only: traces are tail-sampled with no random share (failed and
  // slowest workflows keep theirs): a file of 63 MB, not 194 MB with every span.
  const seeds = Array.from({ length: options.seeds }, (_seed, index) => index + 1);
  const specs = planRuns(scenarios, { patterns: null, variants: null, seeds, cases: null, repeat: 1, concurrency: null, traces: { mode: 'tail', share: 0 } });
  mkdirSync(dirname(options.db), { recursive: true });
  const sink = SqliteWriterSink.open(options.db, { overwrite: true });
  try {
    for (const spec of specs) {
      if (options.stop?.stopped === true) return null;
      await executeRun(spec, sink, new VirtualClock(), { checkpoints: false });
    }
  } finally {
    await sink.close();
  }
  const db = openDatabase(options.db, { readonly: true });
  try {
    return measureClaims(claims, readRunFigures(db), (file) => names.get(file) as string);
  } finally {
    db.close();
  }
}

/** Adds `claims` to `program`. */
export function registerClaimsCommand(program: Command, io: CliIo, result: { code: number }, stop: StopSignal): void {
  program
    .command('claims')
    .description("reproduce the source article's quantitative claims: measured figure, interval, inputs and verdict per claim")
    .argument('[folder]', 'the claim scenarios (default: the shipped scenarios/article)')
    .option('--seeds <n>', 'independent seeds per scenario (the interval is over them)', positiveInteger('--seeds', 30), DEFAULT_CLAIM_SEEDS)
    .option('--db <path>', 'results file to write (replaced)', join('out', 'claims.db'))
    .addOption(new Option('--format <format>', 'output format (markdown: the table README.md holds)').choices(CLAIMS_FORMATS).default('table'))
    .option('--quiet', 'print only the table')
    .action(async (folder: string | undefined, flags: { seeds: number; db: string; format: ClaimsFormat; quiet?: boolean }) => {
      const source = folder ?? ARTICLE_FOLDER;
      if (flags.quiet !== true) io.err(`measuring the article's claims: every scenario of ${source} on seeds 1–${flags.seeds}, into ${flags.db}`);
      const results = await measureArticleClaims({ folder: source, seeds: flags.seeds, db: flags.db, stop });
      if (results === null) {
        io.err(`interrupted: ${flags.db} holds the runs that finished; run the command again to measure the claims`);
        result.code = 130;
        return;
      }
      io.out(formatClaims(results, flags.format));
      result.code = 0;
    });
}
