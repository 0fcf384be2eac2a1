import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { NO_USAGE, type Agent, type AgentCall, type AttemptResult, type Usage } from '../pipeline/call.ts';
import type { Clock } from '../kernel/clock.ts';
import { HarnessError } from '../kernel/errors.ts';
import { apiKeyOf, realtimeRequired, type Environment } from './http-agent-preflight.ts';
import { timedOut } from '../pipeline/interceptors/timeout.ts';
import { chatRequest, outputFormat, type OutputFormat } from './openai-request.ts';
import { completionOf, errorOf, jsonObject, retryAfterMs, type Completion } from './openai-response.ts';
import { readChatStream } from './openai-stream.ts';
import { RealClock } from '../kernel/real-clock.ts';
import type { AgentEndpoint, CompiledAgent, CompiledScenario } from '../scenario/types.ts';
import type { AgentOutput } from '../../patterns/types.ts';

/** `chat` span attribute: seconds from sending the request to the first streamed chunk with content (OTel GenAI). */
export const TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';

/** Client errors that no retry can fix: the call fails at its first attempt. */
const FINAL_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 404, 422]);

/**
 * A real agent: each model attempt is one `POST {baseUrl}/chat/completions` (the OpenAI-compatible
 * API), asking for the structured output a simulated agent produces (`harness/agents/openai-request.ts`)
 * so the same scorers judge it. Usage comes from the response (`prompt_tokens`, `completion_tokens`,
 * `prompt_tokens_details.cached_tokens`); the accounting interceptor prices it with the model
 * profile. Outcomes, never exceptions:
 * - 429 → `rate_limit` with the `retry-after-ms` / `retry-after` (seconds or HTTP date) wait;
 * - 5xx, other 4xx, a body that is not a chat completion, a network failure → `error` (400, 401,
 *   403, 404 and 422 are not retried; a 400 `context_length_exceeded` is that error type);
 * - content that is not JSON, breaks the schema, or a refusal → `contract_violation`, billed;
 * - cancelled by the timeout interceptor (`honoursDeadline` false: it arms the timer) → `timeout`,
 *   or by the pattern → `cancelled`; the request is aborted.
 * The API key is read once from the environment, kept in a private field, sent only in the
 * `Authorization` header and scrubbed from every message.
 */
export class HttpAgent implements Agent {
  readonly name: string;
  readonly honoursDeadline = false;
  readonly #agent: CompiledAgent;
  readonly #scenario: CompiledScenario;
  readonly #endpoint: AgentEndpoint;
  readonly #url: string;
  readonly #apiKey: string | null;
  /** `server.address` and `server.port` of the chat spans. */
  readonly #server: { readonly address: string; readonly port: number };
  readonly #ajv = new Ajv2020({ allErrors: false, strict: false });
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(agent: CompiledAgent, scenario: CompiledScenario, clock: Clock, env: Environment = process.env) {
    if (agent.endpoint === null) throw new HarnessError('USAGE', `agent '${agent.name}' has no endpoint: it is simulated`);
    if (clock.virtual) throw realtimeRequired(scenario, [agent.name]);
    this.name = agent.name;
    this.#agent = agent;
    this.#scenario = scenario;
    this.#endpoint = agent.endpoint;
    this.#url = `${agent.endpoint.baseUrl}/chat/completions`;
    const url = new URL(this.#url);
    this.#server = { address: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
    this.#apiKey = apiKeyOf(agent, env);
  }

  async invoke(call: AgentCall): Promise<AttemptResult> {
    if (call.cancel?.cancelled === true || call.input.cancel?.cancelled === true) return this.#interrupted(call);
    const clock = call.workflow.run.clock;
    const format = outputFormat(this.#scenario, call.input.task ?? { kind: 'answer' });
    const body = JSON.stringify(chatRequest(call, this.#endpoint, format));
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    const unlink = [call.cancel?.onCancel(abort), call.input.cancel?.onCancel(abort)];
    const span = call.attemptSpan;
    span?.setAttribute('server.address', this.#server.address);
    span?.setAttribute('server.port', this.#server.port);
    const startMs = clock.now();
    try {
      const response = await fetch(this.#url, { method: 'POST', headers: this.#headers(), body, signal: controller.signal });
      if (!response.ok) return await this.#rejected(call, response);
      const streamed = this.#endpoint.stream && (response.headers.get('content-type') ?? '').includes('text/event-stream');
      const completion = streamed
        ? await readChatStream(bodyOf(response), () => span?.setAttribute(TIME_TO_FIRST_CHUNK, (clock.now() - startMs) / 1000))
        : completionOf(parseJson(await response.text()));
      if (completion === null) return failure('error', `${this.#url} answered ${response.status} with a body that is not a chat completion`);
      if (completion.model !== '') span?.setAttribute('gen_ai.response.model', completion.model);
      if (completion.id !== '') span?.setAttribute('gen_ai.response.id', completion.id);
      return this.#answered(completion, format);
    } catch (error) {
      if (controller.signal.aborted) return this.#interrupted(call);
      return failure('error', this.#redact(`request to ${this.#url} failed: ${reason(error)}`));
    } finally {
      for (const remove of unlink) remove?.();
    }
  }

  #headers(): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    if (this.#apiKey !== null) headers['authorization'] = `Bearer ${this.#apiKey}`;
    return headers;
  }

  /** The outcome of a non-2xx answer. */
  async #rejected(call: AgentCall, response: Response): Promise<AttemptResult> {
    const status = response.status;
    const error = errorOf(await response.text().catch(() => ''));
    const message = this.#redact(`${this.#url} answered ${status}${error.message === '' ? '' : `: ${error.message}`}`);
    if (status === 429) return failure('rate_limit', message, NO_USAGE, retryAfterMs(response.headers, RealClock.wallTimeMs()));
    if (status === 408) return failure('timeout', message);
    if (FINAL_STATUSES.has(status)) call.retryable = false;
    return failure(error.code === 'context_length_exceeded' ? 'context_length_exceeded' : 'error', message);
  }

  /** The outcome of a 2xx chat completion: the parsed output, or a billed `contract_violation`. */
  #answered(completion: Completion, format: OutputFormat): AttemptResult {
    const usage = completion.usage;
    if (completion.refusal !== null && completion.refusal !== '') {
      return failure('contract_violation', this.#redact(`${this.name} refused to answer: ${completion.refusal}`), usage);
    }
    const parsed = completion.content === null ? undefined : parseJson(completion.content);
    const fields = jsonObject(parsed);
    if (fields === null) {
      const why = completion.content === null ? 'no content' : 'content that is not a JSON object';
      return failure('contract_violation', `${this.name} answered ${why} (finish_reason ${completion.finishReason || 'none'})`, usage);
    }
    const validate = this.#validator(format);
    if (!validate(fields)) {
      const first = validate.errors?.[0];
      const where = first === undefined ? 'invalid' : `${first.instancePath || '/'} ${first.message ?? ''}`.trim();
      return failure('contract_violation', this.#redact(`${this.name}'s answer breaks the response schema: ${where}`), usage);
    }
    return { status: 'ok', output: toOutput(this.name, fields, usage.outputTokens), usage };
  }

  #validator(format: OutputFormat): ValidateFunction {
    const key = JSON.stringify(format.schema);
    let validate = this.#validators.get(key);
    if (validate === undefined) {
      validate = this.#ajv.compile(format.schema);
      this.#validators.set(key, validate);
    }
    return validate;
  }

  #interrupted(call: AgentCall): AttemptResult {
    if (call.input.cancel?.cancelled === true) return failure('cancelled', 'cancelled by the pattern (deadline or time bound)');
    return timedOut(this.#agent.timeoutMs);
  }

  /** `text` with every occurrence of the API key replaced (a server may echo it in an error). */
  #redact(text: string): string {
    return this.#apiKey === null ? text : text.split(this.#apiKey).join('[redacted]');
  }
}

/** An `AgentOutput` from schema-valid fields; `tokens` = the completion's output tokens. */
function toOutput(agent: string, fields: Readonly<Record<string, unknown>>, tokens: number): AgentOutput {
  const output: { -readonly [K in keyof AgentOutput]: AgentOutput[K] } = { agent, tokens };
  if (typeof fields['label'] === 'string') output.label = fields['label'];
  if (Array.isArray(fields['findings'])) output.findings = fields['findings'] as string[];
  if (typeof fields['value'] === 'number') output.value = fields['value'];
  if (typeof fields['confidence'] === 'number') output.confidence = Math.min(1, Math.max(0, fields['confidence']));
  if (fields['verdict'] === 'accept' || fields['verdict'] === 'reject') output.verdict = fields['verdict'];
  if (Array.isArray(fields['plan'])) output.plan = fields['plan'] as string[];
  if (fields['sendBack'] === true) output.sendBack = true;
  return output;
}

/** A response body as bytes (Node's web streams are async-iterable; its types do not say so). */
function bodyOf(response: Response): AsyncIterable<Uint8Array> {
  return (response.body ?? []) as unknown as AsyncIterable<Uint8Array>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The most specific reason of a fetch failure (undici puts it in `cause`). */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}

function failure(errorType: string, message: string, usage: Usage = NO_USAGE, retryAfter: number | null = null): AttemptResult {
  return { status: 'error', errorType, message, usage, retryAfterMs: retryAfter };
}
