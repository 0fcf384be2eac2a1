/**
 * Retries inside a client call. An SDK that retries (the `openai` client does, twice by default)
 * gives one model span for a call however many requests it made, so its failed requests and its
 * backoff hide inside one span's duration. Where the HTTP requests are traced too (client spans
 * with `http.request.method` under the model span, as `@opentelemetry/instrumentation-undici` or
 * `-http` write them), each request is a model attempt: it gets the model span's operation,
 * provider and model, the last one (when the call succeeded) its tokens and response model, and a
 * failed one its error kind — by its HTTP status; a request with no status got no answer, and one
 * the client then retried is a timeout (a client retries what it aborted only on its own timeout). The model span keeps its
 * operation as `patternbench.import.operation`. Every attempt is marked with the layer it was read
 * at (`patternbench.import.attempt_layer`: `http`, or `sdk` for a model span with no request below).
 */
import { isAttempt, MODEL_CALL_OPERATION, set, type Draft } from './import-draft.ts';

/** `http` or `sdk`: whether an imported attempt is one HTTP request or a client call (which may hide retries). */
export const ATTEMPT_LAYER = 'patternbench.import.attempt_layer';

/** Attributes of a model span a request that ends its call successfully takes. */
const ANSWER = [
  'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.reasoning.output_tokens', 'gen_ai.usage.cost.amount', 'gen_ai.usage.cost.currency', 'gen_ai.response.model', 'gen_ai.response.id',
];
/** Attributes of a model span every request of its call takes. */
const CALL = ['gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.request.model', 'gen_ai.agent.name'];

function isHttpRequest(draft: Draft): boolean {
  const a = draft.span.attributes;
  return draft.span.kind === 'client' && (typeof a['http.request.method'] === 'string' || typeof a['http.method'] === 'string');
}

/** Makes the HTTP requests under each model span its attempts (in place). */
export function splitHttpAttempts(drafts: readonly Draft[]): void {
  const children = new Map<string, Draft[]>();
  for (const draft of drafts) {
    if (!isHttpRequest(draft)) continue;
    const list = children.get(draft.span.parentSpanId);
    if (list === undefined) children.set(draft.span.parentSpanId, [draft]);
    else list.push(draft);
  }
  for (const call of drafts) {
    if (!isAttempt(call)) continue;
    const requests = (children.get(call.span.spanId) ?? []).sort((a, b) => a.span.startMs - b.span.startMs);
    if (requests.length === 0) {
      set(call, ATTEMPT_LAYER, 'sdk');
      continue;
    }
    requests.forEach((request, index) => attempt(call, request, index === requests.length - 1));
    call.attributes[MODEL_CALL_OPERATION] = call.attributes['gen_ai.operation.name'] as string;
    delete call.attributes['gen_ai.operation.name'];
    call.derived.add(MODEL_CALL_OPERATION);
  }
}

function attempt(call: Draft, request: Draft, last: boolean): void {
  for (const key of CALL) {
    const value = call.attributes[key];
    if (value !== undefined) set(request, key, value);
  }
  set(request, ATTEMPT_LAYER, 'http');
  const status = request.span.attributes['http.response.status_code'] ?? request.span.attributes['http.status_code'];
  // A request without a response status got no answer (undici records an aborted request so).
  const failed = request.status === 'error' || typeof status !== 'number' || status >= 400 || (last && call.status === 'error');
  if (!failed) {
    if (last) for (const key of ANSWER) if (call.attributes[key] !== undefined) set(request, key, call.attributes[key] as string | number);
    return;
  }
  request.status = 'error';
  const kind = request.attributes['error.type'];
  // No answer at all: the client gave up on it — on its own timeout when it then retried.
  if (typeof status !== 'number' && (kind === undefined || kind === 'cancelled')) {
    request.attributes['error.type'] = last ? String(call.attributes['error.type'] ?? 'error') : 'timeout';
    request.derived.add('error.type');
  } else if (typeof status === 'number' && kind === undefined) {
    request.attributes['error.type'] = status === 429 ? 'rate_limit' : status === 408 || status === 504 ? 'timeout' : 'error';
    request.derived.add('error.type');
  }
}
