import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { AgentCall, AttemptResult } from '../call.ts';
import type { Stage } from '../pipeline.ts';

/**
 * Contracts between agents: a step with an `outputSchema` has each successful attempt's output
 * checked against it by a rule-based validation step (JSON Schema, no model). A violation turns the
 * attempt into a `contract_violation` failure — billed, since the model did answer — recorded as a
 * `contract.violation` event on the `chat` span with the first schema error. With
 * `onViolation: retry` the retry policy retries it like any failure; with `fail` the step fails
 * at once. Validators are compiled once per run and agent.
 */
export function contractStage(): Stage {
  const validators = new Map<string, ValidateFunction>();
  const ajv = new Ajv2020({ allErrors: false, strict: false });
  return {
    name: 'contract',
    exit(call: AgentCall, result: AttemptResult): AttemptResult {
      const contract = call.agent.contract;
      if (contract === null || result.status !== 'ok') return result;
      let validate = validators.get(call.agent.name);
      if (validate === undefined) {
        validate = ajv.compile(contract.schema);
        validators.set(call.agent.name, validate);
      }
      if (validate(result.output)) return result;
      const first = validate.errors?.[0];
      const message = `output breaks ${call.agent.name}'s outputSchema: ${first === undefined ? 'invalid' : `${first.instancePath || '/'} ${first.message ?? ''}`.trim()}`;
      const span = call.attemptSpan;
      span?.addEvent('contract.violation', call.workflow.run.clock.now(), { 'patternbench.contract.error': message });
      if (contract.onViolation === 'fail') call.retryable = false;
      return { status: 'error', errorType: 'contract_violation', message, usage: result.usage, retryAfterMs: null };
    },
  };
}
