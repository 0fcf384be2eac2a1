/** `patternbench schema`: prints the JSON Schema of scenario files; `--write` / `--check` keep the committed copy current. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { scenarioJsonSchemaText } from '../run/load-scenario.ts';
import { SCENARIO_SCHEMA_PATH } from '../scenario/json-schema.ts';
import type { CliIo } from './progress.ts';

/** Adds `schema` to `program`; its action records the exit code in `result`. */
export function registerSchemaCommand(program: Command, io: CliIo, result: { code: number }): void {
  program
    .command('schema')
    .description('print the JSON Schema of scenario files (for editor completion)')
    .option('--write', `write it to ${SCENARIO_SCHEMA_PATH}`, false)
    .option('--check', `exit 1 if ${SCENARIO_SCHEMA_PATH} is out of date`, false)
    .action((flags: { write: boolean; check: boolean }) => {
      const text = scenarioJsonSchemaText();
      if (flags.write) {
        writeFileSync(SCENARIO_SCHEMA_PATH, text);
        io.err(`wrote ${SCENARIO_SCHEMA_PATH}`);
      } else if (flags.check) {
        const current = readFileSync(SCENARIO_SCHEMA_PATH, 'utf8') === text;
        if (!current) io.err(`${SCENARIO_SCHEMA_PATH} is out of date: run patternbench schema --write`);
        result.code = current ? 0 : 1;
        return;
      } else {
        io.out(text.trimEnd());
      }
      result.code = 0;
    });
}
