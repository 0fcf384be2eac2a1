import type { Agent, AgentCall, AttemptResult } from '../pipeline/call.ts';
import { AgentCallIndex, ttftMsOf } from './record-key.ts';

/**
 * Records every model attempt of the agent it wraps (`run --record`): the result as the agent
 * returned it (output, usage, error type, retry-after), how long it took on the run's clock and,
 * when the attempt span carries one, its time to first token — one `recordings` row each, written
 * through the run's sink. Wraps any `Agent` (simulated, HTTP, scripted); changes nothing it returns.
 */
export class RecordingAgent implements Agent {
  readonly name: string;
  readonly honoursDeadline: boolean;
  readonly #inner: Agent;
  readonly #calls = new AgentCallIndex();

  constructor(inner: Agent) {
    this.#inner = inner;
    this.name = inner.name;
    this.honoursDeadline = inner.honoursDeadline;
  }

  async invoke(call: AgentCall): Promise<AttemptResult> {
    const workflow = call.workflow;
    const run = workflow.run;
    const callIndex = this.#calls.of(call);
    const startMs = run.clock.now();
    const result = await this.#inner.invoke(call);
    const failed = result.status === 'error';
    const model = call.agent.model;
    run.sink.writeAux({
      table: 'recordings',
      row: {
        runId: run.runId,
        workflowId: workflow.workflowId,
        caseId: workflow.caseSpec.id,
        repeat: workflow.repeat,
        agent: this.name,
        callIndex,
        attempt: call.attempt,
        startMs,
        latencyMs: run.clock.now() - startMs,
        ttftMs: ttftMsOf(call.attemptSpan?.attributes),
        status: result.status,
        errorType: failed ? result.errorType : null,
        errorMessage: failed ? result.message : null,
        retryAfterMs: failed ? result.retryAfterMs : null,
        inputTokens: result.usage.inputTokens,
        outputTokens: result.usage.outputTokens,
        cachedTokens: result.usage.cachedTokens,
        output: failed ? null : JSON.stringify(result.output),
        provider: model.provider,
        requestModel: model.model,
      },
    });
    return result;
  }
}
