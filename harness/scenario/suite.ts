import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError, ScenarioError, type ScenarioIssue } from '../kernel/errors.ts';
import { compileScenarioFile, type CompileOptions } from './compile.ts';
import type { CompiledScenario } from './types.ts';

const SCENARIO_FILE = /\.ya?ml$/i;

/**
 * The scenario files `pathOrFolder` names: the file itself, or every `*.yaml` / `*.yml` directly
 * inside the folder, sorted by file name. Throws `SCENARIO_NOT_FOUND` when the path does not exist
 * or the folder holds no scenario file.
 */
export function listScenarioFiles(pathOrFolder: string): string[] {
  let isFolder: boolean;
  try {
    isFolder = statSync(pathOrFolder).isDirectory();
  } catch (error) {
    throw new HarnessError('SCENARIO_NOT_FOUND', `scenario file or folder not found: ${pathOrFolder}`, { cause: error });
  }
  if (!isFolder) return [pathOrFolder];
  const files = readdirSync(pathOrFolder, { withFileTypes: true })
    .filter((entry) => entry.isFile() && SCENARIO_FILE.test(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => join(pathOrFolder, name));
  if (files.length === 0) {
    throw new HarnessError('SCENARIO_NOT_FOUND', `no scenario files (*.yaml, *.yml) in folder ${pathOrFolder}`);
  }
  return files;
}

/**
 * Scenario names taken so far in one command: a name must be unique across every file the command
 * reads (`run` and `validate`), since it names the runs and their rows.
 */
export class ScenarioNames {
  readonly #fileOf = new Map<string, string>();

  /** Takes `name` for `file`; an issue (at the file's first line) when a scenario read before holds it. */
  claim(name: string, file: string): ScenarioIssue | null {
    const other = this.#fileOf.get(name);
    if (other === undefined) {
      this.#fileOf.set(name, file);
      return null;
    }
    return { file, line: 1, column: 1, field: 'name', message: `scenario name '${name}' is already used by ${other}` };
  }
}

/**
 * Loads a suite: one scenario file, or a folder of them (sorted by file name). Every file is
 * compiled; the issues of all invalid files, and scenario names used twice, are thrown together as
 * one `ScenarioError`.
 */
export function loadSuite(pathOrFolder: string, options: CompileOptions): CompiledScenario[] {
  const scenarios: CompiledScenario[] = [];
  const issues: ScenarioIssue[] = [];
  const names = new ScenarioNames();
  for (const file of listScenarioFiles(pathOrFolder)) {
    try {
      const scenario = compileScenarioFile(file, options);
      const clash = names.claim(scenario.name, file);
      if (clash !== null) issues.push(clash);
      scenarios.push(scenario);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  return scenarios;
}
