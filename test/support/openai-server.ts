/**
 * An OpenAI-compatible Chat Completions server on 127.0.0.1 for tests (node:http, a free port).
 * `POST …/chat/completions` answers with a chat completion whose content satisfies the request's
 * `response_format.json_schema` (first enum value, etc., or what `answer` returns), with the
 * configured usage, after a small real latency; `stream: true` answers as server-sent events, with
 * usage in the last chunk when `stream_options.include_usage` is set. Scripted replies (statuses,
 * headers, bodies, contents, delays) are served first, in order, to the requests they match. Every
 * request is recorded (headers, path, body) so tests can assert what was sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Token usage the server reports. */
export interface ServerUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens: number;
}

/** One scripted reply, served to the next request it matches instead of the default answer. */
export interface ScriptedReply {
  /** Only requests for this model match; default any. */
  readonly model?: string;
  /** HTTP status; default 200. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Raw body, sent as is; default a chat completion (or stream). */
  readonly body?: string;
  /** Message content of the default completion instead of the schema-derived answer (e.g. broken JSON). */
  readonly content?: string;
  /** Wait before answering, ms; default the server's `latencyMs`. */
  readonly delayMs?: number;
}

/** A request the server received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly rawBody: string;
  /** The parsed JSON body (null when it was not JSON). */
  readonly body: ChatBody | null;
}

/** The parts of a chat request the server reads. */
export interface ChatBody {
  readonly model: string;
  readonly messages: readonly { readonly role: string; readonly content: string }[];
  readonly response_format?: { readonly type: string; readonly json_schema: { readonly name: string; readonly strict: boolean; readonly schema: JsonSchema } };
  readonly stream?: boolean;
  readonly stream_options?: { readonly include_usage?: boolean };
}

type JsonSchema = { readonly type?: string; readonly enum?: readonly unknown[]; readonly properties?: Readonly<Record<string, JsonSchema>>; readonly items?: JsonSchema };

export interface OpenAiServerOptions {
  /** Real wait before every answer, ms (keep it small); default 1. */
  readonly latencyMs?: number;
  /** Usage reported for each request; default 100 prompt, 20 completion, 0 cached. */
  readonly usage?: ServerUsage | ((request: ChatBody) => ServerUsage);
  /** The answer object (the completion's content, as JSON); default derived from the schema. */
  readonly answer?: (request: ChatBody) => Record<string, unknown>;
}

export interface OpenAiServer {
  /** `http://127.0.0.1:<port>/v1`: the base URL an endpoint names. */
  readonly baseUrl: string;
  readonly requests: readonly ReceivedRequest[];
  /** Requests the client gave up on (connection closed before the answer was sent). */
  readonly abandoned: number;
  /** Queues scripted replies (served first, in order, to the requests they match). */
  script(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

/** A value satisfying `schema` (enough for the harness's response schemas): first enum value, etc. */
export function sampleOf(schema: JsonSchema): unknown {
  if (schema.enum !== undefined) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, sampleOf(value)]));
    case 'array':
      return schema.items?.enum === undefined ? [] : [schema.items.enum[0]];
    case 'number':
      return 0.5;
    case 'boolean':
      return false;
    default:
      return 'text';
  }
}

function parse(raw: string): ChatBody | null {
  try {
    return JSON.parse(raw) as ChatBody;
  } catch {
    return null;
  }
}

function usageJson(usage: ServerUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens },
  };
}

function sse(response: ServerResponse, chat: ChatBody, content: string, usage: ServerUsage, id: string): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const base = { id, object: 'chat.completion.chunk', created: 0, model: chat.model };
  const send = (chunk: Record<string, unknown>): boolean => response.write(`data: ${JSON.stringify({ ...base, ...chunk })}\n\n`);
  send({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
  const third = Math.ceil(content.length / 3);
  for (let start = 0; start < content.length; start += third) {
    send({ choices: [{ index: 0, delta: { content: content.slice(start, start + third) }, finish_reason: null }] });
  }
  send({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  if (chat.stream_options?.include_usage === true) send({ choices: [], usage: usageJson(usage) });
  response.end('data: [DONE]\n\n');
}

/** Starts a server on 127.0.0.1 on a free port. */
export async function startOpenAiServer(options: OpenAiServerOptions = {}): Promise<OpenAiServer> {
  const requests: ReceivedRequest[] = [];
  const scripted: ScriptedReply[] = [];
  let abandoned = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const chat = parse(rawBody);
    requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, rawBody, body: chat });
    const index = scripted.findIndex((reply) => reply.model === undefined || reply.model === chat?.model);
    const reply = index >= 0 ? (scripted.splice(index, 1)[0] as ScriptedReply) : {};
    await sleep(reply.delayMs ?? options.latencyMs ?? 1);
    if (request.method !== 'POST' || !(request.url ?? '').endsWith('/chat/completions') || chat === null) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'no such route' } }));
      return;
    }
    const status = reply.status ?? 200;
    if (reply.body !== undefined || status !== 200) {
      response.writeHead(status, { 'content-type': 'application/json', ...reply.headers }).end(reply.body ?? JSON.stringify({ error: { message: `scripted ${status}` } }));
      return;
    }
    const usage = typeof options.usage === 'function' ? options.usage(chat) : (options.usage ?? { promptTokens: 100, completionTokens: 20, cachedTokens: 0 });
    const schema = chat.response_format?.json_schema.schema ?? { type: 'object' };
    const content = reply.content ?? JSON.stringify(options.answer?.(chat) ?? sampleOf(schema));
    const id = `chatcmpl-${requests.length}`;
    if (chat.stream === true) {
      sse(response, chat, content, usage, id);
      return;
    }
    const completion = {
      id,
      object: 'chat.completion',
      created: 0,
      model: chat.model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop' }],
      usage: usageJson(usage),
    };
    response.writeHead(200, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(completion));
  }

  const server = createServer((request, response) => {
    response.on('close', () => {
      if (!response.writableFinished) abandoned += 1;
    });
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get abandoned() {
      return abandoned;
    },
    script: (...replies) => void scripted.push(...replies),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
