import { effectiveScope } from './accuracy.ts';
import type { AgentCall } from '../pipeline/call.ts';
import type { AgentEndpoint, CompiledScenario } from '../scenario/types.ts';
import type { AgentOutput, AgentTask } from '../../patterns/types.ts';

/** A JSON Schema object, as sent in `response_format`. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** The structured output a call asks for: `response_format.json_schema`. */
export interface OutputFormat {
  /** `patternbench_<task kind>`. */
  readonly name: string;
  readonly schema: JsonSchema;
}

/** The body of one `POST {baseUrl}/chat/completions`. */
export interface ChatRequest {
  readonly model: string;
  readonly messages: readonly { readonly role: 'system' | 'user'; readonly content: string }[];
  readonly response_format: { readonly type: 'json_schema'; readonly json_schema: OutputFormat & { readonly strict: true } };
  readonly stream?: true;
  readonly stream_options?: { readonly include_usage: true };
}

const ANSWER: AgentTask = Object.freeze({ kind: 'answer' });
const CONFIDENCE = { type: 'number', description: 'Your confidence that the answer is right, from 0 to 1.' } as const;

/**
 * The structured output of a call, as the simulated agent would produce it (strict mode: every
 * property required, no others). `answer`, `handle` and `reconcile` ask for the fields the
 * scenario's cases are judged on — `label` (one of the scenario's labels, minus those the task
 * rules out), `findings` (from the scenario's findings), `value` — plus `confidence`, and
 * `sendBack` when a specialist may return the request; `review` asks for a `verdict`; `plan` for
 * the names of the follow-ups needed. Pure.
 */
export function outputFormat(scenario: CompiledScenario, task: AgentTask): OutputFormat {
  const properties: Record<string, JsonSchema> = {};
  switch (task.kind) {
    case 'review':
      properties['verdict'] = { type: 'string', enum: ['accept', 'reject'], description: 'accept if the subject is right, reject if it is wrong.' };
      properties['confidence'] = CONFIDENCE;
      break;
    case 'plan':
      properties['plan'] = {
        type: 'array',
        items: task.candidates.length > 0 ? { type: 'string', enum: task.candidates.map((candidate) => candidate.name) } : { type: 'string' },
        description: 'Names of the follow-up subtasks needed (none if none).',
      };
      break;
    default: {
      const exclude = task.kind === 'answer' ? (task.exclude ?? []) : [];
      const labels = scenario.labels.filter((label) => !exclude.includes(label));
      if (labels.length > 0) properties['label'] = { type: 'string', enum: labels };
      if (scenario.findings.length > 0) properties['findings'] = { type: 'array', items: { type: 'string', enum: scenario.findings } };
      if (casesHaveValues(scenario)) properties['value'] = { type: 'number' };
      properties['confidence'] = CONFIDENCE;
      if (task.kind === 'handle' && task.canSendBack) {
        properties['sendBack'] = { type: 'boolean', description: 'true to send a request outside your domain back for re-routing.' };
      }
    }
  }
  const schema = { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
  return { name: `patternbench_${task.kind}`, schema };
}

/** Whether the scenario's cases carry a numeric truth. Pure. */
function casesHaveValues(scenario: CompiledScenario): boolean {
  const cases = scenario.cases;
  return cases.kind === 'generate' ? cases.value !== null : cases.items.some((item) => item.expected.value !== undefined);
}

/** What the task asks, in words, with what it needs to see (a review's subject, a plan's candidates). Pure. */
export function describeTask(task: AgentTask, agentScope: readonly string[]): Record<string, unknown> {
  switch (task.kind) {
    case 'answer': {
      const scope = effectiveScope(agentScope, task.scope);
      return {
        kind: 'answer',
        instructions: 'Answer the case: give the fields the response schema asks for, building on the upstream outputs if any.',
        ...(scope === null ? {} : { findingsDomains: scope }),
        ...(task.exclude === undefined || task.exclude.length === 0 ? {} : { ruledOutLabels: task.exclude }),
      };
    }
    case 'handle':
      return {
        kind: 'handle',
        instructions: task.canSendBack
          ? 'Handle the routed request. If it lies outside your domain, set sendBack to true.'
          : 'Handle the routed request.',
        domain: task.domain ?? 'any',
      };
    case 'reconcile':
      return { kind: 'reconcile', instructions: 'Resolve the conflicts between the upstream outputs into one answer.' };
    case 'review':
      return {
        kind: 'review',
        instructions: 'Review the subject: verdict accept if it is right, reject if it is wrong.',
        subject: handedOn(task.subject),
        ...(task.scope === undefined ? {} : { findingsDomains: task.scope }),
      };
    case 'plan':
      return {
        kind: 'plan',
        instructions: 'Read the upstream outputs and list the follow-up subtasks the case still needs.',
        candidates: task.candidates.map((candidate) => ({ name: candidate.name, covers: candidate.scope })),
      };
  }
}

/** An upstream output as handed to a real agent: its answer, without harness bookkeeping (token size). */
function handedOn(output: AgentOutput): Record<string, unknown> {
  const { tokens: _tokens, ...rest } = output;
  return rest;
}

/**
 * The Chat Completions request of one attempt: system = the agent's role; user = the task, the
 * case's input fields and the upstream outputs, as JSON; `response_format` = the structured output
 * (`outputFormat`). Streaming asks for usage in the last chunk. Pure.
 */
export function chatRequest(call: AgentCall, endpoint: AgentEndpoint, format: OutputFormat): ChatRequest {
  const task = call.input.task ?? ANSWER;
  const user = {
    task: describeTask(task, call.agent.scope),
    input: call.workflow.caseSpec.input,
    upstream: call.input.upstream.map(handedOn),
  };
  return {
    model: endpoint.model,
    messages: [
      { role: 'system', content: `${call.agent.role}\nAnswer with one JSON object that follows the response schema.` },
      { role: 'user', content: JSON.stringify(user) },
    ],
    response_format: { type: 'json_schema', json_schema: { ...format, strict: true } },
    ...(endpoint.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}
