import { caseRedactor } from '../governance/pii.ts';
import type { CompiledScenario } from '../scenario/types.ts';

/** The compiled scenario as JSON (Maps as objects), stored with each run so it can be reproduced. */
export function scenarioToJson(scenario: CompiledScenario): string {
  // Inline cases' fields with a data class are redacted when the scenario masks them (harness/governance/pii.ts).
  const redact = caseRedactor(scenario.privacy);
  return JSON.stringify(scenario, (key, value: unknown) => (value instanceof Map ? Object.fromEntries(value) : redact(key, value)));
}
