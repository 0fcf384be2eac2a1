/** What `instrumented-chain.ts` against `fault-provider.ts` must come to, in closed form. */
import { CHAIN_AGENTS } from './instrumented-chain.ts';
import { fateOf, providerTruth, type ProviderTruth } from './fault-provider.ts';

export interface ChainTruth {
  readonly all: ProviderTruth;
  readonly byAgent: Readonly<Record<string, ProviderTruth>>;
  /** Workflows with a step whose call failed for good. */
  readonly failedWorkflows: number;
  /** The agent of each failed workflow's first failed step, counted. */
  readonly failedSteps: Readonly<Record<string, number>>;
}

/** The truth of `workflows` workflows whose client retries up to `maxRetries` times. */
export function chainTruth(workflows: number, maxRetries: number): ChainTruth {
  const callsOf = (step: number | null): number[] =>
    Array.from({ length: workflows }, (_, w) => (step === null ? [0, 1, 2].map((s) => w * 3 + s) : [w * 3 + step])).flat();
  const failsForGood = (n: number): boolean => Array.from({ length: maxRetries + 1 }, (_, retry) => fateOf(n, retry)).every((fate) => fate !== 'ok');
  const failedSteps: Record<string, number> = {};
  let failedWorkflows = 0;
  for (let w = 0; w < workflows; w++) {
    const first = [0, 1, 2].find((s) => failsForGood(w * 3 + s));
    if (first === undefined) continue;
    failedWorkflows += 1;
    const agent = CHAIN_AGENTS[first] as string;
    failedSteps[agent] = (failedSteps[agent] ?? 0) + 1;
  }
  return {
    all: providerTruth(callsOf(null), maxRetries),
    byAgent: Object.fromEntries(CHAIN_AGENTS.map((agent, step) => [agent, providerTruth(callsOf(step), maxRetries)])),
    failedWorkflows,
    failedSteps,
  };
}
