import type { z } from 'zod';
import { formatScenarioIssue, ScenarioError, type ScenarioIssue } from '../kernel/errors.ts';
import { formatFieldPath, type PathSegment, type PositionTarget, type ScenarioSource } from './positions.ts';

/** `file:line:column field: warning: message`: a compile warning as `validate` and `run` print it. */
export function formatScenarioWarning(warning: ScenarioIssue): string {
  return formatScenarioIssue({ ...warning, message: `warning: ${warning.message}` });
}

/** The raw issue zod hands to a per-parse error map (v4 `$ZodRawIssue`, loosely typed). */
interface RawIssue {
  readonly code?: string;
  readonly inst?: unknown;
}

/** A finalised zod issue (v4 `$ZodIssue`), read loosely so every code can be translated. */
interface ZodIssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly input?: unknown;
  readonly expected?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly inclusive?: boolean;
  readonly origin?: string;
  readonly keys?: readonly string[];
  readonly values?: readonly unknown[];
  readonly errors?: readonly (readonly ZodIssueLike[])[];
  readonly issues?: readonly ZodIssueLike[];
  readonly note?: string;
  readonly discriminator?: string;
  readonly options?: readonly unknown[];
}

/**
 * Collects the issues of one scenario file, positioned by its source. Owned by one compile call.
 */
export class IssueCollector {
  readonly #issues: ScenarioIssue[] = [];
  readonly #warnings: ScenarioIssue[] = [];
  constructor(
    readonly file: string,
    private readonly source: ScenarioSource,
    /**
     * Where the compiled document sits in the file: `['variants', name]` for a variant, whose
     * issues are then reported at the variant's setting (or its nearest parent). Default: the top.
     */
    private readonly prefix: readonly PathSegment[] = [],
  ) {}

  /** Records `message` about the field at `path` (pointing at its value, or its key). */
  add(path: readonly PathSegment[], message: string, target: PositionTarget = 'value'): void {
    this.#issues.push(this.#locate(path, message, target));
  }

  /** Records a warning: a doubtful setting, located like an issue, that does not stop the compile. */
  warn(path: readonly PathSegment[], message: string, target: PositionTarget = 'value'): void {
    this.#warnings.push(this.#locate(path, message, target));
  }

  /** Warnings so far, sorted by position. */
  get warnings(): readonly ScenarioIssue[] {
    return [...this.#warnings].sort((a, b) => a.line - b.line || a.column - b.column);
  }

  #locate(path: readonly PathSegment[], message: string, target: PositionTarget): ScenarioIssue {
    const located = this.prefix.length === 0 ? path : [...this.prefix, ...path];
    const { line, column } = this.source.locate(located, target);
    return { file: this.file, line, column, field: formatFieldPath(located), message };
  }

  /** Issues so far, unsorted (to merge the issues of several documents of one file). */
  get issues(): readonly ScenarioIssue[] {
    return this.#issues;
  }

  /** Records ready-made issues (YAML syntax errors). */
  addIssues(issues: readonly ScenarioIssue[]): void {
    this.#issues.push(...issues);
  }

  /** How many issues were recorded. */
  get count(): number {
    return this.#issues.length;
  }

  /** Issues so far, sorted by position. */
  sorted(): ScenarioIssue[] {
    return [...this.#issues].sort((a, b) => a.line - b.line || a.column - b.column);
  }

  /** Throws one `ScenarioError` with every issue, if there are any. */
  throwIfAny(): void {
    if (this.#issues.length > 0) throw new ScenarioError(this.sorted());
  }

  /**
   * Parses `value` with `schema`; on failure records every issue under `path` in plain English.
   * Returns the parsed value, or `undefined` when it had issues.
   */
  parse<S extends z.ZodType>(schema: S, value: unknown, path: readonly PathSegment[]): z.output<S> | undefined {
    const result = schema.safeParse(value, { error: carryKnownKeys, reportInput: true });
    if (result.success) return result.data;
    for (const issue of result.error.issues as unknown as readonly ZodIssueLike[]) this.#addZodIssue(issue, path);
    return undefined;
  }

  #addZodIssue(issue: ZodIssueLike, base: readonly PathSegment[]): void {
    const path = [...base, ...issue.path.map(toSegment)];
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys ?? []) this.add([...path, key], unknownKeyMessage(key, issue), 'key');
        return;
      case 'invalid_key':
        for (const inner of issue.issues ?? []) this.add(path, `key ${JSON.stringify(issue.input)}: ${translate(inner)}`, 'key');
        return;
      case 'invalid_union':
        this.#addUnionIssue(issue, path);
        return;
      default:
        this.add(path, translate(issue));
    }
  }

  #addUnionIssue(issue: ZodIssueLike, path: readonly PathSegment[]): void {
    if (issue.note === 'No matching discriminator') {
      const discriminator = issue.discriminator ?? 'kind';
      const options = (issue.options ?? []).map(String).join(', ');
      const given = isRecord(issue.input) ? issue.input[discriminator] : undefined;
      if (given === undefined) this.add(path.slice(0, -1), `needs '${discriminator}:' (one of ${options})`);
      else this.add(path, `must be one of ${options}, got ${describeValue(given)}`);
      return;
    }
    const branch = (issue.errors ?? []).find((issues) => !isTypeMismatch(issues));
    if (branch) {
      for (const inner of branch) this.#addZodIssue(inner, path);
      return;
    }
    this.add(path, `${issue.message}, got ${describeValue(issue.input)}`);
  }
}

/**
 * Per-parse error map: for unknown keys, carries the object's known keys (as JSON) in the message
 * so the translation can suggest the nearest one. Every other issue keeps zod's message.
 */
function carryKnownKeys(issue: RawIssue): string | undefined {
  if (issue.code !== 'unrecognized_keys') return undefined;
  const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  return JSON.stringify(shape ? Object.keys(shape) : []);
}

function unknownKeyMessage(key: string, issue: ZodIssueLike): string {
  const present = isRecord(issue.input) ? Object.keys(issue.input) : [];
  return unknownKey(key, parseKnownKeys(issue.message), present);
}

/**
 * `unknown key 'promt_tokens' (did you mean 'promptTokens'?)`, suggesting the nearest allowed key
 * not already `present`; lists the allowed keys when none is close.
 */
export function unknownKey(key: string, known: readonly string[], present: readonly string[] = []): string {
  const suggestion = closestName(key, known.filter((name) => !present.includes(name)));
  const hint = suggestion ? ` (did you mean '${suggestion}'?)` : known.length > 0 ? ` (allowed: ${known.join(', ')})` : '';
  return `unknown key '${key}'${hint}`;
}

function parseKnownKeys(message: string): string[] {
  try {
    const parsed: unknown = JSON.parse(message);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/** True when every issue of a union branch only says "this is not my type" at the branch root. */
function isTypeMismatch(issues: readonly ZodIssueLike[]): boolean {
  return issues.every(
    (issue) =>
      issue.path.length === 0 &&
      (issue.code === 'invalid_type' ||
        (issue.code === 'invalid_union' && issue.note === undefined && (issue.errors ?? []).every(isTypeMismatch))),
  );
}

/** One zod issue in plain English (without its position). */
function translate(issue: ZodIssueLike): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      if (issue.expected === 'never') return 'is not allowed here';
      return `must be ${expectedType(issue.expected)}, got ${describeValue(issue.input)}`;
    case 'too_small':
      return sizeMessage(issue, 'small');
    case 'too_big':
      return sizeMessage(issue, 'big');
    case 'invalid_value':
      return `must be one of ${(issue.values ?? []).map((value) => `'${String(value)}'`).join(', ')}, got ${describeValue(issue.input)}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String((issue as { divisor?: unknown }).divisor)}, got ${describeValue(issue.input)}`;
    default:
      return issue.message;
  }
}

function sizeMessage(issue: ZodIssueLike, side: 'small' | 'big'): string {
  const bound = Number(side === 'small' ? issue.minimum : issue.maximum);
  if (issue.origin === 'array' || issue.origin === 'set') {
    if (side === 'small' && bound === 1) return 'must not be empty';
    return `must have ${side === 'small' ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}`;
  }
  if (issue.origin === 'string') {
    if (side === 'small' && bound === 1) return 'must not be empty';
    return `must be ${side === 'small' ? 'at least' : 'at most'} ${bound} characters long`;
  }
  const relation =
    side === 'small' ? (issue.inclusive ? 'at least' : 'greater than') : issue.inclusive ? 'at most' : 'less than';
  return `must be ${relation} ${bound}, got ${describeValue(issue.input)}`;
}

function expectedType(expected: string | undefined): string {
  switch (expected) {
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'object':
    case 'record':
      return 'a map';
    case 'array':
      return 'a list';
    default:
      return expected ?? 'something else';
  }
}

/** How a user would describe a YAML value: `string "fast"`, `number 3`, `a list`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return typeof value;
}

/**
 * The candidate nearest to `name` by edit distance (adjacent swaps count once), if it is close
 * enough to be a likely typo: at most 1 edit for short names, 2 for 5+ letters, 3 for 9+.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const limit = name.length >= 9 ? 3 : name.length >= 5 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const previous = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(distance);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * What follows "unknown X 'name'": an optional did-you-mean, then the sorted list of what exists,
 * e.g. ` (did you mean 'frontier'?); known: frontier, mid-tier`.
 */
export function namesHint(name: string, known: readonly string[], label = 'known'): string {
  const suggestion = closestName(name, known);
  const list = known.length > 0 ? [...known].sort().join(', ') : '(none)';
  return `${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; ${label}: ${list}`;
}

function toSegment(key: PropertyKey): PathSegment {
  return typeof key === 'number' ? key : String(key);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
