/**
 * Message content in imported spans — prompts, completions, tool arguments and results, as the
 * GenAI, OpenInference, Traceloop and Vercel AI conventions record them — is customer data: import
 * drops it unless asked to keep it (`--keep-content`), and then masks it as the scenario says.
 */
import type { Attributes, SpanEvent, SpanRecord } from '../kernel/records.ts';

/** How many content attributes import dropped from a span (its events' are dropped too, uncounted). */
export const CONTENT_DROPPED = 'patternbench.import.content_dropped';

/** Attributes that hold content, by full name. */
const CONTENT_KEYS = new Set([
  'gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.system_instructions', 'gen_ai.prompt', 'gen_ai.completion',
  'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result', 'input.value', 'output.value', 'llm.prompts', 'traceloop.entity.input',
  'traceloop.entity.output', 'ai.prompt', 'ai.prompt.messages', 'ai.response.text', 'ai.response.object', 'ai.response.toolCalls',
  'ai.toolCall.args', 'ai.toolCall.result', 'tool.call.arguments', 'tool.call.result', 'content', 'message', 'body',
]);

/** Attributes that hold content, by prefix. */
const CONTENT_PREFIXES = [
  'gen_ai.prompt.', 'gen_ai.completion.', 'llm.input_messages.', 'llm.output_messages.', 'llm.prompts.', 'llm.prompt_template.variables',
  'retrieval.documents.', 'reranker.input_documents.', 'reranker.output_documents.', 'embedding.embeddings.', 'gen_ai.input.', 'gen_ai.output.',
];

/** True when the attribute `key` holds message content. */
export function isContent(key: string): boolean {
  return CONTENT_KEYS.has(key) || CONTENT_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** What to do with the content of imported spans. */
export interface ContentPolicy {
  /** Keep content (`--keep-content`); default false: dropped. */
  readonly keep: boolean;
  /** Applied to each kept content value (the scenario's masking); default: kept as it is. */
  readonly mask?: (value: string) => string;
}

/** `span` without its content (or with it masked, when kept); the same span when it holds none. */
export function withContentPolicy(span: SpanRecord, policy: ContentPolicy): SpanRecord {
  const attributes = apply(span.attributes, policy);
  const events = span.events.map((event): SpanEvent => {
    const kept = apply(event.attributes, policy);
    return kept.attributes === event.attributes ? event : { ...event, attributes: kept.attributes };
  });
  if (attributes.attributes === span.attributes && events.every((event, index) => event === span.events[index])) return span;
  return {
    ...span,
    attributes: attributes.dropped === 0 ? attributes.attributes : { ...attributes.attributes, [CONTENT_DROPPED]: attributes.dropped },
    events,
  };
}

function apply(attributes: Attributes, policy: ContentPolicy): { attributes: Attributes; dropped: number } {
  const keys = Object.keys(attributes).filter(isContent);
  if (keys.length === 0 || (policy.keep && policy.mask === undefined)) return { attributes, dropped: 0 };
  const result: Attributes = { ...attributes };
  for (const key of keys) {
    const value = result[key];
    if (!policy.keep) delete result[key];
    else if (typeof value === 'string' && policy.mask !== undefined) result[key] = policy.mask(value);
  }
  return { attributes: result, dropped: policy.keep ? 0 : keys.length };
}
