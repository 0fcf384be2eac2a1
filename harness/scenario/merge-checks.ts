import type { IssueCollector } from './issues.ts';
import type { AgentReference } from './pattern-config.ts';
import type { CaseSource, CompiledAgent, OutputKind, PatternName } from './types.ts';

/**
 * Checks on the merges of the patterns (fan-out workers, a supervisor's subtasks): a merge turns
 * several agents' answers into one, and the scorer judges that one against the case, so the agents
 * must answer the same thing. The simulated agent acts out the case's whole expected outcome
 * whatever its job (in a chain, an intermediate step's answer stands for whether its work was
 * right), so a vote of an extractor, a validator and an approver on approve/hold/reject scores like
 * three approvers. Two checks, per group of merged agents:
 * - agents that declare `outputs:` must declare the same: an error (the declarations contradict
 *   the merge);
 * - when the cases have a label or a value (parts merged as one answer; findings merge domain by
 *   domain, each worker covering its own), agents with different roles, not all declaring their
 *   outputs, get a warning (a guess from the roles, silenced by declaring the same `outputs:`).
 */
export function checkMerges(
  references: ReadonlyMap<PatternName, readonly AgentReference[]>,
  agents: ReadonlyMap<string, CompiledAgent>,
  cases: CaseSource | undefined,
  issues: IssueCollector,
): void {
  const parts = cases === undefined ? [] : singleAnswerParts(cases);
  for (const [pattern, list] of references) {
    const groups = new Map<string, Member[]>();
    for (const reference of list) {
      const agent = agents.get(reference.agent);
      if (reference.merge === undefined || agent === undefined) continue;
      const group = groups.get(reference.merge) ?? [];
      group.push({ reference, agent });
      groups.set(reference.merge, group);
    }
    for (const members of groups.values()) {
      const path = (member: Member) => ['patterns', pattern, ...member.reference.path];
      const conflict = declaredConflict(members);
      if (conflict !== null) {
        const [first, other] = conflict;
        issues.add(
          path(other),
          `merges agents that declare different outputs: '${first.agent.name}' (outputs: ${show(first)}) and '${other.agent.name}' (outputs: ${show(other)}); ` +
            'agents whose answers one pattern merges must declare the same outputs',
        );
        continue;
      }
      const mixed = mixedRoles(members, parts);
      if (mixed === null) continue;
      const what = mixed.parts.join(' and ');
      issues.warn(
        path(mixed.at),
        `${pattern} merges the ${what} of agents with different roles (${mixed.names.join(', ')}): each is judged as if it answered the case's ${what}. ` +
          'If they answer the same question, declare the same `outputs:` on each; if not, chain them (sequential) or merge only the agents that answer it',
      );
    }
  }
}

interface Member {
  readonly reference: AgentReference;
  readonly agent: CompiledAgent;
}

/** Parts of the cases' expected outcome a merge makes one answer of: label and value (findings merge by domain). */
function singleAnswerParts(cases: CaseSource): OutputKind[] {
  let label = false;
  let value = false;
  if (cases.kind === 'generate') {
    label = Object.keys(cases.labels).length > 0;
    value = cases.value !== null;
  } else {
    label = cases.items.some((item) => item.expected.label !== undefined);
    value = cases.items.some((item) => item.expected.value !== undefined);
  }
  return [...(label ? (['label'] as const) : []), ...(value ? (['value'] as const) : [])];
}

/** The first declaring member and the first whose declaration differs from it, or null. */
function declaredConflict(members: readonly Member[]): [Member, Member] | null {
  const declared = members.filter((member) => member.agent.outputs !== null);
  const first = declared[0];
  if (first === undefined) return null;
  const other = declared.find((member) => show(member) !== show(first));
  return other === undefined ? null : [first, other];
}

/**
 * Members answering one of `parts` whose roles differ, unless they all declare their outputs:
 * the distinct agents' names, and the first member whose role differs from the first one's.
 */
function mixedRoles(members: readonly Member[], parts: readonly OutputKind[]): { names: string[]; at: Member; parts: readonly OutputKind[] } | null {
  if (parts.length === 0) return null;
  const answering = members.filter((member) => member.agent.outputs === null || member.agent.outputs.some((kind) => parts.includes(kind)));
  const first = answering[0];
  if (first === undefined || answering.every((member) => member.agent.outputs !== null)) return null;
  const at = answering.find((member) => member.agent.role !== first.agent.role);
  if (at === undefined) return null;
  const merged = parts.filter((part) => answering.some((member) => member.agent.outputs === null || member.agent.outputs.includes(part)));
  return { names: [...new Set(answering.map((member) => member.agent.name))], at, parts: merged };
}

function show(member: Member): string {
  return `[${(member.agent.outputs ?? []).join(', ')}]`;
}
