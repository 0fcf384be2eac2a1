/**
 * `patternbench compare <base.db> <head.db>`: metric deltas per scenario × pattern × variant with
 * their significance, `--fail-on` regression gates (exit 1 when one fails), and an optional HTML view.
 */
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { compareDatabases, type Comparison } from '../../reports/compare/compare.ts';
import { formatComparison, formatFailures } from '../../reports/compare/format.ts';
import { renderComparisonHtml } from '../../reports/compare/html.ts';
import { evaluateRules, parseFailRules } from '../../reports/compare/rules.ts';
import { openResultsReadonly, type ResultsReader } from '../../reports/store/open-results.ts';
import type { SummaryFormat } from '../../reports/summary/format.ts';
import type { CliIo } from './progress.ts';
import { HarnessError } from '../kernel/errors.ts';

/** Options of `patternbench compare`. */
export interface CompareCommandOptions {
  /** `--fail-on` rules, each argument one or more comma-separated rules; default none. */
  readonly failOn: readonly string[];
  /** Default `table`. */
  readonly format: SummaryFormat;
  /** Also write the HTML comparison view here; default none. */
  readonly html: string | null;
  /** Bootstrap seed; default 1. */
  readonly seed: number;
}

/** What `compare` reads of each results file. */
export const COMPARE_READER: ResultsReader = { name: 'compare', relations: ['runs', 'workflows', 'timeseries'] };

function readComparison(basePath: string, headPath: string, seed: number): Comparison {
  const base = openResultsReadonly(basePath, COMPARE_READER);
  try {
    const head = openResultsReadonly(headPath, COMPARE_READER);
    try {
      return compareDatabases(base, head, { seed });
    } finally {
      head.close();
    }
  } finally {
    base.close();
  }
}

/**
 * Runs `compare`. Rules are parsed before any file is read (a bad rule is a `USAGE` error: exit 2).
 * Prints the comparison on stdout and each rule failure on stderr. Returns 1 when a rule fails, else 0.
 */
export function compareCommand(basePath: string, headPath: string, options: CompareCommandOptions, io: CliIo): number {
  const rules = parseFailRules(options.failOn);
  const comparison = readComparison(basePath, headPath, options.seed);
  const failures = evaluateRules(comparison, rules);
  io.out(formatComparison(comparison, failures, options.format));
  if (options.html !== null) writeFileSync(options.html, renderComparisonHtml(comparison, failures, { base: basePath, head: headPath }));
  for (const line of formatFailures(failures)) io.err(`regression: ${line}`);
  return failures.length > 0 ? 1 : 0;
}

function seedValue(value: string): number {
  const seed = Number(value);
  if (!/^\d+$/.test(value) || seed > 0xffffffff) throw new InvalidArgumentError(`--seed must be an integer from 0 to 4294967295, got '${value}'`);
  return seed;
}

/**
 * Splits `compare`'s operands into the two results files and the rules that follow `--fail-on`.
 * `--fail-on` takes one argument per use, so files before or after it stay files; operands past
 * the two files are further rules (the form `compare base.db head.db --fail-on 'p95 +10%' 'accuracy -2pt'`),
 * accepted only when `--fail-on` is given. A file operand that parses as a rule, or extra
 * operands without `--fail-on`, are a `USAGE` error.
 */
export function compareOperands(operands: readonly string[], failOn: readonly string[]): { base: string; head: string; failOn: string[] } {
  const [base, head, ...more] = operands;
  if (base === undefined || head === undefined) throw new HarnessError('USAGE', 'compare takes two results files: compare <base.db> <head.db>');
  for (const file of [base, head]) {
    if (looksLikeRule(file)) {
      throw new HarnessError('USAGE', `'${file}' is a --fail-on rule, not a results file: give each rule its own --fail-on, or list the rules after the two files`);
    }
  }
  if (more.length > 0 && failOn.length === 0) {
    throw new HarnessError('USAGE', `compare takes two results files, got ${operands.length} arguments (${operands.map((operand) => `'${operand}'`).join(', ')})`);
  }
  return { base, head, failOn: [...failOn, ...more] };
}

/** Whether an operand is written as a `--fail-on` rule (`p95 +10%`, `accuracy -2pt`). */
function looksLikeRule(operand: string): boolean {
  return /^\s*[a-z0-9_]+\s*[+-]\s*\d+(\.\d+)?\s*(%|pt)\s*(,|$)/i.test(operand);
}

function collectRule(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Adds `compare` to `program`; its action records the exit code in `result`. */
export function registerCompareCommand(program: Command, io: CliIo, result: { code: number }): void {
  program
    .command('compare')
    .description('compare two results files per scenario × pattern × variant, with significance and regression gates')
    .argument('<base>', 'results database of the baseline')
    .argument('<head>', 'results database to judge against it')
    // Further operands are more --fail-on rules (compareOperands); checked there, not by commander.
    .allowExcessArguments(true)
    .option(
      '--fail-on <rule>',
      "exit 1 when a significant change is worse than a rule, repeatable: 'p95 +10%', 'cost +5%', 'accuracy -2pt', 'success -1pt' " +
        '(more rules may follow the two files)',
      collectRule,
    )
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv', 'markdown']).default('table'))
    .option('--html <file>', 'also write the HTML comparison view to this file')
    .option('--seed <n>', 'seed of the bootstrap resampling', seedValue, 1)
    .action((_base: string, _head: string, flags: Record<string, unknown>, command: Command) => {
      const operands = compareOperands(command.args, (flags['failOn'] as string[] | undefined) ?? []);
      result.code = compareCommand(
        operands.base,
        operands.head,
        {
          failOn: operands.failOn,
          format: flags['format'] as SummaryFormat,
          html: (flags['html'] as string | undefined) ?? null,
          seed: flags['seed'] as number,
        },
        io,
      );
    });
}
