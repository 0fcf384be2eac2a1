import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { PatternCatalog } from './pattern-config.ts';
import { scenarioInputSchema } from './schema/scenario.ts';
import type { PatternName } from './types.ts';

/** Where the generated schema is committed, for editors (`# yaml-language-server: $schema=…`). */
export const SCENARIO_SCHEMA_PATH = fileURLToPath(new URL('../../scenarios/scenario.schema.json', import.meta.url));

/**
 * The JSON Schema (draft 2020-12) of scenario YAML files, generated from the same zod schemas the
 * compiler uses. Describes the input form (durations as strings, defaults shown). Some checks only
 * the compiler makes (p95 > p50, fault rates summing to at most 1, agent references) are absent.
 */
export function scenarioJsonSchema(patterns: PatternCatalog): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioInputSchema(patterns), {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return { title: 'patternbench scenario', ...schema };
}

/** The schema as committed: pretty-printed JSON with a final newline. */
export function scenarioJsonSchemaText(patterns: PatternCatalog): string {
  return `${JSON.stringify(scenarioJsonSchema(patterns), null, 2)}\n`;
}
