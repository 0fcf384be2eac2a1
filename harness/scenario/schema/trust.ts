import { z } from 'zod';

/**
 * Schemas of the access and trust settings (issue 7): tool-level RBAC (`roles:`, `toolPolicy:`,
 * an agent's `accessRoles:`), trust boundaries against prompt injection (an agent's `trust:`,
 * `injectionCarry:`, `injectionAction:`; the scenario's `sanitise:` and `sanitiser:`) and the shared
 * glossary (`glossary:`, `terminologyDrift:`). Compiled by harness/scenario/compile-trust.ts.
 */

const probability = z.number().min(0).max(1);

/** A tool name, or a namespace wildcard `prefix.*` (every tool whose name starts with `prefix.`). */
const toolPattern = z.string().min(1);

/** `toolPolicy:` of a scenario or an agent. */
export const toolPolicyInputSchema = z
  .strictObject({
    onDenied: z
      .enum(['fail', 'skip'])
      .default('fail')
      .describe('A denied tool call fails the step (fail, error.type tool_denied; default) or the agent goes on without the tool (skip).'),
  })
  .meta({ id: 'ToolPolicy', description: 'What a tool call that RBAC denies does.' });

/** Trust levels of agents, least trusted first. */
export const TRUST_LEVELS = ['untrusted', 'standard', 'elevated'] as const;

/** Keys an agent may carry besides its core ones (spread into `agentInputSchema`). */
export const agentTrustInputShape = {
  accessRoles: z
    .array(z.string().min(1))
    .optional()
    .describe("Roles (from the scenario's `roles:`) whose tools the agent may call. With `roles:` defined, an agent without one may call no tool."),
  toolPolicy: toolPolicyInputSchema.optional().describe("Overrides the scenario's toolPolicy for this agent."),
  trust: z
    .enum(TRUST_LEVELS)
    .default('standard')
    .describe('untrusted (handles user-submitted data), standard (default) or elevated (privileged access: sanitised inputs when `sanitise: true`).'),
  injectionCarry: probability
    .default(0)
    .describe('Probability that an injected instruction in what the agent reads is carried forward in its output. Default 0.'),
  injectionAction: z
    .string()
    .min(1)
    .optional()
    .describe('Privileged tool call an elevated agent makes when an injection reaches it (the harm measured). Default none.'),
} as const;

/** Top-level sections of access and trust (spread into `scenarioSectionSchemas`). */
export const trustSectionSchemas = {
  roles: z
    .record(z.string().min(1), z.array(toolPattern))
    .optional()
    .describe('Tool-level RBAC: role → tools it allows (a name, or `prefix.*`). Default none (RBAC off: every tool allowed).'),
  toolPolicy: toolPolicyInputSchema.prefault({}),
  sanitise: z
    .boolean()
    .default(false)
    .describe('Sanitise what untrusted sources (the case, outputs of untrusted agents) hand to elevated agents. Default false.'),
  sanitiser: z
    .strictObject({
      detection: probability.default(0.95).describe('Probability that the sanitiser detects and strips one injection. Default 0.95.'),
    })
    .prefault({})
    .describe('The sanitiser applied when `sanitise: true`.'),
  glossary: z
    .record(z.string().min(1), z.string())
    .optional()
    .describe('Shared glossary: term (label or finding) → definition. Agents use these terms exactly (no terminology drift). Default none.'),
  terminologyDrift: probability
    .default(0)
    .describe("Share of agent outputs that name a label or finding by a synonym (a term outside the glossary). Default 0."),
} as const;

/** Names of the sections above (variants may override each). */
export const TRUST_SECTIONS = Object.keys(trustSectionSchemas) as (keyof typeof trustSectionSchemas)[];

/**
 * The shape of top-level sections `keys` as a variant may override them, for the JSON Schema: any
 * value (each is checked in full when the variant compiles). Shared by the sections' own files.
 */
export function variantShapeOf<K extends string>(keys: readonly K[]): Record<K, z.ZodOptional<z.ZodUnknown>> {
  return Object.fromEntries(keys.map((key) => [key, z.unknown().optional()])) as Record<K, z.ZodOptional<z.ZodUnknown>>;
}

/** The sections above as a variant may override them. */
export const trustVariantShape = variantShapeOf(TRUST_SECTIONS);
