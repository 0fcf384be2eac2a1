import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../harness/kernel/duration.ts';
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchema as scenarioJsonSchemaFor } from '../harness/scenario/json-schema.ts';
import { scenarioJsonSchema, scenarioJsonSchemaText } from '../harness/run/load-scenario.ts';
import { DISTRIBUTION_NAMES, DURATION_PATTERN } from '../harness/scenario/schema/distributions.ts';
import { AGENT_NAME, SCENARIO_SECTIONS } from '../harness/scenario/schema/scenario.ts';
import { PATTERN_NAMES } from '../harness/scenario/types.ts';
import { ONLY_SEQUENTIAL } from './support/scenario-issues.ts';

type Json = Record<string, unknown>;
const schema = scenarioJsonSchema() as Json;
const properties = schema['properties'] as Record<string, Json>;
const defs = schema['$defs'] as Record<string, Json>;

describe('scenario JSON Schema', () => {
  it('is committed exactly as generated (run `patternbench schema --write` after changing a schema)', () => {
    expect(readFileSync(SCENARIO_SCHEMA_PATH, 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('lists every top-level key, requires the four sections, and rejects others', () => {
    expect(Object.keys(properties).sort()).toEqual([...SCENARIO_SECTIONS].sort());
    expect((schema['required'] as string[]).sort()).toEqual(['agents', 'cases', 'name', 'patterns']);
    expect(schema['additionalProperties']).toBe(false);
  });

  it('rejects unknown keys in an agent and constrains agent names like the compiler', () => {
    const agents = properties['agents'] as Json;
    expect((agents['propertyNames'] as Json)['pattern']).toBe(AGENT_NAME.source);
    expect(agents['minProperties']).toBe(1);
    const agent = defs['Agent'] as Json;
    expect(agent['additionalProperties']).toBe(false);
    expect(agent['required']).toEqual(['role', 'model']);
  });

  it('lists every pattern name; patterns not implemented yet accept nothing', () => {
    const patterns = properties['patterns'] as Json;
    const byName = patterns['properties'] as Record<string, Json>;
    expect(Object.keys(byName)).toEqual([...PATTERN_NAMES]);
    expect(patterns['additionalProperties']).toBe(false);
    const restricted = scenarioJsonSchemaFor(ONLY_SEQUENTIAL) as Json;
    const restrictedPatterns = ((restricted['properties'] as Record<string, Json>)['patterns'] as Json)['properties'] as Record<string, Json>;
    expect((restrictedPatterns['sequential'] as Json)['required']).toEqual(['steps']);
    expect(restrictedPatterns['fanout']).toMatchObject({ not: {} });
  });

  it('describes durations with the pattern parseDuration accepts', () => {
    const duration = JSON.stringify(defs['Duration']);
    expect(duration).toContain(JSON.stringify(DURATION_PATTERN.source));
    for (const text of ['250ms', '3s', '1.5m', '2h', '40us', ' 5 s ', '.5s']) {
      expect(DURATION_PATTERN.test(text)).toBe(true);
      expect(parseDuration(text)).toBeGreaterThanOrEqual(0);
    }
    for (const text of ['fast', '3 seconds', '-1s', '5', 's']) {
      expect(DURATION_PATTERN.test(text)).toBe(false);
      expect(() => parseDuration(text)).toThrow();
    }
  });

  it('offers every distribution name under `dist`', () => {
    const text = JSON.stringify(defs['DurationDistribution']);
    for (const name of DISTRIBUTION_NAMES) expect(text).toContain(`"const":"${name}"`);
  });
});
