import { expect } from 'vitest';
import { ScenarioError, type ScenarioIssue } from '../../harness/kernel/errors.ts';
import { patternDefinitions } from '../../patterns/index.ts';
import type { PatternDefinition } from '../../patterns/types.ts';
import { compileScenarioText } from '../../harness/run/load-scenario.ts';
import type { PatternName } from '../../harness/scenario/types.ts';

/** Only `sequential` is implemented, whatever `patterns/index.ts` holds by now. */
export const ONLY_SEQUENTIAL: ReadonlyMap<PatternName, PatternDefinition<unknown>> = new Map([
  ['sequential', patternDefinitions.get('sequential') as PatternDefinition<unknown>],
]);

/** YAML from lines, so a test reads line numbers off the array (line n = element n − 1). */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/**
 * Compiles `text` as `bad.yaml`, asserts it fails with a `ScenarioError`, and returns its issues.
 * `patterns`: the patterns it may name. Default only `sequential`.
 */
export function issuesOf(text: string, patterns: ReadonlyMap<PatternName, PatternDefinition<unknown>> = ONLY_SEQUENTIAL): readonly ScenarioIssue[] {
  let caught: unknown;
  try {
    compileScenarioText(text, 'bad.yaml', { patterns });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ScenarioError);
  return (caught as ScenarioError).issues;
}

/** The only issue of `text`, as `file:line:column field: message`. */
export function onlyIssue(text: string): ScenarioIssue {
  const issues = issuesOf(text);
  expect(issues).toHaveLength(1);
  return issues[0] as ScenarioIssue;
}
