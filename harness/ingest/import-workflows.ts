import type { SpanRecord, WorkflowRecord } from '../kernel/records.ts';

/** Root-span attributes that are workflow columns, not pattern facts. */
const ROOT_KEYS = new Set([
  'patternbench.case_id', 'patternbench.repeat', 'patternbench.agent_calls', 'patternbench.status', 'patternbench.failed_step', 'patternbench.expected',
]);
const FACT_PREFIX = 'patternbench.';

/**
 * The workflow row of one imported trace. A patternbench root span (`patternbench.case_id`)
 * gives case, repeat, status, failed step, token totals, facts and expected outcome, and its
 * `gen_ai.evaluation.result` event the score; any other trace is one workflow whose case is its
 * `session.id` (else its `gen_ai.conversation.id`, else the trace id), with the token totals of
 * its model attempts (`chat` spans, else every span reporting usage). The cost is always that of
 * the model attempts (`gen_ai.usage.cost.amount`: no other span carries one), added in the order
 * they ended, as the run added them. Traces do not carry the intended start or the output: the
 * intended start is the start (latency = service time) and the output is null. A foreign workflow
 * that failed names as its failed step the agent of its first failed agent call (else of its first
 * failed model attempt), and takes that span's error kind when the root names none.
 */
export function workflowOfTrace(runId: string, workflowId: number, root: SpanRecord, spans: readonly SpanRecord[]): WorkflowRecord {
  const attributes = root.attributes;
  const operation = (span: SpanRecord): unknown => span.attributes['gen_ai.operation.name'];
  const chats = spans.filter((span) => operation(span) === 'chat');
  const billed = chats.length > 0 ? chats : spans.filter((span) => span !== root && typeof span.attributes['gen_ai.usage.input_tokens'] === 'number');
  const sum = (key: string): number => billed.reduce((total, span) => total + numberOr(span.attributes[key], 0), 0);
  const ours = typeof attributes['patternbench.case_id'] === 'string';
  const failed = ours ? attributes['patternbench.status'] === 'failed' : root.status === 'error';
  const evaluation = root.events.find((event) => event.name === 'gen_ai.evaluation.result');
  const scoreValue = evaluation?.attributes['gen_ai.evaluation.score.value'];
  const session = attributes['session.id'] ?? attributes['gen_ai.conversation.id'];
  const expected = attributes['patternbench.expected'];
  const failing = failed && !ours ? failingStep(spans) : undefined;
  return {
    runId,
    workflowId,
    caseId: ours ? String(attributes['patternbench.case_id']) : typeof session === 'string' ? session : root.traceId,
    repeat: numberOr(attributes['patternbench.repeat'], 0),
    status: failed ? 'failed' : 'completed',
    intendedStartMs: root.startMs,
    startMs: root.startMs,
    endMs: root.endMs,
    latencyMs: root.endMs - root.startMs,
    serviceMs: root.endMs - root.startMs,
    inputTokens: ours ? numberOr(attributes['gen_ai.usage.input_tokens'], 0) : sum('gen_ai.usage.input_tokens'),
    outputTokens: ours ? numberOr(attributes['gen_ai.usage.output_tokens'], 0) : sum('gen_ai.usage.output_tokens'),
    cachedTokens: ours ? numberOr(attributes['gen_ai.usage.cache_read.input_tokens'], 0) : sum('gen_ai.usage.cache_read.input_tokens'),
    costUsd: sum('gen_ai.usage.cost.amount'),
    agentCalls: numberOr(attributes['patternbench.agent_calls'], spans.filter((span) => operation(span) === 'invoke_agent').length),
    modelAttempts: chats.length > 0 ? chats.length : billed.length,
    correct: evaluation === undefined ? null : evaluation.attributes['gen_ai.evaluation.score.label'] === 'correct',
    score: typeof scoreValue === 'number' ? scoreValue : null,
    errorType: failed ? String(attributes['error.type'] ?? (ours ? undefined : failing?.attributes['error.type']) ?? 'error') : null,
    failedStep: !failed ? null : ours ? text(attributes['patternbench.failed_step']) : failing === undefined ? null : text(failing.attributes['gen_ai.agent.name']),
    output: null,
    traceId: root.traceId,
    facts: ours ? factsOf(root) : null,
    expected: ours && typeof expected === 'string' ? expected : null,
  };
}

/** The failed agent call that ended first (else the failed model attempt that did): the step that failed a foreign workflow. */
function failingStep(spans: readonly SpanRecord[]): SpanRecord | undefined {
  const first = (operation: string): SpanRecord | undefined =>
    spans
      .filter((span) => span.status === 'error' && span.attributes['gen_ai.operation.name'] === operation)
      .reduce<SpanRecord | undefined>((best, span) => (best === undefined || span.endMs < best.endMs ? span : best), undefined);
  return first('invoke_agent') ?? first('chat');
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The pattern facts on a patternbench root span, as the `facts` JSON; null when none. */
function factsOf(root: SpanRecord): string | null {
  const facts: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(root.attributes)) {
    if (key.startsWith(FACT_PREFIX) && !ROOT_KEYS.has(key)) facts[key.slice(FACT_PREFIX.length)] = value;
  }
  return Object.keys(facts).length === 0 ? null : JSON.stringify(facts);
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
