import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { ScenarioIssue } from '../kernel/errors.ts';

/** One step of a field path: a map key or a list index. */
export type PathSegment = string | number;

/** A 1-based position in a file. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** What to point at: the value at a path, or the key that holds it (for unknown keys). */
export type PositionTarget = 'value' | 'key';

/** A parsed YAML file that can say where any field path sits in the text. */
export interface ScenarioSource {
  /** The document as plain data (maps become objects). `undefined` when the file is empty. */
  readonly value: unknown;
  /** Syntax errors found by the YAML parser, positioned; empty when the file parsed. */
  readonly syntaxIssues: readonly ScenarioIssue[];
  /**
   * Position of the node at `path`. A path that does not exist in the file (a missing field)
   * resolves to the key of the deepest existing parent, so the user sees where to add it.
   */
  locate(path: readonly PathSegment[], target: PositionTarget): Position;
}

/** Field used for issues that belong to the YAML syntax rather than to one field. */
export const SYNTAX_FIELD = '(yaml)';

/** Parses YAML text, keeping node positions. Never throws for bad input: syntax errors become issues. */
export function parseScenarioSource(text: string, file: string): ScenarioSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const toPosition = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const syntaxIssues: ScenarioIssue[] = doc.errors.map((error) => {
    const { line, column } = toPosition(error.pos[0]);
    return { file, line, column, field: SYNTAX_FIELD, message: syntaxMessage(error.message) };
  });
  let value: unknown;
  if (syntaxIssues.length === 0 && doc.contents !== null) {
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
    } catch (error) {
      // An alias to no anchor, or an alias bomb past the limit: the yaml library throws here.
      const { line, column } = toPosition(firstAliasOffset(doc));
      syntaxIssues.push({ file, line, column, field: SYNTAX_FIELD, message: aliasMessage(error) });
    }
  }
  return {
    value,
    syntaxIssues,
    locate: (path, target) => toPosition(locateOffset(doc, path, target)),
  };
}

/** Most alias expansions one scenario may make (the yaml library's guard against alias bombs). */
export const MAX_ALIAS_COUNT = 1000;

function aliasMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/excessive alias count/i.test(text)) return `YAML aliases expand too much (more than ${MAX_ALIAS_COUNT} expansions; an alias bomb?)`;
  if (/unresolved alias/i.test(text)) return `YAML alias refers to no anchor: ${text.replace(/^.*?:\s*/, '')}`;
  return `YAML aliases could not be resolved: ${text}`;
}

/** Offset of the first alias in the document (where an alias error is reported); 0 when none. */
function firstAliasOffset(doc: Document): number {
  let offset: number | null = null;
  visit(doc, { Alias: (_key, node) => {
    offset = node.range?.[0] ?? 0;
    return visit.BREAK;
  } });
  return offset ?? 0;
}

/** The yaml library's messages end with a position we report separately; keep the sentence. */
function syntaxMessage(message: string): string {
  const sentence = message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, '').trim();
  return `YAML syntax error: ${sentence}`;
}

function locateOffset(doc: Document, path: readonly PathSegment[], target: PositionTarget): number {
  let node: unknown = doc.contents;
  let keyNode: Node | null = null;
  let parentOffset = rangeStart(doc.contents) ?? 0;
  for (const segment of path) {
    node = resolveAlias(doc, node);
    const found = child(node, segment);
    if (found === undefined) return keyNode ? (rangeStart(keyNode) ?? parentOffset) : parentOffset;
    parentOffset = rangeStart(found.key) ?? rangeStart(found.value) ?? parentOffset;
    keyNode = found.key;
    node = found.value;
  }
  const value = resolveAlias(doc, node);
  // An empty value (`agents:` and nothing else) has no text of its own: point at its key.
  const empty = isScalar(value) && value.value === null;
  if ((target === 'key' || empty) && keyNode) return rangeStart(keyNode) ?? parentOffset;
  return rangeStart(value) ?? (keyNode ? (rangeStart(keyNode) ?? parentOffset) : parentOffset);
}

/** The child of a map or list at `segment`, with the key node (null for list items). */
function child(node: unknown, segment: PathSegment): { key: Node | null; value: unknown } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      const keyValue = isScalar(key) ? key.value : key;
      if (String(keyValue) === String(segment)) return { key: isScalar(key) ? key : null, value: pair.value };
    }
    return undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item: unknown = node.items[segment];
    return item === undefined ? undefined : { key: null, value: item };
  }
  return undefined;
}

function resolveAlias(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function rangeStart(node: unknown): number | undefined {
  if (node === null || typeof node !== 'object' || !('range' in node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range ? range[0] : undefined;
}

/**
 * Formats a field path the way users read it: `agents.extractor.outputTokens.p95`,
 * `cases.inline[3].expected`. Keys that would be ambiguous are quoted: `input["a.b"]`.
 */
export function formatFieldPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z0-9_$-][A-Za-z0-9_$-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text === '' ? '(scenario)' : text;
}
