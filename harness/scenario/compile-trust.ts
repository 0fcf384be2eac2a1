import type { z } from 'zod';
import { namesHint, type IssueCollector } from './issues.ts';
import type { agentInputSchema } from './schema/scenario.ts';
import { trustSectionSchemas } from './schema/trust.ts';
import type { CompiledAgent } from './types.ts';
import type { AgentAccess, ScenarioAccess, Terminology } from './trust-types.ts';
import { FrozenMap } from './freeze.ts';

/** An agent's access and trust keys, as validated by `agentInputSchema`. */
type AgentTrustInput = Pick<z.output<typeof agentInputSchema>, 'accessRoles' | 'toolPolicy' | 'trust' | 'injectionCarry' | 'injectionAction'>;

/** An agent's access and trust settings with their defaults (references are checked by `compileScenarioTrust`). */
export function compileAgentAccess(input: AgentTrustInput): AgentAccess {
  return {
    roles: input.accessRoles ?? [],
    onDenied: input.toolPolicy?.onDenied ?? null,
    trust: input.trust,
    injectionCarry: input.injectionCarry,
    injectionAction: input.injectionAction ?? null,
  };
}

/**
 * The scenario's access and trust sections (`roles`, `toolPolicy`, `sanitise`, `sanitiser`,
 * `glossary`, `terminologyDrift`), each parsed on its own, and the checks across agents: every
 * agent's `accessRoles` names a defined role, and only an elevated agent has an `injectionAction`.
 * Problems go to `issues`; the values returned are only meaningful when none was recorded.
 */
export function compileScenarioTrust(
  raw: Readonly<Record<string, unknown>>,
  agents: ReadonlyMap<string, CompiledAgent>,
  issues: IssueCollector,
): { access: ScenarioAccess; terminology: Terminology } {
  const sections = trustSectionSchemas;
  const value = (key: string): unknown => raw[key] ?? undefined;
  const roles = issues.parse(sections.roles, value('roles'), ['roles']);
  const toolPolicy = issues.parse(sections.toolPolicy, value('toolPolicy'), ['toolPolicy']);
  const sanitise = issues.parse(sections.sanitise, value('sanitise'), ['sanitise']);
  const sanitiser = issues.parse(sections.sanitiser, value('sanitiser'), ['sanitiser']);
  const glossary = issues.parse(sections.glossary, value('glossary'), ['glossary']);
  const drift = issues.parse(sections.terminologyDrift, value('terminologyDrift'), ['terminologyDrift']);

  const roleNames = Object.keys(roles ?? {});
  let allowedTools: Map<string, readonly string[]> | null = roles === undefined ? null : new Map();
  for (const agent of agents.values()) {
    const access = agent.access;
    access.roles.forEach((role, index) => {
      if (roles === undefined) issues.add(['agents', agent.name, 'accessRoles', index], `role '${role}' is not defined: the scenario has no 'roles:'`);
      else if (!(role in roles)) issues.add(['agents', agent.name, 'accessRoles', index], `role '${role}' is not defined${namesHint(role, roleNames, 'defined')}`);
    });
    if (access.injectionAction !== null && access.trust !== 'elevated') {
      issues.add(['agents', agent.name, 'injectionAction'], `only applies to an agent with trust: elevated (${agent.name} is ${access.trust})`);
    }
    if (roles !== undefined) {
      const tools = new Set(access.roles.flatMap((role) => roles[role] ?? []));
      allowedTools?.set(agent.name, [...tools].sort());
    }
  }
  if (allowedTools !== null) allowedTools = new FrozenMap(allowedTools);
  return {
    access: {
      allowedTools,
      onDenied: toolPolicy?.onDenied ?? 'fail',
      sanitise: sanitise ?? false,
      detection: sanitiser?.detection ?? 0.95,
    },
    terminology: { glossary: Object.keys(glossary ?? {}).sort(), drift: drift ?? 0 },
  };
}
