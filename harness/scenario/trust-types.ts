/**
 * Compiled access and trust settings (issue 7): tool-level RBAC, trust boundaries against prompt
 * injection, and the shared glossary. Schemas in harness/scenario/schema/trust.ts, compiled by
 * harness/scenario/compile-trust.ts.
 */

/** An agent's trust level: `untrusted` handles user-submitted data; `elevated` has privileged access. */
export type TrustLevel = 'untrusted' | 'standard' | 'elevated';

/** What a tool call RBAC denies does: fail the step (`tool_denied`), or go on without the tool. */
export type OnDenied = 'fail' | 'skip';

/** An agent's access and trust settings. */
export interface AgentAccess {
  /** Roles whose tools the agent may call (scenario `roles:`). Empty = none. */
  readonly roles: readonly string[];
  /** The agent's own `toolPolicy.onDenied`; null = the scenario's. */
  readonly onDenied: OnDenied | null;
  /** Default `standard`. */
  readonly trust: TrustLevel;
  /** Probability that an injection in what the agent reads is carried forward in its output. Default 0. */
  readonly injectionCarry: number;
  /** Privileged tool call made when an injection reaches the agent (elevated agents only); null = none. */
  readonly injectionAction: string | null;
}

/** The scenario's access and trust settings. */
export interface ScenarioAccess {
  /**
   * Tool-level RBAC: agent → the tools it may call (names, or `prefix.*` wildcards), the union of
   * its roles' tools. null = RBAC off (no `roles:`): every tool is allowed.
   */
  readonly allowedTools: ReadonlyMap<string, readonly string[]> | null;
  /** What a denied tool call does, unless the agent says otherwise. Default `fail`. */
  readonly onDenied: OnDenied;
  /** Sanitise untrusted inputs of elevated agents. Default false. */
  readonly sanitise: boolean;
  /** Probability that the sanitiser detects and strips one injection. Default 0.95. */
  readonly detection: number;
}

/** Terminology of the scenario: the shared glossary and the drift without it. */
export interface Terminology {
  /** Terms every agent uses exactly (labels, findings); empty = no glossary. Sorted. */
  readonly glossary: readonly string[];
  /** Share of outputs naming a label or finding outside the glossary by a synonym. Default 0. */
  readonly drift: number;
}
