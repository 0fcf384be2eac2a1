import type { AgentCall, AttemptResult } from './call.ts';
import { HarnessError } from '../kernel/errors.ts';

/** The rest of the pipeline from some point inward; the innermost one performs one model attempt. */
export type Terminal = (call: AgentCall) => Promise<AttemptResult>;

/**
 * What a stage's `enter` decides: null lets the call go on inward; a result ends it here (the
 * stages inside are skipped, those outside see the result in their `exit`). A promise only when
 * the stage must wait (a queue for a concurrency slot, a fallback agent's call).
 */
export type StageEntry = AttemptResult | null | Promise<AttemptResult | null>;

/**
 * One cross-cutting concern around agent calls (spans, accounting, audit, masking, budgets,
 * breakers, retries, timeouts, admission), as hooks the pipeline calls in order rather than an
 * async function wrapping the rest: a call in flight holds one async frame however many stages it
 * passes (each wrapping frame cost ~0.3 KiB per call in flight and a share of the scavenges).
 * Every hook is optional; a stage needing none of them for a call does nothing for it.
 */
export interface Stage {
  readonly name: string;
  /** Before the stages inside it, once per pass (per agent call outside `again`, per model attempt inside it). */
  enter?(call: AgentCall): StageEntry;
  /** After the stages inside it: the result handed outward, as is or replaced. Not called when its own `enter` ended the pass. */
  exit?(call: AgentCall, result: AttemptResult): AttemptResult | Promise<AttemptResult>;
  /** Once the stage is left, after `exit`, and also when a stage inside threw: gives back what `enter` took. */
  release?(call: AgentCall): void;
  /**
   * Runs the stages inside it as one promise of its own (a race against a timer) — an extra frame
   * for that call only; null runs them inline. Called after `enter`, with the rest of the pipeline.
   */
  wrap?(call: AgentCall, inner: Terminal): Promise<AttemptResult> | null;
  /**
   * Makes the stage a loop (retries): after the stages inside it ended with `result`, the delay
   * before they run again (ms on the run's clock; the wait ends early, and the call with `result`,
   * when the call's `input.cancel` fires), or null to hand `result` outward. Sets `call.attempt`.
   * Only the first stage of a pipeline that has it makes a loop.
   */
  again?(call: AgentCall, result: AttemptResult): number | null;
}

/**
 * Composes `stages`, outermost first, around `terminal` into one async function. Stages are
 * entered in order; an `enter` (or `wrap`) that returns a result ends the pass there. Then the
 * stages entered are left in reverse order: `exit` (not for the stage whose own `enter` gave the
 * result), then `release`. A stage with `again` makes a loop: after each attempt the stages inside
 * it are left, and while `again` gives a delay they run again, in the same frame; the stages
 * outside it are left once the loop is done. A hook's promise is awaited only when it is one: a
 * stage that needs no await costs no microtask. `wrap` is for stages inside the loop.
 */
export function composePipeline(stages: readonly Stage[], terminal: Terminal): Terminal {
  const loopAt = stages.findIndex((stage) => stage.again !== undefined);
  const loop = loopAt < 0 ? null : (stages[loopAt] as Stage);
  // Index of the first stage inside the loop (stages.length when none is); -1 without a loop.
  const inside = loopAt < 0 ? -1 : loopAt + 1;
  const misplaced = stages.slice(0, inside).find((stage) => stage.wrap !== undefined);
  if (misplaced !== undefined) throw new HarnessError('USAGE', `pipeline stage ${misplaced.name} wraps the stages inside it: it must come after the loop stage`);
  // What each stage's `wrap` runs: the stages after it and the terminal, composed once.
  const rests = stages.map((stage, index) => (stage.wrap === undefined ? terminal : composePipeline(stages.slice(index + 1), terminal)));

  return async (call: AgentCall): Promise<AttemptResult> => {
    // Stages entered (and not yet left), outermost first.
    let depth = 0;
    try {
      let result: AttemptResult | null = null;
      let skipExit = false;
      let attempt = 0;
      let attempting = false;
      for (;;) {
        while (result === null && depth < stages.length) {
          if (depth === inside) {
            call.attempt = ++attempt;
            attempting = true;
          }
          const stage = stages[depth++] as Stage;
          if (stage.enter !== undefined) {
            const entry = stage.enter(call);
            result = entry instanceof Promise ? await entry : entry;
            skipExit = result !== null;
          }
          // The wrapped stages run (and are left) in a frame of their own; this one's `exit` follows.
          const wrapped: Promise<AttemptResult> | null = result === null && stage.wrap !== undefined ? stage.wrap(call, rests[depth - 1] as Terminal) : null;
          if (wrapped !== null) result = await wrapped;
        }
        if (result === null) {
          if (depth === inside) {
            call.attempt = ++attempt;
            attempting = true;
          }
          result = await terminal(call);
        }
        // After an attempt, the stages inside the loop are left; once the loop is done, all the rest.
        const floor = attempting ? inside : 0;
        for (; depth > floor; depth--) {
          const stage = stages[depth - 1] as Stage;
          if (stage.exit !== undefined && !skipExit) {
            const exited = stage.exit(call, result);
            result = exited instanceof Promise ? await exited : exited;
          }
          skipExit = false;
          stage.release?.(call);
        }
        if (!attempting) return result;
        attempting = false;
        const delay = (loop as Stage).again?.(call, result) ?? null;
        if (delay !== null && (await call.workflow.run.clock.sleep(delay, call.input.cancel))) result = null;
      }
    } catch (error) {
      // Something threw (a bug, a failing sink): what the stages entered took is given back all the same.
      for (; depth > 0; depth--) (stages[depth - 1] as Stage).release?.(call);
      throw error;
    }
  };
}
