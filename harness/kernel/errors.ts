/** Stable codes carried by every error the harness raises. */
export type ErrorCode =
  | 'SCENARIO_INVALID'
  | 'SCENARIO_NOT_FOUND'
  | 'DURATION_INVALID'
  | 'DISTRIBUTION_INVALID'
  | 'PATTERN_UNKNOWN'
  | 'AGENT_UNKNOWN'
  | 'CLOCK_MISUSE'
  | 'MODEL_UNKNOWN'
  | 'SINK_CLOSED'
  | 'SINK_FAILED'
  | 'SCHEMA_MISMATCH'
  | 'DATABASE_CORRUPT'
  | 'DATABASE_EXISTS'
  | 'DATABASE_BUSY'
  | 'DATABASE_UNWRITABLE'
  | 'EXPORT_FAILED'
  | 'RUN_INTERRUPTED'
  | 'MERGE_CONFLICT'
  | 'RESUME_MISMATCH'
  | 'TRACE_INVALID'
  | 'RECORDING_MISSING'
  | 'CREDENTIALS_MISSING'
  | 'CLAIM_UNMEASURABLE'
  | 'USAGE';

/** Base of every error the harness raises on purpose: a stable `code` and typed context. */
export class HarnessError extends Error {
  override readonly name: string = 'HarnessError';
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** One problem found in a scenario file, located by file, line, column and field path. */
export interface ScenarioIssue {
  /** Path of the scenario file as given by the user. */
  readonly file: string;
  /** 1-based line of the offending node (the key for unknown keys). */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** Dotted field path, e.g. `agents[2].outputTokens.p95`. */
  readonly field: string;
  /** Human-readable explanation. */
  readonly message: string;
}

/** A scenario failed validation; `issues` lists every problem, each with its position. */
export class ScenarioError extends HarnessError {
  override readonly name = 'ScenarioError';
  readonly issues: readonly ScenarioIssue[];
  constructor(issues: readonly ScenarioIssue[]) {
    super('SCENARIO_INVALID', issues.map(formatScenarioIssue).join('\n'));
    this.issues = issues;
  }
}

/** `file:line:column field: message`, the form editors and terminals link. */
export function formatScenarioIssue(issue: ScenarioIssue): string {
  return `${issue.file}:${issue.line}:${issue.column} ${issue.field}: ${issue.message}`;
}
