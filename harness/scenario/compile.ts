import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { require as tsxRequire } from 'tsx/cjs/api';
import type { z } from 'zod';
import type { AgentReference, PatternCatalog } from './pattern-config.ts';
import { HarnessError, ScenarioError, type ScenarioIssue } from '../kernel/errors.ts';
import { compileAgents, compileModels } from './compile-agents.ts';
import { compileComposition, reportInlinePatterns } from './compile-composition.ts';
import { compileLoad } from './compile-load.ts';
import { checkMerges } from './merge-checks.ts';
import { compileBudgets } from './compile-reliability.ts';
import { compilePrivacy } from './schema/privacy.ts';
import { compileScenarioTrust } from './compile-trust.ts';
import { compileScenarioState } from './compile-state.ts';
import { parseThreshold } from './thresholds.ts';
import { deepFreeze, FrozenMap } from './freeze.ts';
import { IssueCollector, namesHint, unknownKey } from './issues.ts';
import { BASE_VARIANT, VARIANT_NAME, VARIANT_SECTIONS, variantDocument } from './variants.ts';
import { formatFieldPath, parseScenarioSource } from './positions.ts';
import { scenarioSectionSchemas, SCENARIO_SECTIONS, type casesInputSchema, type scoringInputSchema } from './schema/scenario.ts';
import {
  PATTERN_NAMES,
  type CaseSource,
  type CaseSpec,
  type CompiledAgent,
  type CompiledScenario,
  type CustomScoreFunction,
  type PatternName,
  type ScorerSpec,
} from './types.ts';

/** Options of the scenario compiler. */
export interface CompileOptions {
  /**
   * Patterns that can be run, by name. No default here (the scenario layer does not import the
   * executors): harness/run/load-scenario.ts passes every implemented pattern (`patterns/index.ts`).
   */
  readonly patterns: PatternCatalog;
}

/**
 * Compiles scenario YAML into a validated, defaulted, deep-frozen `CompiledScenario`.
 * Throws one `ScenarioError` listing every problem found, each with its file position.
 * `file` is only used in messages and recorded as `CompiledScenario.file`.
 */
export function compileScenarioText(text: string, file: string, options: CompileOptions): CompiledScenario {
  const source = parseScenarioSource(text, file);
  const issues = new IssueCollector(file, source);
  issues.addIssues(source.syntaxIssues);
  issues.throwIfAny();
  const raw = source.value;
  if (raw === undefined || raw === null) issues.add([], 'the scenario file is empty');
  else if (!isRecord(raw)) issues.add([], 'a scenario must be a map of settings (name, agents, cases, patterns, …)');
  issues.throwIfAny();
  const document = raw as Record<string, unknown>;
  const patterns = options.patterns;

  // Each variant is the scenario with its overrides merged in, compiled in full; its issues are
  // reported at its own settings. Every document's issues are collected before anything throws.
  const variantIssues: ScenarioIssue[] = [];
  const variants = new Map<string, CompiledScenario>();
  for (const [name, override] of variantOverrides(document, issues)) {
    const collector = new IssueCollector(file, source, ['variants', name]);
    try {
      variants.set(name, compileDocument(variantDocument(document, override), file, collector, patterns, name, new Map()));
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      variantIssues.push(...collector.issues);
    }
  }
  const { variants: _variants, ...base } = document;
  let scenario: CompiledScenario | undefined;
  let baseIssues: readonly ScenarioIssue[] = [];
  try {
    scenario = compileDocument(base, file, issues, patterns, BASE_VARIANT, variants);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    baseIssues = error.issues;
  }
  if (scenario === undefined || variantIssues.length > 0) {
    throw new ScenarioError([...baseIssues, ...variantIssues].sort((a, b) => a.line - b.line || a.column - b.column));
  }
  return scenario;
}

/**
 * The `variants:` section, checked: a map of names (not `base`) to maps of the sections a variant
 * may override. Problems are recorded in `issues`; only well-formed variants are returned.
 */
function variantOverrides(document: Readonly<Record<string, unknown>>, issues: IssueCollector): [string, Record<string, unknown>][] {
  const raw = document['variants'];
  if (raw === undefined || raw === null) return [];
  if (!isRecord(raw)) {
    issues.add(['variants'], 'must be a map of variant name → overrides');
    return [];
  }
  const known: readonly string[] = VARIANT_SECTIONS;
  const result: [string, Record<string, unknown>][] = [];
  for (const [name, override] of Object.entries(raw)) {
    if (!VARIANT_NAME.test(name) || name === BASE_VARIANT) {
      issues.add(['variants', name], `variant names are lowercase letters, digits, '-' and '_', and not '${BASE_VARIANT}', got '${name}'`, 'key');
      continue;
    }
    if (!isRecord(override)) {
      issues.add(['variants', name], 'a variant is a map of the settings it overrides (agents, patterns, models, …)');
      continue;
    }
    let wellFormed = true;
    for (const key of Object.keys(override)) {
      if (known.includes(key)) continue;
      issues.add(['variants', name, key], unknownKey(key, known, Object.keys(override)), 'key');
      wellFormed = false;
    }
    if (wellFormed) result.push([name, override]);
  }
  return result;
}

/** Reads and compiles one scenario file. A missing file is a `SCENARIO_NOT_FOUND` `HarnessError`. */
export function compileScenarioFile(path: string, options: CompileOptions): CompiledScenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') {
      throw new HarnessError('SCENARIO_NOT_FOUND', `scenario file not found: ${path}`, { cause: error });
    }
    throw error;
  }
  return compileScenarioText(text, path, options);
}

function compileDocument(
  raw: Readonly<Record<string, unknown>>,
  file: string,
  issues: IssueCollector,
  patterns: PatternCatalog,
  variant: string,
  variants: ReadonlyMap<string, CompiledScenario>,
): CompiledScenario {
  const known: readonly string[] = SCENARIO_SECTIONS;
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) issues.add([key], unknownKey(key, known, Object.keys(raw)), 'key');
  }
  const sections = scenarioSectionSchemas;
  // An empty value (`agents:` with nothing after it) reads as an empty map, or as "use the default".
  const emptyAsMap = (key: string): unknown => raw[key] ?? (key in raw ? {} : undefined);
  const emptyAsDefault = (key: string): unknown => raw[key] ?? undefined;
  const name = issues.parse(sections.name, raw['name'], ['name']);
  const description = issues.parse(sections.description, emptyAsDefault('description'), ['description']);
  const seed = issues.parse(sections.seed, emptyAsDefault('seed'), ['seed']);
  const modelsInput = issues.parse(sections.models, emptyAsDefault('models'), ['models']);
  const models = compileModels(modelsInput ?? {}, issues);
  const agentsInput = issues.parse(sections.agents, emptyAsMap('agents'), ['agents']);
  const agents = agentsInput ? compileAgents(agentsInput, models, issues) : new Map<string, CompiledAgent>();
  const casesInput = issues.parse(sections.cases, emptyAsMap('cases'), ['cases']);
  checkCases(emptyAsMap('cases'), issues);
  const cases = casesInput ? compileCases(casesInput) : undefined;
  const extraLabels = issues.parse(sections.labels, emptyAsDefault('labels'), ['labels']);
  const patternsInput = issues.parse(sections.patterns, emptyAsMap('patterns'), ['patterns']);
  const agentNames = new Set(Object.keys(agentsInput ?? {}));
  const { configs: compiledPatterns, references } = patternsInput
    ? compilePatterns(patternsInput, agentNames, patterns, issues)
    : { configs: new Map<PatternName, unknown>(), references: new Map<PatternName, readonly AgentReference[]>() };
  checkMerges(references, agents, cases, issues);
  const accuracy = issues.parse(sections.accuracy, emptyAsDefault('accuracy'), ['accuracy']);
  const network = issues.parse(sections.network, emptyAsDefault('network'), ['network']);
  const scoring = issues.parse(sections.scoring, emptyAsDefault('scoring'), ['scoring']);
  const scorer = scoring ? compileScorer(scoring, file, issues) : undefined;
  const loadInput = issues.parse(sections.load, emptyAsDefault('load'), ['load']);
  const load = loadInput ? compileLoad(loadInput, issues) : undefined;
  const thresholds = issues.parse(sections.thresholds, emptyAsDefault('thresholds'), ['thresholds']);
  const minSuccess = issues.parse(sections.minSuccess, emptyAsDefault('minSuccess'), ['minSuccess']);
  const budgetsInput = issues.parse(sections.budgets, emptyAsDefault('budgets'), ['budgets']);
  const budgets = compileBudgets(budgetsInput, issues);
  const workflowTimeout = issues.parse(sections.workflowTimeout, emptyAsDefault('workflowTimeout'), ['workflowTimeout']);
  const state = compileScenarioState(raw, compiledPatterns, issues);
  const governance = compilePrivacy(raw, agents, issues);
  const trust = compileScenarioTrust(raw, agents, issues);
  thresholds?.forEach((text, index) => {
    const parsed = parseThreshold(text);
    if (!parsed.ok) issues.add(['thresholds', index], parsed.message);
  });
  issues.throwIfAny();

  const scenario: CompiledScenario = {
    name: defined(name),
    description: defined(description),
    file,
    seed: defined(seed),
    agents: new FrozenMap(agents),
    cases: defined(cases),
    labels: collectLabels(defined(cases), defined(extraLabels)),
    findings: collectFindings(defined(cases)),
    patterns: new FrozenMap(compiledPatterns),
    accuracy: defined(accuracy),
    hopOverheadMs: defined(network).hopOverhead,
    scorer: defined(scorer),
    models: new FrozenMap(models.profiles),
    variant,
    variants: new FrozenMap(variants),
    load: defined(load),
    thresholds: defined(thresholds),
    minSuccess: defined(minSuccess),
    budgets,
    workflowTimeoutMs: workflowTimeout ?? null,
    ...(state !== undefined && { state }),
    privacy: governance.privacy,
    audit: governance.audit,
    access: trust.access,
    terminology: trust.terminology,
    warnings: withVariantWarnings(issues.warnings, variants),
  };
  return deepFreeze(scenario);
}

/**
 * `own` warnings and those of each variant (located at the variant) that the scenario as written
 * does not have already (same field under the variant, same message), sorted by position.
 */
function withVariantWarnings(own: readonly ScenarioIssue[], variants: ReadonlyMap<string, CompiledScenario>): ScenarioIssue[] {
  const seen = new Set(own.map((warning) => `${warning.field}\n${warning.message}`));
  const all = [...own];
  for (const [name, variant] of variants) {
    const prefix = `${formatFieldPath(['variants', name])}.`;
    for (const warning of variant.warnings) {
      const field = warning.field.startsWith(prefix) ? warning.field.slice(prefix.length) : warning.field;
      if (!seen.has(`${field}\n${warning.message}`)) all.push(warning);
    }
  }
  return all.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * Checks on `cases:` that do not need it to be valid, so they are reported alongside other issues:
 * exactly one of `inline` or `generate`; inline ids (default `case-<n>`) unique.
 */
function checkCases(raw: unknown, issues: IssueCollector): void {
  if (!isRecord(raw)) return;
  if (raw['inline'] !== undefined && raw['generate'] !== undefined) {
    issues.add(['cases'], "give either 'inline' (a list of cases) or 'generate' (synthetic cases), not both");
  } else if (raw['inline'] === undefined && raw['generate'] === undefined) {
    // Other keys are misspellings, reported as unknown keys with a suggestion; say no more here.
    if (Object.keys(raw).length === 0) issues.add(['cases'], "must give 'inline' (a list of cases) or 'generate' (synthetic cases)");
  }
  const inline = raw['inline'];
  if (!Array.isArray(inline)) return;
  const firstUse = new Map<string, number>();
  inline.forEach((item: unknown, index) => {
    const given = isRecord(item) ? item['id'] : undefined;
    const id = typeof given === 'string' ? given : `case-${index + 1}`;
    const first = firstUse.get(id);
    if (first === undefined) firstUse.set(id, index);
    else {
      const path = typeof given === 'string' ? ['cases', 'inline', index, 'id'] : ['cases', 'inline', index];
      issues.add(path, `duplicate case id '${id}' (already used by ${formatFieldPath(['cases', 'inline', first])})`);
    }
  });
}

/** Builds the case source from a valid `cases:` (`checkCases` has reported its other problems). */
function compileCases(input: z.output<typeof casesInputSchema>): CaseSource | undefined {
  if (input.inline && input.generate) return undefined;
  if (input.generate) {
    const { count, labels = {}, inputTokens, findings, value, distinct, injections } = input.generate;
    const total = Object.values(labels).reduce((sum, weight) => sum + weight, 0);
    const normalised = Object.fromEntries(Object.entries(labels).map(([label, weight]) => [label, weight / total]));
    return {
      kind: 'generate',
      count,
      labels: normalised,
      inputTokens,
      findings: findings ? { pool: [...new Set(findings.pool)].sort(), rate: findings.rate, domainRates: findings.domainRates } : null,
      value: value ?? null,
      distinct: distinct ?? null,
      injections,
    };
  }
  if (!input.inline) return undefined;
  const items: CaseSpec[] = input.inline.map((item, index) => {
    const expected = {
      ...(item.expected.label !== undefined && { label: item.expected.label }),
      ...(item.expected.findings !== undefined && { findings: item.expected.findings }),
      ...(item.expected.value !== undefined && { value: item.expected.value }),
    };
    return { id: item.id ?? `case-${index + 1}`, inputTokens: item.inputTokens, input: item.input, expected };
  });
  return { kind: 'inline', items };
}

/**
 * `patterns:`: each name must be known and implemented; each configuration is validated by its
 * pattern's own schema (a hybrid's level by level, with its inline patterns; inline patterns
 * anywhere else are refused), and every agent it names must be defined. Returns the configurations and
 * the agents each names (for the merge checks).
 */
function compilePatterns(
  input: Readonly<Record<string, unknown>>,
  agentNames: ReadonlySet<string>,
  patterns: PatternCatalog,
  issues: IssueCollector,
): { configs: Map<PatternName, unknown>; references: Map<PatternName, readonly AgentReference[]> } {
  const compiled = new Map<PatternName, unknown>();
  const references = new Map<PatternName, readonly AgentReference[]>();
  const known: readonly string[] = PATTERN_NAMES;
  if (Object.keys(input).length === 0) issues.add(['patterns'], `must list at least one pattern (known: ${known.join(', ')})`);
  for (const [name, value] of Object.entries(input)) {
    if (!known.includes(name)) {
      issues.add(['patterns', name], `unknown pattern '${name}'${namesHint(name, known)}`, 'key');
      continue;
    }
    const definition = patterns.get(name as PatternName);
    if (!definition) {
      issues.add(
        ['patterns', name],
        `pattern '${name}' is not implemented yet (implemented: ${[...patterns.keys()].join(', ') || 'none'})`,
        'key',
      );
      continue;
    }
    if (name === 'hybrid') {
      // A composed pattern: each level compiled by its own pattern's schema (compile-composition.ts).
      const section = compileComposition(value, agentNames, patterns, issues);
      if (section === undefined) continue;
      references.set(name, section.references);
      compiled.set(name, section.config);
      continue;
    }
    if (reportInlinePatterns(name, definition, value, issues)) continue;
    const config = issues.parse(definition.configSchema, value ?? {}, ['patterns', name]);
    if (config === undefined) continue;
    const named = definition.references(config);
    references.set(name as PatternName, named);
    for (const reference of named) {
      if (agentNames.has(reference.agent)) continue;
      const hint = namesHint(reference.agent, [...agentNames], 'defined');
      issues.add(['patterns', name, ...reference.path], `agent '${reference.agent}' is not defined${hint}`);
    }
    compiled.set(name as PatternName, config);
  }
  return { configs: compiled, references };
}

/** Every label an agent can answer with: case labels, generator labels and `labels:`, sorted. */
function collectLabels(cases: CaseSource, extra: readonly string[]): string[] {
  const labels = new Set(extra);
  if (cases.kind === 'generate') for (const label of Object.keys(cases.labels)) labels.add(label);
  else for (const item of cases.items) if (item.expected.label !== undefined) labels.add(item.expected.label);
  return [...labels].sort();
}

/** Every finding an agent can report: inline expected findings and the generator's pool, sorted. */
function collectFindings(cases: CaseSource): string[] {
  if (cases.kind === 'generate') return [...(cases.findings?.pool ?? [])];
  const findings = new Set<string>();
  for (const item of cases.items) for (const finding of item.expected.findings ?? []) findings.add(finding);
  return [...findings].sort();
}

/**
 * `scoring:` with its defaults. A custom scorer's module is resolved against the scenario file's
 * folder and loaded now (TypeScript through tsx), so a missing file or export is reported at
 * `scoring.module` / `scoring.export` before anything runs.
 */
function compileScorer(input: z.output<typeof scoringInputSchema>, file: string, issues: IssueCollector): ScorerSpec | undefined {
  switch (input.scorer) {
    case 'exact-label':
      return { kind: 'exact-label' };
    case 'set-overlap':
      return { kind: 'set-overlap', passAt: input.passAt ?? 0.8 };
    case 'numeric-tolerance':
      return { kind: 'numeric-tolerance', tolerance: input.tolerance ?? 0.01, absolute: input.absolute ?? false };
    case 'custom': {
      const module = input.module;
      if (module === undefined) return undefined;
      const exportName = input.export ?? 'score';
      const path = resolve(dirname(resolve(file)), module);
      if (!existsSync(path)) {
        issues.add(['scoring', 'module'], `custom scorer module not found: ${path}`);
        return undefined;
      }
      let loaded: unknown;
      try {
        loaded = tsxRequire(path, import.meta.url);
      } catch (error) {
        issues.add(['scoring', 'module'], `custom scorer module failed to load: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
      const score = (loaded as Record<string, unknown> | null)?.[exportName];
      if (typeof score !== 'function') {
        issues.add(input.export === undefined ? ['scoring', 'module'] : ['scoring', 'export'], `${module} has no exported function '${exportName}'`);
        return undefined;
      }
      return { kind: 'custom', module, export: exportName, score: score as CustomScoreFunction };
    }
  }
}

/** Narrows a value the compiler has already checked (an issue was recorded and thrown otherwise). */
function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('scenario compiler: value missing although no issue was recorded');
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
