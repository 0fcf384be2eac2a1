import type { Agent, AgentCall, AttemptResult } from '../pipeline/call.ts';
import type { Clock } from '../kernel/clock.ts';
import { timedOut } from '../pipeline/interceptors/timeout.ts';
import { AgentCallIndex, recordingKey } from './record-key.ts';
import type { RecordedAttempt } from './replay-source.ts';

/**
 * Answers an agent's model attempts from a recording (`run --replay`): each attempt returns the
 * recorded result after waiting the recorded latency on the run's clock — so on virtual time a
 * replay of a recorded run reproduces its latencies and outputs. Like a simulated agent it honours
 * the attempt's deadline (ending as `timeout`) and the pattern's cancellation (`cancelled`). An
 * attempt with no recording (another pattern calling the agent more often, a retry the recorded
 * run did not need) goes to `fallback`, the simulated agent, and is counted by `onMiss`.
 */
export class ReplayAgent implements Agent {
  readonly name: string;
  readonly honoursDeadline = true;
  readonly #attempts: ReadonlyMap<string, RecordedAttempt>;
  readonly #fallback: Agent;
  readonly #clock: Clock;
  readonly #onAttempt: (recorded: boolean) => void;
  readonly #calls = new AgentCallIndex();

  constructor(name: string, attempts: ReadonlyMap<string, RecordedAttempt>, fallback: Agent, clock: Clock, onAttempt: (recorded: boolean) => void) {
    this.name = name;
    this.#attempts = attempts;
    this.#fallback = fallback;
    this.#clock = clock;
    this.#onAttempt = onAttempt;
  }

  async invoke(call: AgentCall): Promise<AttemptResult> {
    const workflow = call.workflow;
    const recorded = this.#attempts.get(recordingKey(workflow.caseSpec.id, workflow.repeat, this.name, this.#calls.of(call), call.attempt));
    this.#onAttempt(recorded !== undefined);
    if (recorded === undefined) return this.#fallback.invoke(call);
    const clock = this.#clock;
    const cancel = call.cancel ?? call.input.cancel;
    const leftMs = call.deadlineMs - clock.now();
    const elapsed = await clock.sleep(Math.min(recorded.latencyMs, leftMs), cancel);
    if (elapsed && recorded.latencyMs <= leftMs) return recorded.result();
    if (call.input.cancel?.cancelled === true) {
      return { status: 'error', errorType: 'cancelled', message: 'cancelled by the pattern (deadline or time bound)', usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0 }, retryAfterMs: null };
    }
    return timedOut(call.agent.timeoutMs);
  }
}
