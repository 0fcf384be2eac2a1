import type { Usage } from '../pipeline/call.ts';

/** What a Chat Completions answer holds that the harness uses (streamed answers are assembled into the same). */
export interface Completion {
  /** `choices[0].message.content`; null when absent. */
  readonly content: string | null;
  /** `choices[0].message.refusal`: the model declined to answer in the schema. */
  readonly refusal: string | null;
  /** `choices[0].finish_reason`; '' when absent. */
  readonly finishReason: string;
  /** `usage`: prompt, completion and cached prompt tokens (zero when the server sent none). */
  readonly usage: Usage;
  /** `id` and `model` of the response; '' when absent. */
  readonly id: string;
  readonly model: string;
}

export type Json = Record<string, unknown>;

/** `value` as a JSON object, or null when it is not one. Pure. */
export function jsonObject(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * `usage` of a response or of a stream's last chunk: `prompt_tokens_details.cached_tokens` for the
 * cached part, and when the server reports them (non-zero), `completion_tokens_details.reasoning_tokens`
 * and `cache_creation_input_tokens` (what gateways in front of providers with paid cache writes
 * report). Each part is capped at what it is part of. Pure.
 */
export function usageOf(raw: unknown): Usage {
  const usage = jsonObject(raw);
  if (usage === null) return { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
  const inputTokens = count(usage['prompt_tokens']);
  const outputTokens = count(usage['completion_tokens']);
  const cachedTokens = Math.min(inputTokens, count(jsonObject(usage['prompt_tokens_details'])?.['cached_tokens']));
  const cacheCreationTokens = Math.min(inputTokens - cachedTokens, count(usage['cache_creation_input_tokens']));
  const reasoningTokens = Math.min(outputTokens, count(jsonObject(usage['completion_tokens_details'])?.['reasoning_tokens']));
  return {
    inputTokens,
    outputTokens,
    cachedTokens,
    ...(cacheCreationTokens > 0 && { cacheCreationTokens }),
    ...(reasoningTokens > 0 && { reasoningTokens }),
  };
}

/** Reads a decoded `chat.completion` body; null when it is not one (no `choices[0].message`). Pure. */
export function completionOf(body: unknown): Completion | null {
  const root = jsonObject(body);
  const choices = root?.['choices'];
  const choice = Array.isArray(choices) ? jsonObject(choices[0]) : null;
  const message = jsonObject(choice?.['message']);
  if (root === null || choice === null || message === null) return null;
  return {
    content: text(message['content']),
    refusal: text(message['refusal']),
    finishReason: text(choice['finish_reason']) ?? '',
    usage: usageOf(root['usage']),
    id: text(root['id']) ?? '',
    model: text(root['model']) ?? '',
  };
}

/**
 * A 429's wait, milliseconds: `retry-after-ms` (OpenAI's, fractional ms) first, else `retry-after`
 * as seconds or an HTTP date (relative to `nowWallMs`, never negative). Null when neither parses. Pure.
 */
export function retryAfterMs(headers: Headers, nowWallMs: number): number | null {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Number(ms);
  const after = headers.get('retry-after');
  if (after === null) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(after)) return Number(after) * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? null : Math.max(0, date - nowWallMs);
}

/** The `error.message` and `error.code` of an error body (OpenAI's shape), else the body's start. Pure. */
export function errorOf(bodyText: string): { readonly message: string; readonly code: string } {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    // Not JSON: the text itself says what went wrong.
  }
  const error = jsonObject(jsonObject(parsed)?.['error']);
  const message = text(error?.['message']) ?? text(jsonObject(parsed)?.['message']) ?? bodyText.trim().slice(0, 200);
  const code = text(error?.['code']) ?? '';
  return { message, code };
}
