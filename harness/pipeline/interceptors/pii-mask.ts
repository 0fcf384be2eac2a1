import { appendAudit } from '../../governance/audit.ts';
import type { AgentCall } from '../call.ts';
import type { Stage } from '../pipeline.ts';
import type { AgentOutput } from '../../../patterns/types.ts';

/**
 * Masks case fields with a data class at the agent boundary (`dataClasses:`, an agent's `needs:`):
 * the agent reads the case with every classed field it does not need replaced by its token
 * (`call.caseInput`), and the upstream outputs handed to it with the same fields masked in what
 * they echo. Each call whose case has classed fields gets a `data.access` audit row: the fields it
 * received and those masked for it (decision `mask` when any were), its model's region, and the
 * classes whose allowed regions that region is outside (`crossing`: the data-residency report).
 * With `masking: off` nothing is masked, and the row records every classed field as received.
 */
export function piiMaskStage(): Stage {
  return {
    name: 'pii-mask',
    enter(call: AgentCall): null {
      const run = call.workflow.run;
      const privacy = run.privacy;
      if (privacy === undefined || privacy === null) return null;
      const agent = call.agent;
      const fields = call.workflow.caseSpec.input;
      const access = privacy.access(fields, agent.needs, agent.model.region);
      if (privacy.masking) {
        call.caseInput = privacy.view(fields, agent.needs);
        if (call.input.upstream.some((output) => output.echo !== undefined)) {
          const upstream = call.input.upstream.map((output): AgentOutput =>
            output.echo === undefined ? output : { ...output, echo: privacy.view(output.echo, agent.needs) },
          );
          call.input = { ...call.input, upstream };
        }
      }
      if (access.received.length + access.masked.length > 0) {
        const span = call.span;
        appendAudit(run, {
          timeMs: run.clock.now(),
          workflowId: call.workflow.workflowId,
          requestId: span?.spanId ?? '',
          traceId: span?.traceId ?? call.workflow.root.traceId,
          actor: agent.name,
          action: 'data.access',
          target: call.workflow.caseSpec.id,
          decision: access.masked.length > 0 ? 'mask' : 'allow',
          detail: {
            received: access.received.join(','),
            masked: access.masked.join(','),
            region: agent.model.region,
            crossing: access.crossing.join(','),
          },
        });
      }
      return null;
    },
  };
}
