import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { patternDefinitions } from '../../patterns/index.ts';
import type { PatternDefinition } from '../../patterns/types.ts';
import { scenarioInputSchema } from './schema/scenario.ts';
import type { PatternName } from './types.ts';

/** Where the generated schema is committed, for editors (`# yaml-language-server: $schema=…`). */
export const SCENARIO_SCHEMA_PATH = fileURLToPath(new URL('../../scenarios/scenario.schema.json', import.meta.url));

/**
 * The JSON Schema (draft 2020-12) of scenario YAML files, generated from the same zod schemas the
 * compiler uses. Describes the input form (durations as strings, defaults shown). Some checks only
 * the compiler makes (p95 > p50, fault rates summing to at most 1, agent references) are absent.
 */
export function scenarioJsonSchema(
  patterns: ReadonlyMap<PatternName, PatternDefinition<unknown>> = patternDefinitions,
): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioInputSchema(patterns), {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return { title: 'patternbench scenario', ...schema };
}

/** The schema as committed: pretty-printed JSON with a final newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

/** `npx tsx harness/scenario/json-schema.ts --write` regenerates the committed file; `--check` fails if it drifted. */
function main(argv: readonly string[]): number {
  const text = scenarioJsonSchemaText();
  if (argv.includes('--write')) {
    writeFileSync(SCENARIO_SCHEMA_PATH, text);
    process.stdout.write(`wrote ${SCENARIO_SCHEMA_PATH}\n`);
    return 0;
  }
  if (argv.includes('--check')) {
    const current = readFileSync(SCENARIO_SCHEMA_PATH, 'utf8');
    if (current === text) return 0;
    process.stderr.write(`${SCENARIO_SCHEMA_PATH} is out of date: run npx tsx harness/scenario/json-schema.ts --write\n`);
    return 1;
  }
  process.stdout.write(text);
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
