/** A foreign span while import reads it (`import-agents.ts`): its attributes as they grow, and what was added. */
import type { Attributes, AttributeValue, SpanRecord } from '../kernel/records.ts';

/** Operations that are model attempts. */
export const ATTEMPT_OPERATIONS: ReadonlySet<string> = new Set(['chat', 'text_completion']);

/**
 * Where the operation of a model span goes when the HTTP requests under it are its attempts
 * (`import-http-attempts.ts`): the span is then the client's call, retries included, not an attempt.
 */
export const MODEL_CALL_OPERATION = 'patternbench.import.operation';

/** A span being read. */
export interface Draft {
  readonly span: SpanRecord;
  readonly attributes: Attributes;
  /** Attributes import added or changed. */
  readonly derived: Set<string>;
  status: SpanRecord['status'];
}

/** Sets `key` unless the span carries it. */
export function set(draft: Draft, key: string, value: AttributeValue): void {
  if (draft.attributes[key] !== undefined) return;
  draft.attributes[key] = value;
  draft.derived.add(key);
}

/** True when the span is a model attempt. */
export function isAttempt(draft: Draft): boolean {
  const operation = draft.attributes['gen_ai.operation.name'];
  return typeof operation === 'string' && ATTEMPT_OPERATIONS.has(operation);
}
