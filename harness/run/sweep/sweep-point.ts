/**
 * A point of a sweep applied to a scenario: the scenario's YAML document with some fields set
 * (`PointAssignment`s), compiled through the normal compiler, so every validation applies. A path
 * is checked against the file first (`checkSweepPath`): it must lead to a number (or a duration or
 * rate) or to a field the file leaves out; an agent, pattern or variant it names must exist.
 * Problems are `ScenarioError`s located at the path in the file (or its nearest parent), naming the
 * path and why.
 */
import { readFileSync } from 'node:fs';
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { HarnessError, ScenarioError, type ScenarioIssue } from '../../kernel/errors.ts';
import { BUILTIN_PROFILES } from '../../scenario/model-profiles.ts';
import { formatFieldPath, parseScenarioSource, type PathSegment } from '../../scenario/positions.ts';
import { DURATION_PATTERN } from '../../scenario/schema/distributions.ts';
import { RATE_PATTERN } from '../../scenario/schema/load.ts';
import type { CompiledScenario } from '../../scenario/types.ts';
import { compileScenarioText } from '../load-scenario.ts';

/** A scenario file read for a sweep. */
export interface SweepSource {
  /** The path as given (used in messages and recorded as the scenario's file). */
  readonly file: string;
  readonly text: string;
}

/** A value the YAML document can hold (what an assignment writes). */
export type YamlValue = number | string | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/** One field set at a point. */
export interface PointAssignment {
  readonly segments: readonly PathSegment[];
  /** What is written there: a number, a duration or rate string (`250ms`, `12/s`), or a whole map (a scaled distribution). */
  readonly value: YamlValue;
}

/** Reads a scenario file; a missing one is `SCENARIO_NOT_FOUND`. */
export function readSweepSource(file: string): SweepSource {
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (error) {
    throw new HarnessError('SCENARIO_NOT_FOUND', `scenario file not found: ${file}`, { cause: error });
  }
}

/** Top-level sections whose first key names something that must already be defined. */
const NAMED_SECTIONS: Readonly<Record<string, string>> = { agents: 'agent', patterns: 'pattern', variants: 'variant' };

/** What a path leads to in the file. */
export type FieldAtPath =
  /** A number, or a duration or rate string, as written. */
  | { readonly kind: 'present'; readonly value: number | string }
  /** A field the file leaves out (its default applies): setting it adds it. */
  | { readonly kind: 'absent' };

/**
 * Checks that `segments` can be swept in `source`: it leads to a number (or a duration or rate) or
 * to a field the file leaves out, through maps and lists that exist, naming a defined agent,
 * pattern or variant (and a model profile that is built in or defined). Throws a located
 * `ScenarioError` (field: the path) saying why not: an unknown name, a missing list item, a value
 * that is not numeric (a map, a list, text), or a path through a YAML alias.
 */
export function checkSweepPath(source: SweepSource, segments: readonly PathSegment[]): FieldAtPath {
  const doc = parseDocument(source.text, { uniqueKeys: true });
  const path = formatFieldPath(segments);
  const fail = (why: string): never => {
    throw new ScenarioError([locatedIssue(source, segments, path, `--vary: ${why}`)]);
  };
  let node: unknown = doc.contents;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index] as PathSegment;
    const here = formatFieldPath(segments.slice(0, index));
    if (isAlias(node)) fail(`${here} is a YAML alias; sweep the field where its anchor is defined`);
    if (isScalar(node) && node.value === null) return { kind: 'absent' };
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) {
        checkNewName(segments, index, node.items.map((item) => (isPair(item) && isScalar(item.key) ? String(item.key.value) : '')), fail);
        return { kind: 'absent' };
      }
      node = pair.value;
    } else if (isSeq(node)) {
      if (typeof segment !== 'number') fail(`${here} is a list: give an item's index (${here}[0]), not '${segment}'`);
      const item: unknown = node.items[segment as number];
      if (item === undefined) fail(`${here} has no item [${segment}] (it has ${node.items.length})`);
      node = item;
    } else if (node === null || node === undefined) {
      return { kind: 'absent' };
    } else {
      fail(`${here} is ${describe(node)}, not a map with a field '${segment}'`);
    }
  }
  if (isAlias(node)) fail('it is a YAML alias; sweep the field where its anchor is defined');
  if (node === null || (isScalar(node) && node.value === null)) return { kind: 'absent' };
  if (isScalar(node)) {
    const value = node.value;
    if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'present', value };
    if (typeof value === 'string' && (DURATION_PATTERN.test(value) || RATE_PATTERN.test(value))) return { kind: 'present', value };
  }
  if (isMap(node)) {
    const fields = node.items.flatMap((item) => (isPair(item) && isScalar(item.key) && isScalar(item.value) && typeof item.value.value === 'number' ? [String(item.key.value)] : []));
    const hint = fields.length > 0 ? `: vary one of its numeric fields (${fields.map((field) => `${path}.${field}`).join(', ')})` : '';
    fail(`not numeric: it is a map${hint}`);
  }
  return fail(`not numeric: it is ${describe(node)}`);
}

/**
 * A map key at `segments[index]` that the file lacks (a whole section when `index` is 0): refused
 * where it would define a new agent, pattern, variant or unknown model profile.
 */
function checkNewName(segments: readonly PathSegment[], index: number, keys: readonly string[], fail: (why: string) => never): void {
  if (index > 1 || segments.length < 2) return;
  const section = String(segments[0]);
  const name = String(segments[1]);
  if (index === 0) keys = [];
  const what = NAMED_SECTIONS[section];
  if (what !== undefined) fail(`unknown ${what} '${name}' (${section}: ${keys.join(', ') || 'none'})`);
  if (section === 'models' && !BUILTIN_PROFILES.has(name)) {
    fail(`unknown model profile '${name}' (built in: ${[...BUILTIN_PROFILES.keys()].join(', ')}${keys.length > 0 ? `; defined: ${keys.join(', ')}` : ''})`);
  }
}

function describe(node: unknown): string {
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a map';
  if (isScalar(node)) return typeof node.value === 'string' ? `the text '${node.value}'` : `${JSON.stringify(node.value)}`;
  return 'not a value';
}

/** An issue at `segments` in the file (its nearest existing parent when absent). */
function locatedIssue(source: SweepSource, segments: readonly PathSegment[], field: string, message: string): ScenarioIssue {
  const { line, column } = parseScenarioSource(source.text, source.file).locate(segments, 'value');
  return { file: source.file, line, column, field, message };
}

/** The scenario's YAML with every assignment set (the source's own text when there are none). */
export function scenarioTextAt(source: SweepSource, assignments: readonly PointAssignment[]): string {
  if (assignments.length === 0) return source.text;
  const doc: Document = parseDocument(source.text, { uniqueKeys: true });
  for (const assignment of assignments) {
    try {
      doc.setIn([...assignment.segments], doc.createNode(assignment.value));
    } catch (error) {
      const path = formatFieldPath(assignment.segments);
      throw new ScenarioError([locatedIssue(source, assignment.segments, path, `--vary: cannot set it (${error instanceof Error ? error.message : String(error)})`)]);
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** How an assignment is named in messages: `agents.x.skill = 0.8`. */
export function describeAssignment(assignment: PointAssignment): string {
  const value = assignment.value;
  return `${formatFieldPath(assignment.segments)} = ${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`;
}

/**
 * The scenario compiled with `assignments` set. A problem the values cause is a `ScenarioError`
 * whose issues keep the compiler's field and message, prefixed with the values set, and are
 * located at the assignment they concern in the original file (the first one when none matches).
 */
export function compilePoint(source: SweepSource, assignments: readonly PointAssignment[]): CompiledScenario {
  const text = scenarioTextAt(source, assignments);
  try {
    return compileScenarioText(text, source.file);
  } catch (error) {
    if (!(error instanceof ScenarioError) || assignments.length === 0) throw error;
    const values = assignments.map(describeAssignment).join(', ');
    const seen = new Set<string>();
    throw new ScenarioError(
      error.issues.flatMap((issue) => {
        const concerned =
          assignments.find((assignment) => {
            const path = formatFieldPath(assignment.segments);
            return issue.field === path || issue.field.startsWith(`${path}.`) || issue.field.startsWith(`${path}[`) || path.startsWith(`${issue.field}.`);
          }) ?? (assignments[0] as PointAssignment);
        const where = locatedIssue(source, concerned.segments, issue.field, `with ${values}: ${issue.message}`);
        // A variant that inherits the field repeats the base's problem at the same place: said once.
        const key = `${where.line}:${where.column}:${where.message}`;
        if (seen.has(key)) return [];
        seen.add(key);
        return [where];
      }),
    );
  }
}
