import { z } from 'zod';
import { durationSchema } from '../harness/scenario/schema/distributions.ts';
import { decideRoute, RouteCache, routingKey, specialistDomain, type RouteDecision } from './router-decide.ts';
import type { AgentOutput, AgentReference, Executor, PatternDefinition, WorkflowContext, WorkflowOutcome } from './types.ts';

/** `patterns.router` in a scenario. */
export const routerConfigSchema = z
  .strictObject({
    /** The classifier step: a rule-based, classifier-model or LLM agent answering with a label. */
    classifier: z.string().min(1).describe('Agent that classifies the request (rules, a classifier model, or an LLM).'),
    /** Label → specialist agent. */
    routes: z
      .record(z.string().min(1), z.string().min(1))
      .refine((routes) => Object.keys(routes).length > 0, 'must route at least one label')
      .meta({ minProperties: 1 })
      .describe('Label → specialist agent.'),
    /** Catch-all agent for labels without a route (and low-confidence requests). Default none. */
    fallback: z.string().min(1).optional().describe('Catch-all agent for unrouted labels and low confidence. Default none.'),
    /** Classifier confidence below which a request is not routed to a specialist. Default 0 (always routed). */
    confidenceThreshold: z.number().min(0).max(1).default(0).describe('Confidence below which a request is not routed. Default 0.'),
    /** Where a low-confidence request goes. Default `fallback`. */
    lowConfidence: z.enum(['fallback', 'escalate']).default('fallback').describe('fallback (default) or escalate (human).'),
    /** Agent standing for human escalation (its latency is the human's). Default none. */
    escalation: z.string().min(1).optional().describe('Agent standing for human escalation, with its own latency. Default none.'),
    /** A specialist handed an out-of-domain request may send it back once for re-routing. Default true. */
    sendBack: z.boolean().default(true).describe('Specialists may send an out-of-domain request back once. Default true.'),
    /** Routing cache keyed by the normalised input. Default off. */
    cache: z
      .strictObject({
        ttl: durationSchema.describe('How long a routing decision is reused.'),
        maxEntries: z.number().int().min(1).default(10_000).describe('Entries kept (oldest evicted). Default 10,000.'),
      })
      .optional(),
  })
  .superRefine((config, ctx) => {
    if (config.lowConfidence === 'escalate' && config.escalation === undefined) {
      ctx.addIssue({ code: 'custom', path: ['escalation'], message: "lowConfidence: escalate needs 'escalation:' (the agent standing for a human)", input: config });
    }
  })
  .describe('Router/dispatcher: a classifier picks a specialist; low confidence goes to a catch-all or a human.');

export type RouterConfig = z.infer<typeof routerConfigSchema>;

class RouterExecutor implements Executor {
  readonly pattern = 'router' as const;
  readonly #cache: RouteCache | null;
  readonly #domains = new Map<string, string[]>();

  constructor(private readonly config: RouterConfig) {
    this.#cache = config.cache === undefined ? null : new RouteCache(config.cache.ttl, config.cache.maxEntries);
    for (const agent of new Set(Object.values(config.routes))) this.#domains.set(agent, specialistDomain(config.routes, agent));
  }

  async run(workflow: WorkflowContext): Promise<WorkflowOutcome> {
    const config = this.config;
    const caseSpec = workflow.case;
    const key = routingKey(caseSpec.id, caseSpec.input);
    const cache = this.#cache;
    let classification = cache?.get(key, workflow.now()) ?? null;
    workflow.record('patternbench.router.cache', cache === null ? 'off' : classification === null ? 'miss' : 'hit');
    workflow.record('patternbench.router.saved_calls', classification === null ? 0 : 1);
    if (classification === null) {
      const result = await workflow.call(config.classifier, { tokens: caseSpec.inputTokens, upstream: [] });
      if (result.status === 'failed') return { status: 'failed', errorType: result.errorType, failedStep: config.classifier, output: null };
      classification = result.output;
      cache?.set(key, classification, workflow.now());
    }
    recordClassification(workflow, classification);

    let decision = decideRoute(config, classification);
    let outcome = await this.#dispatch(workflow, decision, config.sendBack);
    if (outcome.status === 'ok' && outcome.output.sendBack === true) {
      workflow.record('patternbench.router.sent_back', true);
      const excluded = classification.label === undefined ? [] : [classification.label];
      const result = await workflow.call(config.classifier, {
        tokens: caseSpec.inputTokens + outcome.output.tokens,
        upstream: [],
        task: { kind: 'answer', exclude: excluded },
      });
      if (result.status === 'failed') return { status: 'failed', errorType: result.errorType, failedStep: config.classifier, output: null };
      classification = result.output;
      cache?.set(key, classification, workflow.now());
      if (classification.label !== undefined) workflow.record('patternbench.router.rerouted_label', classification.label);
      decision = decideRoute(config, classification);
      outcome = await this.#dispatch(workflow, decision, false);
    }
    if (outcome.status === 'failed') return { status: 'failed', errorType: outcome.errorType, failedStep: outcome.step, output: classification };
    return { status: 'completed', output: outcome.output };
  }

  /** Sends the request where `decision` says, recording the decision on the workflow. */
  async #dispatch(
    workflow: WorkflowContext,
    decision: RouteDecision,
    canSendBack: boolean,
  ): Promise<{ status: 'ok'; output: AgentOutput } | { status: 'failed'; errorType: string; step: string }> {
    workflow.record('patternbench.router.decision', decision.kind);
    workflow.record('patternbench.router.escalated', decision.kind === 'escalate');
    if (decision.kind === 'unroutable') return { status: 'failed', errorType: 'no_route', step: this.config.classifier };
    workflow.record('patternbench.router.target', decision.agent);
    const domain = decision.kind === 'route' ? (this.#domains.get(decision.agent) ?? [decision.label]) : null;
    const startedAt = workflow.now();
    const result = await workflow.call(decision.agent, {
      tokens: workflow.case.inputTokens,
      upstream: [],
      task: { kind: 'handle', domain, canSendBack: canSendBack && decision.kind === 'route' },
    });
    if (decision.kind === 'escalate') workflow.record('patternbench.router.escalation_ms', workflow.now() - startedAt);
    if (result.status === 'failed') return { status: 'failed', errorType: result.errorType, step: decision.agent };
    return { status: 'ok', output: result.output };
  }
}

/**
 * Records the classification the route was chosen by (the classifier's, or the cached one), for
 * the confusion matrix against the case's expected label (`reports/summary/routing.ts`):
 * `router.label` and `router.confidence`, each when the classifier gave one. A re-classification
 * after a send-back is `router.rerouted_label`.
 */
function recordClassification(workflow: WorkflowContext, classification: AgentOutput): void {
  if (classification.label !== undefined) workflow.record('patternbench.router.label', classification.label);
  if (classification.confidence !== undefined) workflow.record('patternbench.router.confidence', classification.confidence);
}

export const routerPattern: PatternDefinition<RouterConfig> = {
  name: 'router',
  configSchema: routerConfigSchema,
  references: (config) => {
    const references: AgentReference[] = [{ path: ['classifier'], agent: config.classifier }];
    for (const [label, agent] of Object.entries(config.routes)) references.push({ path: ['routes', label], agent });
    if (config.fallback !== undefined) references.push({ path: ['fallback'], agent: config.fallback });
    if (config.escalation !== undefined) references.push({ path: ['escalation'], agent: config.escalation });
    return references;
  },
  nestable: [['routes', '*']],
  create: (config) => new RouterExecutor(config),
};
