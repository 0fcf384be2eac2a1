/**
 * The OpenTelemetry GenAI attributes a foreign span's own conventions imply, so that every report,
 * the span metrics and `calibrate` read one vocabulary whatever instrumentation wrote the trace:
 * - GenAI as the official instrumentations write it today, and its earlier names
 *   (`gen_ai.system` for `gen_ai.provider.name`, `gen_ai.usage.prompt_tokens` /
 *   `completion_tokens` for `input_tokens` / `output_tokens`);
 * - OpenInference (Arize Phoenix, the Agents SDK through it): `openinference.span.kind`,
 *   `llm.model_name`, `llm.invocation_parameters` (its `model` is the request model),
 *   `llm.token_count.*` with the cache and reasoning details, `llm.provider` / `llm.system`,
 *   `agent.name`;
 * - Traceloop (OpenLLMetry): `traceloop.span.kind`, `traceloop.entity.name`, `llm.request.type`.
 * A GenAI attribute the span carries is never replaced; the span's own attributes are all kept.
 */
import type { Attributes, AttributeValue } from '../kernel/records.ts';

/** `gen_ai.operation.name` of each `openinference.span.kind` that names one. */
const OPENINFERENCE_OPERATION: Readonly<Record<string, string>> = {
  LLM: 'chat',
  AGENT: 'invoke_agent',
  TOOL: 'execute_tool',
  EMBEDDING: 'embeddings',
};

/** `gen_ai.operation.name` of each `traceloop.span.kind` that names one. */
const TRACELOOP_OPERATION: Readonly<Record<string, string>> = { agent: 'invoke_agent', tool: 'execute_tool' };

/** `gen_ai.operation.name` of each older Traceloop `llm.request.type`. */
const REQUEST_TYPE_OPERATION: Readonly<Record<string, string>> = { chat: 'chat', completion: 'text_completion', embedding: 'embeddings' };

/** Kinds of span that may stand for an agent when a model attempt below names no nearer one. */
const STEP_KINDS = new Set(['CHAIN', 'workflow', 'task']);

/** Token counts: the GenAI name, then the names other conventions give the same count. */
const TOKEN_NAMES: readonly (readonly [string, ...string[]])[] = [
  ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt', 'llm.usage.prompt_tokens'],
  ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion', 'llm.usage.completion_tokens'],
  ['gen_ai.usage.cache_read.input_tokens', 'llm.token_count.prompt_details.cache_read', 'gen_ai.usage.cache_read_input_tokens'],
  ['gen_ai.usage.cache_creation.input_tokens', 'llm.token_count.prompt_details.cache_write', 'gen_ai.usage.cache_creation_input_tokens'],
  ['gen_ai.usage.reasoning.output_tokens', 'llm.token_count.completion_details.reasoning'],
];

/** The operation a span's conventions name (`gen_ai.operation.name`, else its OpenInference or Traceloop kind); undefined when none. */
export function operationOf(attributes: Attributes): string | undefined {
  const own = attributes['gen_ai.operation.name'];
  if (typeof own === 'string') return own;
  return (
    lookup(OPENINFERENCE_OPERATION, attributes['openinference.span.kind']) ??
    lookup(TRACELOOP_OPERATION, attributes['traceloop.span.kind']) ??
    lookup(REQUEST_TYPE_OPERATION, attributes['llm.request.type'])
  );
}

/** True when a span is a workflow step by its conventions (an OpenInference CHAIN, a Traceloop workflow or task): an agent when a model attempt below names no nearer one. */
export function isStepKind(attributes: Attributes): boolean {
  const kind = attributes['openinference.span.kind'] ?? attributes['traceloop.span.kind'];
  return typeof kind === 'string' && STEP_KINDS.has(kind);
}

/** The agent a span names (`gen_ai.agent.name`, OpenInference `agent.name`, Traceloop `traceloop.entity.name`); undefined when none. */
export function agentNameOf(attributes: Attributes): string | undefined {
  for (const key of ['gen_ai.agent.name', 'agent.name', 'traceloop.entity.name']) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/**
 * `attributes` with the GenAI attributes its conventions imply added (operation, provider, request
 * and response model, token counts, agent name); the same object when there is nothing to add. Pure.
 */
export function withGenAiAttributes(attributes: Attributes): Attributes {
  const added: Attributes = {};
  const add = (key: string, value: AttributeValue | undefined): void => {
    if (value !== undefined && attributes[key] === undefined && added[key] === undefined) added[key] = value;
  };
  const operation = operationOf(attributes);
  add('gen_ai.operation.name', operation);
  add('gen_ai.provider.name', firstText(attributes, ['gen_ai.system', 'llm.provider', 'llm.system']));
  if (operation === 'chat' || operation === 'text_completion' || operation === 'embeddings') {
    const responseModel = firstText(attributes, ['gen_ai.response.model', 'llm.model_name', 'embedding.model_name']);
    add('gen_ai.request.model', invocationModel(attributes['llm.invocation_parameters']) ?? responseModel);
    add('gen_ai.response.model', responseModel);
  }
  for (const [name, ...aliases] of TOKEN_NAMES) {
    for (const alias of aliases) {
      const value = attributes[alias];
      if (typeof value === 'number') {
        add(name, value);
        break;
      }
    }
  }
  if (operation === 'invoke_agent') add('gen_ai.agent.name', agentNameOf(attributes));
  return Object.keys(added).length === 0 ? attributes : { ...attributes, ...added };
}

function lookup(table: Readonly<Record<string, string>>, key: AttributeValue | undefined): string | undefined {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
}

function firstText(attributes: Attributes, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** The `model` of OpenInference's `llm.invocation_parameters` JSON; undefined when it names none. */
function invocationModel(parameters: AttributeValue | undefined): string | undefined {
  if (typeof parameters !== 'string' || !parameters.includes('"model"')) return undefined;
  try {
    const model = (JSON.parse(parameters) as { model?: unknown }).model;
    return typeof model === 'string' && model !== '' ? model : undefined;
  } catch {
    return undefined;
  }
}
