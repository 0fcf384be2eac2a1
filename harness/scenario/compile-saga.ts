import type { z } from 'zod';
import { namesHint, type IssueCollector } from './issues.ts';
import type { compensationInputSchema } from './schema/saga.ts';
import type { CompiledAgent } from './types.ts';

/** An agent's `compensation:`, compiled; the compensating agent must be another agent of the scenario. */
export function compileCompensation(
  name: string,
  input: z.output<typeof compensationInputSchema> | undefined,
  agentNames: readonly string[],
  issues: IssueCollector,
): CompiledAgent['compensation'] {
  if (input === undefined) return null;
  const path = ['agents', name, 'compensation', 'agent'];
  if (input.agent === name) issues.add(path, 'an agent cannot compensate itself: name the agent that undoes its side effect');
  else if (!agentNames.includes(input.agent)) issues.add(path, `agent '${input.agent}' is not defined${namesHint(input.agent, agentNames, 'defined')}`);
  return { agent: input.agent };
}
