import type { AgentCall, AttemptResult } from '../call.ts';
import type { Stage } from '../pipeline.ts';
import type { CompiledAgent } from '../../scenario/types.ts';
import type { Attributes } from '../../kernel/records.ts';
import type { AttributeSource } from '../../kernel/tracer.ts';

/** `gen_ai.usage.cost.currency` of every attempt: model profiles price in US dollars. */
export const COST_CURRENCY = 'USD';
/** `gen_ai.usage.cost.source` of every attempt: its usage priced with the model profile, not a provider's bill. */
export const COST_SOURCE = 'estimated';

/**
 * Records each model attempt as a `chat {model}` span (kind client) under its `invoke_agent` span
 * (a retried call has several), with the attempt's cost (`gen_ai.usage.cost.amount`, filled in by
 * `accounting.ts`, in `COST_CURRENCY`). Steps with no model (`rule` profiles) get no attempt span.
 */
export function attemptSpanStage(): Stage {
  /** `chat {model}` and the attributes of a first attempt, per agent, made once per run. */
  const names = new Map<CompiledAgent, FirstAttempt>();
  return {
    name: 'attempt-span',
    enter(call: AgentCall): null {
      const workflow = call.workflow;
      workflow.modelAttempts++;
      const agent = call.agent;
      const model = agent.model;
      if (model.kind === 'rule' || call.span === null) return null;
      let named = names.get(agent);
      if (named === undefined) {
        named = new FirstAttempt(agent);
        names.set(agent, named);
      }
      const run = workflow.run;
      const tracer = run.tracer;
      // A first attempt (most are) makes its attributes when it first touches them, a retry at once.
      call.attemptSpan =
        call.attempt === 1
          ? tracer.startChildFrom(call.span, named.span, 'client', run.clock.now(), named)
          : tracer.startChild(call.span, named.span, 'client', run.clock.now(), attemptAttributes(agent, call.attempt));
      return null;
    },
    exit(call: AgentCall, result: AttemptResult): AttemptResult {
      const span = call.attemptSpan;
      if (span === null) return result;
      if (result.status === 'error') span.setError(result.errorType, result.message);
      call.attemptSpan = null;
      const run = call.workflow.run;
      run.tracer.end(span, run.clock.now());
      return result;
    },
  };
}

/** The attributes a `chat` span of `agent`'s attempt number `attempt` starts with (every key present from the start: one object shape). */
function attemptAttributes(agent: CompiledAgent, attempt: number): Attributes {
  const model = agent.model;
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': model.provider,
    'gen_ai.request.model': model.model,
    'gen_ai.agent.name': agent.name,
    'gen_ai.usage.input_tokens': 0,
    'gen_ai.usage.output_tokens': 0,
    'gen_ai.usage.cache_read.input_tokens': 0,
    'gen_ai.usage.cost.amount': 0,
    'gen_ai.usage.cost.currency': COST_CURRENCY,
    'gen_ai.usage.cost.source': COST_SOURCE,
    'patternbench.attempt': attempt,
  };
}

/** The name of `agent`'s `chat` spans, and the attributes of a first attempt (made when its span first touches them). */
class FirstAttempt implements AttributeSource {
  readonly span: string;

  constructor(private readonly agent: CompiledAgent) {
    this.span = `chat ${agent.model.model}`;
  }

  spanAttributes(): Attributes {
    return attemptAttributes(this.agent, 1);
  }
}
