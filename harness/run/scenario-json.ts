import { caseRedactor } from '../governance/pii.ts';
import type { CompiledScenario } from '../scenario/types.ts';
import { formatTracePolicy, type TracePolicy } from './trace-policy.ts';

/** The compiled scenario as JSON (Maps as objects), stored with each run so it can be reproduced. */
export function scenarioToJson(scenario: CompiledScenario): string {
  // Inline cases' fields with a data class are redacted when the scenario masks them (harness/governance/pii.ts).
  const redact = caseRedactor(scenario.privacy);
  return JSON.stringify(scenario, (key, value: unknown) => (value instanceof Map ? Object.fromEntries(value) : redact(key, value)));
}

/**
 * A run's `runs.config`: the scenario's JSON, with, for a run that does not keep every trace, its
 * trace policy as the last key (`"traces": "tail:0.01"`; absent = `all`, as in files written before
 * `--traces`). Shards of a run share it, so `merge` checks they kept traces alike.
 */
export function runConfigJson(scenario: CompiledScenario, traces: TracePolicy): string {
  const json = scenarioToJson(scenario);
  return traces.mode === 'all' ? json : `${json.slice(0, -1)},"traces":${JSON.stringify(formatTracePolicy(traces))}}`;
}

/** The trace policy text a `runs.config` records: `all` when it has none. */
export function storedTracePolicy(config: string): string {
  const traces = (JSON.parse(config) as { traces?: unknown }).traces;
  return typeof traces === 'string' ? traces : 'all';
}
