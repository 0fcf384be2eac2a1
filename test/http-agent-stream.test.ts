import { describe, expect, it } from 'vitest';
import { readChatStream, StreamError } from '../harness/agents/openai-stream.ts';

/** The stream as byte chunks cut at arbitrary places (mid-event, mid-character). */
async function* bytes(text: string, cut: number): AsyncGenerator<Uint8Array> {
  const encoded = new TextEncoder().encode(text);
  for (let start = 0; start < encoded.length; start += cut) yield encoded.slice(start, start + cut);
}

const chunk = (body: Record<string, unknown>): string => `data: ${JSON.stringify({ id: 'chatcmpl-1', model: 'm-1', ...body })}\r\n\r\n`;

const STREAM =
  ': keep-alive comment\n\n' +
  chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }) +
  chunk({ choices: [{ index: 0, delta: { content: '{"label": "bü' }, finish_reason: null }] }) +
  chunk({ choices: [{ index: 0, delta: { content: 'g"}' }, finish_reason: null }] }) +
  chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) +
  chunk({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 4 } } }) +
  'data: [DONE]\r\n\r\n' +
  chunk({ choices: [{ index: 0, delta: { content: 'after DONE' } }] });

describe('readChatStream', () => {
  it('assembles content, finish reason and usage from SSE chunks however the bytes are cut', async () => {
    for (const cut of [1, 3, 7, 1000]) {
      let firstContent = 0;
      const completion = await readChatStream(bytes(STREAM, cut), () => firstContent++);
      expect(completion).toEqual({
        content: '{"label": "büg"}',
        refusal: null,
        finishReason: 'stop',
        usage: { inputTokens: 12, outputTokens: 5, cachedTokens: 4 },
        id: 'chatcmpl-1',
        model: 'm-1',
      });
      // The role-only first chunk carries no content: the first content chunk is the second.
      expect(firstContent).toBe(1);
    }
  });

  it('rejects a chunk that is not JSON, and an error event, with StreamError', async () => {
    await expect(readChatStream(bytes('data: {"choices": [\n\n', 5), () => {})).rejects.toThrow(StreamError);
    await expect(readChatStream(bytes(chunk({ error: { message: 'overloaded' } }), 5), () => {})).rejects.toThrow('the stream ended with an error: overloaded');
  });
});
