import { HarnessError } from '../kernel/errors.ts';
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

/** The error for real agents on the virtual clock: they answer on the wall clock. */
export function realtimeRequired(scenario: string, agents: readonly string[]): HarnessError {
  return new HarnessError(
    'USAGE',
    `scenario '${scenario}' has real agents (${agents.join(', ')}) that answer on the wall clock: run it with --realtime`,
  );
}

/**
 * Checks, before anything runs or is written, that every real agent of `scenarios` can run: the
 * run is real-time (`USAGE` error otherwise) and its API key variable is set (`CREDENTIALS_MISSING`).
 */
export function checkRealAgents(scenarios: Iterable<CompiledScenario>, realtime: boolean, env: Environment = process.env): void {
  for (const scenario of scenarios) {
    const real = realAgents(scenario);
    if (real.length === 0) continue;
    if (!realtime) throw realtimeRequired(scenario.name, real);
    for (const name of real) apiKeyOf(scenario.agents.get(name) as CompiledAgent, env);
  }
}
