/**
 * A loopback OpenAI-compatible provider with a fixed, known behaviour, for tests that import what
 * real instrumentations emit. Each request names its agent call (`call:<n>` in its last message);
 * what the provider does is a function of that number and of the client's retry count
 * (`x-stainless-retry-count`), so the counts a test expects are exact whatever order concurrent
 * calls arrive in: a first attempt of call n answers 429 when n % 25 = 3, 500 when n % 25 = 11,
 * and times out (answers after `TIMEOUT_DELAY_MS`, past the client's timeout) when n % 50 = 17;
 * every other attempt answers after `latencyOf(n)` ms with `USAGE` tokens. A request naming no call
 * (a warm-up) is answered at once and not counted.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { nearestRankIndex } from '../../harness/kernel/statistics.ts';

/** What an attempt meets. */
export type AttemptFate = 'ok' | 'rate_limit' | 'error' | 'timeout';

/** Tokens of every successful answer. */
export const USAGE = { prompt: 120, completion: 30 } as const;
/** The client timeout tests set, ms: far above any answer but a timeout's, even on a loaded machine; `TIMEOUT_DELAY_MS` is past it. */
export const CLIENT_TIMEOUT_MS = 2500;
const TIMEOUT_DELAY_MS = 3000;

/** The fate of attempt `retry` (0 for the first) of call `n`. */
export function fateOf(n: number, retry: number): AttemptFate {
  if (retry > 0) return 'ok';
  if (n % 25 === 3) return 'rate_limit';
  if (n % 25 === 11) return 'error';
  if (n % 50 === 17) return 'timeout';
  return 'ok';
}

/** The service time of a successful attempt of call `n`, ms: 20 to 110 in steps of 10, evenly. */
export function latencyOf(n: number): number {
  return 20 + ((n * 7) % 10) * 10;
}

/** What the provider did for `calls` calls whose client retries up to `maxRetries` times. */
export interface ProviderTruth {
  readonly attempts: number;
  readonly byFate: Readonly<Record<AttemptFate, number>>;
  /** Calls whose last attempt failed. */
  readonly failedCalls: number;
  /** Nearest-rank median and 95th percentile of the successful attempts' service times, ms. */
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/** The provider's behaviour for the calls numbered `calls`, in closed form. */
export function providerTruth(calls: readonly number[], maxRetries: number): ProviderTruth {
  const byFate: Record<AttemptFate, number> = { ok: 0, rate_limit: 0, error: 0, timeout: 0 };
  const latencies: number[] = [];
  let failedCalls = 0;
  for (const n of calls) {
    let fate: AttemptFate = 'ok';
    for (let retry = 0; retry <= maxRetries; retry++) {
      fate = fateOf(n, retry);
      byFate[fate] += 1;
      if (fate === 'ok') {
        latencies.push(latencyOf(n));
        break;
      }
    }
    if (fate !== 'ok') failedCalls += 1;
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[nearestRankIndex(latencies.length, q)] as number;
  return { attempts: Object.values(byFate).reduce((a, b) => a + b, 0), byFate, failedCalls, p50Ms: at(0.5), p95Ms: at(0.95) };
}

/** A running provider. */
export interface FaultProvider {
  /** `http://127.0.0.1:<port>/v1`. */
  readonly baseUrl: string;
  /** Requests answered (or timed out), by fate. */
  readonly served: Readonly<Record<AttemptFate, number>>;
  close(): Promise<void>;
}

async function answer(request: IncomingMessage, response: ServerResponse, served: Record<AttemptFate, number>): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; messages: { content: string }[] };
  const n = Number(/call:(\d+)/.exec(body.messages.at(-1)?.content ?? '')?.[1] ?? -1);
  // A request naming no call warms the connection up: answered at once, not counted.
  if (n < 0) return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion(body.model, 'warm-up')));
  const fate = fateOf(n, Number(request.headers['x-stainless-retry-count'] ?? 0));
  served[fate] += 1;
  const json = (status: number, value: unknown, headers: Record<string, string> = {}): void => {
    if (!response.destroyed) response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
  };
  // The client retries at once when told to (`retry-after-ms`), so retries cost no backoff.
  if (fate === 'rate_limit') return json(429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after-ms': '1' });
  if (fate === 'error') return json(500, { error: { message: 'The server had an error', type: 'server_error', code: null } }, { 'retry-after-ms': '1' });
  await sleep(fate === 'timeout' ? TIMEOUT_DELAY_MS : latencyOf(n));
  json(200, completion(body.model, `chatcmpl-${n}`));
}

function completion(model: string, id: string): Record<string, unknown> {
  return {
    id,
    object: 'chat.completion',
    created: 0,
    model: `${model}-2024-07-18`,
    choices: [{ index: 0, message: { role: 'assistant', content: 'ok', refusal: null }, finish_reason: 'stop' }],
    usage: { prompt_tokens: USAGE.prompt, completion_tokens: USAGE.completion, total_tokens: USAGE.prompt + USAGE.completion },
  };
}

/** Starts the provider on a free loopback port. */
export async function startFaultProvider(): Promise<FaultProvider> {
  const served: Record<AttemptFate, number> = { ok: 0, rate_limit: 0, error: 0, timeout: 0 };
  const server = createServer((request, response) => {
    answer(request, response, served).catch((error: unknown) => {
      if (!response.headersSent && !response.destroyed) response.writeHead(400).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    served,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
