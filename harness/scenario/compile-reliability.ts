import { Ajv2020 } from 'ajv/dist/2020.js';
import type { z } from 'zod';
import { namesHint, type IssueCollector } from './issues.ts';
import type { agentInputSchema, scenarioSectionSchemas } from './schema/scenario.ts';
import type { BreakerPolicy, Budgets, Fallback, OutputContract } from './types.ts';

type AgentInput = z.output<typeof agentInputSchema>;

/** An agent's breaker, fallback and contract, compiled; references and schemas checked. */
export function compileAgentReliability(
  name: string,
  input: AgentInput,
  agentNames: readonly string[],
  issues: IssueCollector,
): { breaker: BreakerPolicy | null; fallback: Fallback | null; contract: OutputContract | null } {
  const breaker = input.breaker === undefined ? null : { failures: input.breaker.failures, cooldownMs: input.breaker.cooldown };
  let fallback: Fallback | null = null;
  const given = input.fallback;
  if (given !== undefined) {
    if (given.agent !== undefined) {
      if (given.agent === name) issues.add(['agents', name, 'fallback', 'agent'], `an agent cannot fall back to itself`);
      else if (!agentNames.includes(given.agent)) {
        issues.add(['agents', name, 'fallback', 'agent'], `agent '${given.agent}' is not defined${namesHint(given.agent, agentNames, 'defined')}`);
      }
      fallback = { kind: 'agent', agent: given.agent, onFailure: given.onFailure };
    } else {
      fallback = {
        kind: 'result',
        ...(given.label !== undefined && { label: given.label }),
        ...(given.value !== undefined && { value: given.value }),
        ...(given.findings !== undefined && { findings: given.findings }),
        onFailure: given.onFailure,
      };
    }
  }
  let contract: OutputContract | null = null;
  if (input.outputSchema !== undefined) {
    const problem = schemaProblem(input.outputSchema);
    if (problem !== null) issues.add(['agents', name, 'outputSchema'], `not a valid JSON Schema: ${problem}`);
    contract = { schema: input.outputSchema, onViolation: input.onViolation ?? 'retry' };
  } else if (input.onViolation !== undefined) {
    issues.add(['agents', name, 'onViolation'], 'only applies with an outputSchema');
  }
  return { breaker, fallback, contract };
}

/** Why `schema` is not a valid JSON Schema (draft 2020-12), or null. */
function schemaProblem(schema: Readonly<Record<string, unknown>>): string | null {
  try {
    new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** `budgets:` with its defaults; a budget must limit something. */
export function compileBudgets(input: z.output<typeof scenarioSectionSchemas.budgets>, issues: IssueCollector): Budgets | null {
  if (input === undefined) return null;
  const limit = (scope: 'workflow' | 'run') => {
    const given = input[scope];
    if (given === undefined) return null;
    if (given.tokens === undefined && given.costUsd === undefined) issues.add(['budgets', scope], 'give tokens and/or costUsd');
    return { tokens: given.tokens ?? null, costUsd: given.costUsd ?? null };
  };
  const workflow = limit('workflow');
  const run = limit('run');
  if (workflow === null && run === null) issues.add(['budgets'], 'give a workflow and/or a run budget');
  return { workflow, run, alertAt: input.alertAt };
}
