// The scenario compiler bound to the patterns this build implements. The scenario layer does not
// import the executors (harness/scenario/pattern-config.ts); the run layer, which does, hands them in.
import { patternDefinitions } from '../../patterns/index.ts';
import * as compiler from '../scenario/compile.ts';
import { scenarioJsonSchema as schemaFor } from '../scenario/json-schema.ts';
import { loadSuite as loadSuiteWith } from '../scenario/suite.ts';
import type { CompiledScenario } from '../scenario/types.ts';

/** Options of the bound compiler: `patterns` defaults to every implemented pattern. */
export type LoadOptions = Partial<compiler.CompileOptions>;

const bind = (options: LoadOptions): compiler.CompileOptions => ({ patterns: patternDefinitions, ...options });

/** Compiles scenario YAML (see `compileScenarioText` in harness/scenario/compile.ts). */
export function compileScenarioText(text: string, file: string, options: LoadOptions = {}): CompiledScenario {
  return compiler.compileScenarioText(text, file, bind(options));
}

/** Reads and compiles one scenario file. */
export function compileScenarioFile(path: string, options: LoadOptions = {}): CompiledScenario {
  return compiler.compileScenarioFile(path, bind(options));
}

/** Compiles a scenario file or every scenario of a folder (a suite). */
export function loadSuite(pathOrFolder: string, options: LoadOptions = {}): CompiledScenario[] {
  return loadSuiteWith(pathOrFolder, bind(options));
}

/** The JSON Schema of scenario files for the implemented patterns. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return schemaFor(patternDefinitions);
}

/** The schema as committed (`scenarios/scenario.schema.json`): pretty-printed JSON with a final newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
