/**
 * One foreign trace read as patternbench records its own: each model attempt (`chat` span) belongs
 * to its nearest agent ancestor, which becomes an agent call (`invoke_agent` span) carrying the
 * agent's name, the token totals of its attempts and its attempts counted as a run counts them
 * (`patternbench.attempts`: one, plus a retry for each failed attempt that another followed). The
 * agent ancestor is the nearest one that its conventions call an agent (`invoke_agent`, an
 * OpenInference AGENT, a Traceloop agent), else the nearest step below the trace's root (an
 * OpenInference CHAIN, a Traceloop workflow or task, or a plain span), named by its agent
 * attribute or, failing one, by its span name. Failed spans get the project's error kind
 * (`import-errors.ts`); the HTTP requests under a model span are its attempts
 * (`import-http-attempts.ts`). Every attribute added or changed is listed in
 * `patternbench.import.derived`.
 */
import type { SpanRecord } from '../kernel/records.ts';
import { isAttempt, MODEL_CALL_OPERATION, set, type Draft } from './import-draft.ts';
import { splitHttpAttempts } from './import-http-attempts.ts';
import { agentNameOf, isStepKind, withGenAiAttributes } from './import-conventions.ts';
import { errorKindOf, ORIGINAL_ERROR_TYPE } from './import-errors.ts';
import { attemptCostUsd, priceOf, type PriceList } from './import-prices.ts';

/**
 * Marks a failed agent call with no model attempt under it whose error is the provider's: an
 * attempt the instrumentation did not export (OpenInference's and Traceloop's OpenAI
 * instrumentations never end the span of a call that rejects), counted by `calibrate`.
 */
export const UNEXPORTED_ATTEMPT = 'patternbench.import.unexported_attempt';

/** Lists the attributes import added to a span (comma-separated). */
export const DERIVED = 'patternbench.import.derived';

/** Token counts an agent call totals over its attempts. */
const TOTALLED = ['gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'gen_ai.usage.cache_read.input_tokens'] as const;

/**
 * The spans of one foreign trace with the GenAI attributes their conventions and their tree imply,
 * and a cost on each model attempt that reports tokens but no cost and whose model `prices` knows
 * (`gen_ai.usage.cost.source` `estimated`). Pure.
 */
export function foreignTrace(spans: readonly SpanRecord[], prices: PriceList): SpanRecord[] {
  const drafts = spans.map(draftOf);
  splitHttpAttempts(drafts);
  for (const draft of drafts) if (isAttempt(draft)) price(draft, prices);
  const byId = new Map(drafts.map((draft) => [draft.span.spanId, draft]));
  const calls = new Map<Draft, Draft[]>();
  for (const draft of drafts) {
    if (!isAttempt(draft)) continue;
    const agent = agentOf(draft, byId);
    if (agent === undefined) continue;
    const list = calls.get(agent);
    if (list === undefined) calls.set(agent, [draft]);
    else list.push(draft);
  }
  for (const [agent, attempts] of calls) {
    set(agent, 'gen_ai.operation.name', 'invoke_agent');
    const name = agentNameOf(agent.attributes) ?? stepName(agent.span.name);
    set(agent, 'gen_ai.agent.name', name);
    for (const attempt of attempts) set(attempt, 'gen_ai.agent.name', name);
    if (TOTALLED.every((key) => agent.attributes[key] === undefined)) {
      for (const key of TOTALLED) {
        const counts = attempts.map((attempt) => attempt.attributes[key]).filter((value): value is number => typeof value === 'number');
        if (counts.length > 0) set(agent, key, counts.reduce((sum, value) => sum + value, 0));
      }
    }
    set(agent, 'patternbench.attempts', 1 + retriesOf(attempts));
  }
  for (const draft of drafts) {
    if (calls.has(draft)) continue;
    const agent = draft.attributes['gen_ai.operation.name'] === 'invoke_agent';
    if (!agent && !isStepKind(draft.span.attributes)) continue;
    if (draft.span.status === 'error' && errorKindOf(draft.span.attributes, draft.span.events, draft.span.statusMessage).provider && !hasAttemptBelow(draft, drafts, byId)) {
      set(draft, 'gen_ai.operation.name', 'invoke_agent');
      set(draft, UNEXPORTED_ATTEMPT, true);
      set(draft, 'patternbench.attempts', 1);
    }
    if (draft.attributes['gen_ai.operation.name'] === 'invoke_agent') set(draft, 'gen_ai.agent.name', agentNameOf(draft.attributes) ?? stepName(draft.span.name));
  }
  return drafts.map(finished);
}

/**
 * The retries among one agent call's attempts: failed attempts that another attempt followed. Several
 * model calls that succeed (an agent's tool loop) are not retries.
 */
function retriesOf(attempts: readonly Draft[]): number {
  const last = Math.max(...attempts.map((attempt) => attempt.span.startMs));
  return attempts.filter((attempt) => attempt.status === 'error' && attempt.span.startMs < last).length;
}

/** True when an attempt lies anywhere below `draft`. */
function hasAttemptBelow(draft: Draft, drafts: readonly Draft[], byId: ReadonlyMap<string, Draft>): boolean {
  return drafts.some((other) => {
    if (!isAttempt(other)) return false;
    for (let parent = byId.get(other.span.parentSpanId); parent !== undefined; parent = byId.get(parent.span.parentSpanId)) if (parent === draft) return true;
    return false;
  });
}

function price(attempt: Draft, prices: PriceList): void {
  const a = attempt.attributes;
  if (a['gen_ai.usage.cost.amount'] !== undefined || (typeof a['gen_ai.usage.input_tokens'] !== 'number' && typeof a['gen_ai.usage.output_tokens'] !== 'number')) return;
  const models = [a['gen_ai.response.model'], a['gen_ai.request.model']].filter((model): model is string => typeof model === 'string');
  const pricing = priceOf(prices, models);
  if (pricing === undefined) return;
  set(attempt, 'gen_ai.usage.cost.amount', attemptCostUsd(a, pricing));
  set(attempt, 'gen_ai.usage.cost.currency', 'USD');
  set(attempt, 'gen_ai.usage.cost.source', 'estimated');
}

function draftOf(span: SpanRecord): Draft {
  const attributes = { ...withGenAiAttributes(span.attributes) };
  const derived = new Set(Object.keys(attributes).filter((key) => span.attributes[key] === undefined));
  const draft: Draft = { span, attributes, derived, status: span.status };
  if (span.status === 'error') {
    const { kind, original } = errorKindOf(attributes, span.events, span.statusMessage);
    // A span that carries nothing telling a kind stays without one (`error` to every reader).
    if (kind !== null && original !== kind) {
      if (original !== null) set(draft, ORIGINAL_ERROR_TYPE, original);
      attributes['error.type'] = kind;
      derived.add('error.type');
    }
  }
  return draft;
}

/** The nearest agent ancestor of an attempt: a named agent, else the nearest step below the root; undefined when there is none. */
function agentOf(attempt: Draft, byId: ReadonlyMap<string, Draft>): Draft | undefined {
  let step: Draft | undefined;
  for (let parent = byId.get(attempt.span.parentSpanId); parent !== undefined; parent = byId.get(parent.span.parentSpanId)) {
    const operation = parent.attributes['gen_ai.operation.name'];
    if (operation === 'invoke_agent') return parent;
    const root = parent.span.parentSpanId === '' || !byId.has(parent.span.parentSpanId);
    const modelCall = parent.attributes[MODEL_CALL_OPERATION] !== undefined;
    if (step === undefined && !root && !modelCall && (operation === undefined || isStepKind(parent.span.attributes))) step = parent;
  }
  return step;
}

/** An agent's name from its span name: `invoke_agent triage` is `triage`. */
function stepName(spanName: string): string {
  return spanName.replace(/^invoke_agent\s+/, '');
}

function finished(draft: Draft): SpanRecord {
  if (draft.derived.size === 0 && draft.status === draft.span.status) return draft.span;
  return { ...draft.span, status: draft.status, attributes: { ...draft.attributes, [DERIVED]: [...draft.derived].sort().join(',') } };
}
