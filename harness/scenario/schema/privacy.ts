import { z } from 'zod';
import type { IssueCollector } from '../issues.ts';
import type { CompiledAgent, PrivacyPolicy } from '../types.ts';

/**
 * The privacy and governance sections of a scenario: data classes of case fields, where each class
 * may be processed, masking at agent boundaries and the audit trail. Compiled into
 * `CompiledScenario.privacy` and `.audit` (harness/governance/pii.ts and harness/governance/audit.ts use them).
 */

/** A switch written `on`/`off` (or `true`/`false`). */
const onOffSchema = z.union([z.boolean(), z.enum(['on', 'off']).transform((value) => value === 'on')]);

/** Data class names: lowercase letters, digits and `_` (`name`, `email`, `account_number`, `diagnosis`). */
const DATA_CLASS = /^[a-z][a-z0-9_]*$/;

const dataClassSchema = z.string().regex(DATA_CLASS, {
  error: (issue) => `a data class is lowercase letters, digits and '_' (name, email, account_number, …), got ${JSON.stringify(issue.input)}`,
});

/** Top-level sections (spread into `scenarioSectionSchemas`). */
export const privacySectionSchemas = {
  dataClasses: z
    .record(z.string().min(1), dataClassSchema)
    .default({})
    .describe('Case input field → data class (name, email, account_number, diagnosis, …). Fields with a class are masked for agents that do not `need` them. Default none.'),
  dataClassRegions: z
    .record(dataClassSchema, z.array(z.string().min(1)).min(1))
    .default({})
    .describe("Data class → regions its values may be sent to (a model profile's region, or a prefix of it: eu allows eu-west-1). A class not listed may go anywhere. Default none."),
  masking: onOffSchema
    .optional()
    .describe('Mask data-class fields at agent boundaries and in everything recorded: on (default when dataClasses are given) or off.'),
  audit: onOffSchema
    .optional()
    .describe('Write the hash-chained audit trail (agent calls, messages, tool calls, masking decisions): on or off. Default on when the scenario sets dataClasses, roles or sanitise, else off.'),
} as const;

/** Names of the sections above (variants may override each). */
export const PRIVACY_SECTIONS = Object.keys(privacySectionSchemas) as (keyof typeof privacySectionSchemas)[];

/** The sections above as a variant may override them (checked in full when the variant compiles). */
export const privacyVariantShape = Object.fromEntries(PRIVACY_SECTIONS.map((key) => [key, z.unknown().optional()])) as Record<
  keyof typeof privacySectionSchemas,
  z.ZodOptional<z.ZodUnknown>
>;

/** Keys an agent may carry besides its core ones (spread into `agentInputSchema`). */
export const agentPrivacyInputShape = {
  needs: z
    .array(z.string().min(1))
    .default([])
    .describe('Case input fields with a data class this agent receives unmasked; every other classed field is masked for it. Default none.'),
} as const;

type PrivacyInput = { [K in keyof typeof privacySectionSchemas]: z.output<(typeof privacySectionSchemas)[K]> | undefined };

/**
 * The scenario's privacy policy (null when it gives no `dataClasses`) and whether it audits.
 * Checks that every agent's `needs` names a classed field and every class with regions is used.
 */
export function compilePrivacy(
  raw: Readonly<Record<string, unknown>>,
  agents: ReadonlyMap<string, CompiledAgent>,
  issues: IssueCollector,
): { privacy: PrivacyPolicy | null; audit: boolean } {
  const input: Partial<PrivacyInput> = {};
  for (const key of PRIVACY_SECTIONS) {
    (input as Record<string, unknown>)[key] = issues.parse(privacySectionSchemas[key], raw[key] ?? undefined, [key]);
  }
  const dataClasses = input.dataClasses ?? {};
  const regions = input.dataClassRegions ?? {};
  const classes = new Set(Object.values(dataClasses));
  for (const name of Object.keys(regions)) {
    if (!classes.has(name)) issues.add(['dataClassRegions', name], `no field has data class '${name}' (classes in dataClasses: ${[...classes].join(', ') || 'none'})`, 'key');
  }
  for (const agent of agents.values()) {
    agent.needs.forEach((field, index) => {
      if (dataClasses[field] === undefined) {
        issues.add(['agents', agent.name, 'needs', index], `'${field}' has no data class (fields in dataClasses: ${Object.keys(dataClasses).join(', ') || 'none'})`);
      }
    });
  }
  if (input.masking === true && Object.keys(dataClasses).length === 0) issues.add(['masking'], 'masking needs dataClasses: the case fields to mask and their classes');
  // Auditing writes three rows per agent call: on by default where the scenario governs data or
  // tools (data classes, roles, trust levels, sanitisation), off for plain pattern comparisons.
  const governed = ['dataClasses', 'roles', 'sanitise'].some((key) => raw[key] !== undefined) || [...agents.values()].some((agent) => agent.needs.length > 0);
  const audit = input.audit ?? governed;
  if (Object.keys(dataClasses).length === 0) return { privacy: null, audit };
  return { privacy: { dataClasses, regions, masking: input.masking ?? true }, audit };
}
