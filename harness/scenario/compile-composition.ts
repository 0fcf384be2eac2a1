import { MAX_NESTING_DEPTH, type CompiledComposition } from './composition.ts';
import { namesHint, type IssueCollector } from './issues.ts';
import type { AgentReference, NestingSlot, PatternCatalog, PatternConfig } from './pattern-config.ts';
import { formatFieldPath, type PathSegment } from './positions.ts';
import { PURE_PATTERN_NAMES, type PurePatternName } from './types.ts';

/** A compiled pattern section: its configuration and every agent it names (paths from the section). */
export interface CompiledSection {
  readonly config: unknown;
  readonly references: readonly AgentReference[];
}

/** What every level of one composition is compiled against. */
interface Context {
  readonly agentNames: ReadonlySet<string>;
  readonly patterns: PatternCatalog;
  readonly issues: IssueCollector;
}

const SECTION: readonly PathSegment[] = ['patterns', 'hybrid'];

/**
 * `patterns.hybrid`: one pure pattern whose nestable slots (`PatternConfig.nestable`) may hold
 * inline patterns, compiled level by level. Each level is validated by its pattern's own schema
 * once its inline patterns are replaced by their names, and each agent it names must be defined;
 * problems are located at their field (`patterns.hybrid.sequential.steps[1].fanout.workers[2]`).
 * References come back with paths from `patterns.hybrid` and merge groups made distinct per level.
 * Returns undefined when the section had issues.
 */
export function compileComposition(
  value: unknown,
  agentNames: ReadonlySet<string>,
  patterns: PatternCatalog,
  issues: IssueCollector,
): CompiledSection | undefined {
  const before = issues.count;
  const level = compileLevel(value, [], '', 0, { agentNames, patterns, issues });
  if (level === undefined || issues.count > before) return undefined;
  return { config: level.composition, references: level.references };
}

/**
 * Reports inline patterns in a pure pattern's section (`patterns.sequential.steps[1]` being a
 * map): composing patterns makes a hybrid, written under `patterns.hybrid`. True when there were.
 */
export function reportInlinePatterns(name: string, definition: PatternConfig<unknown>, value: unknown, issues: IssueCollector): boolean {
  let found = false;
  for (const slot of definition.nestable ?? []) {
    for (const entry of slotEntries(value, slot)) {
      if (!isRecord(entry.value) || isAgentEntry(entry.value)) continue;
      issues.add(
        ['patterns', name, ...entry.path],
        `an inline pattern makes a composed pattern: write it under 'patterns.hybrid' (hybrid: { ${name}: { … } }), so that it is compared as its own row`,
      );
      found = true;
    }
  }
  return found;
}

/**
 * One level: `value` is `{ <pattern>: <section> }` at `within` (from `patterns.hybrid`), standing in
 * slot `at` ('' for the outer pattern), `depth` levels down.
 */
function compileLevel(
  value: unknown,
  within: readonly PathSegment[],
  at: string,
  depth: number,
  context: Context,
): { composition: CompiledComposition; references: AgentReference[] } | undefined {
  const { issues, patterns } = context;
  const here = [...SECTION, ...within];
  const keys = isRecord(value) ? Object.keys(value) : [];
  if (!isRecord(value) || keys.length !== 1) {
    const got = keys.length === 0 ? 'nothing' : keys.join(', ');
    issues.add(here, `must name exactly one pattern, as in { fanout: { workers: [...] } } (got ${got})`);
    return undefined;
  }
  const pattern = keys[0] as string;
  const known: readonly string[] = PURE_PATTERN_NAMES;
  if (pattern === 'hybrid') {
    issues.add([...here, pattern], "'hybrid' does not nest: name the pattern itself (sequential, fanout, router, supervisor or single-agent)", 'key');
    return undefined;
  }
  if (!known.includes(pattern)) {
    issues.add([...here, pattern], `unknown pattern '${pattern}'${namesHint(pattern, known)}`, 'key');
    return undefined;
  }
  const definition = patterns.get(pattern as PurePatternName);
  if (definition === undefined) {
    issues.add([...here, pattern], `pattern '${pattern}' is not implemented yet`, 'key');
    return undefined;
  }
  if (depth > MAX_NESTING_DEPTH) {
    issues.add([...here, pattern], `patterns nest at most ${MAX_NESTING_DEPTH} deep; this one is ${depth} deep`, 'key');
    return undefined;
  }
  const name = at === '' ? pattern : `${at}.${pattern}`;
  const sectionPath = [...within, pattern];
  const nested: Record<string, CompiledComposition> = {};
  const references: AgentReference[] = [];
  // Slots whose inline pattern had issues: their stand-in names are not agents to look up.
  const invalid = new Set<string>();
  let section: unknown = value[pattern] ?? {};
  for (const slot of definition.nestable ?? []) {
    for (const entry of slotEntries(section, slot)) {
      if (!isRecord(entry.value) || isAgentEntry(entry.value)) continue;
      const slotAt = `${name}.${formatFieldPath(entry.path)}`;
      const child = compileLevel(entry.value, [...sectionPath, ...entry.path], slotAt, depth + 1, context);
      const standIn = child?.composition.name ?? `${slotAt}.?`;
      if (child === undefined) invalid.add(standIn);
      else {
        nested[standIn] = child.composition;
        references.push(...child.references);
      }
      section = replaceAt(section, entry.path, standIn);
    }
  }
  const config = issues.parse(definition.configSchema, section, [...SECTION, ...sectionPath]);
  if (config === undefined) return undefined;
  for (const reference of definition.references(config)) {
    if (reference.agent in nested || invalid.has(reference.agent)) continue;
    if (!context.agentNames.has(reference.agent)) {
      const hint = namesHint(reference.agent, [...context.agentNames], 'defined');
      issues.add([...SECTION, ...sectionPath, ...reference.path], `agent '${reference.agent}' is not defined${hint}`);
    }
    const path = [...sectionPath, ...reference.path];
    // Each level merges its own agents: groups of different levels are checked apart.
    references.push(reference.merge === undefined ? { path, agent: reference.agent } : { path, agent: reference.agent, merge: `${name}:${reference.merge}` });
  }
  return { composition: { pattern: pattern as PurePatternName, name, at, depth, config, nested }, references };
}

/** The values at `slot` inside `value` (`'*'`: every item of a list or key of a map), with their paths. */
function slotEntries(value: unknown, slot: NestingSlot): { path: PathSegment[]; value: unknown }[] {
  let entries: { path: PathSegment[]; value: unknown }[] = [{ path: [], value }];
  for (const segment of slot) {
    const next: { path: PathSegment[]; value: unknown }[] = [];
    for (const entry of entries) {
      if (segment === '*' && Array.isArray(entry.value)) entry.value.forEach((item: unknown, index) => next.push({ path: [...entry.path, index], value: item }));
      else if (segment === '*' && isRecord(entry.value)) for (const [key, item] of Object.entries(entry.value)) next.push({ path: [...entry.path, key], value: item });
      else if (segment !== '*' && isRecord(entry.value) && segment in entry.value) next.push({ path: [...entry.path, segment], value: entry.value[segment] });
    }
    entries = next;
  }
  return entries;
}

/** A copy of `value` with the field at `path` replaced by `replacement` (the original is left as it is). */
function replaceAt(value: unknown, path: readonly PathSegment[], replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (Array.isArray(value) && typeof head === 'number') return value.map((item: unknown, index) => (index === head ? replaceAt(item, rest, replacement) : item));
  if (isRecord(value)) return { ...value, [head]: replaceAt(value[head], rest, replacement) };
  return value;
}

/** A map naming an `agent` is an agent's entry with options (a speculative step: patterns/speculation.ts), not an inline pattern. */
function isAgentEntry(value: Record<string, unknown>): boolean {
  return 'agent' in value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
