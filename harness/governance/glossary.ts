import type { NamedStreams } from '../kernel/rng.ts';
import type { Terminology } from '../scenario/trust-types.ts';
import type { AgentOutput } from '../../patterns/types.ts';

/**
 * Terminology drift and the shared glossary (issue 7). Without a glossary, agents name the same
 * thing differently now and then: a share `terminologyDrift` of outputs uses a synonym for its label
 * and findings, so a fan-in sees a conflict where the workers agreed (patterns/fanout-merge.ts
 * counts two names of one label or finding as two), a scorer sees a wrong answer and a supervisor's
 * review rejects it. Terms in the scenario's `glossary:` are shared by every agent and never drift.
 */

/** Marks a synonym: `billing` drifts to `billing~syn`, `legal:ip-ownership` to `legal:ip-ownership~syn`. */
export const SYNONYM_SUFFIX = '~syn';

/** The synonym a drifting agent uses for `term` (same finding domain, so fan-in sees a contested finding). Pure. */
export function synonymOf(term: string): string {
  return `${term}${SYNONYM_SUFFIX}`;
}

/**
 * `output`, or, with probability `terminology.drift` (one draw of `rng` per output when the drift is
 * above 0), the output with its label and every finding outside the glossary named by a synonym.
 */
export function driftTerms(output: AgentOutput, terminology: Terminology, streams: NamedStreams): AgentOutput {
  if (terminology.drift === 0 || (output.label === undefined && output.findings === undefined)) return output;
  if (streams.named('drift').next() >= terminology.drift) return output;
  const glossary = terminology.glossary;
  const drift = (term: string): string => (glossary.includes(term) ? term : synonymOf(term));
  const label = output.label === undefined ? undefined : drift(output.label);
  const findings = output.findings?.map(drift);
  if (label === output.label && (findings ?? []).every((finding, index) => finding === output.findings?.[index])) return output;
  return { ...output, ...(label !== undefined && { label }), ...(findings !== undefined && { findings }) };
}
