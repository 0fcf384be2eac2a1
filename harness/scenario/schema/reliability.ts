import { z } from 'zod';
import { durationSchema } from './distributions.ts';

/**
 * Schemas of the reliability settings: an agent's `breaker:`, `fallback:` and output contract
 * (`outputSchema:`, `onViolation:`), and the scenario's `budgets:` and `workflowTimeout:`.
 */

/** `breaker:` of an agent: present = on. */
export const breakerInputSchema = z
  .strictObject({
    failures: z.number().int().min(1).default(3).describe('Consecutive failed calls that open the breaker. Default 3.'),
    cooldown: durationSchema.prefault('30s').describe('Time open before one probe call is let through (half-open). Default 30s.'),
  })
  .meta({ id: 'Breaker', description: 'Circuit breaker of an agent: opens after consecutive failures, half-opens after a cooldown, closes on a successful probe.' });

/** `fallback:` of an agent: another agent, or a degraded result. */
export const fallbackInputSchema = z
  .strictObject({
    agent: z.string().min(1).optional().describe('Agent called instead (through the same pipeline).'),
    label: z.string().min(1).optional().describe('Degraded result: this label, with no model call.'),
    value: z.number().optional().describe('Degraded result: this value.'),
    findings: z.array(z.string().min(1)).optional().describe('Degraded result: these findings.'),
    onFailure: z.boolean().default(true).describe('Also fall back when a call fails for good (not only while the breaker is open). Default true.'),
  })
  .superRefine((fallback, ctx) => {
    const degraded = fallback.label !== undefined || fallback.value !== undefined || fallback.findings !== undefined;
    if (fallback.agent !== undefined && degraded) ctx.addIssue({ code: 'custom', message: "give either 'agent' or a degraded result (label, value, findings), not both", input: fallback });
    if (fallback.agent === undefined && !degraded) ctx.addIssue({ code: 'custom', message: "give 'agent' (another agent) or a degraded result (label, value and/or findings)", input: fallback });
  })
  .meta({ id: 'Fallback', description: "Where an agent's calls go while its breaker is open (and, by default, when a call fails for good)." });

/** One budget: tokens and/or US dollars. */
const budgetLimitSchema = z.strictObject({
  tokens: z.number().int().min(1).optional().describe('Input + output tokens.'),
  costUsd: z.number().gt(0).optional().describe('US dollars.'),
});

/** `budgets:` of a scenario. */
export const budgetsInputSchema = z
  .strictObject({
    workflow: budgetLimitSchema.optional().describe('Per workflow.'),
    run: budgetLimitSchema.optional().describe('Per run (all its workflows).'),
    alertAt: z.number().gt(0).lt(1).default(0.7).describe('Share of a budget at which an alert event fires. Default 0.7.'),
  })
  .meta({ id: 'Budgets', description: 'Token and cost budgets: an alert at alertAt, a hard stop (budget_exceeded) at 100 %.' });

/** `outputSchema:` of an agent: a JSON Schema its outputs must satisfy. */
export const outputSchemaInputSchema = z
  .record(z.string(), z.unknown())
  .describe('JSON Schema (draft 2020-12) every output of the agent must satisfy; checked by a rule-based validation step, no model.');

export const onViolationInputSchema = z
  .enum(['retry', 'fail'])
  .describe('On an output that breaks outputSchema: retry the attempt (per the retry policy) or fail the step. Default retry.');

/** `workflowTimeout:` of a scenario. */
export const workflowTimeoutInputSchema = durationSchema.describe('Longest a workflow may run; calls past it fail as workflow_timeout. Default none.');
