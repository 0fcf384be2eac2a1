import type { CompiledScenario } from './scenario-types.ts';

/** The compiled scenario as JSON (Maps as objects), stored with each run so it can be reproduced. */
export function scenarioToJson(scenario: CompiledScenario): string {
  return JSON.stringify(scenario, (_key, value: unknown) => (value instanceof Map ? Object.fromEntries(value) : value));
}
