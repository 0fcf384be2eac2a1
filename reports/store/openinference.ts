import type { Attributes } from '../../harness/kernel/records.ts';

/** `openinference.span.kind` of each GenAI operation. */
const SPAN_KIND: Readonly<Record<string, string>> = {
  invoke_workflow: 'CHAIN',
  invoke_agent: 'AGENT',
  chat: 'LLM',
  execute_tool: 'TOOL',
};

/**
 * The OpenInference mirror of a span's GenAI attributes (`openinference.span.kind`,
 * `llm.cost.total` from `gen_ai.usage.cost.amount`, `llm.token_count.*`, `llm.model_name`), for collectors such as Phoenix that
 * read OpenInference rather than the GenAI conventions. Recorded spans and the SQLite file keep
 * only the GenAI attributes; these aliases are derived from them when spans leave the process.
 * Returns `attributes` itself when there is nothing to add. Pure.
 */
export function withOpenInferenceAliases(attributes: Attributes): Attributes {
  const operation = attributes['gen_ai.operation.name'];
  const kind = typeof operation === 'string' ? SPAN_KIND[operation] : undefined;
  if (kind === undefined) return attributes;
  const aliases: Attributes = { ...attributes, 'openinference.span.kind': kind };
  // Only model attempts carry a cost (`gen_ai.usage.cost.amount`, US dollars), so only LLM spans get one.
  const cost = attributes['gen_ai.usage.cost.amount'];
  if (typeof cost === 'number') aliases['llm.cost.total'] = cost;
  const input = attributes['gen_ai.usage.input_tokens'];
  const output = attributes['gen_ai.usage.output_tokens'];
  if (typeof input === 'number') aliases['llm.token_count.prompt'] = input;
  if (typeof output === 'number') aliases['llm.token_count.completion'] = output;
  if (typeof input === 'number' && typeof output === 'number') aliases['llm.token_count.total'] = input + output;
  const model = attributes['gen_ai.request.model'];
  if (kind === 'LLM' && typeof model === 'string') aliases['llm.model_name'] = model;
  return aliases;
}
