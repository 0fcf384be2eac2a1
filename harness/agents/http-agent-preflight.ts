import { existsSync, readFileSync } from 'node:fs';
import { HarnessError, ScenarioError } from '../kernel/errors.ts';
import { parseScenarioSource } from '../scenario/positions.ts';
import type { CompiledAgent, CompiledScenario } from '../scenario/types.ts';

/** Environment variables, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The API key of a real agent, read from the environment variable its endpoint names (null when
 * it names none). A variable that is unset or empty is a `CREDENTIALS_MISSING` error naming the
 * variable — never a value.
 */
export function apiKeyOf(agent: CompiledAgent, env: Environment): string | null {
  const variable = agent.endpoint?.apiKeyEnv ?? null;
  if (variable === null) return null;
  const key = env[variable];
  if (key === undefined || key === '') {
    throw new HarnessError(
      'CREDENTIALS_MISSING',
      `agent '${agent.name}' reads its API key from the environment variable ${variable}, which is not set ` +
        '(export it, or drop apiKeyEnv for an endpoint that needs no key)',
    );
  }
  return key;
}

/** Names of the scenario's real agents (those with an `endpoint:`), in definition order. */
export function realAgents(scenario: CompiledScenario): string[] {
  return [...scenario.agents.values()].filter((agent) => agent.endpoint !== null).map((agent) => agent.name);
}

/**
 * The error for real agents on the virtual clock: they answer on the wall clock. Located at the
 * first real agent's `endpoint:` in the scenario file (a `ScenarioError`, exit 2), or naming the
 * scenario only when the file cannot be read again.
 */
export function realtimeRequired(scenario: CompiledScenario, agents: readonly string[]): HarnessError {
  const message = `scenario '${scenario.name}' has real agents (${agents.join(', ')}) that answer on the wall clock: run it with --realtime`;
  const first = agents[0];
  if (first === undefined || !existsSync(scenario.file)) return new HarnessError('USAGE', message);
  const position = parseScenarioSource(readFileSync(scenario.file, 'utf8'), scenario.file).locate(['agents', first, 'endpoint'], 'key');
  return new ScenarioError([{ file: scenario.file, line: position.line, column: position.column, field: `agents.${first}.endpoint`, message }]);
}

/**
 * Checks, before anything runs or is written, that every real agent of `scenarios` can run: the
 * run is real-time (`USAGE` error otherwise) and its API key variable is set (`CREDENTIALS_MISSING`).
 */
export function checkRealAgents(scenarios: Iterable<CompiledScenario>, realtime: boolean, env: Environment = process.env): void {
  for (const scenario of scenarios) {
    const real = realAgents(scenario);
    if (real.length === 0) continue;
    if (!realtime) throw realtimeRequired(scenario, real);
    for (const name of real) apiKeyOf(scenario.agents.get(name) as CompiledAgent, env);
  }
}
