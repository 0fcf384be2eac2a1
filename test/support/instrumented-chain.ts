/**
 * A three-step chain (classifier → extractor → reviewer) on the official `openai` client, traced by
 * a real instrumentation and exported over OTLP/JSON to a loopback receiver that writes a trace
 * file, against the loopback `fault-provider.ts`. Each step is a span the application opens in the
 * shape its instrumentation's conventions give agents (a plain span for the official OpenTelemetry
 * instrumentation, a Traceloop agent, an OpenInference AGENT); a step whose call fails records the
 * exception on its span and the workflow goes on to the next step (so every run makes the same
 * calls) and ends failed.
 */
import { createRequire } from 'node:module';
import { context, metrics, SpanStatusCode, type Attributes, type TracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { CLIENT_TIMEOUT_MS, startFaultProvider, type AttemptFate } from './fault-provider.ts';
import { startOtlpFileReceiver } from './otlp-file-receiver.ts';

/** The instrumentation a chain is traced with; `openai-agents` is the OpenAI Agents SDK (each step one `run` of an agent) under OpenInference. */
export type Emitter = 'opentelemetry' | 'traceloop' | 'openinference' | 'openai-agents';

/** The agents of the chain, in order. */
export const CHAIN_AGENTS = ['classifier', 'extractor', 'reviewer'] as const;

export interface ChainOptions {
  readonly emitter: Emitter;
  readonly workflows: number;
  /** The client's `maxRetries` (the `openai` default is 2). */
  readonly maxRetries: number;
  /** Where the trace file goes. */
  readonly traces: string;
  /** Also trace each HTTP request (`@opentelemetry/instrumentation-undici`); default false. */
  readonly httpSpans?: boolean;
  /** Workflows in flight at once; default 16. */
  readonly concurrency?: number;
}

/** What a chain run did, as the provider and the application saw it. */
export interface ChainRun {
  readonly served: Readonly<Record<AttemptFate, number>>;
  readonly failedWorkflows: number;
  /** Wall time of each successful call as the application saw it (around the client's call, retries included), ms, by agent. */
  readonly observedMs: Readonly<Record<string, readonly number[]>>;
}

interface Instrumentation {
  setTracerProvider(provider: TracerProvider): void;
  enable(): void;
  disable(): void;
}

async function instrumentationOf(emitter: Emitter): Promise<Instrumentation> {
  if (emitter === 'opentelemetry') {
    const { OpenAIInstrumentation } = await import('@opentelemetry/instrumentation-openai');
    const instrumentation = new OpenAIInstrumentation();
    // 0.21 records a duration metric on every call and needs its instruments made.
    instrumentation.setMeterProvider(metrics.getMeterProvider());
    return instrumentation;
  }
  if (emitter === 'traceloop') return new (await import('@traceloop/instrumentation-openai')).OpenAIInstrumentation();
  // The Agents SDK calls the `openai` client it is given, which OpenInference's instrumentation patches.
  return new (await import('@arizeai/openinference-instrumentation-openai')).OpenAIInstrumentation();
}

/** The attributes of a step's span, as the emitter's conventions name an agent. */
function stepSpan(emitter: Emitter, agent: string): { name: string; attributes: Attributes } {
  if (emitter === 'traceloop') return { name: `${agent}.agent`, attributes: { 'traceloop.span.kind': 'agent', 'traceloop.entity.name': agent } };
  if (emitter === 'openinference') return { name: agent, attributes: { 'openinference.span.kind': 'AGENT', 'agent.name': agent } };
  if (emitter === 'openai-agents') return { name: agent, attributes: { 'openinference.span.kind': 'CHAIN' } };
  return { name: agent, attributes: {} };
}

interface ChatClient {
  chat: { completions: { create(body: Record<string, unknown>): Promise<unknown> } };
}

/**
 * Calls the provider untraced (the ESM copy of `openai`, which no instrumentation patches) once per
 * connection the chain will use, so that connection set-up and the client's first-call costs do not
 * land in the first workflows' spans.
 */
async function warmUp(baseURL: string, connections: number): Promise<void> {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey: 'test', baseURL, maxRetries: 0 });
  await Promise.all(Array.from({ length: connections }, () => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'warm-up' }] })));
}

/** One step's call: a chat completion. */
function chatCall(client: ChatClient): (agent: string, input: string) => Promise<unknown> {
  return (agent, input) => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: `You are the ${agent}.` }, { role: 'user', content: input }] });
}

/** One step's call: a run of the Agents SDK agent of that name (Chat Completions through `client`, the SDK's own tracing off). */
async function agentsSdkCall(client: ChatClient): Promise<(agent: string, input: string) => Promise<unknown>> {
  const sdk = await import('@openai/agents');
  sdk.setDefaultOpenAIClient(client as unknown as Parameters<typeof sdk.setDefaultOpenAIClient>[0]);
  sdk.setOpenAIAPI('chat_completions');
  sdk.setTracingDisabled(true);
  const agents = new Map(CHAIN_AGENTS.map((name) => [name, new sdk.Agent({ name, instructions: `You are the ${name}.`, model: 'gpt-4o-mini' })]));
  return (agent, input) => sdk.run(agents.get(agent as (typeof CHAIN_AGENTS)[number]) as InstanceType<typeof sdk.Agent>, input);
}

/** Runs `options.workflows` workflows of the chain and writes their traces to `options.traces`. */
export async function runInstrumentedChain(options: ChainOptions): Promise<ChainRun> {
  const [receiver, provider] = await Promise.all([startOtlpFileReceiver(options.traces), startFaultProvider()]);
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${receiver.url}/v1/traces` }), { maxQueueSize: 100_000, maxExportBatchSize: 1000, scheduledDelayMillis: 100 });
  const tracerProvider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': `chain-${options.emitter}` }), spanProcessors: [processor] });
  await warmUp(provider.baseUrl, options.concurrency ?? 16);
  const instrumentations: Instrumentation[] = [await instrumentationOf(options.emitter)];
  if (options.httpSpans === true) instrumentations.push(new (await import('@opentelemetry/instrumentation-undici')).UndiciInstrumentation());
  for (const instrumentation of instrumentations) {
    instrumentation.setTracerProvider(tracerProvider);
    instrumentation.enable();
  }
  try {
    // Required after the instrumentations are enabled, so that their module hooks patch it.
    const openai = createRequire(import.meta.url)('openai') as { default: new (options: Record<string, unknown>) => ChatClient };
    const client = new openai.default({ apiKey: 'test', baseURL: provider.baseUrl, maxRetries: options.maxRetries, timeout: CLIENT_TIMEOUT_MS });
    const tracer = tracerProvider.getTracer('chain-app');
    const root = options.emitter === 'openinference' || options.emitter === 'openai-agents' ? { 'openinference.span.kind': 'CHAIN' } : {};
    const call = options.emitter === 'openai-agents' ? await agentsSdkCall(client) : chatCall(client);
    let failedWorkflows = 0;
    const observedMs: Record<string, number[]> = Object.fromEntries(CHAIN_AGENTS.map((agent) => [agent, []]));
    const workflow = (w: number): Promise<void> =>
      tracer.startActiveSpan('ticket-chain', { attributes: { ...root, 'session.id': `ticket-${w}` } }, async (span) => {
        let failed = false;
        for (const [s, agent] of CHAIN_AGENTS.entries()) {
          const step = stepSpan(options.emitter, agent);
          await tracer.startActiveSpan(step.name, { attributes: step.attributes }, async (stepSpan) => {
            const start = performance.now();
            try {
              await call(agent, `call:${w * 3 + s}`);
              observedMs[agent]?.push(performance.now() - start);
            } catch (error) {
              failed = true;
              stepSpan.recordException(error as Error);
              stepSpan.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
            } finally {
              stepSpan.end();
            }
          });
        }
        if (failed) {
          failedWorkflows += 1;
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      });
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < options.workflows) await workflow(next++);
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
    await tracerProvider.forceFlush();
    return { served: { ...provider.served }, failedWorkflows, observedMs };
  } finally {
    for (const instrumentation of instrumentations) instrumentation.disable();
    await tracerProvider.shutdown();
    contextManager.disable();
    await Promise.all([receiver.close(), provider.close()]);
  }
}
