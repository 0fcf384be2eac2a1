import { jsonObject as object, usageOf, type Completion, type Json } from './openai-response.ts';

/** The stream was not a well-formed Chat Completions stream (bad JSON, an `error` event). */
export class StreamError extends Error {
  override readonly name = 'StreamError';
}

/**
 * The `data:` payloads of a server-sent event stream, one per event (multi-line data joined with
 * `\n`; comments, `event:` and `id:` lines ignored), until `[DONE]` or the end of the body.
 */
async function* sseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    let end: RegExpExecArray | null;
    while ((end = /\r?\n\r?\n|\r\r/.exec(buffer)) !== null) {
      const event = buffer.slice(0, end.index);
      buffer = buffer.slice(end.index + end[0].length);
      const data = event
        .split(/\r?\n|\r/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
        .join('\n');
      if (data === '[DONE]') return;
      if (data !== '') yield data;
    }
  }
}

/**
 * Reads a streamed Chat Completion (`stream: true`, SSE of `chat.completion.chunk`s) into the
 * same `Completion` a non-streamed answer gives: content deltas of choice 0 joined, the last
 * finish reason, and the usage of the chunk that carries it (`stream_options.include_usage`).
 * `onFirstContent` runs once, when the first chunk carrying content arrives (time to first chunk).
 * Throws `StreamError` on a chunk that is not JSON or an `error` event.
 */
export async function readChatStream(body: AsyncIterable<Uint8Array>, onFirstContent: () => void): Promise<Completion> {
  let content: string | null = null;
  let refusal: string | null = null;
  let finishReason = '';
  let usage: unknown = null;
  let id = '';
  let model = '';
  for await (const data of sseData(body)) {
    let chunk: Json | null;
    try {
      chunk = object(JSON.parse(data));
    } catch {
      throw new StreamError(`a stream chunk is not JSON: ${data.slice(0, 80)}`);
    }
    if (chunk === null) throw new StreamError(`a stream chunk is not a JSON object: ${data.slice(0, 80)}`);
    const error = object(chunk['error']);
    if (error !== null) throw new StreamError(`the stream ended with an error: ${String(error['message'] ?? 'unknown')}`);
    if (typeof chunk['id'] === 'string') id = chunk['id'];
    if (typeof chunk['model'] === 'string') model = chunk['model'];
    if (chunk['usage'] !== undefined && chunk['usage'] !== null) usage = chunk['usage'];
    const choices = chunk['choices'];
    const choice = Array.isArray(choices) ? object(choices[0]) : null;
    if (choice === null) continue;
    const delta = object(choice['delta']);
    const piece = delta?.['content'];
    if (typeof piece === 'string' && piece !== '') {
      if (content === null) onFirstContent();
      content = (content ?? '') + piece;
    }
    if (typeof delta?.['refusal'] === 'string') refusal = (refusal ?? '') + delta['refusal'];
    if (typeof choice['finish_reason'] === 'string') finishReason = choice['finish_reason'];
  }
  return { content, refusal, finishReason, usage: usageOf(usage), id, model };
}
