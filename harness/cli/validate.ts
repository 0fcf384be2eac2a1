import type { Command } from 'commander';
import { formatScenarioIssue, HarnessError, ScenarioError } from '../kernel/errors.ts';
import { compileScenarioFile } from '../run/load-scenario.ts';
import { listScenarioFiles, ScenarioNames } from '../scenario/suite.ts';
import { formatScenarioWarning } from '../scenario/issues.ts';
import type { CompiledScenario } from '../scenario/types.ts';

/** Where `validate` writes: one line per call, without the newline. */
export interface ValidateIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/**
 * The `validate` command: compiles every scenario file the paths name (files or folders). Prints
 * `ok <file> (<n> agents, <m> cases, patterns: …)` to `out` per valid file, and every issue as
 * `file:line:column field: message` to `err`, and every warning of a valid file as
 * `file:line:column field: warning: message` to `err`. Returns the exit code: 0 when all are valid
 * (warnings or not), 2 otherwise.
 */
export function runValidate(paths: readonly string[], io: ValidateIo): number {
  let failed = false;
  // Names must be unique across everything validated together, as `run` requires.
  const names = new ScenarioNames();
  for (const path of paths) {
    let files: string[];
    try {
      files = listScenarioFiles(path);
    } catch (error) {
      if (!(error instanceof HarnessError)) throw error;
      io.err(error.message);
      failed = true;
      continue;
    }
    for (const file of files) {
      try {
        const scenario = compileScenarioFile(file);
        const clash = names.claim(scenario.name, file);
        if (clash !== null) {
          io.err(formatScenarioIssue(clash));
          failed = true;
          continue;
        }
        io.out(`ok ${file} (${describeScenario(scenario)})`);
        for (const warning of scenario.warnings) io.err(formatScenarioWarning(warning));
      } catch (error) {
        if (error instanceof ScenarioError) for (const issue of error.issues) io.err(formatScenarioIssue(issue));
        else if (error instanceof HarnessError) io.err(`${file}: ${error.message}`);
        else throw error;
        failed = true;
      }
    }
  }
  return failed ? 2 : 0;
}

function describeScenario(scenario: CompiledScenario): string {
  const agents = scenario.agents.size;
  const cases = scenario.cases.kind === 'inline' ? scenario.cases.items.length : scenario.cases.count;
  const patterns = [...scenario.patterns.keys()].join(', ');
  const variants = scenario.variants.size === 0 ? '' : `; variants: ${[...scenario.variants.keys()].join(', ')}`;
  return `${agents} agent${agents === 1 ? '' : 's'}, ${cases} case${cases === 1 ? '' : 's'}, patterns: ${patterns}${variants}`;
}

/** Adds `validate` to `program`; its action records the exit code in `result`. */
export function registerValidateCommand(program: Command, io: ValidateIo, result: { code: number }): void {
  program
    .command('validate')
    .description('check scenario files and report every problem with file:line:column')
    .argument('<paths...>', 'scenario files or folders')
    .action((paths: string[]) => {
      result.code = runValidate(paths, { out: (line) => io.out(line), err: (line) => io.err(line) });
    });
}
